/* SPDX-License-Identifier: MIT */
/*
 * SUSE zypper text tables: "zypper list-updates" (zypper; a pending update
 * is NAME.ARCH) and "zypper list-patches" (zypper-patches; needed patches,
 * security by category).  A table is a header row, a "--+--" separator row,
 * then "|"-separated rows; columns are found by their header, so order and
 * widths may change.  Exit statuses 0 and 100-103 carry a valid list; 104
 * to 106 mean a repository was skipped or the run cut short: an error.
 */
#include <stdio.h>
#include <string.h>

#include "publisher/parse.h"
#include "publisher/parse_formats.h"

#define PUB_ZYP_COLS 16

/* What is known about the table being read. */
struct pub_zyp {
	int phase;			/* 0 outside, 1 header seen, 2 rows */
	int patches;			/* list-patches, not list-updates */
	int bad_header;			/* a table without a Name column */
	size_t ncols;
	int name, arch, cat, stat;	/* column indexes, -1 when absent */
};

/* Splits line at '|' into at most max trimmed cells; returns the count. */
static size_t pub_zyp_cells(struct pub_span line, struct pub_span *cell,
			    size_t max)
{
	size_t count = 0, start = 0, i;

	for (i = 0; i <= line.n; i++) {
		struct pub_span s;

		if (i < line.n && line.p[i] != '|')
			continue;
		s.p = line.p + start;
		s.n = i - start;
		if (count < max)
			cell[count] = pub_span_trim(s);
		count++;
		start = i + 1;
	}
	return count;
}

/* 1 if line is a "--+----+---" separator row. */
static int pub_zyp_separator(struct pub_span line)
{
	size_t i;

	if (memchr(line.p, '-', line.n) == NULL)
		return 0;
	for (i = 0; i < line.n; i++)
		if (strchr("-+| \t", line.p[i]) == NULL || line.p[i] == '\0')
			return 0;
	return 1;
}

static int pub_zyp_find(const struct pub_span *cell, size_t n, const char *h)
{
	size_t i;

	for (i = 0; i < n && i < PUB_ZYP_COLS; i++)
		if (pub_span_iis(cell[i], h))
			return (int)i;
	return -1;
}

static void pub_zyp_header(struct pub_zyp *z, const struct pub_span *cell,
			   size_t n)
{
	z->ncols = n;
	z->name = pub_zyp_find(cell, n, "Name");
	z->arch = pub_zyp_find(cell, n, "Arch");
	z->cat = pub_zyp_find(cell, n, "Category");
	z->stat = pub_zyp_find(cell, n, "Status");
	z->phase = 1;
}

/* One table row: a pending package, or a patch if its status is needed. */
static int pub_zyp_row(struct pub_ctx *c, struct pub_zyp *z,
		       const struct pub_span *cell)
{
	struct pub_span name = cell[z->name];
	int sec;

	if (!z->patches) {
		if (!pub_chars_ok(name, "._+-"))
			return 0;
		if (z->arch >= 0 && pub_chars_ok(cell[z->arch], "_"))
			return pub_ctx_add_arch(c, name, cell[z->arch], 0);
		return pub_ctx_add(c, name, 0);
	}
	if (!pub_chars_ok(name, "._+-:") ||
	    (z->stat >= 0 && !pub_span_iis(cell[z->stat], "needed")))
		return 0;
	sec = z->cat >= 0 && pub_span_iis(cell[z->cat], "security");
	return pub_ctx_add(c, name, sec);
}

static int pub_zyp_line(struct pub_ctx *c, struct pub_span line)
{
	struct pub_zyp *z = c->state;
	struct pub_span cell[PUB_ZYP_COLS];
	size_t n;

	if (z->phase == 1 && pub_zyp_separator(line)) {
		z->phase = 2;
		if (z->name < 0)
			z->bad_header = 1;
		return 0;
	}
	if (memchr(line.p, '|', line.n) == NULL) {
		z->phase = 0;		/* a table ends at any other line */
		return 0;
	}
	n = pub_zyp_cells(line, cell, PUB_ZYP_COLS);
	if (z->phase != 2) {
		pub_zyp_header(z, cell, n);
		return 0;
	}
	if (n != z->ncols || n > PUB_ZYP_COLS || z->bad_header)
		return 0;
	return pub_zyp_row(c, z, cell);
}

static int pub_zyp_parse(const char *buf, size_t len, int status,
			 struct pub_result *r, char *err, size_t errlen,
			 int patches)
{
	struct pub_zyp z = { .patches = patches };
	struct pub_ctx c = { r, err, errlen, 0, &z };
	const char *what = patches ? "zypper list-patches" :
			   "zypper list-updates";

	if (status != 0 && (status < 100 || status > 103))
		return pub_fail(err, errlen, what, status, buf, len);
	r->security_known = patches;
	if (pub_each_line(buf, len, pub_zyp_line, &c) != 0)
		return -1;
	if (z.bad_header) {
		/* Counting nothing from a table we cannot read would hide it. */
		snprintf(err, errlen, "%s: a table has no Name column", what);
		return -1;
	}
	return 0;
}

int pub_parse_zypper(const char *buf, size_t len, int status,
		     struct pub_result *r, char *err, size_t errlen)
{
	return pub_zyp_parse(buf, len, status, r, err, errlen, 0);
}

int pub_parse_zypper_patches(const char *buf, size_t len, int status,
			     struct pub_result *r, char *err, size_t errlen)
{
	return pub_zyp_parse(buf, len, status, r, err, errlen, 1);
}
