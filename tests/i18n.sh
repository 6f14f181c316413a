#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Messages in the user's language (po/): under a zh_TW.UTF-8 locale with LANGUAGE=zh_TW,
# --help, errors, --check's reports and summary, the config file's problems, the status
# line and the ? screen are in Traditional Chinese; with zh_CN in Simplified; a catalog
# keeps --check's reports in the language they were written in, and is not used for
# another. English stays the default and is unchanged by the catalogs being there. The
# catalogs are the build's (po/*.gmo), laid out as LOCALEDIR/LANG/LC_MESSAGES in a
# scratch directory that XINWEN_LOCALEDIR names; the zh locales are the system's, else
# made with localedef into a scratch LOCPATH. Skips (77) when neither can be had.
set -u
. "$TOP_SRCDIR/tests/screen-lib.sh"

fail() {
	echo "FAIL: $*"
	exit 1
}

# The catalogs: the build's .gmo files (gettext writes them beside the .po files).
XINWEN_LOCALEDIR=$SCREEN_DIR/locale
export XINWEN_LOCALEDIR
for lang in zh_TW zh_CN; do
	mkdir -p "$XINWEN_LOCALEDIR/$lang/LC_MESSAGES"
	gmo=$TOP_SRCDIR/po/$lang.gmo
	[ -f "$gmo" ] || gmo=$(dirname "$(dirname "$XINWEN")")/po/$lang.gmo
	[ -f "$gmo" ] || { echo "no $lang.gmo (configured with --disable-nls?): skipping"; exit 77; }
	cp "$gmo" "$XINWEN_LOCALEDIR/$lang/LC_MESSAGES/xinwen.mo"
done

# The locales: installed ones, else compiled here (glibc ignores LANGUAGE in the C locale,
# so a real zh locale is needed to ask for Chinese the way users do).
has_locale() {
	locale -a 2>/dev/null | grep -qix "$1.utf-\{0,1\}8"
}
LOCPATH_SET=
for lang in zh_TW zh_CN; do
	has_locale "$lang" && continue
	command -v localedef >/dev/null 2>&1 || { echo "no $lang.UTF-8 locale and no localedef: skipping"; exit 77; }
	mkdir -p "$SCREEN_DIR/locales"
	localedef -i "$lang" -f UTF-8 "$SCREEN_DIR/locales/$lang.UTF-8" >/dev/null 2>&1 ||
		{ echo "cannot make the $lang.UTF-8 locale (no locale sources; apt-get install locales): skipping"; exit 77; }
	LOCPATH_SET=$SCREEN_DIR/locales
done
if [ -n "$LOCPATH_SET" ]; then
	# Both locales in one LOCPATH: the one installed too, when only the other was made.
	for lang in zh_TW zh_CN; do
		[ -d "$LOCPATH_SET/$lang.UTF-8" ] ||
			localedef -i "$lang" -f UTF-8 "$LOCPATH_SET/$lang.UTF-8" >/dev/null 2>&1 ||
			{ echo "cannot make the $lang.UTF-8 locale: skipping"; exit 77; }
	done
fi

# in_lang LANG CMD...: run CMD with LANGUAGE=LANG under the LANG.UTF-8 locale.
in_lang() {
	local lang=$1
	shift
	env ${LOCPATH_SET:+LOCPATH="$LOCPATH_SET"} LANGUAGE="$lang" LC_ALL="$lang.UTF-8" "$@"
}

# expect WHAT OUTPUT PATTERN...: OUTPUT contains every fixed string PATTERN.
expect() {
	local what=$1 out=$2
	shift 2
	for p in "$@"; do
		printf '%s\n' "$out" | grep -qF -- "$p" ||
			fail "$what lacks '$p':"$'\n'"$out"
	done
}

# Traditional Chinese.
help=$(in_lang zh_TW "$XINWEN" --help) || fail "--help failed in zh_TW"
expect "zh_TW --help" "$help" "用法:xinwen [選項] [路徑...]" "顯示本說明後結束" \
	"立即結束" "在提示中(/、?、|、D、w):" "回報錯誤:"
err=$(in_lang zh_TW "$XINWEN" --width x 2>&1)
[ $? -eq 2 ] || fail "--width x in zh_TW: want status 2"
expect "zh_TW error" "$err" "xinwen: --width 需要 1 到 10000 之間的數字,而非「x」" \
	"請試試「xinwen --help」。"
err=$(in_lang zh_TW "$XINWEN" --dump no-such-article "$TOP_SRCDIR/data" 2>&1)
expect "zh_TW --dump error" "$err" "xinwen: 找不到 ID 或標題為「no-such-article」的文章"
# The reading pane's headings, as --dump prints them.
out=$(in_lang zh_TW "$XINWEN" --no-cache --width 80 --dump '四川新聞丨做實社會治理 閬中下足繡花功夫' \
	"$TOP_SRCDIR/data" 2>&1)
expect "zh_TW --dump" "$out" "相關報導" "相似報導" "引用本文的報導"
# ngettext: one file, in a form without plurals.
err=$(in_lang zh_TW "$XINWEN" --check "$TOP_SRCDIR/data/demo-bus.txt" 2>&1)
expect "zh_TW --check" "$err" "xinwen: 1 篇文章,分布於 1 個檔案:沒有問題"

# --check's per-file messages and the config file's problems, in both languages. The
# summary counts the related headline as one without an article, not as a problem
# (diag_kind knows the translated message). A scratch collection: invalid UTF-8 in one
# article, a related headline the collection lacks in the other.
coll=$SCREEN_DIR/coll
mkdir -p "$coll"
printf '壞位元組\n\n2024-01-02 來源\n\n正文\377內容。\n' > "$coll/bad.txt"
printf '有相關報導\n\n2024-01-03 來源\n\n正文。\n\n相關焦點\n\n  • 不在文章集中的標題\n' \
	> "$coll/related.txt"
printf 'set split = diagonal\nbogus word\n' > "$SCREEN_DIR/config"
check_in() { # LANG: --check --verbose of the scratch collection, with no cache
	in_lang "$1" "$XINWEN" --no-cache --check --verbose "$coll" 2>&1
}
err=$(check_in zh_TW)
expect "zh_TW --check" "$err" "bad.txt:5: 已修復位元組位移 " "處的無效 UTF-8(1 個無效序列)" \
	"related.txt:9: 沒有對應文章的相關標題:不在文章集中的標題(以摘要顯示)" \
	"xinwen: 2 篇文章,分布於 2 個檔案:1 個問題;1 則相關標題不在文章集中,以摘要顯示"
err=$(in_lang zh_TW "$XINWEN" --check-config "$SCREEN_DIR/config" 2>&1)
expect "zh_TW --check-config" "$err" \
	"config:1: split 的值「diagonal」不正確(應為 auto、horizontal 或 vertical)" \
	"config:2: 未知的命令「bogus」(應為 set、bind、unbind 或 color)"

# Simplified Chinese.
err=$(check_in zh_CN)
expect "zh_CN --check" "$err" "bad.txt:5: 已修复字节偏移 " "处的无效 UTF-8(1 个无效序列)" \
	"related.txt:9: 没有对应文章的相关标题:不在文章集中的標題(以摘要显示)" \
	"xinwen: 2 篇文章,分布于 2 个文件:1 个问题;1 条相关标题不在文章集中,以摘要显示"
err=$(in_lang zh_CN "$XINWEN" --check-config "$SCREEN_DIR/config" 2>&1)
expect "zh_CN --check-config" "$err" \
	"config:1: split 的值“diagonal”不正确(应为 auto、horizontal 或 vertical)" \
	"config:2: 未知的命令“bogus”(应为 set、bind、unbind 或 color)"
help=$(in_lang zh_CN "$XINWEN" --help) || fail "--help failed in zh_CN"
expect "zh_CN --help" "$help" "用法:xinwen [选项] [路径...]" "显示本帮助后退出" "立即退出"
err=$(in_lang zh_CN "$XINWEN" --width x 2>&1)
expect "zh_CN error" "$err" "xinwen: --width 需要 1 到 10000 之间的数字,而非“x”"

# English: the default (no LANGUAGE, C.UTF-8), and what a language without a catalog
# falls back to; byte for byte what the program says with no catalogs at all.
english=$(env -u XINWEN_LOCALEDIR LC_ALL=C.UTF-8 "$XINWEN" --help)
expect "English --help" "$english" "Usage: xinwen [OPTIONS] [PATH...]" "Quit at once" \
	"In a prompt (/, ?, |, D, w):"
[ "$(LC_ALL=C.UTF-8 "$XINWEN" --help)" = "$english" ] ||
	fail "--help in C.UTF-8 differs with the catalogs present"
[ "$(in_lang zh_TW env LANGUAGE=en "$XINWEN" --help)" = "$english" ] ||
	fail "--help with LANGUAGE=en (no catalog) is not the English one"
err=$(LC_ALL=C.UTF-8 "$XINWEN" --width x 2>&1)
[ "$err" = "xinwen: --width takes a number from 1 to 10000, not 'x'"$'\n'"Try 'xinwen --help'." ] ||
	fail "the English error changed: $err"

# The reader in tmux, in Traditional Chinese: the status line, a message, the ? screen.
screen_command() {
	local cmd="env ${LOCPATH_SET:+LOCPATH='$LOCPATH_SET'} LANGUAGE=zh_TW LC_ALL=zh_TW.UTF-8"
	cmd="$cmd XINWEN_LOCALEDIR='$XINWEN_LOCALEDIR' TERM=xterm-256color NO_COLOR="
	cmd="$cmd XDG_STATE_HOME='$XDG_STATE_HOME' XDG_CACHE_HOME='$XDG_CACHE_HOME' '$XINWEN'"
	local arg
	for arg in "$@"; do
		cmd="$cmd '$arg'"
	done
	printf '%s' "$cmd"
}
screen_start 120 40 "$TOP_SRCDIR/data"
screen_wait_for ' 文章 1/25 · 5 篇未讀' "the status line in Traditional Chinese"
screen_wait_for 'Enter:開啟  /:搜尋  i:說明  q:結束' "the key hints in Traditional Chinese"
# A message on the status line (app_say translates its format): a bookmark, then gone.
screen_keys '*'
screen_wait_for "已加入書籤:按 ' 顯示書籤" "the bookmark's message in Traditional Chinese"
screen_keys '*'
screen_wait_for '已移除書籤' "the message of the bookmark removed"
screen_keys i
screen_wait_for '清單中的下一個標題;閱讀窗格中的下一行' "the ? screen's first description"
screen_keys G # the end of the ? screen: it is longer than the terminal
screen_wait_for '立即結束' "the ? screen's last action"
screen_wait_for ' 說明:' "the help's status line"
screen_keys q
screen_wait_gone '立即結束' "the help screen after q"
screen_keys q
screen_wait_exit 0
# The catalog keeps --check's messages as they were written: the reader in zh_TW writes
# one for the scratch collection, and --check in English (which starts from a catalog)
# still speaks English, in zh_TW Chinese.
XDG_CACHE_HOME=$SCREEN_DIR/cache
export XDG_CACHE_HOME
screen_kill
rm -f "$SCREEN_STATUS"
screen_start 100 30 "$coll"
screen_wait_for '有相關報導' "the scratch collection in the reader"
# the catalog is written in the background: quitting first would leave none
deadline=$((SECONDS + SCREEN_TIMEOUT))
until ls "$XDG_CACHE_HOME"/xinwen/catalog-* > /dev/null 2>&1 || [ $SECONDS -gt $deadline ]; do
	sleep "$SCREEN_POLL"
done
screen_keys q
screen_wait_exit 0
ls "$XDG_CACHE_HOME"/xinwen/catalog-* > /dev/null 2>&1 || fail "the reader wrote no catalog"
err=$(LC_ALL=C.UTF-8 "$XINWEN" --check "$coll" 2>&1)
expect "English --check after the reader in zh_TW" "$err" \
	"bad.txt:5: invalid UTF-8 repaired at byte offset " \
	"xinwen: 2 articles in 2 files: 1 problem; 1 related headline not in the collection"
err=$(in_lang zh_TW "$XINWEN" --check "$coll" 2>&1)
expect "zh_TW --check from the catalog" "$err" "處的無效 UTF-8(1 個無效序列)"
echo "PASS: zh_TW and zh_CN messages, --help, ? screen, --check, config problems; English unchanged"
