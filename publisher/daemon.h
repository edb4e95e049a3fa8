/* SPDX-License-Identifier: MIT */
/* --daemon: detach, and let the caller return only once the segment is live. */
#ifndef SHMHEALTH_DAEMON_H
#define SHMHEALTH_DAEMON_H

/*
 * Forks twice.  Returns 0 in the detached publisher with *ready_fd set; the
 * original process never returns: it exits 0 once pub_daemon_ready() is
 * called, or 1 if the publisher exits first.  Returns -1 on fork failure.
 */
int pub_daemonize(int *ready_fd);

/* Tells the waiting original process that the segment is live. */
void pub_daemon_ready(int *ready_fd);

#endif
