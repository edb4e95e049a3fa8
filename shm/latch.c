/* SPDX-License-Identifier: MIT */
/*
 * The two-copy seqlock latch (the Linux kernel's raw_write_seqcount_latch):
 * the writer publishes with shm_publish(), readers copy with shm_snapshot().
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
void shm_publish(struct shm_map *m, const struct shm_status *st)
{
	struct shm_segment *seg = m->seg;
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
static sigjmp_buf shm_bus_jmp;
static volatile sig_atomic_t shm_bus_armed;
static struct sigaction shm_bus_old;
static unsigned shm_bus_users;

static void shm_on_sigbus(int sig)
{
	if (shm_bus_armed)
		siglongjmp(shm_bus_jmp, 1);
	/* Not ours: what was there before gets it. */
	sigaction(SIGBUS, &shm_bus_old, NULL);
	raise(sig);
}

int shm_guard_install(void)
{
	struct sigaction sa;

	if (shm_bus_users++ > 0)
		return SHM_OK;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = shm_on_sigbus;
	sa.sa_flags = SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &shm_bus_old) != 0) {
		shm_bus_users--;
		return SHM_ESYS;
	}
	return SHM_OK;
}

void shm_guard_remove(void)
{
	if (shm_bus_users > 0 && --shm_bus_users == 0)
		sigaction(SIGBUS, &shm_bus_old, NULL);
}

int shm_read_header(const struct shm_map *m, struct shm_header *out)
{
	if (sigsetjmp(shm_bus_jmp, 0) != 0) {
		shm_bus_armed = 0;
		return SHM_ETRUNC;
	}
	shm_bus_armed = 1;
	/* The copy's loads stay between the two flag stores: plain loads may
	 * otherwise move across a volatile store. */
	cmm_barrier();
	memcpy(out, &m->seg->hdr, sizeof(*out));
	cmm_barrier();
	shm_bus_armed = 0;
	return SHM_OK;
}

/* One attempt: 1 if *out is a consistent copy, 0 if torn. */
static int shm_try_copy(const struct shm_segment *seg, struct shm_status *out)
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
#define SHM_SEQ_OFF offsetof(struct shm_segment, hdr.seq)

static int shm_pread_all(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	if (n < 0)
		return SHM_ESYS;
	return (size_t)n == len ? SHM_OK : SHM_ETRUNC;
}

/*
 * One attempt: 1 if consistent, 0 if torn, or an SHM_E* failure.  With
 * known set, seq is a sequence read earlier (the header's, at open) and
 * is not read again: the sequence only grows, so a value read earlier
 * is still a value it had before the copy; if it moved since, the reload
 * differs and the next try reads afresh.
 */
static int shm_try_read(int fd, uint64_t seq, int known, struct shm_status *out)
{
	uint64_t again;
	off_t off;
	int r;

	if (!known) {
		r = shm_pread_all(fd, &seq, sizeof(seq), SHM_SEQ_OFF);
		if (r != SHM_OK)
			return r;
	}
	cmm_smp_rmb();	/* R1 */
	off = (off_t)(offsetof(struct shm_segment, copy) +
		      (seq & 1) * sizeof(struct shm_status));
	r = shm_pread_all(fd, out, sizeof(*out), off);
	if (r != SHM_OK)
		return r;
	cmm_smp_rmb();	/* R2 */
	r = shm_pread_all(fd, &again, sizeof(again), SHM_SEQ_OFF);
	if (r != SHM_OK)
		return r;
	return again == seq;
}

/* Takes the snapshot from a mapping, under the SIGBUS guard. */
static int shm_snapshot_guarded(const struct shm_segment *seg,
				struct shm_status *out)
{
	volatile int tries;

	if (sigsetjmp(shm_bus_jmp, 0) != 0) {
		shm_bus_armed = 0;
		return SHM_ETRUNC;
	}
	shm_bus_armed = 1;
	cmm_barrier();	/* as in shm_read_header */
	for (tries = 0; tries < SHM_READ_TRIES; tries++) {
		if (shm_try_copy(seg, out)) {
			cmm_barrier();
			shm_bus_armed = 0;
			return SHM_OK;
		}
		caa_cpu_relax();
	}
	cmm_barrier();
	shm_bus_armed = 0;
	return SHM_EBUSY;
}

/*
 * A writer that publishes faster than a pread try takes (about 1.5 us)
 * starves a reader by pread, where a try from a mapping takes about
 * 100 ns.  So a reader by pread that ran out of its few tries maps the
 * segment, guarded, for this one snapshot.  The publisher publishes once
 * per heartbeat and per check: a health check all but never comes here.
 */
static int shm_snapshot_remap(const struct shm_map *m, struct shm_status *out)
{
	struct shm_map mapped = *m;
	int r;

	mapped.by_read = 0;
	r = shm_map_guarded(&mapped);
	if (r == SHM_OK)
		r = shm_snapshot_guarded(mapped.seg, out);
	mapped.fd = -1;		/* the descriptor stays m's */
	shm_close_segment(&mapped);
	return r;
}

static int shm_snapshot_read(const struct shm_map *m, struct shm_status *out)
{
	int tries, r;

	for (tries = 0; tries < SHM_PREAD_TRIES; tries++) {
		r = shm_try_read(m->fd, m->open_seq, tries == 0, out);
		if (r == 1)
			return SHM_OK;
		if (r != 0)
			return r;
		caa_cpu_relax();
	}
	return shm_snapshot_remap(m, out);
}

int shm_snapshot(const struct shm_map *m, struct shm_status *out)
{
	if (m->by_read && m->fd >= 0)
		return shm_snapshot_read(m, out);
	if (!m->guarded)
		return SHM_ESYS;	/* not a reader's map */
	return shm_snapshot_guarded(m->seg, out);
}
