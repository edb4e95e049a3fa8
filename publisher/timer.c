/* SPDX-License-Identifier: MIT */
/* Timers for the event loop's poll(2), and durations for the log. */
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "publisher/timer.h"

char *pub_fmt_ms(uint64_t ms, char *buf)
{
	static const struct { uint64_t ms; const char *unit; } u[] = {
		{ 86400000, "d" }, { 3600000, "h" }, { 60000, "m" },
		{ 1000, "s" },
	};
	size_t i;

	for (i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		if (ms >= u[i].ms && ms % u[i].ms == 0)
			break;
	if (i == sizeof(u) / sizeof(u[0]))
		sprintf(buf, "%llums", (unsigned long long)ms);
	else
		sprintf(buf, "%llu%s", (unsigned long long)(ms / u[i].ms),
			u[i].unit);
	return buf;
}

int pub_timer_new(void)
{
	return timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
}

int pub_timer_arm(int fd, uint64_t ms, int periodic)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)(ms / 1000);
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000;
	if (periodic)
		its.it_interval = its.it_value;
	return timerfd_settime(fd, 0, &its, NULL);
}

int pub_timer_fired(int fd)
{
	uint64_t n;

	return read(fd, &n, sizeof(n)) == (ssize_t)sizeof(n);
}
