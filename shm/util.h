/* SPDX-License-Identifier: MIT */
/*
 * Helpers both programs share: the duration and yes/no syntax of their
 * options and environment, and the clocks as the segment records them.
 */
#ifndef SHMHEALTH_SHM_UTIL_H
#define SHMHEALTH_SHM_UTIL_H

#include <stdint.h>

/*
 * Parses a duration: a non-negative decimal number with an optional suffix
 * ms, s, m, h or d (a bare number is seconds).  Stores milliseconds.
 * Returns 0, or -1 for anything else (empty, sign, junk, overflow).
 */
int shmh_parse_duration(const char *s, uint64_t *ms);

/*
 * Parses a yes/no value as both programs take it from the environment:
 * 1, true, yes, on / 0, false, no, off, in any case.  Returns 0 or -1.
 */
int shmh_parse_bool(const char *s, int *out);

/* Monotonic and wall clocks as the segment records them. */
int64_t shmh_now_mono_ns(void);
int64_t shmh_now_wall(void);

#endif
