/* SPDX-License-Identifier: MIT */
/*
 * The keeper: the process between the publisher and each command it runs
 * (spawn.c forks it), which kills all the command started before it ends.
 */
#ifndef SHMHEALTH_KEEPER_H
#define SHMHEALTH_KEEPER_H

#include <sys/types.h>

/*
 * Run in the keeper.  Prepare first (before the command is
 * forked): blocks SIGTERM and SIGCHLD, becomes a child subreaper, and is
 * sent SIGTERM when publisher dies.  Watch then waits for the command's
 * exit or SIGTERM, kills every descendant (found by ancestry in /proc,
 * whatever its group or session), reaps them, and exits with the
 * command's status (its exit code, or the signal that killed it).
 */
void pub_keeper_prepare(pid_t publisher);
void pub_keeper_watch(pid_t cmd) __attribute__((noreturn));

#endif
