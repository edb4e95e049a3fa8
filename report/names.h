/* SPDX-License-Identifier: MIT */
/*
 * The pending package names (update.names: space-separated, possibly
 * empty) as the verdict prints them: as many as fit on the first line, cut
 * at a name boundary, and the whole list wrapped on the lines below.
 */
#ifndef SHMHEALTH_REPORT_NAMES_H
#define SHMHEALTH_REPORT_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "report/verdict.h"

/*
 * Finds the next name at *cursor (any byte up to ' ' separates names).
 * Returns its length, 0 at the end, and sets *name; advances *cursor.
 */
size_t rpt_names_next(const char **cursor, const char **name);

/*
 * Package names hold only A-Z a-z 0-9 and . _ + : @ ~ -, what the
 * managers' naming rules have in common (Debian's allow fewer, rpm's,
 * pacman's and apk's a few more).  Every other byte of a name, from the
 * parser or a forged segment, is shown as '?': returns c or '?'.
 */
char rpt_name_char(char c);

/*
 * The next piece of the name at *name, *n bytes long, as rpt_name_char()
 * shows it: at most RPT_NAME_PIECE bytes of it into piece, *name and *n
 * advanced past them.  Returns the piece's length, 0 once *n is 0.
 */
#define RPT_NAME_PIECE	64
size_t rpt_name_piece(const char **name, size_t *n,
		      char piece[RPT_NAME_PIECE]);

/*
 * Appends ": name1 name2 ..." using at most room bytes, ending in
 * " (+K more)" when names are left out, K counting them plus omitted (the
 * names the publisher could not store).  Appends nothing when not one name
 * fits or there are none.  Returns 1 if every stored name was shown.
 * names must be NUL-terminated.
 */
int rpt_names_head(struct rpt_verdict *v, const char *names,
		   uint32_t omitted, size_t room);

/*
 * Appends the whole list on new lines wrapped at RPT_WRAP columns, then
 * "(+K more)" for omitted names.  Nothing when names holds no name.
 */
void rpt_names_wrap(struct rpt_verdict *v, const char *names,
		    uint32_t omitted);

#endif
