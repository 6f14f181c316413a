/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lineedit.c: the prompts' line editor (lineedit.h). The cursor moves by grapheme
 * clusters, so that a wide character or a character with its marks is one step. */
#include <config.h>

#include "lineedit.h"

#include <string.h>
#include <unigbrk.h>
#include <unistr.h>

#include "utf8.h"

void lineedit_reset(struct lineedit *e, const struct strbuf *text)
{
	e->cursor = text ? text->n : 0;
	e->browse = 0;
	sb_clear(&e->draft);
}

void lineedit_free(struct lineedit *e)
{
	sb_free(&e->draft);
	e->cursor = 0;
	e->browse = 0;
}

/* Keep the cursor inside the text (the caller may have cleared it). */
static void clamp(struct lineedit *e, const struct strbuf *text)
{
	if (e->cursor > text->n)
		e->cursor = text->n;
}

/* Replace bytes [from, to) of text with n bytes of s. */
static void splice(struct strbuf *text, size_t from, size_t to, const char *s, size_t n)
{
	size_t tail = text->n - to;

	if (n > to - from) {
		size_t grow = n - (to - from);
		sb_append(text, s, grow); /* room (the bytes are overwritten below) */
		memmove(text->s + to + grow, text->s + to, tail);
	} else if (to > from) { /* nothing to remove from an empty text, whose s may be NULL */
		memmove(text->s + from + n, text->s + to, tail);
		text->n -= (to - from) - n;
	}
	if (n)
		memcpy(text->s + from, s, n);
	if (text->s)
		text->s[text->n] = '\0';
}

bool lineedit_insert_bytes(struct lineedit *e, struct strbuf *text, const char *s, size_t n,
			   size_t max)
{
	clamp(e, text);
	if (n == 0 || text->n + n > max || utf8_valid_prefix((const unsigned char *)s, n) != n)
		return false;
	splice(text, e->cursor, e->cursor, s, n);
	e->cursor += n;
	e->browse = 0;
	return true;
}

bool lineedit_insert(struct lineedit *e, struct strbuf *text, uint32_t cp, size_t max)
{
	uint8_t buf[6];

	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp > 0x10ffff)
		return false;
	int len = u8_uctomb(buf, cp, sizeof buf);
	return len > 0 && lineedit_insert_bytes(e, text, (const char *)buf, (size_t)len, max);
}

/* The start of the grapheme cluster after, or before, byte at. */
static size_t next_cluster(const struct strbuf *text, size_t at)
{
	if (at >= text->n) /* also an empty text, whose s may be NULL */
		return text->n;
	const uint8_t *s = (const uint8_t *)text->s, *end = s + text->n;
	const uint8_t *p = u8_grapheme_next(s + at, end);
	return p ? (size_t)(p - s) : text->n;
}

static size_t prev_cluster(const struct strbuf *text, size_t at)
{
	const uint8_t *s = (const uint8_t *)text->s;
	if (at == 0)
		return 0;
	const uint8_t *p = u8_grapheme_prev(s + at, s);
	return p ? (size_t)(p - s) : 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Where Ctrl-W erases back to: over blanks, then over what is not blank. */
static size_t word_start(const struct strbuf *text, size_t at)
{
	while (at > 0 && is_blank(text->s[at - 1]))
		at--;
	while (at > 0 && !is_blank(text->s[at - 1]))
		at--;
	return at; /* blanks are ASCII: never inside a character */
}

/* Show history line browse (counted back from the newest; 0: the draft). */
static bool show_history(struct lineedit *e, struct strbuf *text, size_t browse,
			 struct lineedit_lines hist)
{
	if (browse > hist.n || browse == e->browse)
		return false;
	if (e->browse == 0) { /* leaving the line being typed: keep it */
		sb_clear(&e->draft);
		sb_append(&e->draft, text->s ? text->s : "", text->n);
	}
	const char *line = browse ? hist.v[hist.n - browse] : e->draft.s ? e->draft.s : "";
	size_t n = browse ? strlen(line) : e->draft.n;
	sb_clear(text);
	sb_append(text, line, n);
	e->browse = browse;
	e->cursor = text->n;
	return true;
}

bool lineedit_apply(struct lineedit *e, struct strbuf *text, enum edit_action op,
		    struct lineedit_lines hist)
{
	size_t to;

	clamp(e, text);
	switch (op) {
	case EDIT_LEFT: e->cursor = prev_cluster(text, e->cursor); return false;
	case EDIT_RIGHT: e->cursor = next_cluster(text, e->cursor); return false;
	case EDIT_HOME: e->cursor = 0; return false;
	case EDIT_END: e->cursor = text->n; return false;
	case EDIT_ERASE:
		to = e->cursor;
		e->cursor = prev_cluster(text, e->cursor);
		break;
	case EDIT_DELETE: to = next_cluster(text, e->cursor); break;
	case EDIT_ERASE_WORD:
		to = e->cursor;
		e->cursor = word_start(text, e->cursor);
		break;
	case EDIT_KILL:
		to = e->cursor;
		e->cursor = 0;
		break;
	case EDIT_KILL_END: to = text->n; break;
	case EDIT_HISTORY_PREV: return show_history(e, text, e->browse + 1, hist);
	case EDIT_HISTORY_NEXT: return e->browse > 0 && show_history(e, text, e->browse - 1, hist);
	default: return false;
	}
	if (to == e->cursor)
		return false;
	splice(text, e->cursor, to, "", 0);
	e->browse = 0;
	return true;
}
