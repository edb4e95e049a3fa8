/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness, status mode: the input is one copy of the status (struct
 * shmh_status, cut or zero-filled to its size) and then control bytes.  It
 * goes into an otherwise valid segment in memory, in the copy the latch
 * sequence points at, the other copy junk, so every input is past the
 * header checks and the fuzzer's time goes to validation, verdict and
 * formats.  shmh_snapshot() must hand back exactly that copy.  A second,
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
	SHMH_ENOSEG, SHMH_EACCESS, SHMH_ENOTREG, SHMH_EWRITABLE, SHMH_EOWNER,
	SHMH_ESIZE, SHMH_EMAGIC, SHMH_EVERSION, SHMH_EHEADER, SHMH_EBUSY,
	SHMH_ETRUNC, SHMH_ENAME, SHMH_EINUSE, SHMH_ESYS, SHMH_ENOTSEG,
	SHMH_ECREATE, SHMH_EPATH, SHMH_ELOCK, -99,
};

static struct shmh_segment seg;

/* shmh_snapshot() reads only a reader's map, one under the SIGBUS guard
 * that shmh_open_segment() installs; this one is installed for good. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (shmh_guard_install() != SHMH_OK) {
		fprintf(stderr, "fuzz_status: cannot install the SIGBUS guard\n");
		exit(1);
	}
	return 0;
}

/* The in-memory segment: a valid header, the input in the copy seq
 * points at. */
static void build(const struct shmh_status *in, uint64_t seq)
{
	memset(&seg.hdr, 0, sizeof(seg.hdr));
	memcpy(seg.hdr.magic, SHMH_MAGIC, SHMH_MAGIC_LEN);
	seg.hdr.layout_version = SHMH_LAYOUT_VERSION;
	seg.hdr.header_size = sizeof(struct shmh_header);
	seg.hdr.total_size = sizeof(struct shmh_segment);
	seg.hdr.status_size = sizeof(struct shmh_status);
	seg.hdr.seq = seq;
	seg.copy[seq & 1] = *in;
	memset(&seg.copy[!(seq & 1)], 0xa5, sizeof(seg.copy[0]));
}

/* Rule 1 for a segment that could not be read, its path the input's
 * bytes (a --segment value may hold any). */
static void refused(const struct shmh_status *in, struct fz_ctl *c)
{
	size_t nfail = sizeof(failures) / sizeof(failures[0]);
	int result = failures[fz_take(c, 1) % nfail];
	struct rdr_options o;
	struct rpt_report r;
	char text[RPT_TEXT_MAX];
	struct shmh_map m;

	shmh_map_init(&m);
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
			  shmh_now_mono_ns());
	rdr_verdict_refused(result, &m, &o, &r.verdict);
	fz_check_report(&r, c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = size < sizeof(struct shmh_status) ? size :
		sizeof(struct shmh_status);
	struct fz_ctl c = { data + n, size - n };
	struct shmh_status in, st;
	struct shmh_map m;

	memset(&in, 0, sizeof(in));
	memcpy(&in, data, n);
	build(&in, fz_take(&c, 8));
	shmh_map_init(&m);
	m.seg = &seg;
	m.size = sizeof(seg);
	m.guarded = 1;
	if (shmh_snapshot(&m, &st) != SHMH_OK ||
	    memcmp(&st, &in, sizeof(st)) != 0)
		fz_fail("snapshot is not the copy the sequence points at", NULL);
	fz_judge(&st, LABEL, &c);
	refused(&in, &c);
	return 0;
}
