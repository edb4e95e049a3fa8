/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness, status mode: the input is one copy of the status (struct
 * shm_status, cut or zero-filled to its size) and then control bytes.  It
 * goes into an otherwise valid segment in memory, in the copy the latch
 * sequence points at, the other copy junk, so every input is past the
 * header checks and the fuzzer's time goes to validation, verdict and
 * formats.  shm_snapshot() must hand back exactly that copy.  A second,
 * refused report, with a result code, path and errno from the input,
 * covers rule 1's wording.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader/segment.h"
#include "shm/private.h"
#include "shm/util.h"
#include "tests/fuzz/fuzz.h"

#define LABEL "/dev/shm/shmhealth"

/* Every result a failed open or snapshot can give, and one it cannot. */
static const int failures[] = {
	SHM_ENOSEG, SHM_EACCESS, SHM_ENOTREG, SHM_EWRITABLE, SHM_EOWNER,
	SHM_ESIZE, SHM_EMAGIC, SHM_EVERSION, SHM_EHEADER, SHM_EBUSY,
	SHM_ETRUNC, SHM_ENAME, SHM_EINUSE, SHM_ESYS, SHM_ENOTSEG,
	SHM_ECREATE, SHM_EPATH, SHM_ELOCK, -99,
};

static struct shm_segment seg;

/* shm_snapshot() reads only a reader's map, one under the SIGBUS guard
 * that shm_open_segment() installs; this one is installed for good. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (shm_guard_install() != SHM_OK) {
		fprintf(stderr, "fuzz_status: cannot install the SIGBUS guard\n");
		exit(1);
	}
	return 0;
}

/* The in-memory segment: a valid header, the input in the copy seq
 * points at. */
static void build(const struct shm_status *in, uint64_t seq)
{
	memset(&seg.hdr, 0, sizeof(seg.hdr));
	memcpy(seg.hdr.magic, SHM_MAGIC, SHM_MAGIC_LEN);
	seg.hdr.layout_version = SHM_LAYOUT_VERSION;
	seg.hdr.header_size = sizeof(struct shm_header);
	seg.hdr.total_size = sizeof(struct shm_segment);
	seg.hdr.status_size = sizeof(struct shm_status);
	seg.hdr.seq = seq;
	seg.copy[seq & 1] = *in;
	memset(&seg.copy[!(seq & 1)], 0xa5, sizeof(seg.copy[0]));
}

/* Rule 1 for a segment that could not be read, its path the input's
 * bytes (a --segment value may hold any). */
static void refused(const struct shm_status *in, struct fz_ctl *c)
{
	size_t nfail = sizeof(failures) / sizeof(failures[0]);
	int result = failures[fz_take(c, 1) % nfail];
	struct rdr_options o;
	struct rpt_report r;
	char text[RPT_TEXT_MAX];
	struct shm_map m;

	shm_map_init(&m);
	rdr_options_init(&o);
	rpt_verdict_room(&r.verdict, text, sizeof(text));
	if (fz_take(c, 1) & 1)
		memcpy(m.path, in->update.names, sizeof(m.path));
	m.saved_errno = (int)fz_take(c, 2);
	m.found_version = (uint32_t)fz_take(c, 4);
	m.found_uid = (uid_t)fz_take(c, 4);
	o.have_owner = (int)fz_take(c, 1) & 1;
	o.owner = (uid_t)fz_take(c, 4);
	rpt_failed(&r, m.path[0] != '\0' ? m.path : o.segment, result,
			  shm_now_mono_ns());
	rdr_verdict_refused(result, &m, &o, &r.verdict);
	fz_check_report(&r, c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = size < sizeof(struct shm_status) ? size :
		sizeof(struct shm_status);
	struct fz_ctl c = { data + n, size - n };
	struct shm_status in, st;
	struct shm_map m;

	memset(&in, 0, sizeof(in));
	memcpy(&in, data, n);
	build(&in, fz_take(&c, 8));
	shm_map_init(&m);
	m.seg = &seg;
	m.size = sizeof(seg);
	m.guarded = 1;
	if (shm_snapshot(&m, &st) != SHM_OK ||
	    memcmp(&st, &in, sizeof(st)) != 0)
		fz_fail("snapshot is not the copy the sequence points at", NULL);
	fz_judge(&st, LABEL, &c);
	refused(&in, &c);
	return 0;
}
