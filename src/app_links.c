/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_links.c: links out of the reader and the collection taken again. O opens the
 * article's URL in the browser ($BROWSER, else xdg-open, else sensible-browser, run
 * without a shell, the URL sanitized); L lists the article's URL and the URLs in its
 * text (as mutt's urlview), Enter or N Enter opens one; R loads the collection again
 * from its files, keeping the place (app_reload.c takes the result). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "app_internal.h"
#include "body.h"
#include "loader.h"
#include "reload.h"
#include "urls.h"

/* Most URLs the view lists. */
#define URLS_MAX 500

typedef VEC(char *) url_list;

struct app_urls {
	url_list v; /* as found (shown sanitized by the renderer) */
	size_t sel, top;
};

void app_links_free(struct app *a)
{
	if (!a->urls)
		return;
	for (size_t i = 0; i < a->urls->v.n; i++)
		free(a->urls->v.v[i]);
	free(a->urls->v.v);
	free(a->urls);
	a->urls = NULL;
}

/* Add n bytes of url to the list unless it is there already or no URL. */
static void add_url(url_list *list, const char *s, size_t n)
{
	struct strbuf safe = {0};
	bool ok = url_sanitize(s, n, &safe);

	sb_free(&safe);
	if (!ok || list->n >= URLS_MAX)
		return;
	for (size_t i = 0; i < list->n; i++)
		if (strlen(list->v[i]) == n && memcmp(list->v[i], s, n) == 0)
			return;
	char *copy = xmalloc(n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	VEC_PUSH(list, copy);
}

/* The article's URL, then those in its text (title and body). */
static void collect(const struct article *art, url_list *list)
{
	url_spans spans = {0};
	struct strbuf url = {0};
	char *buf;
	struct str parts[2] = {art->title, article_body_peek(art, &buf)};

	if (art->url.n)
		add_url(list, art->url.p, art->url.n);
	for (size_t k = 0; k < 2; k++) {
		spans.n = 0;
		urls_find(parts[k].p, parts[k].n, &spans);
		for (size_t i = 0; i < spans.n; i++) {
			sb_clear(&url);
			url_of_text(parts[k].p + spans.v[i].start, spans.v[i].n, &url);
			add_url(list, url.s, url.n);
		}
	}
	free(spans.v);
	sb_free(&url);
	free(buf);
}

/* The command that opens a URL: $BROWSER's first command (split without a shell; %s
 * stands for the URL, else it goes last), else xdg-open, else sensible-browser; false
 * with a message when there is none. */
static bool browser_argv(struct app *a, const char *url, spawn_argv *argv)
{
	const char *env = getenv("BROWSER");
	char err[128];

	if (env && *env) {
		size_t n = strcspn(env, ":"); /* a list of browsers: the first */
		if (!spawn_split(env, n, argv, err, sizeof err)) {
			app_say(a, "$BROWSER: %s", err);
			spawn_argv_free(argv);
			return false;
		}
	} else {
		const char *name = spawn_in_path("xdg-open")	       ? "xdg-open"
				   : spawn_in_path("sensible-browser") ? "sensible-browser"
								       : NULL;
		if (!name) {
			app_say(a, "No browser: set $BROWSER, or install xdg-utils");
			return false;
		}
		VEC_PUSH(argv, xstrdup(name));
	}
	bool placed = false;
	for (size_t i = 1; i < argv->n; i++) {
		char *pct = strstr(argv->v[i], "%s");
		if (!pct)
			continue;
		struct strbuf w = {0};
		sb_append(&w, argv->v[i], (size_t)(pct - argv->v[i]));
		sb_puts(&w, url);
		sb_puts(&w, pct + 2);
		free(argv->v[i]);
		argv->v[i] = w.s;
		placed = true;
	}
	if (!placed)
		VEC_PUSH(argv, xstrdup(url));
	VEC_PUSH(argv, NULL); /* execvp's end, not a word */
	argv->n--;
	return true;
}

/* Ask the front end to open url (as found) in the browser. */
static void open_url(struct app *a, const char *url)
{
	struct strbuf safe = {0};

	if (!url_sanitize(url, strlen(url), &safe)) {
		app_say(a, "Not a web address: not opened");
		sb_free(&safe);
		return;
	}
	spawn_argv_free(&a->run.argv);
	sb_free(&a->run.input);
	a->run.kind = RUN_NONE;
	if (browser_argv(a, safe.s, &a->run.argv))
		a->run.kind = RUN_BROWSER;
	sb_free(&safe);
}

/* O: the article's URL, else the first in its text. */
static void open_article_url(struct app *a)
{
	url_list list = {0};

	collect(collection_article(a->c, a->list.sel), &list);
	if (list.n == 0)
		app_say(a, "This article has no URL");
	else
		open_url(a, list.v[0]);
	for (size_t i = 0; i < list.n; i++)
		free(list.v[i]);
	free(list.v);
}

/* L: the URL view. */
static void open_view(struct app *a)
{
	struct app_urls *u = xcalloc(1, sizeof *u);

	collect(collection_article(a->c, a->list.sel), &u->v);
	if (u->v.n == 0) {
		free(u);
		app_say(a, "This article has no URL");
		return;
	}
	app_links_free(a);
	a->urls = u;
	app_say(a,
		ngettext("%zu URL: Enter or N Enter opens one, q closes",
			 "%zu URLs: Enter or N Enter opens one, q closes", u->v.n),
		u->v.n);
}

/* R: load the collection again from its files (on the reload's thread). */
static void reload(struct app *a)
{
	if (!a->reload.source) {
		app_say(a, "Nothing to reload");
	} else if (a->reload.loading) {
		app_say(a, "Already reloading: the list is updated when done");
	} else {
		/* Started by app_idle, once the first load or check (if any) is over. */
		a->reload.wanted = true;
		app_say(a, "Reloading…");
	}
}

void app_links_apply(struct app *a, enum action act)
{
	switch (act) {
	case ACTION_BROWSER: open_article_url(a); break;
	case ACTION_URLS: open_view(a); break;
	case ACTION_RELOAD: reload(a); break;
	default: break;
	}
}

bool app_urls_apply(struct app *a, enum action act, int arg)
{
	struct app_urls *u = a->urls;
	size_t n = u->v.n;

	switch (act) {
	case ACTION_DOWN: u->sel = u->sel + 1 < n ? u->sel + 1 : u->sel; break;
	case ACTION_UP: u->sel = u->sel ? u->sel - 1 : 0; break;
	case ACTION_TOP: u->sel = 0; break;
	case ACTION_BOTTOM: u->sel = n - 1; break;
	case ACTION_OPEN:
	case ACTION_BROWSER: open_url(a, u->v.v[u->sel]); break;
	case ACTION_FOLLOW_N:
		if (arg >= 1 && (size_t)arg <= n) {
			u->sel = (size_t)arg - 1;
			open_url(a, u->v.v[u->sel]);
		} else {
			app_say(a, "No URL %d", arg);
		}
		break;
	case ACTION_QUIT:
	case ACTION_CLEAR:
	case ACTION_URLS: app_links_free(a); break;
	case ACTION_QUIT_NOW:
	case ACTION_HELP:
	case ACTION_REDRAW: return false;
	default: break; /* the rest do nothing while the view is open */
	}
	return true;
}

size_t app_urls_count(const struct app *a)
{
	return a->urls ? a->urls->v.n : 0;
}

const char *app_urls_get(const struct app *a, size_t i, size_t *sel)
{
	*sel = a->urls->sel;
	return a->urls->v.v[i];
}
