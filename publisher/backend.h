/* SPDX-License-Identifier: MIT */
/*
 * Package-manager backends: which command lists pending updates for each
 * manager, in which output format, and which manager this system has.
 */
#ifndef SHMHEALTH_BACKEND_H
#define SHMHEALTH_BACKEND_H

struct pub_backend {
	const char *name;		/* --manager value: "apt", ... */
	const char *probe;		/* program whose presence selects it */
	const char *const *argv;	/* the listing command */
	const char *format;		/* parse format of its output */
};

/* Environment set for every backend command: output we can parse. */
extern const char *const pub_backend_env[];

/* Returns the backend called name, or NULL ("auto", "none" are not ones). */
const struct pub_backend *pub_backend_find(const char *name);

/* Returns the first backend whose program is in PATH, or NULL. */
const struct pub_backend *pub_backend_detect(void);

/* Writes "apk, apt, ..." (the known names) into buf. */
void pub_backend_names(char *buf, unsigned len);

/* 1 if prog is an executable file in PATH (or a path that is one). */
int pub_in_path(const char *prog);

#endif
