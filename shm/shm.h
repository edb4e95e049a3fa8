/* SPDX-License-Identifier: MIT */
/*
 * The shmhealth segment: its layout (an ABI shared by every publisher and
 * reader of one layout version), the two-copy seqlock latch that keeps it
 * consistent, and creation, opening and validation.
 *
 * One writer, any number of readers in other processes.  The writer never
 * waits for readers and readers never block the writer; a writer that stalls
 * or dies in the middle of an update leaves the other copy whole, so readers
 * are never blocked either.  Readers still bound their tries.
 *
 * Canonical read:
 *
 *	struct shm_map m;
 *	struct shm_status st;
 *	if (shm_open_segment(&m, "shmhealth", &opts, &why) == SHM_OK &&
 *	    shm_snapshot(&m, &st) == SHM_OK)
 *		use(&st);
 *	shm_close_segment(&m);
 *
 * This library never prints, exits or aborts; it returns SHM_OK or one of
 * the negative SHM_E* codes below, which shm_strerror() names.
 */
#ifndef SHMHEALTH_SHM_H
#define SHMHEALTH_SHM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SHM_MAGIC		"SHMHLTH1"	/* 8 bytes, no NUL counted */
#define SHM_MAGIC_LEN		8
#define SHM_LAYOUT_VERSION	2u
#define SHM_DEFAULT_NAME	"shmhealth"
#define SHM_DIR			"/dev/shm"
/*
 * A segment's path, NUL included: room for any shm name (NAME_MAX is 255)
 * and for a deep path, but not PATH_MAX, so that a reader's map stays on
 * the page its snapshot already touches (see reader/main.c).
 */
#define SHM_PATH_MAX		512

#define SHM_BACKEND_LEN		16
#define SHM_ERROR_LEN		240
#define SHM_NAMES_LEN		2048
#define SHM_VERSIONS_LEN	4096
#define SHM_LIST_LEN		504
#define SHM_PROBES		8
#define SHM_PROBE_NAME_LEN	32
#define SHM_PROBE_OUTPUT_LEN	176
#define SHM_SECURITY_UNKNOWN	(-1)

/* Publisher states. */
enum shm_state {
	SHM_STATE_STARTING = 1,
	SHM_STATE_RUNNING = 2,
	SHM_STATE_STOPPING = 3,
	SHM_STATE_STOPPED = 4,
};

/* What the reader does when updates are pending per policy. */
enum shm_on_updates {
	SHM_ON_UPDATES_FAIL = 0,	/* unhealthy (the default) */
	SHM_ON_UPDATES_REPORT = 1,	/* healthy, but say so */
};

/*
 * Health policy, chosen on the publisher and published so that a bare
 * shm-reader applies it.  Durations in seconds; 0 means "no limit" where
 * noted.
 */
struct shm_policy {
	uint32_t on_updates;		/* enum shm_on_updates */
	uint32_t security_only;		/* 1: count only security updates */
	uint32_t min_updates;		/* unhealthy from this many (>= 1) */
	uint32_t max_failures;		/* consecutive failed checks allowed;
					   unhealthy when exceeded; 0: no limit */
	int64_t grace_s;		/* pending set must be this old */
	int64_t max_success_age_s;	/* last success at most this old;
					   0: no limit */
	uint32_t starting_healthy;	/* 1: no check finished yet is healthy */
	uint32_t reserved;
};

/* Flags of the update check (shm_check.flags). */
enum shm_check_flags {
	/* No update check is configured (--manager none): nothing about
	 * updates is known, and every output says "not checked". */
	SHM_CHECK_OFF = 1u << 0,
	/* The index is the system's, read as it is (--no-refresh): index_*
	 * is when it was last modified, not when this publisher refreshed it. */
	SHM_CHECK_SYSTEM_INDEX = 1u << 1,
};
#define SHM_CHECK_FLAGS_ALL	(SHM_CHECK_OFF | SHM_CHECK_SYSTEM_INDEX)

/*
 * A bounded list of package names: how many there are in all, and as many
 * of their names as fit, space-separated; omitted counts the rest.
 */
struct shm_names {
	uint32_t count;
	uint32_t omitted;		/* <= count */
	char names[SHM_LIST_LEN];	/* NUL-terminated */
};

/* The update check: last attempt, last success, and what it found. */
struct shm_check {
	char backend[SHM_BACKEND_LEN];	/* "apt", "command", ...; NUL-terminated */
	int64_t last_attempt_mono_ns;	/* 0: never finished one */
	int64_t last_attempt_wall;	/* unix seconds */
	int64_t last_success_mono_ns;	/* 0: never succeeded */
	int64_t last_success_wall;
	int64_t pending_since_mono_ns;	/* first seen time of the current set */
	int64_t pending_since_wall;
	/*
	 * When the package index that the last success read was refreshed
	 * (with SHM_CHECK_SYSTEM_INDEX: last modified).  The policy's
	 * max_success_age_s counts from it.  0: no index (a command).
	 */
	int64_t index_mono_ns;
	int64_t index_wall;
	uint32_t running;		/* 1 while a check is in progress */
	uint32_t consecutive_failures;
	uint32_t checks;		/* finished checks, all outcomes */
	uint32_t pending;		/* pending updates found by last success */
	int32_t security;		/* SHM_SECURITY_UNKNOWN or a count */
	uint32_t names_omitted;		/* pending names that did not fit */
	uint32_t flags;			/* enum shm_check_flags */
	uint32_t timeout_s;		/* a check's --timeout, rounded up;
					   0: unknown */
	char error[SHM_ERROR_LEN];	/* last failure, "" after a success */
	char names[SHM_NAMES_LEN];	/* pending names, space-separated */
	/*
	 * The installed and candidate version of each name in names, in the
	 * same order, one "INSTALLED CANDIDATE" line each ("-" for a version
	 * the manager does not tell); whole lines only, as many as fit.
	 */
	char versions[SHM_VERSIONS_LEN];
	/* Pending security updates, by name (a subset of names). */
	struct shm_names security_names;
	/*
	 * Upgradable, but not what an upgrade would install, so not pending:
	 * held (apt-mark hold, a lock), phased (a phased update this machine
	 * is not in yet) and blocked (cannot be installed, such as a missing
	 * dependency).
	 */
	struct shm_names held;
	struct shm_names phased;
	struct shm_names blocked;
};

/* One background probe (service check). */
struct shm_probe {
	char name[SHM_PROBE_NAME_LEN];
	int64_t last_run_mono_ns;	/* 0: never finished */
	int64_t last_run_wall;
	int64_t last_success_mono_ns;
	int64_t last_success_wall;
	int32_t status;			/* exit status, or -signal */
	uint32_t duration_ms;
	uint32_t consecutive_failures;
	uint32_t retries;		/* failures allowed before unhealthy */
	char output[SHM_PROBE_OUTPUT_LEN]; /* first line of output */
};

/* One copy of the status: everything a reader needs, fixed-width. */
struct shm_status {
	int32_t pid;			/* publisher pid (in its namespace) */
	uint32_t state;			/* enum shm_state */
	uint64_t heartbeat_count;
	int64_t heartbeat_mono_ns;	/* CLOCK_MONOTONIC */
	int64_t heartbeat_wall;		/* unix seconds */
	int64_t started_mono_ns;
	int64_t started_wall;
	uint32_t heartbeat_interval_ms;
	uint32_t nprobes;		/* probes[] in use, <= SHM_PROBES */
	struct shm_policy policy;
	struct shm_check update;
	struct shm_probe probes[SHM_PROBES];
};

/* The header: identifies the segment and holds the latch sequence. */
struct shm_header {
	char magic[SHM_MAGIC_LEN];
	uint32_t layout_version;
	uint32_t header_size;		/* sizeof(struct shm_header) */
	uint64_t total_size;		/* sizeof(struct shm_segment) */
	uint32_t status_size;		/* sizeof(struct shm_status) */
	uint32_t reserved0;
	uint64_t seq;			/* latch sequence; odd: copy 1 is
					   the one to read */
	uint8_t pad[24];
};

struct shm_segment {
	struct shm_header hdr;
	struct shm_status copy[2];
};

_Static_assert(sizeof(struct shm_policy) == 40, "policy layout");
_Static_assert(sizeof(struct shm_names) == 512, "names layout");
_Static_assert(sizeof(struct shm_check) == 16 + 8 * 8 + 8 * 4 +
	       SHM_ERROR_LEN + SHM_NAMES_LEN + SHM_VERSIONS_LEN + 4 * 512,
	       "check layout");
_Static_assert(sizeof(struct shm_probe) == 256, "probe layout");
_Static_assert(sizeof(struct shm_header) == 64, "header layout");
_Static_assert(offsetof(struct shm_header, seq) == 32, "seq offset");
_Static_assert(offsetof(struct shm_status, policy) == 56, "policy offset");
_Static_assert(offsetof(struct shm_status, update) == 96, "update offset");
_Static_assert(sizeof(struct shm_status) % 8 == 0, "status alignment");
_Static_assert(offsetof(struct shm_segment, copy) == 64, "copy offset");
_Static_assert(sizeof(struct shm_segment) == 64 + 2 * sizeof(struct shm_status),
	       "segment has no hidden padding");

/* Results.  Negative, so "< 0" means failure. */
enum shm_result {
	SHM_OK = 0,
	SHM_ENOSEG = -1,	/* no segment under that name */
	SHM_EACCESS = -2,	/* cannot open or map it (errno kept) */
	SHM_ENOTREG = -3,	/* not a regular file (symlink, FIFO, dir) */
	SHM_EWRITABLE = -4,	/* group- or world-writable */
	SHM_EOWNER = -5,	/* owned by another user */
	SHM_ESIZE = -6,		/* size differs from the layout's */
	SHM_EMAGIC = -7,	/* not a shmhealth segment */
	SHM_EVERSION = -8,	/* another layout version */
	SHM_EHEADER = -9,	/* header sizes do not match the layout */
	SHM_EBUSY = -10,	/* no consistent snapshot within the tries */
	SHM_ETRUNC = -11,	/* truncated while read */
	SHM_ENAME = -12,	/* name not usable */
	SHM_EINUSE = -13,	/* another publisher holds it */
	SHM_ESYS = -14,		/* other system error (errno kept) */
	SHM_ENOTSEG = -15,	/* creating: the name holds something else */
	SHM_ECREATE = -16,	/* creating: cannot make the file (errno kept) */
	SHM_EPATH = -17,	/* a symlink on the path, in a directory
				   others can write (found_uid: its owner) */
	SHM_ELOCK = -18,	/* creating: the lock file is not ours */
};

/* Readers try this many times before answering SHM_EBUSY. */
#define SHM_READ_TRIES 10000
/* A reader by pread tries this many times, then takes the snapshot from a
 * mapping made for it (SHM_READ_TRIES more tries there). */
#define SHM_PREAD_TRIES 4

/* A mapped segment.  fd and base are valid only after a successful open. */
struct shm_map {
	int fd;
	int dirfd;			/* writer: the segment's directory */
	int lockfd;			/* writer: the lock file, locked */
	pid_t holder_pid;		/* EINUSE: the holder, 0 if unknown */
	const char *detail;		/* ELOCK: what is wrong, or NULL */
	struct shm_segment *seg;	/* PROT_READ for readers */
	size_t size;
	int writable;
	int guarded;			/* reader: the SIGBUS guard is ours */
	int by_read;			/* reader: read with pread(), unmapped */
	uint64_t open_seq;		/* by_read: the sequence at open */
	int saved_errno;		/* errno of the failing call */
	uint32_t found_version;		/* layout version seen, for EVERSION */
	uid_t found_uid;		/* owner seen, for EOWNER */
	char path[SHM_PATH_MAX];
};

/* Reader-side refusal options. */
struct shm_open_opts {
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

/* Returns a short English phrase for an SHM_* result ("not a regular file"). */
const char *shm_strerror(int result);

/*
 * Turns a segment name into a path: a plain name "x" is the POSIX shm object
 * /dev/shm/x; a value holding '/' is a file path as given.  Returns SHM_OK or
 * SHM_ENAME (empty, ".", "..", too long).
 */
int shm_resolve(const char *name, char *path, size_t len);

/*
 * Opens the directory dir (a path) into m->dirfd, refusing with SHM_EPATH
 * a symlink on the way that sits in a directory someone other than root,
 * the caller or opts->owner_uid could write; symlinks elsewhere (/var/run)
 * are followed.  SHM_OK, SHM_EPATH, SHM_ENAME, or SHM_ENOSEG, SHM_EACCESS
 * or SHM_ESYS with errno kept.
 */
int shm_path_dir(struct shm_map *m, const char *dir,
		 const struct shm_open_opts *opts);

/* shm_path_dir() on m->path's directory; *base is its last component. */
int shm_path_split(struct shm_map *m, const struct shm_open_opts *opts,
		   const char **base);

/*
 * Opens m->path into m->fd by those rules, never following its last
 * component: SHM_OK, SHM_ENOTREG for a symlink, SHM_EPATH, SHM_ENAME, or
 * SHM_ENOSEG, SHM_EACCESS or SHM_ESYS with errno kept.
 */
int shm_path_open(struct shm_map *m, int flags,
		  const struct shm_open_opts *opts);

/*
 * Reader: opens O_RDONLY|O_NOFOLLOW by the path rules of shm_path_open(), checks the refusal rules (regular file,
 * not group/world-writable, owned by root, the caller's euid or opts->owner,
 * magic, version, header sizes, size) and maps it PROT_READ.  Installs the
 * process's SIGBUS handler until the last reader's map is closed (see
 * shm_snapshot).  With opts->by_read it only keeps the descriptor, and
 * reads the header and snapshots with pread().  On failure nothing stays
 * open or installed, and m->saved_errno / found_* tell more.
 */
int shm_open_segment(struct shm_map *m, const char *name,
		     const struct shm_open_opts *opts);

/*
 * Reader: copies a consistent snapshot into *out, without a system call
 * from a mapping, with three pread()s a try from a by_read map.  A by_read
 * map that had SHM_PREAD_TRIES torn tries maps the segment for this
 * snapshot, under the SIGBUS guard, and unmaps it after: a writer
 * publishing back to back is faster than a pread try.  Returns SHM_OK,
 * SHM_EBUSY after SHM_READ_TRIES torn attempts from a mapping, SHM_ETRUNC
 * if the file shrank (a mapping's SIGBUS is caught by the handler
 * shm_open_segment() or the snapshot installed; a read comes back short),
 * or SHM_EACCESS / SHM_ESYS if a read or the mapping failed.  Not
 * async-signal-safe, and all of a process's reader maps belong on one
 * thread: the SIGBUS guard and its state are the whole process's.
 */
int shm_snapshot(const struct shm_map *m, struct shm_status *out);

/*
 * Writer: builds the segment under a temporary name in the same directory,
 * mode 0644, both copies set to *initial, then renames it into place, so
 * readers never see a half-built segment.  Liveness is a write lock on
 * NAME.lock beside it, mode 0600 and ours, held while the map is open: if
 * a live publisher holds it, returns SHM_EINUSE (holder_pid: its pid); a
 * lock file that is not ours gives SHM_ELOCK.  The directory is resolved
 * by the rules of shm_path_dir() and kept open, so a path swapped later
 * does not move the segment.  Replaces only our own segment (a whole valid
 * header, of any layout version, and its size) or our own symlink;
 * anything else under the name gives SHM_ENOTSEG or SHM_EOWNER.
 */
int shm_create_segment(struct shm_map *m, const char *name,
		       const struct shm_status *initial);

/*
 * Writer: publishes *st with the latch: bump seq (odd), write copy 0, bump
 * seq (even), write copy 1.  Readers are never blocked.  Must be serialized:
 * one writer per segment.  Implies write barriers around each copy.
 */
void shm_publish(struct shm_map *m, const struct shm_status *st);

/*
 * Why creating failed, one line for a log: the result's phrase and what
 * the map kept (errno, the owner found, the holder's pid).
 */
void shm_describe(const struct shm_map *m, int result, char *buf,
		  size_t len);

/* Writer: 1 if the segment's name still refers to our file, else 0. */
int shm_still_named(const struct shm_map *m);

/* Writer: removes the segment's name if it is still ours (same inode). */
int shm_unlink_segment(struct shm_map *m);

/* Unmaps and closes; safe on a map that never opened. */
void shm_close_segment(struct shm_map *m);

/*
 * The SIGBUS guard under every access to a reader's mapping (shm_open_segment
 * and shm_close_segment use these): install counts users, remove puts the
 * previous disposition back when the last one goes.  read_header copies the
 * header armed: SHM_OK or SHM_ETRUNC.
 */
int shm_guard_install(void);
void shm_guard_remove(void);
int shm_read_header(const struct shm_map *m, struct shm_header *out);

/* Maps m->fd read-only, the whole layout, and installs the guard: how a
 * reader's map opens, and a by_read map's fallback (latch.c).  SHM_OK,
 * SHM_EACCESS or SHM_ESYS; shm_close_segment() undoes what was done. */
int shm_map_guarded(struct shm_map *m);

/* Initializes a map to the closed state. */
void shm_map_init(struct shm_map *m);

/*
 * Parses a duration: a non-negative decimal number with an optional suffix
 * ms, s, m, h or d (a bare number is seconds).  Stores milliseconds.
 * Returns 0, or -1 for anything else (empty, sign, junk, overflow).
 */
int shm_parse_duration(const char *s, uint64_t *ms);

/*
 * Parses a yes/no value as both programs take it from the environment:
 * 1, true, yes, on / 0, false, no, off, in any case.  Returns 0 or -1.
 */
int shm_parse_bool(const char *s, int *out);

/* Monotonic and wall clocks as the segment records them. */
int64_t shm_now_mono_ns(void);
int64_t shm_now_wall(void);

#endif
