#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Similar stories in a real terminal: a collection without related-stories sections,
# where the pane lists the computed similar stories (a reprint first, with its score and
# date, the unrelated story not at all) and the digit keys follow them; then the index's
# cache, damaged, is reported on the status line and the stories still come.
set -u
. "$TOP_SRCDIR/tests/screen-lib.sh"

export XDG_CACHE_HOME=$SCREEN_DIR/cache
col=$SCREEN_DIR/col
mkdir "$col"
story='颱風登陸沿海城市,居民連夜撤離。氣象部門發布紅色預警,學校停課,航班取消。'
printf '颱風登陸沿海城市 居民撤離\n\n2021-07-04 A\n\n%s\n' "$story" > "$col/a.txt"
printf '沿海城市迎颱風 居民連夜撤離\n\n2021-07-03 B\n\n%s\n' "$story" > "$col/b.txt"
printf '颱風過後城市重建\n\n2021-07-02 C\n\n颱風過後,沿海城市開始重建,學校復課,航班恢復。\n' > "$col/c.txt"
printf '股市收盤指數上漲\n\n2021-07-01 D\n\n科技股領漲,成交量放大,投資人信心回升。\n' > "$col/d.txt"

screen_start 120 30 "$col"
screen_wait_for '│ 颱風登陸沿海城市 居民撤離' "the newest article in the pane"
screen_wait_for '│ Similar stories$' "the similar stories, once computed"
screen_wait_for '│   \[1\] 沿海城市迎颱風 居民連夜撤離 · 0\.[0-9][0-9] · 2021-07-03$' \
	"the reprint first, with its score and date"
screen_wait_for '│   \[2\] 颱風過後城市重建 · 0\.[0-9][0-9] · 2021-07-02$' "the other typhoon story second"
screen_wait_gone '│   \[[0-9]\] 股市收盤' "no similar story about the stock market"

# 2 follows the second similar story; h comes back.
screen_keys 2 Enter
screen_wait_for '│ 颱風過後城市重建$' "the second similar story opened by its number"
screen_keys h
screen_wait_for '│ 颱風登陸沿海城市 居民撤離' "back to the first article"

screen_keys q q
screen_wait_exit 0

cache=$(ls "$XDG_CACHE_HOME"/xinwen/similar-*.idx 2> /dev/null)
[ -s "$cache" ] || screen_failed "the reader wrote no cache under \$XDG_CACHE_HOME/xinwen"
printf 'not an index' > "$cache"
screen_kill
screen_start 120 30 "$col"
screen_wait_for 'corrupt similar-stories cache (truncated header); rebuilding it' \
	"the damaged cache reported on the status line"
screen_wait_for '│   \[1\] 沿海城市迎颱風 居民連夜撤離 · 0\.[0-9][0-9] · 2021-07-03$' \
	"the similar stories, rebuilt"
screen_keys q
screen_wait_exit 0
echo "PASS: screen_similar"
