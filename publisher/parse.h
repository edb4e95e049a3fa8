/* SPDX-License-Identifier: MIT */
/*
 * Package-manager output parsers: captured output plus exit status in, a
 * list of pending packages (with a security flag) or an error out.  Pure
 * functions of their input: no I/O, no global state.
 */
#ifndef SHMHEALTH_PARSE_H
#define SHMHEALTH_PARSE_H

#include <stddef.h>
#include <stdio.h>

/* One pending package (or patch, for the patch formats). */
struct pub_pkg {
	char *name;		/* heap, NUL-terminated */
	int security;		/* 1: a security update */
};

/*
 * What a parse found.  pub_result_finish() sorts by name, merges duplicates
 * (a name seen twice counts once, security if either was) and sets updates
 * and security.
 */
struct pub_result {
	struct pub_pkg *pkgs;
	size_t npkgs, cap;
	int security_known;	/* set by the parser when the format tells */
	unsigned updates;	/* after finish: distinct packages */
	int security;		/* after finish: count, or -1 when unknown */
};

/* Parser: returns 0, or -1 with a one-line reason in err (no newline). */
typedef int pub_parse_fn(const char *buf, size_t len, int status,
			 struct pub_result *r, char *err, size_t errlen);

struct pub_format {
	const char *name;	/* "apt-list", ... as on the command line */
	pub_parse_fn *parse;
};

/* The table of formats, ended by a NULL name. */
extern const struct pub_format pub_formats[];

/* Returns the format called name, or NULL. */
const struct pub_format *pub_format_find(const char *name);

/*
 * Parses buf (len bytes, not necessarily NUL-terminated, may hold NULs) as
 * the output of format's command, status being its exit status (128+N for a
 * command killed by signal N).  On success r is finished.  Returns 0 or -1
 * with err set; r is then empty.
 */
int pub_parse(const struct pub_format *format, const char *buf, size_t len,
	      int status, struct pub_result *r, char *err, size_t errlen);

/* Adds a package name (len bytes).  Returns 0 or -1 (out of memory). */
int pub_result_add(struct pub_result *r, const char *name, size_t len,
		   int security);

void pub_result_init(struct pub_result *r);
void pub_result_finish(struct pub_result *r);
void pub_result_free(struct pub_result *r);

/* Prints "updates N\nsecurity N|unknown\npackage NAME\n..." to f. */
void pub_result_print(const struct pub_result *r, FILE *f);

#endif
