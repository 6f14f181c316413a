/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_map.h: the story map and the history list as the app shows them in the pane. */
#ifndef XINWEN_APP_MAP_H
#define XINWEN_APP_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "app.h"
#include "storymap.h"
#include "strbuf.h"

struct app_map {
	struct storymap m;
	bool history; /* the history list (H), else the story map (m) */
	size_t sel;   /* the selected row: always one that leads to an article */
	size_t top;   /* the first row on screen */
};

/* Keep the selected row within the h rows on screen. */
void app_map_sync(struct app *a, int h);

/* Append what the status line says about the open map to out. */
void app_map_status(const struct app *a, struct strbuf *out);

#endif
