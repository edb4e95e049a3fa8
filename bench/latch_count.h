/* SPDX-License-Identifier: MIT */
/*
 * The latch (shm/latch.c) as compiled into the snapshot benchmark: the same
 * source, with a counter on its retry path.
 */
#ifndef SHMHEALTH_BENCH_LATCH_COUNT_H
#define SHMHEALTH_BENCH_LATCH_COUNT_H

/* Torn attempts shmh_snapshot() has retried in this process. */
extern unsigned long bench_latch_retries;

#endif
