/* SPDX-License-Identifier: GPL-3.0-or-later */
/* body.h: an article's text, wherever it is: in memory, or read back from its file by
 * its format when the collection was loaded lean (the text left in the files). */
#ifndef XINWEN_BODY_H
#define XINWEN_BODY_H

#include "collection.h"

/* The body of article i of c: the text kept in memory, or read from its file now into
 * a new buffer *buf (NUL-terminated, for the caller to free; else *buf is NULL). Nothing
 * is kept: safe on any thread while c does not change. When the file can no longer be
 * read, a message saying so (in *buf) stands for the body. */
struct str article_body_read(const struct collection *c, size_t i, char **buf);

/* article_body_read of article a itself (of any collection). */
struct str article_body_peek(const struct article *a, char **buf);

#endif
