/* SPDX-License-Identifier: MIT */
/* Operations on a finished parse result: ignoring packages, marking security. */
#ifndef SHMHEALTH_RESULT_H
#define SHMHEALTH_RESULT_H

#include <stddef.h>

#include "publisher/parse.h"

/*
 * 1 if name matches one of the shell globs.  A pattern matches the whole
 * name, or the name without its architecture ("bash" matches "bash.x86_64"
 * and "libc6:i386").
 */
int pub_ignored(const char *name, char *const *patterns, size_t n);

/* Drops the packages pub_ignored() matches; r stays finished. */
void pub_result_ignore(struct pub_result *r, char *const *patterns, size_t n);

/*
 * Marks the packages of r named in sec (those sec flags as security, when
 * it tells) as security updates and makes r's security count known: the
 * marked packages, or with counts_patches (sec lists patches, not packages)
 * sec's own count, at most r's.
 */
void pub_result_mark_security(struct pub_result *r,
			      const struct pub_result *sec, int counts_patches);

/*
 * Marks the withheld packages of r whose reason is not yet known (PUB_KEPT)
 * and that by lists as pending, as kept for why.  r stays finished.
 */
void pub_result_mark_kept(struct pub_result *r, const struct pub_result *by,
			  enum pub_kept why);

/* The withheld packages still without a reason cannot be installed: they
 * become PUB_BLOCKED. */
void pub_result_settle(struct pub_result *r);

#endif
