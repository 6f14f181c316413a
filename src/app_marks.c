/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_marks.c: the reader's read marks and bookmarks: opening marks read, u, * and ',
 * the flags the renderer draws, and the state's load and save. */
#include <config.h>

#include "app_marks.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_internal.h"
#include "fileio.h"
#include "cli.h"
#include "marks.h"
#include "i18n.h"

/* After a save found the lock held by another reader, the next try waits this long,
 * doubling up to the most (nanoseconds). */
#define RETRY_FIRST_NS 500000000L
#define RETRY_MOST_NS 16000000000L

#define FLAG_READ 1u
#define FLAG_BOOKMARK 2u
/* An excerpt (never counted unread): kept with the marks so that counting reads the
 * flags in order, not each article at its place. */
#define FLAG_EXCERPT 4u

/* The marks as the app sees them: the state, and by list position each article's
 * identity and flags, kept in step with the state after every change, load and save. */
struct app_marks {
	struct marks state;
	struct content_id *ids;
	unsigned char *flags;
	size_t unread;
	const struct article *opened; /* the article last opened in the pane, or NULL */
	struct timespec retry_at;     /* no save tried before then (the lock was held) */
	long retry_ns;		      /* the pause after the next failure; 0: none failed */
};

/* Bring the flags and the unread count up to date with the marks. */
static void update_flags(struct app *a)
{
	struct app_marks *m = a->marks;
	size_t n = app_narticles(a);

	m->unread = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned f = m->flags[i] & FLAG_EXCERPT;
		if (marks_get(&m->state, &m->ids[i], MARK_READ))
			f |= FLAG_READ;
		else if (!f) /* excerpts are not read */
			m->unread++;
		if (marks_get(&m->state, &m->ids[i], MARK_BOOKMARK))
			f |= FLAG_BOOKMARK;
		m->flags[i] = (unsigned char)f;
	}
}

void app_marks_init(struct app *a)
{
	size_t n = app_narticles(a);
	struct app_marks *m = xcalloc(1, sizeof *m);

	marks_init(&m->state, NULL);
	m->ids = xcalloc(n + 1, sizeof *m->ids);
	m->flags = xcalloc(n + 1, 1);
	for (size_t i = 0; i < n; i++) {
		struct article tmp;
		const struct article *x = collection_peek(a->c, i, &tmp);
		article_identity(x, &m->ids[i]);
		if (x->kind != ARTICLE_FULL)
			m->flags[i] = FLAG_EXCERPT;
	}
	a->marks = m;
	update_flags(a);
}

void app_marks_free(struct app *a)
{
	struct app_marks *m = a->marks;
	if (!m)
		return;
	marks_free(&m->state);
	free(m->ids);
	free(m->flags);
	free(m);
	a->marks = NULL;
}

bool app_is_read(const struct app *a, size_t i)
{
	return i < app_narticles(a) && (a->marks->flags[i] & FLAG_READ);
}

bool app_is_bookmarked(const struct app *a, size_t i)
{
	return i < app_narticles(a) && (a->marks->flags[i] & FLAG_BOOKMARK);
}

bool app_is_unread(const struct app *a, size_t i)
{
	return i < app_narticles(a) && !(a->marks->flags[i] & (FLAG_READ | FLAG_EXCERPT));
}

size_t app_unread_count(const struct app *a)
{
	return a->marks->unread;
}

/* Show the state's problems: the first on the status line, all of them on err. */
static void report(struct app *a, const char *what, FILE *err)
{
	const struct marks *s = &a->marks->state;

	if (!s->problems.n)
		return;
	if (s->problems.n == 1)
		app_say(a, "%s: %s", what, s->problems.v[0]);
	else
		app_say(a, "%s: %s (and %zu more)", what, s->problems.v[0], s->problems.n - 1);
	for (size_t i = 0; err && i < s->problems.n; i++)
		fprintf(err, _("xinwen: %s: %s\n"), what, s->problems.v[i]);
}

bool app_marks_open(struct app *a, const char *dir, FILE *err)
{
	struct app_marks *m = a->marks;
	struct marks fresh;

	/* Marks made before (in memory) are merged into what the file holds. */
	marks_init(&fresh, dir);
	marks_merge(&fresh, &m->state);
	fresh.dirty = m->state.dirty;
	marks_free(&m->state);
	m->state = fresh;
	bool ok = marks_load(&m->state);
	report(a, _("Marks"), err);
	update_flags(a);
	return ok;
}

bool app_marks_open_default(struct app *a, FILE *err)
{
	struct strbuf dir = {0}, why = {0};
	bool ok;

	if (marks_default_dir(&dir) && !fileio_private_dir(dir.s, &why)) {
		/* As ssh does: a directory others could write to is not trusted. */
		app_marks_open(a, NULL, NULL);
		app_say(a, "Marks are kept in memory only: %s", why.s);
		if (err) {
			fputs(_("xinwen: marks are kept in memory only: "), err);
			text_put_safe(err, why.s, why.n);
			fputc('\n', err);
		}
		ok = false;
	} else if (dir.s) {
		ok = app_marks_open(a, dir.s, err);
	} else {
		app_say(a, "Marks are not saved: neither XDG_STATE_HOME nor HOME is set");
		ok = false;
	}
	sb_free(&dir);
	sb_free(&why);
	return ok;
}

/* Whether the pause after a failed save is still running. */
static bool waiting_to_retry(const struct app_marks *m)
{
	struct timespec now;

	if (!m->retry_ns)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec < m->retry_at.tv_sec ||
	       (now.tv_sec == m->retry_at.tv_sec && now.tv_nsec < m->retry_at.tv_nsec);
}

/* After a save failed for the lock: no try again before a pause that doubles. */
static void back_off(struct app_marks *m)
{
	long ns = m->retry_ns ? m->retry_ns : RETRY_FIRST_NS;

	clock_gettime(CLOCK_MONOTONIC, &m->retry_at);
	m->retry_at.tv_sec += ns / 1000000000L;
	m->retry_at.tv_nsec += ns % 1000000000L;
	if (m->retry_at.tv_nsec >= 1000000000L) {
		m->retry_at.tv_sec++;
		m->retry_at.tv_nsec -= 1000000000L;
	}
	m->retry_ns = ns * 2 < RETRY_MOST_NS ? ns * 2 : RETRY_MOST_NS;
}

bool app_marks_save(struct app *a, FILE *err)
{
	struct app_marks *m = a->marks;

	if (!m->state.dirty || !m->state.dir) /* in memory only: nothing to save or merge */
		return true;
	/* While it draws, the reader never waits for another reader's lock: it tries
	 * again later (the marks stay in memory); at exit (err) it waits a while. */
	if (!err && waiting_to_retry(m))
		return true; /* nothing tried: the last failure is still on the status line */
	m->state.lock_wait_ms = err ? MARKS_LOCK_WAIT_MS : 0;
	bool ok = marks_save(&m->state);
	if (!ok && m->state.locked_out) {
		back_off(m);
		app_say(a, "Marks not saved: another reader holds the lock; trying again later");
		for (size_t i = 0; err && i < m->state.problems.n; i++)
			fprintf(err, _("xinwen: marks not saved: %s\n"), m->state.problems.v[i]);
	} else {
		m->retry_ns = 0;
		report(a, ok ? "Marks" : "Marks not saved", err);
	}
	/* Another reader's marks may have been merged in. */
	update_flags(a);
	return ok;
}

void app_marks_detach(struct app *a, struct marks *out)
{
	struct app_marks *m = a->marks;

	*out = m->state;
	marks_init(&m->state, NULL);
}

void app_marks_attach(struct app *a, struct marks *in)
{
	struct app_marks *m = a->marks;

	marks_free(&m->state);
	m->state = *in;
	memset(in, 0, sizeof *in);
	update_flags(a);
}

static void set_mark(struct app *a, size_t i, enum mark_type mark, bool on)
{
	struct app_marks *m = a->marks;
	struct content_id id = m->ids[i];
	unsigned bit = mark == MARK_READ ? FLAG_READ : FLAG_BOOKMARK;

	marks_set(&m->state, &id, mark, on);
	on = marks_get(&m->state, &id, mark);
	/* Identical copies share the identity: the flag of every article with it changes
	 * (a scan of the identities, not a look-up of every article's marks). */
	for (size_t k = 0; k < app_narticles(a); k++) {
		if (m->ids[k].hi != id.hi || m->ids[k].lo != id.lo || !(m->flags[k] & bit) == !on)
			continue;
		m->flags[k] ^= (unsigned char)bit;
		if (mark != MARK_READ || (m->flags[k] & FLAG_EXCERPT))
			continue;
		if (on)
			m->unread--;
		else
			m->unread++;
	}
}

void app_marks_read(struct app *a, const size_t *pos, size_t n)
{
	struct app_marks *m = a->marks;

	for (size_t i = 0; i < n; i++)
		if (pos[i] < app_narticles(a))
			marks_set(&m->state, &m->ids[pos[i]], MARK_READ, true);
	update_flags(a); /* the flags of identical copies too, in one pass */
}

void app_marks_opened(struct app *a)
{
	struct app_marks *m = a->marks;
	const struct article *cur = app_narticles(a) ? collection_article(a->c, a->list.sel) : NULL;

	if (a->focus != FOCUS_PANE || !cur) {
		m->opened = NULL;
		return;
	}
	if (cur == m->opened)
		return; /* still the same visit: u may have made it unread */
	m->opened = cur;
	if (!app_is_read(a, a->list.sel))
		set_mark(a, a->list.sel, MARK_READ, true);
}

/* The bookmarked list positions, in list order. */
static void bookmarks_view(struct app *a)
{
	a->list.view.n = 0;
	for (size_t i = 0; i < app_narticles(a); i++)
		if (app_is_bookmarked(a, i))
			VEC_PUSH(&a->list.view, i);
}

/* Whether list position i has a row of the list (not only the row it would have). */
static bool shown(const struct app *a, size_t i)
{
	size_t row = app_list_row_of(a, i);
	return row < app_list_count(a) && !app_list_is_header(a, row) &&
	       app_list_article(a, row) == i;
}

/* The article at row (or the last when past the end), past a header: the list shows
 * some. */
static size_t nearest_shown(const struct app *a, size_t row)
{
	size_t n = app_list_count(a);
	return app_list_article(a, app_list_skip_header(a, row < n ? row : n - 1, 1));
}

/* After the bookmarks changed in the bookmarks view: keep the view in step; in the
 * list the selection moves to the nearest bookmark left. */
static void update_bookmarks_view(struct app *a)
{
	bookmarks_view(a);
	if (a->list.view.n == 0) {
		app_show_all(a);
		app_say(a, "No bookmarks left: showing all %zu articles", app_narticles(a));
		return;
	}
	app_order_rebuild(a); /* the rows of a sorted list too */
	if (a->focus == FOCUS_LIST && !shown(a, a->list.sel))
		app_select_article(a, nearest_shown(a, app_list_row_of(a, a->list.sel)));
	app_sync_list(a);
}

/* ': show only the bookmarks in the list, or all articles again. */
static void toggle_bookmarks_view(struct app *a)
{
	if (a->list.bookmarks_only) {
		app_show_all(a);
		app_say(a, "Showing all %zu articles", app_narticles(a));
		return;
	}
	bookmarks_view(a);
	if (a->list.view.n == 0) {
		app_show_all(a);
		app_say(a, "No bookmarks: * bookmarks the selected article");
		return;
	}
	a->list.filtered = true;
	a->list.bookmarks_only = true;
	a->focus = FOCUS_LIST;
	a->fullscreen = false;
	a->pane.link = -1;
	app_order_rebuild(a); /* the rows of a sorted list too */
	if (!shown(a, a->list.sel))
		app_select_article(a, nearest_shown(a, 0));
	app_sync_list(a);
	app_sync_pane(a);
	app_say(a,
		ngettext("%zu bookmark: ' or Esc shows all", "%zu bookmarks: ' or Esc shows all",
			 a->list.view.n),
		a->list.view.n);
}

void app_marks_apply(struct app *a, enum action act)
{
	size_t i = a->list.sel;

	switch (act) {
	case ACTION_TOGGLE_READ:
		set_mark(a, i, MARK_READ, !app_is_read(a, i));
		app_say(a, app_is_read(a, i) ? N_("Marked read") : N_("Marked unread"));
		break;
	case ACTION_TOGGLE_BOOKMARK:
		set_mark(a, i, MARK_BOOKMARK, !app_is_bookmarked(a, i));
		app_say(a, app_is_bookmarked(a, i) ? N_("Bookmarked: ' shows the bookmarks")
						   : N_("Bookmark removed"));
		if (a->list.bookmarks_only)
			update_bookmarks_view(a);
		break;
	case ACTION_BOOKMARKS: toggle_bookmarks_view(a); break;
	default: break;
	}
}
