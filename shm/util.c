/* SPDX-License-Identifier: MIT */
/*
 * Small helpers both programs share (shm/util.h): durations, yes/no
 * values and the clocks the segment records.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "shm/util.h"

/* Multiplier in milliseconds for a suffix, or 0 if it is not one. */
static uint64_t shmh_unit_ms(const char *suffix)
{
	static const struct { const char *name; uint64_t ms; } units[] = {
		{ "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 },
		{ "h", 3600000 }, { "d", 86400000 },
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(suffix, units[i].name) == 0)
			return units[i].ms;
	return 0;
}

int shmh_parse_duration(const char *s, uint64_t *ms)
{
	/* Ten years is far past any sensible interval and keeps ns in int64. */
	const uint64_t limit = 10ull * 365 * 86400000;
	uint64_t n = 0, unit;
	const char *p = s;

	if (s == NULL || *p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (uint64_t)(*p - '0');
		if (n > limit)
			return -1;
	}
	unit = shmh_unit_ms(p);
	if (unit == 0 || n > limit / unit)
		return -1;
	*ms = n * unit;
	return 0;
}

int shmh_parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcasecmp(s, yes[i]) == 0)
			return *out = 1, 0;
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcasecmp(s, no[i]) == 0)
			return *out = 0, 0;
	return -1;
}

/*
 * The clocks by system call, not through the vDSO: a health check reads
 * the clock once and exits, and musl finds the vDSO by parsing its ELF
 * image on the first call, which costs more than the call (pages touched,
 * bench/results.md).  The publisher reads it once per event.
 */
static void shmh_clock(clockid_t id, struct timespec *ts)
{
	if (syscall(SYS_clock_gettime, id, ts) != 0)
		clock_gettime(id, ts);
}

int64_t shmh_now_mono_ns(void)
{
	struct timespec ts;

	shmh_clock(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t shmh_now_wall(void)
{
	struct timespec ts;

	shmh_clock(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}
