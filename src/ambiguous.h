/* ambiguous.h: East Asian Ambiguous characters, which CJK terminals may draw two columns
 * wide while wcwidth() counts one (LAYOUT.md §1). */
#ifndef XINWEN_AMBIGUOUS_H
#define XINWEN_AMBIGUOUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether cp is East Asian Ambiguous and one column wide for wcwidth(). */
bool ambiguous_is_wide(uint32_t cp);

/* How many code points of the UTF-8 text s[0..n) are ambiguous_is_wide. */
int ambiguous_count(const char *s, size_t n);

#endif
