/* SPDX-License-Identifier: MIT */
/*
 * The publisher's log: one line per event on stderr, prefixed
 * "shm-publisher[pid]: ", never blocking.  A pipe, FIFO or socket that
 * takes no more keeps lines in a buffer of PUB_LOG_BUFFER bytes, flushed
 * from the loop when it is writable; lines past it are dropped, and their
 * count logged once room returns.
 */
#ifndef SHMHEALTH_LOG_H
#define SHMHEALTH_LOG_H

#include <stddef.h>

#define PUB_LOG_BUFFER 65536

void pub_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Makes s[0..n) safe to show in place (controls and bad UTF-8 to '?');
 * returns its new length. */
size_t pub_log_clean(char *s, size_t n);

/* Looks at stderr again (done by the first pub_log); drops the buffer. */
void pub_log_init(void);

/* The descriptor to poll for POLLOUT while lines wait, else -1. */
int pub_log_pending_fd(void);

/* Writes what waits, as far as stderr takes it now. */
void pub_log_flush(void);

/* At exit: gives stderr up to ms to take what waits. */
void pub_log_drain(int ms);

#endif
