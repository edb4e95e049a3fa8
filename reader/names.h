/* SPDX-License-Identifier: MIT */
/*
 * The pending package names (update.names: space-separated, possibly
 * empty) as the verdict prints them: as many as fit on the first line, cut
 * at a name boundary, and the whole list wrapped on the lines below.
 */
#ifndef SHMHEALTH_RDR_NAMES_H
#define SHMHEALTH_RDR_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "reader/verdict.h"

/*
 * Finds the next name at *cursor (any byte up to ' ' separates names).
 * Returns its length, 0 at the end, and sets *name; advances *cursor.
 */
size_t rdr_names_next(const char **cursor, const char **name);

/*
 * Appends ": name1 name2 ..." using at most room bytes, ending in
 * " (+K more)" when names are left out, K counting them plus omitted (the
 * names the publisher could not store).  Appends nothing when not one name
 * fits or there are none.  Returns 1 if every stored name was shown.
 * names must be NUL-terminated.
 */
int rdr_names_head(struct rdr_verdict *v, const char *names,
		   uint32_t omitted, size_t room);

/*
 * Appends the whole list on new lines wrapped at RDR_WRAP columns, then
 * "(+K more)" for omitted names.  Nothing when names holds no name.
 */
void rdr_names_wrap(struct rdr_verdict *v, const char *names,
		    uint32_t omitted);

#endif
