/* SPDX-License-Identifier: MIT */
/* Timers on the monotonic clock, as the event loop polls them, and the
 * durations the log shows. */
#ifndef SHMHEALTH_TIMER_H
#define SHMHEALTH_TIMER_H

#include <stdint.h>

/* Formats a duration as given ("500ms", "10s", "1h"); buf holds 32. */
char *pub_fmt_ms(uint64_t ms, char *buf);

/* A new timerfd, non-blocking and closed on exec; -1 on error. */
int pub_timer_new(void);

/* Arms a timerfd to fire after ms, then every ms if periodic; 0 disarms. */
int pub_timer_arm(int fd, uint64_t ms, int periodic);

/* Reads a timerfd; returns 1 if it had fired. */
int pub_timer_fired(int fd);

#endif
