#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The corpus formats from the command line: --list and --check on each fixture of
# tests/data/formats, --format and --encoding (and their errors), a JSON Lines file
# larger than the loader's per-file cap (streamed), and the sanitizing of what they
# print.
set -u
: "${XINWEN:?}" "${TOP_SRCDIR:?}"
for tool in iconv head; do
	command -v "$tool" > /dev/null || { echo "SKIP: formats.sh: no $tool"; exit 77; }
done
for lib in jansson uchardet; do # JSON Lines; the SogouCS fixture's encoding
	"$XINWEN" --version | grep -q "^Features:.* +$lib" ||
		{ echo "SKIP: formats.sh: built without $lib"; exit 77; }
done
. "$TOP_SRCDIR/tests/check-lib.sh"

fx=formats # the fixtures, as seen from tests/data
cd "$TOP_SRCDIR/tests/data" || exit 1

# expect_status WANT CMD...: run CMD (stdout to $tmp/out, stderr to $tmp/err).
expect_status() {
	local want=$1
	shift
	"$@" > "$tmp/out" 2> "$tmp/err"
	local got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want: $(head -c 300 "$tmp/err")"
}

# same FILE WHAT: $tmp/out is exactly FILE.
same() {
	cmp -s "$tmp/out" "$1" || { fail "$2 differs:"; diff "$1" "$tmp/out" | head -20; }
}

# --- --list: every format detected in one tree ----------------------------------
expect_status 0 "$XINWEN" --list "$fx/thucnews" "$fx/jsonl" "$fx/sogou"
cat > "$tmp/want" <<'END'
6101___30832	2016-03-21	full	上证指数收涨1.2%
0000-1		full	春运今日开始
101		full	马晓旭意外受伤让国奥警惕 无奈大雨格外青睐殷家军
102		full	商瑞华首战复仇心切 中国玫瑰要用美国方式攻克瑞典
201		full	央行：下调存款准备金率0.5个百分点
610130831		full	云南今年将整治导游“拿回扣”
f2467af22cd2f0ea-34913306c0bb3300		full	中国女排夺冠 𠀀€
news2016zh-5		full	无编号的新闻^[[2J
END
same "$tmp/want" "--list of the THUCNews, JSON Lines and SogouCS fixtures"

# --- --check: the bad JSON line, the record without a title and the SogouCS file's
# encoding (detected: said, counted apart, no problem), nothing else ----
expect_status 1 "$XINWEN" --check "$fx/thucnews" "$fx/jsonl" "$fx/sogou"
[ -s "$tmp/out" ] && fail "--check wrote to standard output"
[ "$(grep -vc '^xinwen: .*: 4 problems; 1 file not in UTF-8, read in the encoding detected$' "$tmp/err")" -eq 5 ] || fail "--check gave $(wc -l < "$tmp/err") lines, expected 5 reports and the summary: $(cat "$tmp/err")"
grep -qx "$fx/sogou/news_sohusite_xml.dat:1: not UTF-8: read as GB18030, the encoding detected (--encoding gb18030 says so)" "$tmp/err" ||
	fail "--check does not say the SogouCS file's encoding"
grep -q "^$fx/jsonl/news2016zh.jsonl:3: bad JSON at column [0-9]*: .*: skipped\$" "$tmp/err" ||
	fail "--check does not report the bad JSON line 3"
grep -qx "$fx/jsonl/news2016zh.jsonl:6: not a JSON object: skipped" "$tmp/err" ||
	fail "--check does not report the JSON array of line 6"
grep -qx "$fx/jsonl/news2016zh.jsonl:7: no title: skipped" "$tmp/err" ||
	fail "--check does not report the blank title of line 7"
grep -qx "$fx/sogou/news_sohusite_xml.dat:13: no title: skipped" "$tmp/err" ||
	fail "--check does not report the SogouCS record of line 13 without a title"
expect_status 0 "$XINWEN" --check "$fx/thucnews"
[ -s "$tmp/err" ] && fail "--check of the THUCNews tree reported: $(cat "$tmp/err")"

# --- --dump: the fields reach the pane, escapes sanitized ------------------------
expect_status 0 "$XINWEN" --dump 610130831 --width 40 "$fx/jsonl"
cat > "$tmp/want" <<'END'
云南今年将整治导游“拿回扣”
03-22 12:00 · 新华网

昆明3月22日电 云南省今年将整治旅游市场。

记者从云南省旅游发展委员会获悉。
END
same "$tmp/want" "--dump of a JSON Lines article"
expect_status 0 "$XINWEN" --dump news2016zh-5 --width 40 "$fx/jsonl"
LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$tmp/out" && fail "--dump printed a raw control"
grep -q '无编号的新闻^\[\[2J' "$tmp/out" || fail "--dump does not show the ESC of the title as ^["
expect_status 0 "$XINWEN" --dump 0000-1 --width 40 "$fx/sogou"
# The whole URL under the source (its host), wrapped at 40 columns.
printf '春运今日开始\nnews.sohu.com\nURL: http://news.sohu.com/20080102/n1.\nshtml\n\n铁路部门今日起实行春运。\n' > "$tmp/want"
same "$tmp/want" "--dump of a SogouCS article decoded from GB18030"

# --- A title is one line, from every format: a TAB or a line break in a title or
# a source is one space in --list, --list --json and --dump; a control is caret text
mkdir -p "$tmp/oneline/thu/体育"
title='A\tb\033x\342\200\250c' # TAB, ESC, U+2028
printf "$title"'\n\n2020-11-21 s\tt\n\nbody\n' > "$tmp/oneline/n1.txt"
printf '{"news_id":"j1","title":"A\\tb\\u001bx\\u2028c","source":"s\\tt","time":"2016-01-01 10:00","content":"body"}\n' \
	> "$tmp/oneline/j.jsonl"
printf "$title"'\nbody\n' > "$tmp/oneline/thu/体育/7.txt"
printf '<doc>\n<url>http://s.example/1</url>\n<docno>d1</docno>\n<contenttitle>'"$title"'</contenttitle>\n<content>body</content>\n</doc>\n' \
	> "$tmp/oneline/s.dat"
for f in n1.txt j.jsonl thu s.dat; do
	expect_status 0 "$XINWEN" --no-cache --list "$tmp/oneline/$f"
	cut -f 4 "$tmp/out" > "$tmp/title"
	printf 'A b^[x c\n' | cmp -s - "$tmp/title" || fail "--list of $f: the title is $(cat -A "$tmp/title")"
	id=$(cut -f 1 "$tmp/out")
	expect_status 0 "$XINWEN" --no-cache --list --json "$tmp/oneline/$f"
	grep -qF '"title":"A b^[x c"' "$tmp/out" || fail "--json of $f: $(cat "$tmp/out")"
	grep -qF '\t' "$tmp/out" && fail "--json of $f keeps a TAB: $(cat "$tmp/out")"
	expect_status 0 "$XINWEN" --no-cache --dump "$id" --width 60 "$tmp/oneline/$f"
	head -n 1 "$tmp/out" | grep -qx 'A b^\[x c' || fail "--dump of $f: $(head -n 2 "$tmp/out" | cat -A)"
done
expect_status 0 "$XINWEN" --no-cache --list --json "$tmp/oneline/n1.txt" "$tmp/oneline/j.jsonl"
[ "$(grep -cF '"source":"s t"' "$tmp/out")" -eq 2 ] || fail "--json: a TAB in a source: $(cat "$tmp/out")"
expect_status 0 "$XINWEN" --no-cache --dump n1 --width 60 "$tmp/oneline/n1.txt"
sed -n 2p "$tmp/out" | grep -qx '2020-11-21 · s t' || fail "--dump: a TAB in a source: $(sed -n 2p "$tmp/out" | cat -A)"

# --- --encoding and --format -----------------------------------------------------
expect_status 0 "$XINWEN" --list --encoding big5 "$fx/big5"
printf 'big5-1\t\tfull\t台灣新聞報導\n' > "$tmp/want"
same "$tmp/want" "--list --encoding big5"
expect_status 2 "$XINWEN" --list --encoding no-such-charset "$fx/big5"
grep -q "unknown encoding 'no-such-charset'" "$tmp/err" || fail "an unknown encoding is not named: $(cat "$tmp/err")"
expect_status 2 "$XINWEN" --list --format xml "$fx/big5"
grep -q "^xinwen: --format takes auto, native, thucnews, jsonl or sogou, not 'xml'" "$tmp/err" ||
	fail "a bad --format is not explained: $(cat "$tmp/err")"
# A THUCNews file given alone is native; --format thucnews makes its directory the source.
expect_status 0 "$XINWEN" --dump 102 --width 80 --format thucnews "$fx/thucnews/体育/102.txt"
sed -n 2p "$tmp/out" | grep -qx '体育' || fail "--format thucnews: the source is not the directory: $(sed -n 2p "$tmp/out")"
# A category opened from inside it (xinwen .) is named by its folder's name, not "."; a
# numbered file of a title alone is THUCNews's too (not a native article with no date)
mkdir -p "$tmp/thuc/体育"
cp "$fx/thucnews/体育/101.txt" "$tmp/thuc/体育/"
printf '只有标题\n' > "$tmp/thuc/体育/9.txt"
(cd "$tmp/thuc/体育" && "$XINWEN" --check . > "$tmp/out" 2> "$tmp/err" &&
	"$XINWEN" --dump 9 --width 80 . > "$tmp/out" 2>> "$tmp/err") ||
	fail "xinwen . inside a category: $(cat "$tmp/err")"
[ -s "$tmp/err" ] && fail "--check . of a category reported: $(cat "$tmp/err")"
sed -n 2p "$tmp/out" | grep -qx '体育' || fail "xinwen . inside a category: the source is $(sed -n 2p "$tmp/out")"
(cd "$tmp/thuc/体育" && "$XINWEN" --dump 101 --width 80 ../体育/.) > "$tmp/out" 2> "$tmp/err"
sed -n 2p "$tmp/out" | grep -qx '体育' || fail "../体育/.: the source is $(sed -n 2p "$tmp/out")"
# JSON Lines in GB18030 (read as UTF-8 unless told): the message says what --encoding
# reads them; with it, no such message and the title read; damaged UTF-8 is no GB18030
printf '%s\n' '{"news_id":"g1","title":"国标码的标题","content":"正文一段。"}' |
	iconv -f UTF-8 -t GB18030 > "$tmp/gb.jsonl"
expect_status 1 "$XINWEN" --check "$tmp/gb.jsonl"
grep -q "gb.jsonl:0: not UTF-8 but GB18030, it seems: JSON Lines are read as UTF-8 unless --encoding gb18030 is given" "$tmp/err" ||
	fail "no --encoding hint for GB18030 JSON Lines: $(cat "$tmp/err")"
expect_status 0 "$XINWEN" --list --encoding gb18030 "$tmp/gb.jsonl"
grep -q '国标码的标题' "$tmp/out" || fail "--encoding gb18030 did not read the JSON Lines: $(cat "$tmp/out")"
grep -q 'it seems' "$tmp/err" && fail "the hint is given with --encoding: $(cat "$tmp/err")"
printf '{"news_id":"u1","title":"中文标题 \377 坏了","content":"正文，正常的中文内容。"}\n' > "$tmp/damaged.jsonl"
expect_status 1 "$XINWEN" --check "$tmp/damaged.jsonl"
grep -q 'it seems' "$tmp/err" && fail "damaged UTF-8 taken for GB18030: $(cat "$tmp/err")"
# A native GBK file, converted with iconv here, read with --encoding gbk.
printf '新闻标题\n\n2021-06-01 新华社\n\n正文第一段。\n' | iconv -f UTF-8 -t GBK > "$tmp/gbk.txt"
expect_status 0 "$XINWEN" --list --encoding gbk "$tmp/gbk.txt"
printf 'gbk\t2021-06-01\tfull\t新闻标题\n' > "$tmp/want"
same "$tmp/want" "--list --encoding gbk of a native file"
# The same SogouCS file with a bad byte and a UTF-8 line: both reported, by line.
{
	printf '<doc>\n<docno>m1</docno>\n<contenttitle>'
	printf '混合编码' | iconv -f UTF-8 -t GB18030
	printf '</contenttitle>\n<content>UTF-8 的一行\n'
	printf '坏字节' | iconv -f UTF-8 -t GB18030
	printf '\377</content>\n</doc>\n'
} > "$tmp/mixed.xml"
expect_status 1 "$XINWEN" --check "$tmp/mixed.xml"
grep -q "mixed.xml:5: not valid GB18030: 1 undecodable byte shown as U+FFFD" "$tmp/err" ||
	fail "the undecodable byte of line 5 is not reported: $(cat "$tmp/err")"
grep -q "mixed.xml:4: mixed encodings: line 4 is UTF-8, line 3 is not" "$tmp/err" ||
	fail "the mixed encodings are not reported: $(cat "$tmp/err")"
expect_status 0 "$XINWEN" --dump m1 --width 80 "$tmp/mixed.xml"
grep -qx '混合编码' "$tmp/out" || fail "the GB18030 title of a mixed file is not decoded"
grep -qx 'UTF-8 的一行' "$tmp/out" || fail "the UTF-8 line of a mixed file is not kept"
grep -qx '坏字节�' "$tmp/out" || fail "the bad byte is not U+FFFD"

# --- Detection leaves native files alone: the hostile corpus's lookalikes -------
expect_status 0 "$XINWEN" --list ../hostile/json-object-title.txt ../hostile/doc-tags-in-body.txt
printf '%s\t2021-03-04\tfull\t%s\n' doc-tags-in-body 'Body mentions a <doc> record' \
	json-object-title '{"title": "Not JSON Lines: a .txt file is never read as JSON"}' > "$tmp/want"
same "$tmp/want" "--list of native files that look like JSON Lines or SogouCS"
# ...and JSON Lines saved as .txt are records, named or met in a walk
mkdir "$tmp/astxt"
printf '%s\n' '{"news_id":"t1","title":"第一条","content":"正文"}' \
	'{"news_id":"t2","title":"第二条","time":"2016-03-22 12:00"}' > "$tmp/astxt/news2016zh.txt"
expect_status 0 "$XINWEN" --list "$tmp/astxt/news2016zh.txt"
printf '%s\t%s\tfull\t%s\n' t2 2016-03-22 第二条 t1 '' 第一条 > "$tmp/want"
same "$tmp/want" "--list of JSON Lines saved as .txt"
expect_status 0 "$XINWEN" --list "$tmp/astxt"
same "$tmp/want" "--list of a directory holding JSON Lines saved as .txt"

# --- JSON Lines past the loader's 16 MiB per-file cap: streamed -----------------
pad=$(head -c 4000 /dev/zero | tr '\0' 'x')
awk -v pad="$pad" 'BEGIN { for (i = 1; i <= 4400; i++)
	printf "{\"news_id\":\"n%d\",\"title\":\"第%d条\",\"content\":\"%s\"}\n", i, i, pad }' \
	> "$tmp/big.jsonl"
[ "$(wc -c < "$tmp/big.jsonl")" -gt $((16 * 1024 * 1024)) ] || fail "big.jsonl is not over 16 MiB"
expect_status 0 "$XINWEN" --list "$tmp/big.jsonl"
[ "$(wc -l < "$tmp/out")" -eq 4400 ] || fail "a 17 MB JSON Lines file gave $(wc -l < "$tmp/out") articles, not 4400"
grep -qx $'n4400\t\tfull\t第4400条' "$tmp/out" || fail "the last line of the big JSON Lines file is missing"

check_failed formats.sh && exit 1
echo "PASS: formats.sh"
