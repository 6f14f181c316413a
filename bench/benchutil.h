/* benchutil.h: what the benchmark programs share: a clock and sorting times. */
#ifndef XINWEN_BENCHUTIL_H
#define XINWEN_BENCHUTIL_H

/* Seconds on the monotonic clock. */
double bench_now(void);

/* Milliseconds on the monotonic clock. */
double bench_now_ms(void);

/* qsort's comparison of doubles, ascending. */
int bench_cmp_double(const void *a, const void *b);

#endif
