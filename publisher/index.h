/* SPDX-License-Identifier: MIT */
/* The package index a check reads: one for every configured repository. */
#ifndef SHMHEALTH_INDEX_H
#define SHMHEALTH_INDEX_H

#include <stddef.h>
#include <stdint.h>

#define PUB_INDEX_PATH_MAX 4096

struct pub_index {
	unsigned present;	/* index files found */
	int64_t newest;		/* their newest mtime, unix seconds; -1: none */
};

/*
 * Reads a list of the index files the configured repositories need, in
 * stanzas with Filename, Optional and Description fields (the output of
 * apt-get indextargets --no-release-info), and
 * looks for each file, plain or compressed.  Returns 0 with *ix filled, or
 * -1 with why set: a required file is missing (why names its repository),
 * none is present (no repository), or the list is unreadable.
 */
int pub_index_check(const char *out, size_t len, struct pub_index *ix,
		    char *why, size_t wlen);

#endif
