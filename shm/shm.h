/* SPDX-License-Identifier: MIT */
/*
 * The shmhealth segment's library: creating and publishing (the writer),
 * opening, validating and taking consistent snapshots (readers).  The
 * layout itself is shm/layout.h.
 *
 * One writer, any number of readers in other processes.  The writer never
 * waits for readers and readers never block the writer; a writer that stalls
 * or dies in the middle of an update leaves the other copy whole, so readers
 * are never blocked either.  Readers still bound their tries.
 *
 * Reading:
 *
 *	struct shmh_open_opts opts = { 0 };
 *	struct shmh_map m;
 *	struct shmh_status st;
 *
 *	if (shmh_open_segment(&m, SHMH_DEFAULT_NAME, &opts) == SHMH_OK &&
 *	    shmh_snapshot(&m, &st) == SHMH_OK)
 *		use(&st);
 *	shmh_close_segment(&m);
 *
 * This library never prints, exits or aborts; it returns SHMH_OK or one of
 * the negative SHMH_E* codes below, which shmh_strerror() names.
 */
#ifndef SHMHEALTH_SHM_H
#define SHMHEALTH_SHM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "shm/layout.h"

#define SHMH_DEFAULT_NAME	"shmhealth"
#define SHMH_DIR			"/dev/shm"
/* A segment's path, NUL included: room for any shm name (NAME_MAX is
 * 255) and for a deep path. */
#define SHMH_PATH_MAX		512

/* Results.  Negative, so "< 0" means failure. */
enum shmh_result {
	SHMH_OK = 0,
	SHMH_ENOSEG = -1,	/* no segment under that name */
	SHMH_EACCESS = -2,	/* cannot open or map it (errno kept) */
	SHMH_ENOTREG = -3,	/* not a regular file (symlink, FIFO, dir) */
	SHMH_EWRITABLE = -4,	/* group- or world-writable */
	SHMH_EOWNER = -5,	/* owned by another user */
	SHMH_ESIZE = -6,		/* size differs from the layout's */
	SHMH_EMAGIC = -7,	/* not a shmhealth segment */
	SHMH_EVERSION = -8,	/* another layout version */
	SHMH_EHEADER = -9,	/* header sizes do not match the layout */
	SHMH_EBUSY = -10,	/* no consistent snapshot within the tries */
	SHMH_ETRUNC = -11,	/* truncated while read */
	SHMH_ENAME = -12,	/* name not usable */
	SHMH_EINUSE = -13,	/* another publisher holds it */
	SHMH_ESYS = -14,		/* other system error (errno kept) */
	SHMH_ENOTSEG = -15,	/* creating: the name holds something else */
	SHMH_ECREATE = -16,	/* creating: cannot make the file (errno kept) */
	SHMH_EPATH = -17,	/* a symlink on the path, in a directory
				   others can write (found_uid: its owner) */
	SHMH_ELOCK = -18,	/* creating: the lock file is not ours */
};

/* Readers try this many times before answering SHMH_EBUSY. */
#define SHMH_READ_TRIES 10000
/* A reader by pread tries this many times, then takes the snapshot from a
 * mapping made for it (SHMH_READ_TRIES more tries there). */
#define SHMH_PREAD_TRIES 4

/* A mapped segment.  fd and base are valid only after a successful open. */
struct shmh_map {
	int fd;
	int dirfd;			/* writer: the segment's directory */
	int lockfd;			/* writer: the lock file, locked */
	pid_t holder_pid;		/* EINUSE: the holder, 0 if unknown */
	const char *detail;		/* ELOCK: what is wrong, or NULL */
	struct shmh_segment *seg;	/* PROT_READ for readers */
	size_t size;
	int writable;
	int guarded;			/* reader: the SIGBUS guard is ours */
	int by_read;			/* reader: read with pread(), unmapped */
	uint64_t open_seq;		/* by_read: the sequence at open */
	int saved_errno;		/* errno of the failing call */
	uint32_t found_version;		/* layout version seen, for EVERSION */
	uid_t found_uid;		/* owner seen, for EOWNER */
	char path[SHMH_PATH_MAX];
};

/* Reader-side refusal options. */
struct shmh_open_opts {
	int have_owner;			/* also accept owner_uid */
	uid_t owner_uid;
	/*
	 * Read the segment with pread() instead of mapping it: no mapping
	 * and no SIGBUS guard to set up, three system calls per snapshot.
	 * Cheaper for a process that takes one snapshot and exits (the
	 * health check); a mapping is cheaper from the second snapshot on.
	 */
	int by_read;
};

/* Returns a short English phrase for an SHMH_* result ("not a regular file"). */
const char *shmh_strerror(int result);

/*
 * Turns a segment name into a path: a plain name "x" is the POSIX shm object
 * /dev/shm/x; a value holding '/' is a file path as given.  Returns SHMH_OK or
 * SHMH_ENAME (empty, ".", "..", too long).
 */
int shmh_resolve(const char *name, char *path, size_t len);

/*
 * Reader: opens O_RDONLY|O_NOFOLLOW by the path rules of shmh_path_open(), checks the refusal rules (regular file,
 * not group/world-writable, owned by root, the caller's euid or opts->owner,
 * magic, version, header sizes, size) and maps it PROT_READ.  Installs the
 * process's SIGBUS handler until the last reader's map is closed (see
 * shmh_snapshot).  With opts->by_read it only keeps the descriptor, and
 * reads the header and snapshots with pread().  On failure nothing stays
 * open or installed, and m->saved_errno / found_* tell more.
 */
int shmh_open_segment(struct shmh_map *m, const char *name,
		     const struct shmh_open_opts *opts);

/*
 * Reader: copies a consistent snapshot into *out, without a system call
 * from a mapping, with three pread()s a try from a by_read map.  A by_read
 * map that had SHMH_PREAD_TRIES torn tries maps the segment for this
 * snapshot, under the SIGBUS guard, and unmaps it after: a writer
 * publishing back to back is faster than a pread try.  Returns SHMH_OK,
 * SHMH_EBUSY after SHMH_READ_TRIES torn attempts from a mapping, SHMH_ETRUNC
 * if the file shrank (a mapping's SIGBUS is caught by the handler
 * shmh_open_segment() or the snapshot installed; a read comes back short),
 * or SHMH_EACCESS / SHMH_ESYS if a read or the mapping failed.  Not
 * async-signal-safe, and all of a process's reader maps belong on one
 * thread: the SIGBUS guard and its state are the whole process's.
 */
int shmh_snapshot(const struct shmh_map *m, struct shmh_status *out);

/*
 * Writer: builds the segment under a temporary name in the same directory,
 * mode 0644, both copies set to *initial, then renames it into place, so
 * readers never see a half-built segment.  Liveness is a write lock on
 * NAME.lock beside it, mode 0600 and ours, held while the map is open: if
 * a live publisher holds it, returns SHMH_EINUSE (holder_pid: its pid); a
 * lock file that is not ours gives SHMH_ELOCK.  The directory is resolved
 * by the rules of shmh_path_dir() and kept open, so a path swapped later
 * does not move the segment.  Replaces only our own segment (a whole valid
 * header, of any layout version, and its size) or our own symlink;
 * anything else under the name gives SHMH_ENOTSEG or SHMH_EOWNER.
 */
int shmh_create_segment(struct shmh_map *m, const char *name,
		       const struct shmh_status *initial);

/*
 * Writer: publishes *st with the latch: bump seq (odd), write copy 0, bump
 * seq (even), write copy 1.  Readers are never blocked.  Must be serialized:
 * one writer per segment.  Implies write barriers around each copy.
 */
void shmh_publish(struct shmh_map *m, const struct shmh_status *st);

/*
 * Why creating failed, one line for a log: the result's phrase and what
 * the map kept (errno, the owner found, the holder's pid).
 */
void shmh_describe(const struct shmh_map *m, int result, char *buf,
		  size_t len);

/* Writer: 1 if the segment's name still refers to our file, else 0. */
int shmh_still_named(const struct shmh_map *m);

/* Writer: removes the segment's name if it is still ours (same inode). */
int shmh_unlink_segment(struct shmh_map *m);

/* Unmaps and closes; safe on a map that never opened. */
void shmh_close_segment(struct shmh_map *m);

/* Initializes a map to the closed state. */
void shmh_map_init(struct shmh_map *m);

#endif
