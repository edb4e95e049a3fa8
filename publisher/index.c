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
	const char *file, *desc, *meta;
	size_t file_n, desc_n, meta_n;
	int optional;
};

/*
 * What the repository's Release file says of a target's uncompressed
 * index (META, as "main/binary-amd64/Packages"): 1 with its size, 0 when
 * it does not list it (nor a compressed form), -1 when there is no
 * Release file.  Its hash lines read " HASH SIZE NAME".
 */
static int pub_release_size(const char *release, const char *meta,
			    size_t meta_n, long long *size)
{
	FILE *f = fopen(release, "re");
	char line[1024], name[512];
	long long n;
	int found = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] != ' ' ||
		    sscanf(line, " %*s %lld %511s", &n, name) != 2 ||
		    strncmp(name, meta, meta_n) != 0)
			continue;
		if (name[meta_n] == '\0') {
			*size = n;
			found = 1;
			break;
		}
		if (name[meta_n] == '.')
			found = 1;	/* a compressed form: listed */
		*size = -1;
	}
	fclose(f);
	return found;
}

/*
 * Why a required target has no index file: apt stores none for an index
 * the repository publishes empty (size 0 in its Release file; Debian's
 * contrib and non-free components of -updates often are).  Returns 0 for
 * such one, or -1 with why set.  The Release file sits beside the target's,
 * named as the target's file with the MetaKey's part replaced.
 */
static int pub_index_absent(const struct pub_target *t, char *why, size_t len)
{
	static const char *const names[] = { "InRelease", "Release", NULL };
	char path[PUB_INDEX_PATH_MAX];
	size_t stem = t->file_n;
	long long size = -1;
	int listed = -1, i;

	if (t->meta != NULL && t->meta_n < t->file_n)
		stem = t->file_n - t->meta_n;
	for (i = 0; names[i] != NULL && listed < 0; i++)
		if ((size_t)snprintf(path, sizeof(path), "%.*s%s", (int)stem,
				     t->file, names[i]) < sizeof(path) &&
		    t->meta != NULL)
			listed = pub_release_size(path, t->meta, t->meta_n,
						  &size);
	if (listed == 1 && size == 0)
		return 0;
	snprintf(why, len, listed == 0 ?
		 "no package index for %.*s: the repository does not "
		 "provide it" :
		 "no package index for %.*s: not fetched (run the refresh, "
		 "or drop --no-refresh)",
		 t->desc ? (int)(t->desc_n < 120 ? t->desc_n : 120) :
		 (int)(t->file_n < 120 ? t->file_n : 120),
		 t->desc ? t->desc : t->file);
	return -1;
}

/* Looks for one target's index.  Returns 0, or -1 with why set for a
 * required one that is missing. */
static int pub_index_target(struct pub_index *ix, const struct pub_target *t,
			    char *why, size_t len)
{
	int64_t m;

	if (t->file == NULL)
		return 0;
	if (t->file_n == 0 || t->file[0] != '/' || t->file_n >= 4000 ||
	    (t->meta != NULL && t->meta_n >= 500)) {
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
	return pub_index_absent(t, why, len);
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
	struct pub_target t = { NULL, NULL, NULL, 0, 0, 0, 0 };
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
		} else if (pub_field(p, n, "MetaKey:", &v, &vn)) {
			t.meta = v;
			t.meta_n = vn;
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
