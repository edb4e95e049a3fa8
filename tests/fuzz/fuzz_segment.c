/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness, segment mode: the input is the bytes of a segment file, any
 * size.  Each is written to a file in a private directory under /dev/shm
 * and read back by shm-reader's own steps (open with the refusal checks,
 * snapshot, judge at the real clock, or rule 1's answer), then judged
 * again at clocks and options the header's padding chooses (the reader
 * never reads it).  A padding byte also picks how the segment is read:
 * with pread() (by_read) as shm-reader does, or through a mapping.  Besides every output's checks, the open must fail or
 * succeed exactly as the header and size say, and the snapshot must be
 * the copy the latch sequence points at.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reader/segment.h"
#include "shm/util.h"
#include "tests/fuzz/fuzz.h"

static char dir[64], path[96];

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/shmhealth-fuzz-XXXXXX", SHMH_DIR);
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/segment", dir);
	atexit(cleanup);
	return 0;
}

/* The input as the segment file, mode 0644 or group-writable 0664. */
static void write_segment(const uint8_t *data, size_t size, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ssize_t n;

	if (fd < 0)
		fz_fail("cannot create the segment file", path);
	while (size > 0) {
		n = write(fd, data, size);
		if (n <= 0)
			fz_fail("cannot write the segment file", path);
		data += n;
		size -= (size_t)n;
	}
	if (fchmod(fd, mode) != 0 || close(fd) != 0)
		fz_fail("cannot finish the segment file", path);
}

/* What shmh_open_segment() must answer for these bytes, in its order. */
static int expected(const uint8_t *data, size_t size, mode_t mode)
{
	struct shmh_header h;

	if (mode & S_IWGRP)
		return SHMH_EWRITABLE;
	if (size < sizeof(h))
		return SHMH_ESIZE;
	memcpy(&h, data, sizeof(h));
	if (memcmp(h.magic, SHMH_MAGIC, SHMH_MAGIC_LEN) != 0)
		return SHMH_EMAGIC;
	if (h.layout_version != SHMH_LAYOUT_VERSION)
		return SHMH_EVERSION;
	if (h.header_size != sizeof(struct shmh_header) ||
	    h.total_size != sizeof(struct shmh_segment) ||
	    h.status_size != sizeof(struct shmh_status))
		return SHMH_EHEADER;
	if (size != sizeof(struct shmh_segment))
		return SHMH_ESIZE;
	return SHMH_OK;
}

/* The copy the header's sequence points at, as the file holds it. */
static void pointed_copy(const uint8_t *data, struct shmh_status *out)
{
	uint64_t seq;

	memcpy(&seq, data + offsetof(struct shmh_header, seq), sizeof(seq));
	memcpy(out, data + offsetof(struct shmh_segment, copy) +
	       (seq & 1) * sizeof(*out), sizeof(*out));
}

/*
 * rdr_report_read()'s steps, but closing the map: that one leaves a
 * segment it read open for the exit that follows, which here never comes
 * (a descriptor, and a mapping, per input would run out).  by_read as
 * shm-reader sets it, or 0 for a mapped reader's path.
 */
static void read_segment(struct rpt_report *r, struct shmh_status *st,
			 const struct rdr_options *o, int by_read,
			 char label[SHMH_PATH_MAX])
{
	struct shmh_open_opts opts = {
		.have_owner = o->have_owner,
		.owner_uid = o->owner,
		.by_read = by_read,
	};
	struct shmh_map m;
	int res;

	res = shmh_open_segment(&m, o->segment, &opts);
	if (res == SHMH_OK)
		res = shmh_snapshot(&m, st);
	snprintf(label, SHMH_PATH_MAX, "%s", m.path[0] != '\0' ? m.path :
		 o->segment);
	if (res == SHMH_OK) {
		rpt_build(r, label, st, shmh_now_mono_ns(), &o->judge);
	} else {
		rpt_failed(r, label, res, shmh_now_mono_ns());
		rdr_verdict_refused(res, &m, o, &r->verdict);
	}
	shmh_close_segment(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_ctl c = { NULL, 0 };
	char label[SHMH_PATH_MAX];
	struct shmh_status st, want;
	struct rdr_options o;
	struct rpt_report r;
	char text[RPT_TEXT_MAX];
	mode_t mode;
	int by_read;

	if (size >= sizeof(struct shmh_header)) {
		c.p = data + offsetof(struct shmh_header, pad);
		c.n = sizeof(((struct shmh_header *)NULL)->pad);
	}
	mode = fz_take(&c, 1) == 0xff ? 0664 : 0644;
	/* An even byte (no control bytes at all included) reads as
	 * shm-reader does; an odd one maps. */
	by_read = !(fz_take(&c, 1) & 1);
	write_segment(data, size, mode);

	rdr_options_init(&o);
	o.segment = path;
	rpt_verdict_room(&r.verdict, text, sizeof(text));
	read_segment(&r, &st, &o, by_read, label);
	if (r.result != expected(data, size, mode))
		fz_fail("open answered otherwise than the header says",
			r.verdict.text);
	fz_check_report(&r, &c);
	if (r.result != SHMH_OK)
		return 0;
	pointed_copy(data, &want);
	if (memcmp(&st, &want, sizeof(st)) != 0)
		fz_fail("snapshot is not the copy the sequence points at", NULL);
	fz_judge(&st, label, &c);
	return 0;
}
