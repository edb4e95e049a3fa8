/* SPDX-License-Identifier: MIT */
/*
 * Package-manager backends: for each manager, the steps of one update check
 * (refresh a private index, list pending updates, list security updates),
 * in which output format, and which manager this system has.
 */
#ifndef SHMHEALTH_BACKEND_H
#define SHMHEALTH_BACKEND_H

#include <stddef.h>

enum pub_step_role {
	PUB_STEP_REFRESH,	/* must exit 0; its output is not read */
	PUB_STEP_INDEX,		/* lists the index files every configured
				   repository needs (index.c); one missing
				   fails the check */
	PUB_STEP_LIST,		/* the pending updates */
	PUB_STEP_SECURITY,	/* which of them are security updates; if it
				   fails, security is "unknown", not an error */
	PUB_STEP_PHASED,	/* the upgrade as if this machine were in every
				   phase: what it adds to the list's are
				   phased updates */
	PUB_STEP_HOLDS,		/* the packages on hold, one per line */
	PUB_STEP_REPOS,		/* the configured repositories: its parse
				   fails when none is enabled */
};

struct pub_step {
	enum pub_step_role role;
	const char *const *argv;	/* "@CACHE@" stands for the cache dir */
	const char *format;		/* parse format; NULL for a refresh */
	int counts_patches;		/* security counts patches, not names */
	int needs_root;			/* run under fakeroot when not root */
	int if_kept;			/* run only if the list kept some back */
	int root_only;			/* 1: run only when the publisher runs
					   as root; -1: only when it does not */
	/* Patterns of stderr that fail the step whatever its exit status
	 * says (some managers exit alike for "none" and for a database
	 * they could not read): a substring, or with a leading '^' the
	 * start of a line.  NULL: none. */
	const char *const *fails_on;
	/* For a refresh that failed: counts the downloads its stdout says
	 * failed and names the first (size bytes into first, "" if none),
	 * so the error says which repository.  NULL: just quote it. */
	unsigned (*fetch_errors)(const char *out, size_t len, char *first,
				 size_t size);
};

#define PUB_STEPS_MAX 5

struct pub_backend {
	const char *name;		/* --manager value: "apt", ... */
	const char *probe;		/* program whose presence selects it */
	const struct pub_step *private_steps;	/* with a private index */
	const struct pub_step *system_steps;	/* with the system's index */
	const char *const *cache_subdirs;	/* made under the cache dir */
	const char *link_path;		/* a link made under the cache dir */
	const char *link_target;	/* to this system path */
	const char *conf_path;		/* a file written under the cache dir */
	const char *conf_text;		/* with this text, at every start */
	const char *refresh_note;	/* for the README and --help */
};

/* Environment set for every backend command: output we can parse. */
extern const char *const pub_backend_env[];

/* Returns the backend called name, or NULL ("auto", "none" are not ones). */
const struct pub_backend *pub_backend_find(const char *name);

/* Returns the first backend whose program is in PATH, or NULL. */
const struct pub_backend *pub_backend_detect(void);

/* Writes "apk, apt, ..." (the known names) into buf. */
void pub_backend_names(char *buf, size_t len);

/* The pattern of s->fails_on that err (stderr, NUL-terminated) matches,
 * or NULL when none does. */
const char *pub_step_fails_on(const struct pub_step *s, const char *err);

/* 1 if prog is an executable file in PATH (or a path that is one). */
int pub_in_path(const char *prog);

#endif
