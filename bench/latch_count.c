/* SPDX-License-Identifier: MIT */
/*
 * shm/latch.c itself, compiled with a counter on its retry path, so that
 * the snapshot benchmark can say how often a read was torn and retried.
 * The latch calls caa_cpu_relax() once after every torn attempt and nowhere
 * else; the counter is added there and only there, so the first, usually
 * only, attempt runs exactly the library's code.  This object defines
 * shmh_publish() and shmh_snapshot(), so the linker takes no latch.o from
 * libshm.a.  If latch.c stops calling caa_cpu_relax(), retries read 0: the
 * benchmark's torn-copy check still catches a broken latch.
 */
#include <urcu/arch.h>

#include "bench/latch_count.h"

unsigned long bench_latch_retries;

static inline void bench_relax(void)
{
	bench_latch_retries++;
	caa_cpu_relax();	/* still the library's: expanded here */
}

#undef caa_cpu_relax
#define caa_cpu_relax() bench_relax()

#include "shm/latch.c"
