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

/*
 * Why an upgradable package is not pending: an upgrade would not install
 * it.  PUB_KEPT is a parser's word when the output does not say why; the
 * update check then tells held, phased and blocked apart.
 */
enum pub_kept {
	PUB_KEPT = 0,		/* withheld, reason not told */
	PUB_HELD,		/* held or locked by the administrator */
	PUB_PHASED,		/* a phased update this machine is not in */
	PUB_BLOCKED,		/* cannot be installed (a dependency) */
};

/* One pending package (or patch, for the patch formats), or a kept one. */
struct pub_pkg {
	char *name;		/* heap, NUL-terminated */
	int security;		/* 1: a security update */
	int kept;		/* in kept[]: enum pub_kept */
	char *installed;	/* heap, or NULL when not told */
	char *candidate;	/* heap, or NULL when not told */
};

/*
 * What a parse found.  pub_result_finish() sorts by name, merges duplicates
 * (a name seen twice counts once, security if either was) and sets updates
 * and security.
 */
struct pub_result {
	struct pub_pkg *pkgs;
	size_t npkgs, cap;
	/* Upgradable but withheld (sorted and merged by finish too; a name
	 * that is also pending is dropped from here). */
	struct pub_pkg *kept;
	size_t nkept, kept_cap;
	int security_known;	/* set by the parser when the format tells */
	unsigned updates;	/* after finish: distinct packages */
	int security;		/* after finish: count, or -1 when unknown */
};

/* Parser: returns 0, or -1 with a one-line reason in err (no newline). */
typedef int pub_parse_fn(const char *buf, size_t len, int status,
			 struct pub_result *r, char *err, size_t errlen);

/*
 * Adds a package name (len bytes).  Returns 0 or -1 (out of memory, or the
 * result already holds PUB_PKGS_MAX names).
 */
int pub_result_add(struct pub_result *r, const char *name, size_t len,
		   int security);

/*
 * Sets the installed and candidate version of the package added last
 * (lengths in bytes; a NULL pointer leaves that one unknown).  Returns 0 or
 * -1 (out of memory).
 */
int pub_result_versions(struct pub_result *r, const char *installed,
			size_t ilen, const char *candidate, size_t clen);

/* Adds a withheld package: upgradable, but not pending for why.  0 or -1. */
int pub_result_keep(struct pub_result *r, const char *name, size_t len,
		    enum pub_kept why);

/* "kept", "held", "phased", "blocked": as pub_result_print() words them. */
const char *pub_kept_word(int why);

void pub_result_init(struct pub_result *r);
void pub_result_finish(struct pub_result *r);
void pub_result_free(struct pub_result *r);
/* Frees one package's strings. */
void pub_pkg_free(struct pub_pkg *p);

/*
 * The line of a command's output worth quoting in an error: the first that
 * starts "Error:", "E:", "fatal:" or "critical:", else the first non-blank,
 * as printable ASCII in out (at least 4 bytes; "..." when cut).  "" if none.
 */
void pub_quote(const char *buf, size_t len, char *out, size_t outlen);

/*
 * Prints "updates N\nsecurity N|unknown\npackage NAME\n..." to f, then a
 * line "WHY NAME" for each withheld package (pub_kept_word()).
 */
void pub_result_print(const struct pub_result *r, FILE *f);

/*
 * Helpers shared by the parsers (parse_*.c).  Nothing here allocates except
 * pub_each_line's line buffer and pub_ctx_add.
 */

#define PUB_NAME_MAX	512		/* longest name parsers accept */
#define PUB_PKGS_MAX	1000000u	/* most names one result holds */
#define PUB_QUOTE_MAX	200		/* output an error quotes */

/* A run of bytes inside the input; not NUL-terminated. */
struct pub_span {
	const char *p;
	size_t n;
};

/* What a line callback sees besides the line. */
struct pub_ctx {
	struct pub_result *r;
	char *err;
	size_t errlen;
	size_t lineno;		/* 1-based number of the current line */
	void *state;		/* the parser's own */
};

/*
 * Calls fn for each line of buf, the line stripped of its end (LF, CRLF or a
 * lone CR) and of ANSI escape sequences; NUL bytes are kept (names refuse
 * them).  Stops at the first fn that returns -1.  Returns 0, or -1 with
 * c->err set (by fn, or "out of memory").
 */
typedef int pub_line_fn(struct pub_ctx *c, struct pub_span line);
int pub_each_line(const char *buf, size_t len, pub_line_fn *fn,
		  struct pub_ctx *c);

/*
 * Splits line at blanks (space, tab, CR, VT, FF) into at most max tokens.
 * Returns how many tokens the line has, which may be more than max.
 */
size_t pub_split(struct pub_span line, struct pub_span *tok, size_t max);

/* 1 if s is exactly lit. */
int pub_span_is(struct pub_span s, const char *lit);
/* 1 if s is lit, ignoring ASCII case. */
int pub_span_iis(struct pub_span s, const char *lit);
/* 1 if s starts with lit. */
int pub_span_starts(struct pub_span s, const char *lit);
/* 1 if s contains lit, ignoring ASCII case. */
int pub_span_icontains(struct pub_span s, const char *lit);
/* 1 if the line starts with a blank (a continuation or indented entry). */
int pub_span_indented(struct pub_span line);
/* s without leading and trailing blanks. */
struct pub_span pub_span_trim(struct pub_span s);

/*
 * 1 if s is 1..PUB_NAME_MAX bytes, each an ASCII letter or digit or one of
 * extra.  The parsers' guard against counting a message as a package.
 */
int pub_chars_ok(struct pub_span s, const char *extra);

/* pub_result_add for a span; sets c->err on failure.  Returns 0 or -1. */
int pub_ctx_add(struct pub_ctx *c, struct pub_span name, int security);
/* pub_result_keep for a span; sets c->err on failure.  Returns 0 or -1. */
int pub_ctx_keep(struct pub_ctx *c, struct pub_span name, enum pub_kept why);
/* pub_result_versions for spans (p NULL: not told); sets c->err.  0 or -1. */
int pub_ctx_versions(struct pub_ctx *c, struct pub_span installed,
		     struct pub_span candidate);
/* Adds "NAME.ARCH", the rpm unit of a pending update.  Returns 0 or -1. */
int pub_ctx_add_arch(struct pub_ctx *c, struct pub_span name,
		     struct pub_span arch, int security);

/*
 * Writes "WHAT exited with status N: LINE" into err, LINE being the output's
 * first line that starts with "Error:", "E:", "fatal:" or "critical:" (any
 * case), else its first non-blank line, in printable ASCII, at most
 * PUB_QUOTE_MAX bytes.  Returns -1, for "return pub_fail(...)".
 */
int pub_fail(char *err, size_t errlen, const char *what, int status,
	     const char *buf, size_t len);

#endif
