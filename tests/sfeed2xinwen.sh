#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# contrib/sfeed2xinwen on a small sfeed TSV feed (tests/data/sfeed/example-news): an HTML
# item reduced to text (script, style and comments dropped, entities decoded, escape
# sequences and control characters gone), a plain one with sfeed's \n \t \\ escapes,
# an undated untitled one, an updated item that replaces its file; the link as the URL
# line under the date; what it writes is read by xinwen without a problem. Then standard
# input, -s, a malformed line, bytes that are not UTF-8, empty fields, links that are
# no web address; and contrib/newsboat2xinwen on a newsboat cache made with sqlite3.
set -u
: "${XINWEN:?}" "${TOP_SRCDIR:?}"
conv=$TOP_SRCDIR/contrib/sfeed2xinwen
feed=$TOP_SRCDIR/tests/data/sfeed/example-news
failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

"$conv" "$tmp/out" "$feed" 2> "$tmp/err" || fail "sfeed2xinwen exited $?: $(cat "$tmp/err")"
[ -s "$tmp/err" ] && fail "sfeed2xinwen complained: $(cat "$tmp/err")"
[ "$(find "$tmp/out" -type f | wc -l)" -eq 3 ] ||
	fail "expected 3 files (4 items, one given twice): $(ls -a "$tmp/out")"
ls -a "$tmp/out" | grep -q '\.tmp$\|^\.sfeed' && fail "temporary files left: $(ls -a "$tmp/out")"

# The HTML item, updated: the last version wins.
f=$(grep -l '^URL: https://example.org/news/1$' "$tmp/out"/*.txt)
[ "$(echo "$f" | wc -w)" -eq 1 ] || fail "not one file for news-1: $f"
printf '%s\n' '桐溪鎮圖書館延長開放 (更新)' '' '2020-11-22 example-news' 'URL: https://example.org/news/1' '' \
	'第一段&文字,中文。' '' '第二段' '' '第三行' '' '一' '' '二' '' '「相關焦點」' '' '紅色' > "$tmp/want"
cmp -s "$f" "$tmp/want" || { fail "the HTML item's article differs:"; diff "$tmp/want" "$f"; }
case $(basename "$f") in sfeed_[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f].txt) ;;
*) fail "file name $(basename "$f") is not sfeed_<16 hex digits>.txt" ;; esac

# The plain item: \n and \t unescaped, \\n a backslash and n; lines kept in a paragraph.
f=$(grep -l '^URL: https://example.org/news/2$' "$tmp/out"/*.txt)
printf '%s\n' '社區小巴 試營運' '' '2020-11-20 example-news' 'URL: https://example.org/news/2' '' '第一段' '' \
	'第二段 有跳格\n不是換行' '第二段的第二行' > "$tmp/want"
cmp -s "$f" "$tmp/want" || { fail "the plain item's article differs:"; diff "$tmp/want" "$f"; }

# No control character anywhere (ESC, NUL, C1...), and xinwen reads them cleanly.
LC_ALL=C grep -l $'[\x01-\x09\x0b-\x1f\x7f]' "$tmp/out"/*.txt && fail "a control character was written"
# The only problem --check finds is the undated item's missing date line (sfeed gave it
# no time: the converter writes no date line rather than invent one).
"$XINWEN" --check "$tmp/out" > "$tmp/check" 2>&1
[ "$(grep -c ': no date line' "$tmp/check")" -eq 1 ] && grep -q ': 1 problem' "$tmp/check" ||
	fail "xinwen --check: $(cat "$tmp/check")"
"$XINWEN" --list "$tmp/out" > "$tmp/list" || fail "xinwen --list failed"
grep -q $'\t\tfull\thttps://example.org/news/3$' "$tmp/list" ||
	fail "the undated, untitled item is not an undated article titled by its link: $(cat "$tmp/list")"
"$XINWEN" --dump "https://example.org/news/3" --width 60 "$tmp/out" > "$tmp/dump" || fail "--dump of item 3"
grep -q '^2020-01-01 看起來像日期$' "$tmp/dump" || fail "item 3's date-like first line is not body text: $(cat "$tmp/dump")"
grep -q '^「相关焦点」$' "$tmp/dump" || fail "item 3's 相关焦点 line started a related section"
# The link is the article's URL (the pane's URL line, --list --json's url, O's address);
# an undated item has no date line for it to follow: its link is its last paragraph.
"$XINWEN" --dump '社區小巴 試營運' --width 60 "$tmp/out" > "$tmp/dump" || fail "--dump of item 2"
sed -n 3p "$tmp/dump" | grep -qx 'URL: https://example.org/news/2' ||
	fail "item 2's link is not its URL line under the date: $(head -4 "$tmp/dump")"
grep -q '^https://example.org/news/3$' "$tmp/out"/*.txt || fail "the undated item's link is not its last line"

# Converting again changes nothing.
cp -r "$tmp/out" "$tmp/before"
"$conv" "$tmp/out" "$feed" || fail "the second conversion failed"
diff -r "$tmp/before" "$tmp/out" > /dev/null || fail "converting the same feed again changed the files"

# Standard input and -s; a malformed line is reported by line number and skipped.
printf '1605916800\tfrom stdin\thttps://example.org/s\tbody\tplain\ts-1\n' | "$conv" -s 'My feed' "$tmp/stdin" ||
	fail "reading standard input failed"
grep -q '^2020-11-21 My feed$' "$tmp/stdin"/*.txt || fail "-s does not name the source: $(cat "$tmp/stdin"/*.txt)"
printf 'only-one-field\n' > "$tmp/bad"
"$conv" "$tmp/badout" "$tmp/bad" 2> "$tmp/err" && fail "a malformed line did not make it exit non-zero"
grep -q "^$tmp/bad:1: not an sfeed item" "$tmp/err" || fail "no FILE:LINE message for a malformed line: $(cat "$tmp/err")"
"$conv" 2> /dev/null; [ $? -eq 2 ] || fail "no OUTDIR: not a usage error"

# Items beyond the example: bytes that are not UTF-8 (each made U+FFFD, the line named),
# empty fields, a link that is no web address or holds a space (then the last
# paragraph, not a URL line), escape sequences in the title; every file valid UTF-8
# that xinwen reads without a problem.
{
	printf '1605916800\t標題\xff壞\thttps://example.org/u\t正文\\t跳格\\\\n\\n新行\xb1\xe0\tplain\tu1\n'
	printf '\t\t\t\t\t\t\t\t\n'
	printf '1605916800\t\t\t\t\t\t\t\t\n'
	printf '1605916800\t相對連結\t/news/5\t\t\te1\n'
	printf '1605916800\t有空格的連結\thttps://example.org/a b\tx\tplain\te2\n'
	printf '1605916800\t\033]0;pwn\007T\033[31mred\tgopher://example.org/\t<p>a\033[2Jb</p>&#27;&#x9b;&#xD800;\thtml\te3\n'
} > "$tmp/edge"
"$conv" -s edge "$tmp/edge-out" "$tmp/edge" 2> "$tmp/err" || fail "sfeed2xinwen on the edge cases exited $?: $(cat "$tmp/err")"
[ "$(cat "$tmp/err")" = "$tmp/edge:1: not UTF-8: 3 byte(s) replaced by U+FFFD" ] ||
	fail "the bytes that are not UTF-8 were not reported as FILE:LINE: $(cat "$tmp/err")"
[ "$(find "$tmp/edge-out" -name '*.txt' | wc -l)" -eq 5 ] || fail "not 5 articles from the edge cases: $(ls "$tmp/edge-out")"
for f in "$tmp/edge-out"/*.txt; do
	iconv -f UTF-8 -t UTF-8 "$f" > /dev/null 2>&1 || fail "$(basename "$f") is not UTF-8: $(od -c "$f" | head -3)"
done
f=$(grep -l '^URL: https://example.org/u$' "$tmp/edge-out"/*.txt)
printf '%s\n' '標題�壞' '' '2020-11-21 edge' 'URL: https://example.org/u' '' '正文 跳格\n' '新行��' > "$tmp/want"
cmp -s "$f" "$tmp/want" || { fail "the item that is not UTF-8 differs:"; diff "$tmp/want" "$f"; }
grep -l -x '(untitled)' "$tmp/edge-out"/*.txt > /dev/null || fail "the item of empty fields is not (untitled)"
f=$(grep -l -x '相對連結' "$tmp/edge-out"/*.txt)
[ "$(tail -n 1 "$f")" = /news/5 ] && ! grep -q '^URL:' "$f" || fail "a relative link made a URL line: $(cat "$f")"
f=$(grep -l -x '有空格的連結' "$tmp/edge-out"/*.txt)
[ "$(tail -n 1 "$f")" = 'https://example.org/a b' ] && ! grep -q '^URL:' "$f" ||
	fail "a link with a space made a URL line: $(cat "$f")"
LC_ALL=C grep -l $'[\x01-\x09\x0b-\x1f\x7f]' "$tmp/edge-out"/*.txt && fail "a control character was written (edge cases)"
LC_ALL=C grep -l $'\xc2[\x80-\x9f]' "$tmp/edge-out"/*.txt && fail "a C1 control was written (edge cases)"
"$XINWEN" --check "$tmp/edge-out" > "$tmp/check" 2>&1 || fail "xinwen --check on the edge cases: $(cat "$tmp/check")"

# contrib/newsboat2xinwen: a cache.db with newsboat's tables (rss_feed, rss_item), when
# sqlite3 is installed: one HTML item (a tab in its title, a newline, a tab and a
# backslash in its content), one plain, one deleted; the feed's title is the source.
if command -v sqlite3 > /dev/null; then
	sqlite3 "$tmp/cache.db" <<'SQL' || fail "cannot make a newsboat cache with sqlite3"
CREATE TABLE rss_feed (rssurl VARCHAR(1024) PRIMARY KEY NOT NULL, url VARCHAR(1024) NOT NULL,
	title VARCHAR(1024) NOT NULL, lastmodified INTEGER(11) NOT NULL DEFAULT 0,
	is_rtl INTEGER(1) NOT NULL DEFAULT 0, etag VARCHAR(128) NOT NULL DEFAULT "");
CREATE TABLE rss_item (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, guid VARCHAR(64) NOT NULL,
	title VARCHAR(1024) NOT NULL, author VARCHAR(1024) NOT NULL, url VARCHAR(1024) NOT NULL,
	feedurl VARCHAR(1024) NOT NULL, pubDate INTEGER NOT NULL, content VARCHAR(65535) NOT NULL,
	unread INTEGER(1) NOT NULL, enclosure_url VARCHAR(1024), enclosure_type VARCHAR(1024),
	enqueued INTEGER(1) NOT NULL DEFAULT 0, flags VARCHAR(52), deleted INTEGER(1) NOT NULL DEFAULT 0,
	base VARCHAR(128) NOT NULL DEFAULT "", content_mime_type VARCHAR(255) NOT NULL DEFAULT "");
INSERT INTO rss_feed (rssurl, url, title) VALUES ('https://example.org/it''s.xml', 'https://example.org/', '桐溪日報');
INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread, content_mime_type)
	VALUES ('g1', '第一則' || char(9) || '標題', '記者', 'https://example.org/1', 'https://example.org/it''s.xml',
		1605916800, '<p>第一段</p>' || char(10) || '<p>第二段' || char(9) || '有跳格 \n 反斜線</p>', 1, 'text/html');
INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread, content_mime_type, deleted)
	VALUES ('g2', '已刪除', '', 'https://example.org/2', 'https://example.org/it''s.xml', 1605916800, 'x', 1, 'text/plain', 1);
INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread, content_mime_type)
	VALUES ('g3', '純文字', '', 'https://example.org/3', 'https://example.org/it''s.xml', 1605830400,
		'第一段' || char(10) || char(10) || '第二段', 1, 'text/plain');
SQL
	"$TOP_SRCDIR/contrib/newsboat2xinwen" "$tmp/cache.db" "$tmp/nb" || fail "newsboat2xinwen failed"
	[ "$(find "$tmp/nb" -name '*.txt' | wc -l)" -eq 2 ] || fail "newsboat2xinwen: not 2 articles: $(ls "$tmp/nb")"
	f=$(grep -l '^URL: https://example.org/1$' "$tmp/nb"/*.txt)
	printf '%s\n' '第一則 標題' '' '2020-11-21 桐溪日報' 'URL: https://example.org/1' '' '第一段' '' \
		'第二段 有跳格 \n 反斜線' > "$tmp/want"
	cmp -s "$f" "$tmp/want" || { fail "newsboat2xinwen's HTML item differs:"; diff "$tmp/want" "$f"; }
	"$XINWEN" --check "$tmp/nb" > "$tmp/check" 2>&1 || fail "xinwen --check on newsboat2xinwen's: $(cat "$tmp/check")"
else
	echo "sqlite3 not installed: contrib/newsboat2xinwen not tested"
fi

[ "$failed" -eq 0 ] || { echo "FAIL: sfeed2xinwen.sh: $failed check(s) failed"; exit 1; }
echo "PASS: sfeed2xinwen.sh"
