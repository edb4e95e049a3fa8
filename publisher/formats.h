/* SPDX-License-Identifier: MIT */
/*
 * The table of output formats: each name a parser of parse_formats.h, as
 * --update-format and `shm-publisher parse` take it.  Above the parsers,
 * so that they and the helpers they share (parse.h) never call up to it.
 */
#ifndef SHMHEALTH_FORMATS_H
#define SHMHEALTH_FORMATS_H

#include <stddef.h>

#include "publisher/parse.h"

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

#endif
