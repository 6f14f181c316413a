#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The man pages in Chinese (po/man/, po4a; Makefile.am's update-man-po): each built page
# carries the version and date, renders with groff -ww on every device without a warning,
# is in its own script, and has a counterpart for every section, subsection and
# paragraph of the English page; every message of po/man/LANG.po is translated, none
# fuzzy; and, with po4a installed, the translated templates are what po4a makes of
# today's English pages (their tables included): a paragraph added to man/xinwen.1.in,
# or a key added to the keymap, fails here until it is translated.
set -u
. "$TOP_SRCDIR/tests/check-lib.sh"
: "${XINWEN:?}" "${MKMAN:?}"
build=$(dirname "$(dirname "$MKMAN")")
version=$("$XINWEN" --version | sed -n '1s/^xinwen //p')

# structure PAGE: the macros that begin a section, a subsection or a paragraph, in order.
structure() {
	grep -o '^\.\(SH\|SS\|TP\|TQ\|PP\|IP\|EX\|EE\|RS\|RE\|SY\|YS\)\b' "$1"
}

# text PAGE: the page as man shows it on a terminal, without bold or underlining.
text() {
	groff -man -Tutf8 -P-cbou "$1" 2>/dev/null
}

# expect PAGE TEXT STRING...: TEXT (the rendered PAGE) has every STRING.
expect() {
	local page=$1 out=$2 s
	shift 2
	for s in "$@"; do
		printf '%s\n' "$out" | grep -qF -- "$s" || fail "$page: '$s' is not in the rendered page"
	done
}

have_groff=no
command -v groff >/dev/null 2>&1 && have_groff=yes
[ "$have_groff" = yes ] || echo "NOTE: no groff: the pages are not rendered"
for lang in zh_TW zh_CN; do
	for s in 1 5; do
		page=$build/man/$lang/xinwen.$s
		[ -s "$page" ] || { fail "$page was not built"; continue; }
		grep -q "^\.TH XINWEN $s [0-9]\{4\}-[0-9][0-9]-[0-9][0-9] \"xinwen $version\" " "$page" ||
			fail "$page: .TH without the version and date: $(grep '^\.TH' "$page")"
		grep -v '^\.\\"' "$page" | grep -q '@[A-Z]*@' &&
			fail "$page: a placeholder is left: $(grep -m1 '@[A-Z]*@' "$page")"
		LC_ALL=C grep -q '[^ -~	]' "$page" &&
			fail "$page: characters beyond ASCII (groff reads them as Latin-1 without preconv)"
		[ "$(structure "$page")" = "$(structure "$build/man/xinwen.$s")" ] ||
			fail "$page: its sections and paragraphs differ from the English page's:" \
				"$(diff <(structure "$build/man/xinwen.$s") <(structure "$page") | head -5)"
		[ "$have_groff" = yes ] || continue
		for dev in ps utf8 latin1; do
			groff -ww -man -T"$dev" -z "$page" > "$tmp/groff" 2>&1 ||
				fail "groff -T$dev $page failed"
			[ -s "$tmp/groff" ] && fail "groff -ww -man -T$dev $page warns: $(head -3 "$tmp/groff")"
		done
	done
done

# What the pages say, in the script of each language, the generated tables included
# (the keys' descriptions as the ? screen shows them, the colour roles).
if [ "$have_groff" = yes ]; then
	out=$(text "$build/man/zh_TW/xinwen.1")
	expect zh_TW/xinwen.1 "$out" "名稱" "xinwen - 在終端機中閱讀中文新聞文章集" "選項" "環境變數" \
		"結束狀態" "清單中的下一個標題;閱讀窗格中的下一行" "報導地圖與瀏覽歷史" "參見"
	printf '%s\n' "$out" | grep -q '[读档终该]' && fail "zh_TW/xinwen.1 has Simplified characters"
	out=$(text "$build/man/zh_TW/xinwen.5")
	expect zh_TW/xinwen.5 "$out" "xinwen 新聞閱讀器的設定檔" "顏色角色" "沒有其他角色的文字" \
		"按鍵名稱" "預設值："
	out=$(text "$build/man/zh_CN/xinwen.1")
	expect zh_CN/xinwen.1 "$out" "名称" "xinwen - 在终端中阅读中文新闻文章集" "选项" "环境变量" \
		"退出状态" "列表中的下一个标题;阅读窗格中的下一行" "报道地图与浏览历史" "参见"
	printf '%s\n' "$out" | grep -q '[讀檔終該]' && fail "zh_CN/xinwen.1 has Traditional characters"
	out=$(text "$build/man/zh_CN/xinwen.5")
	expect zh_CN/xinwen.5 "$out" "xinwen 新闻阅读器的配置文件" "颜色角色" "没有其他角色的文本" \
		"按键名称" "默认值："
fi

# complete PO: every message of PO translated, none fuzzy.
complete() {
	local stats
	stats=$(msgfmt --check --statistics -o /dev/null "$1" 2>&1) || { fail "$1: $stats"; return; }
	case $stats in
	*fuzzy* | *untranslated*) fail "$1: $stats (translate them: po/man/$(basename "$1"))" ;;
	esac
}
if command -v msgfmt >/dev/null 2>&1; then
	complete "$TOP_SRCDIR/po/man/zh_TW.po"
	complete "$TOP_SRCDIR/po/man/zh_CN.po"
fi

# With po4a: po4a run on today's English pages (the build's tables) in a scratch copy;
# then each catalog must still be complete and each template unchanged (but for
# comments and blanks, which differ between versions of po4a).
if command -v po4a >/dev/null 2>&1; then
	w=$tmp/po4a
	mkdir -p "$w/man" "$w/po/man"
	cp "$TOP_SRCDIR"/po/man/* "$w/po/man/"
	for s in 1 5; do
		"$MKMAN" '@VERSION@' '@DATE@' < "$TOP_SRCDIR/man/xinwen.$s.in" > "$w/man/xinwen.$s.master" ||
			fail "mkman failed on man/xinwen.$s.in"
	done
	(cd "$w" && po4a --package-name xinwen po/man/po4a.cfg) > "$tmp/po4a.log" 2>&1 ||
		fail "po4a failed: $(tail -5 "$tmp/po4a.log")"
	for lang in zh_TW zh_CN; do
		complete "$w/po/man/$lang.po"
		for s in 1 5; do
			diff -wB <(grep -v '^\.\\"' "$w/man/$lang/xinwen.$s.in") \
				<(grep -v '^\.\\"' "$TOP_SRCDIR/man/$lang/xinwen.$s.in") > "$tmp/diff" ||
				fail "man/$lang/xinwen.$s.in is not what po4a makes of the English page" \
					"and po/man/$lang.po: run make update-man-po:"$'\n'"$(head -8 "$tmp/diff")"
		done
	done
else
	echo "NOTE: no po4a: not checking the translations against today's English pages"
fi

check_failed man_i18n.sh && exit 1
echo "PASS: the man pages in zh_TW and zh_CN"
exit 0
