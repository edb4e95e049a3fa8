/* SPDX-License-Identifier: MIT */
/*
 * The package index an update check reads: every configured repository
 * must have one.  A repository whose index was never fetched (a slim image
 * after the lists are deleted, a source added since the last
 * refresh) or no repository at all would otherwise list as "no updates".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "publisher/index.h"

/* How apt may have stored an index file (Acquire::GzipIndexes and the
 * KeepCompressed targets keep it compressed under one of these). */
static const char *const pub_index_suffixes[] = {
	"", ".lz4", ".zst", ".gz", ".xz", ".bz2", ".lzma", NULL
};

/* The newest mtime of path under any suffix; -1 if none exists. */
static int64_t pub_index_mtime(const char *path, size_t n)
{
	char full[PUB_INDEX_PATH_MAX];
	int64_t newest = -1;
	struct stat st;
	size_t i;

	for (i = 0; pub_index_suffixes[i] != NULL; i++) {
		if ((size_t)snprintf(full, sizeof(full), "%.*s%s", (int)n, path,
				     pub_index_suffixes[i]) >= sizeof(full))
			continue;
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_size > 0 && (int64_t)st.st_mtime > newest)
			newest = (int64_t)st.st_mtime;
	}
	return newest;
}

/* One target's fields, as spans of the listing. */
struct pub_target {
	const char *file, *desc;
	size_t file_n, desc_n;
	int optional;
};

/* Looks for one target's index.  Returns 0, or -1 with why set for a
 * required one that is missing. */
static int pub_index_target(struct pub_index *ix, const struct pub_target *t,
			    char *why, size_t len)
{
	int64_t m;

	if (t->file == NULL)
		return 0;
	if (t->file_n == 0 || t->file[0] != '/' || t->file_n >= 4000) {
		snprintf(why, len, "package index list: bad Filename");
		return -1;
	}
	m = pub_index_mtime(t->file, t->file_n);
	if (m >= 0) {
		if (m > ix->newest)
			ix->newest = m;
		ix->present++;
		return 0;
	}
	if (t->optional)
		return 0;
	snprintf(why, len, "no package index for %.*s: not fetched "
		 "(run the refresh, or drop --no-refresh)",
		 t->desc ? (int)(t->desc_n < 120 ? t->desc_n : 120) :
		 (int)(t->file_n < 120 ? t->file_n : 120),
		 t->desc ? t->desc : t->file);
	return -1;
}

/* If line is "FIELD: VALUE", sets *v to VALUE and returns 1. */
static int pub_field(const char *p, size_t n, const char *field,
		     const char **v, size_t *vn)
{
	size_t f = strlen(field);

	if (n < f || strncasecmp(p, field, f) != 0)
		return 0;
	*v = p + f;
	*vn = n - f;
	while (*vn > 0 && (**v == ' ' || **v == '\t')) {
		(*v)++;
		(*vn)--;
	}
	return 1;
}

int pub_index_check(const char *out, size_t len, struct pub_index *ix,
		    char *why, size_t wlen)
{
	const char *p = out, *end = out + len, *v;
	struct pub_target t = { NULL, NULL, 0, 0, 0 };
	size_t vn;

	ix->present = 0;
	ix->newest = -1;
	if (memchr(out, '\0', len) != NULL) {
		snprintf(why, wlen, "package index list: NUL byte");
		return -1;
	}
	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		/* A blank line (or the end) closes a stanza. */
		if (n == 0 || nl == NULL) {
			if (pub_index_target(ix, &t, why, wlen) != 0)
				return -1;
			memset(&t, 0, sizeof(t));
		} else if (pub_field(p, n, "Filename:", &v, &vn)) {
			t.file = v;
			t.file_n = vn;
		} else if (pub_field(p, n, "Description:", &v, &vn)) {
			t.desc = v;
			t.desc_n = vn;
		} else if (pub_field(p, n, "Optional:", &v, &vn)) {
			t.optional = vn == 3 && memcmp(v, "yes", 3) == 0;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (ix->present == 0) {
		snprintf(why, wlen, "no package index: no repository is "
			 "configured, or none was fetched");
		return -1;
	}
	return 0;
}
