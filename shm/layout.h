/* SPDX-License-Identifier: MIT */
/*
 * The shmhealth segment's layout: the ABI between a publisher and its
 * readers, all that a reader in another language needs (doc/layout.md
 * says it in prose).
 *
 * The segment is one file of sizeof(struct shmh_segment) bytes: a 64-byte
 * header, then two copies of struct shmh_status.  Every integer is in the
 * host's byte order and at its natural alignment (the segment never
 * leaves the machine); the _Static_asserts below pin every offset a
 * reader relies on.  Strings are NUL-terminated UTF-8 within their
 * arrays.  A change of any of it is a new SHMH_LAYOUT_VERSION.
 *
 * Reading (the latch, shm/latch.c): load hdr.seq, copy copy[seq & 1],
 * load hdr.seq again; equal, the copy is consistent, else try again.
 */
#ifndef SHMHEALTH_SHM_LAYOUT_H
#define SHMHEALTH_SHM_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#define SHMH_MAGIC		"SHMHLTH1"	/* 8 bytes, no NUL counted */
#define SHMH_MAGIC_LEN		8
#define SHMH_LAYOUT_VERSION	2u
#define SHMH_BACKEND_LEN		16
#define SHMH_ERROR_LEN		240
#define SHMH_NAMES_LEN		2048
#define SHMH_VERSIONS_LEN	4096
#define SHMH_LIST_LEN		504
#define SHMH_PROBES		8
#define SHMH_PROBE_NAME_LEN	32
#define SHMH_PROBE_OUTPUT_LEN	176
#define SHMH_SECURITY_UNKNOWN	(-1)

/* Publisher states. */
enum shmh_state {
	SHMH_STATE_STARTING = 1,
	SHMH_STATE_RUNNING = 2,
	SHMH_STATE_STOPPING = 3,
	SHMH_STATE_STOPPED = 4,
};

/* What the reader does when updates are pending per policy. */
enum shmh_on_updates {
	SHMH_ON_UPDATES_FAIL = 0,	/* unhealthy (the default) */
	SHMH_ON_UPDATES_REPORT = 1,	/* healthy, but say so */
};

/*
 * Health policy, chosen on the publisher and published so that a bare
 * shm-reader applies it.  Durations in seconds; 0 means "no limit" where
 * noted.
 */
struct shmh_policy {
	uint32_t on_updates;		/* enum shmh_on_updates */
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

/* Flags of the update check (shmh_check.flags). */
enum shmh_check_flags {
	/* No update check is configured (--manager none): nothing about
	 * updates is known, and every output says "not checked". */
	SHMH_CHECK_OFF = 1u << 0,
	/* The index is the system's, read as it is (--no-refresh): index_*
	 * is when it was last modified, not when this publisher refreshed it. */
	SHMH_CHECK_SYSTEM_INDEX = 1u << 1,
};
#define SHMH_CHECK_FLAGS_ALL	(SHMH_CHECK_OFF | SHMH_CHECK_SYSTEM_INDEX)

/*
 * A bounded list of package names: how many there are in all, and as many
 * of their names as fit, space-separated; omitted counts the rest.
 */
struct shmh_names {
	uint32_t count;
	uint32_t omitted;		/* <= count */
	char names[SHMH_LIST_LEN];	/* NUL-terminated */
};

/* The update check: last attempt, last success, and what it found. */
struct shmh_check {
	char backend[SHMH_BACKEND_LEN];	/* "apt", "command", ...; NUL-terminated */
	int64_t last_attempt_mono_ns;	/* 0: never finished one */
	int64_t last_attempt_wall;	/* unix seconds */
	int64_t last_success_mono_ns;	/* 0: never succeeded */
	int64_t last_success_wall;
	int64_t pending_since_mono_ns;	/* first seen time of the current set */
	int64_t pending_since_wall;
	/*
	 * When the package index that the last success read was refreshed
	 * (with SHMH_CHECK_SYSTEM_INDEX: last modified).  The policy's
	 * max_success_age_s counts from it.  0: no index (a command).
	 */
	int64_t index_mono_ns;
	int64_t index_wall;
	uint32_t running;		/* 1 while a check is in progress */
	uint32_t consecutive_failures;
	uint32_t checks;		/* finished checks, all outcomes */
	uint32_t pending;		/* pending updates found by last success */
	int32_t security;		/* SHMH_SECURITY_UNKNOWN or a count */
	uint32_t names_omitted;		/* pending names that did not fit */
	uint32_t flags;			/* enum shmh_check_flags */
	uint32_t timeout_s;		/* a check's --timeout, rounded up;
					   0: unknown */
	char error[SHMH_ERROR_LEN];	/* last failure, "" after a success */
	char names[SHMH_NAMES_LEN];	/* pending names, space-separated */
	/*
	 * The installed and candidate version of each name in names, in the
	 * same order, one "INSTALLED CANDIDATE" line each ("-" for a version
	 * the manager does not tell); whole lines only, as many as fit.
	 */
	char versions[SHMH_VERSIONS_LEN];
	/* Pending security updates, by name (a subset of names). */
	struct shmh_names security_names;
	/*
	 * Upgradable, but not what an upgrade would install, so not pending:
	 * held (apt-mark hold, a lock), phased (a phased update this machine
	 * is not in yet) and blocked (cannot be installed, such as a missing
	 * dependency).
	 */
	struct shmh_names held;
	struct shmh_names phased;
	struct shmh_names blocked;
};

/* One background probe (service check). */
struct shmh_probe {
	char name[SHMH_PROBE_NAME_LEN];
	int64_t last_run_mono_ns;	/* 0: never finished */
	int64_t last_run_wall;
	int64_t last_success_mono_ns;
	int64_t last_success_wall;
	int32_t status;			/* exit status, or -signal */
	uint32_t duration_ms;
	uint32_t consecutive_failures;
	uint32_t retries;		/* failures allowed before unhealthy */
	char output[SHMH_PROBE_OUTPUT_LEN]; /* first line of output */
};

/* One copy of the status: everything a reader needs, fixed-width. */
struct shmh_status {
	int32_t pid;			/* publisher pid (in its namespace) */
	uint32_t state;			/* enum shmh_state */
	uint64_t heartbeat_count;
	int64_t heartbeat_mono_ns;	/* CLOCK_MONOTONIC */
	int64_t heartbeat_wall;		/* unix seconds */
	int64_t started_mono_ns;
	int64_t started_wall;
	uint32_t heartbeat_interval_ms;
	uint32_t nprobes;		/* probes[] in use, <= SHMH_PROBES */
	struct shmh_policy policy;
	struct shmh_check update;
	struct shmh_probe probes[SHMH_PROBES];
};

/* The header: identifies the segment and holds the latch sequence. */
struct shmh_header {
	char magic[SHMH_MAGIC_LEN];
	uint32_t layout_version;
	uint32_t header_size;		/* sizeof(struct shmh_header) */
	uint64_t total_size;		/* sizeof(struct shmh_segment) */
	uint32_t status_size;		/* sizeof(struct shmh_status) */
	uint32_t reserved0;
	uint64_t seq;			/* latch sequence; odd: copy 1 is
					   the one to read */
	uint8_t pad[24];
};

struct shmh_segment {
	struct shmh_header hdr;
	struct shmh_status copy[2];
};

_Static_assert(sizeof(struct shmh_policy) == 40, "policy layout");
_Static_assert(sizeof(struct shmh_names) == 512, "names layout");
_Static_assert(sizeof(struct shmh_check) == 16 + 8 * 8 + 8 * 4 +
	       SHMH_ERROR_LEN + SHMH_NAMES_LEN + SHMH_VERSIONS_LEN + 4 * 512,
	       "check layout");
_Static_assert(sizeof(struct shmh_probe) == 256, "probe layout");
_Static_assert(sizeof(struct shmh_header) == 64, "header layout");
_Static_assert(offsetof(struct shmh_header, seq) == 32, "seq offset");
_Static_assert(offsetof(struct shmh_status, policy) == 56, "policy offset");
_Static_assert(offsetof(struct shmh_status, update) == 96, "update offset");
_Static_assert(sizeof(struct shmh_status) % 8 == 0, "status alignment");
_Static_assert(offsetof(struct shmh_segment, copy) == 64, "copy offset");
_Static_assert(sizeof(struct shmh_segment) == 64 + 2 * sizeof(struct shmh_status),
	       "segment has no hidden padding");

#endif
