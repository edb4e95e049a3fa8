/* SPDX-License-Identifier: MIT */
/*
 * Wrapper mode, shm-publisher [options] -- CMD ARGS...: CMD runs as our
 * child and gets the signals a container's PID 1 passes on; when it ends
 * the loop publishes "stopped" and exits with its status.
 */
#ifndef SHMHEALTH_WRAP_H
#define SHMHEALTH_WRAP_H

#include <signal.h>
#include <sys/types.h>

/*
 * Runs an update check now.  SIGHUP does too, except in wrapper mode, where
 * SIGHUP belongs to the service; SIGPWR is one no service in a container
 * uses (only an init system on a UPS hears it).
 */
#define PUB_RECHECK_SIGNAL SIGPWR

/* The signals we take through the signalfd: with wrapping, all we pass on. */
void pub_signal_set(sigset_t *set, int wrapping);

/* Starts CMD (argv).  Returns its pid, or -1 after logging why. */
pid_t pub_wrap_start(char *const *argv);

/* Passes sig on to CMD (pid; none when <= 0); returns 1 if it was CMD's
 * to have. */
int pub_wrap_signal(pid_t pid, int sig);

/* CMD, called name, ended with wait status ws: logs it, and returns the
 * exit status the publisher ends with. */
int pub_wrap_reaped(const char *name, int ws);

#endif
