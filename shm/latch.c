/* SPDX-License-Identifier: MIT */
/*
 * The two-copy seqlock latch (the Linux kernel's raw_write_seqcount_latch):
 * the writer publishes with shmh_publish(), readers copy with shmh_snapshot().
 * Barriers and atomics come from liburcu's header-only primitives.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <urcu/arch.h>
#include <urcu/system.h>
#include <urcu/uatomic.h>

#include "shm/private.h"

/*
 * Writer side.  The sequence is even while readers should use copy 0 and odd
 * while they should use copy 1; each copy is written only while readers are
 * steered to the other one.
 */
void shmh_publish(struct shmh_map *m, const struct shmh_status *st)
{
	struct shmh_segment *seg = m->seg;
	uint64_t seq = CMM_LOAD_SHARED(seg->hdr.seq);	/* only we store it */

	/*
	 * W1: the previous update's copy-1 stores happen before the sequence
	 * turns odd.  Pairs with the reader's R1: a reader that loads the odd
	 * sequence then finds copy 1 complete.
	 */
	cmm_smp_wmb();
	uatomic_set(&seg->hdr.seq, seq + 1);	/* odd: readers use copy 1 */
	/*
	 * W2: the odd sequence is visible before copy 0 changes.  Pairs with
	 * the reader's R2: a reader that saw any of copy 0's new bytes then
	 * reloads a sequence that moved, and retries.
	 */
	cmm_smp_wmb();
	memcpy(&seg->copy[0], st, sizeof(*st));
	/* W3: copy 0 is complete before the sequence turns even; pairs with R1. */
	cmm_smp_wmb();
	uatomic_set(&seg->hdr.seq, seq + 2);	/* even: readers use copy 0 */
	/* W4: the even sequence is visible before copy 1 changes; pairs with R2. */
	cmm_smp_wmb();
	memcpy(&seg->copy[1], st, sizeof(*st));
}

/*
 * Reader side.  A file truncated under the mapping raises SIGBUS on access;
 * every access to a reader's mapping runs armed, under a handler that jumps
 * back instead of crashing.  The handler is installed when a reader's map
 * opens and put back when the last one closes, so a snapshot costs no system
 * call (a by_read map's fallback mapping holds it for its one snapshot).
 * SA_NODEFER leaves SIGBUS unblocked in the handler, so the jump
 * needs no saved signal mask (sigsetjmp(..., 0): no sigprocmask either).
 * The handler and its state are the whole process's, so all of a
 * process's reader maps belong on one thread (shm.h).
 */
static sigjmp_buf shmh_bus_jmp;
static volatile sig_atomic_t shmh_bus_armed;
static struct sigaction shmh_bus_old;
static unsigned shmh_bus_users;

static void shmh_on_sigbus(int sig)
{
	if (shmh_bus_armed)
		siglongjmp(shmh_bus_jmp, 1);
	/* Not ours: what was there before gets it. */
	sigaction(SIGBUS, &shmh_bus_old, NULL);
	raise(sig);
}

int shmh_guard_install(void)
{
	struct sigaction sa;

	if (shmh_bus_users++ > 0)
		return SHMH_OK;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = shmh_on_sigbus;
	sa.sa_flags = SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &shmh_bus_old) != 0) {
		shmh_bus_users--;
		return SHMH_ESYS;
	}
	return SHMH_OK;
}

void shmh_guard_remove(void)
{
	if (shmh_bus_users > 0 && --shmh_bus_users == 0)
		sigaction(SIGBUS, &shmh_bus_old, NULL);
}

int shmh_read_header(const struct shmh_map *m, struct shmh_header *out)
{
	if (sigsetjmp(shmh_bus_jmp, 0) != 0) {
		shmh_bus_armed = 0;
		return SHMH_ETRUNC;
	}
	shmh_bus_armed = 1;
	/* The copy's loads stay between the two flag stores: plain loads may
	 * otherwise move across a volatile store. */
	cmm_barrier();
	memcpy(out, &m->seg->hdr, sizeof(*out));
	cmm_barrier();
	shmh_bus_armed = 0;
	return SHMH_OK;
}

/* One attempt: 1 if *out is a consistent copy, 0 if torn. */
static int shmh_try_copy(const struct shmh_segment *seg, struct shmh_status *out)
{
	uint64_t seq = uatomic_read(&seg->hdr.seq);

	/*
	 * R1: the sequence load happens before the copy.  Pairs with W1/W3:
	 * the copy the sequence points at was complete before it did.
	 */
	cmm_smp_rmb();
	memcpy(out, &seg->copy[seq & 1], sizeof(*out));
	/*
	 * R2: the copy happens before the reload.  Pairs with W2/W4: if the
	 * writer touched this copy meanwhile, the reload shows it.
	 */
	cmm_smp_rmb();
	return uatomic_read(&seg->hdr.seq) == seq;
}

/*
 * The same protocol through read(2): the kernel's copy loads the segment's
 * bytes on this CPU like memcpy() would, so R1 and R2 stand between the
 * reads.  A sequence load of one pread() is not promised to be a single
 * 8-byte load, but its two halves differ only across the 2^32nd publish;
 * a torn copy still needs the sequence to look unchanged, so that would
 * have to coincide with it.
 */
#define SHMH_SEQ_OFF offsetof(struct shmh_segment, hdr.seq)

static int shmh_pread_all(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	if (n < 0)
		return SHMH_ESYS;
	return (size_t)n == len ? SHMH_OK : SHMH_ETRUNC;
}

/*
 * One attempt: 1 if consistent, 0 if torn, or an SHMH_E* failure.  With
 * known set, seq is a sequence read earlier (the header's, at open) and
 * is not read again: the sequence only grows, so a value read earlier
 * is still a value it had before the copy; if it moved since, the reload
 * differs and the next try reads afresh.
 */
static int shmh_try_read(int fd, uint64_t seq, int known, struct shmh_status *out)
{
	uint64_t again;
	off_t off;
	int r;

	if (!known) {
		r = shmh_pread_all(fd, &seq, sizeof(seq), SHMH_SEQ_OFF);
		if (r != SHMH_OK)
			return r;
	}
	cmm_smp_rmb();	/* R1 */
	off = (off_t)(offsetof(struct shmh_segment, copy) +
		      (seq & 1) * sizeof(struct shmh_status));
	r = shmh_pread_all(fd, out, sizeof(*out), off);
	if (r != SHMH_OK)
		return r;
	cmm_smp_rmb();	/* R2 */
	r = shmh_pread_all(fd, &again, sizeof(again), SHMH_SEQ_OFF);
	if (r != SHMH_OK)
		return r;
	return again == seq;
}

/* Takes the snapshot from a mapping, under the SIGBUS guard. */
static int shmh_snapshot_guarded(const struct shmh_segment *seg,
				struct shmh_status *out)
{
	volatile int tries;

	if (sigsetjmp(shmh_bus_jmp, 0) != 0) {
		shmh_bus_armed = 0;
		return SHMH_ETRUNC;
	}
	shmh_bus_armed = 1;
	cmm_barrier();	/* as in shmh_read_header */
	for (tries = 0; tries < SHMH_READ_TRIES; tries++) {
		if (shmh_try_copy(seg, out)) {
			cmm_barrier();
			shmh_bus_armed = 0;
			return SHMH_OK;
		}
		caa_cpu_relax();
	}
	cmm_barrier();
	shmh_bus_armed = 0;
	return SHMH_EBUSY;
}

/*
 * A writer that publishes faster than a pread try takes (three system
 * calls) starves a reader by pread, where a try from a mapping is a
 * memcpy.  So a reader by pread that ran out of its few tries maps the
 * segment, guarded, for this one snapshot.  The publisher publishes once
 * per heartbeat and per check: a health check all but never comes here.
 */
static int shmh_snapshot_remap(const struct shmh_map *m, struct shmh_status *out)
{
	struct shmh_map mapped = *m;
	int r;

	mapped.by_read = 0;
	r = shmh_map_guarded(&mapped);
	if (r == SHMH_OK)
		r = shmh_snapshot_guarded(mapped.seg, out);
	mapped.fd = -1;		/* the descriptor stays m's */
	shmh_close_segment(&mapped);
	return r;
}

static int shmh_snapshot_read(const struct shmh_map *m, struct shmh_status *out)
{
	int tries, r;

	for (tries = 0; tries < SHMH_PREAD_TRIES; tries++) {
		r = shmh_try_read(m->fd, m->open_seq, tries == 0, out);
		if (r == 1)
			return SHMH_OK;
		if (r != 0)
			return r;
		caa_cpu_relax();
	}
	return shmh_snapshot_remap(m, out);
}

int shmh_snapshot(const struct shmh_map *m, struct shmh_status *out)
{
	if (m->by_read && m->fd >= 0)
		return shmh_snapshot_read(m, out);
	if (!m->guarded)
		return SHMH_ESYS;	/* not a reader's map */
	return shmh_snapshot_guarded(m->seg, out);
}
