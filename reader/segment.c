/* SPDX-License-Identifier: MIT */
/*
 * Reads the segment for the verdict (open, snapshot, close) and words rule
 * 1: why there is nothing to judge.  Each answer names the segment and,
 * where the library kept it, the detail a user needs to fix it.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "report/fmt.h"
#include "reader/segment.h"
#include "report/text.h"
#include "shm/util.h"

/* The resolved path when the library got that far, else the name given. */
static const char *segment_label(const struct shmh_map *m,
				 const struct rdr_options *o)
{
	if (memchr(m->path, '\0', sizeof(m->path)) != NULL &&
	    m->path[0] != '\0')
		return m->path;
	return o->segment;
}

/*
 * A path too long for the first line keeps its end, the part that tells
 * segments apart, behind "...": the reason after it must stay whole.
 */
#define SHOWN_PATH_MAX	96

static const char *shown_path(const char *path, char *buf)
{
	size_t n = strlen(path);
	const char *tail;

	if (n <= SHOWN_PATH_MAX)
		return path;
	tail = path + n - (SHOWN_PATH_MAX - 3);
	while (((unsigned char)*tail & 0xc0) == 0x80)
		tail++;	/* never half a UTF-8 character */
	memcpy(buf, "...", 3);
	memcpy(buf + 3, tail, strlen(tail) + 1);
	return buf;
}

/* Refused for its owner: name the uid found and how to accept it. */
static void refused_owner(const struct shmh_map *m, const struct rdr_options *o,
			  struct rpt_verdict *v)
{
	unsigned found = (unsigned)m->found_uid;

	if (o->have_owner)
		rpt_text_printf(v, "owned by uid %u, not root, uid %u or "
				"--owner %u", found, (unsigned)geteuid(),
				(unsigned)o->owner);
	else
		rpt_text_printf(v, "owned by uid %u, not root or uid %u "
				"(--owner %u accepts it)", found,
				(unsigned)geteuid(), found);
}

void rdr_verdict_refused(int result, const struct shmh_map *m,
			 const struct rdr_options *o, struct rpt_verdict *v)
{
	char buf[SHOWN_PATH_MAX + 1];
	const char *path = shown_path(segment_label(m, o), buf);

	rpt_text_reset(v, 0, RPT_RULE_SEGMENT);
	if (result == SHMH_ENOSEG) {
		rpt_text_printf(v, "no segment %s: publisher not started?",
				path);
		return;
	}
	rpt_text_printf(v, "segment %s: ", path);
	switch (result) {
	case SHMH_EVERSION:
		rpt_text_printf(v, "layout version %u, this reader reads %u",
				m->found_version, SHMH_LAYOUT_VERSION);
		break;
	case SHMH_EOWNER:
		refused_owner(m, o, v);
		break;
	case SHMH_EPATH:
		rpt_text_printf(v, "%s (owned by uid %u)", shmh_strerror(result),
				(unsigned)m->found_uid);
		break;
	case SHMH_EACCESS:
	case SHMH_ESYS:
		rpt_text_printf(v, "%s", shmh_strerror(result));
		if (m->saved_errno != 0)
			rpt_text_printf(v, ": %s", strerror(m->saved_errno));
		break;
	default:
		rpt_text_printf(v, "%s", shmh_strerror(result));
		break;
	}
}

/* Opens o->segment as the options say and snapshots it into *st. */
static int rdr_snapshot(const struct rdr_options *o, struct shmh_map *m,
			struct shmh_status *st)
{
	/* One snapshot and exit: reading costs less than mapping. */
	struct shmh_open_opts opts = {
		.have_owner = o->have_owner,
		.owner_uid = o->owner,
		.by_read = 1,
	};
	int r = shmh_open_segment(m, o->segment, &opts);

	return r == SHMH_OK ? shmh_snapshot(m, st) : r;
}

int rdr_read_segment(const struct rdr_options *o, struct shmh_status *st,
		     struct rpt_verdict *v)
{
	struct shmh_map m;
	int r = rdr_snapshot(o, &m, st);

	if (r != SHMH_OK)
		rdr_verdict_refused(r, &m, o, v);
	shmh_close_segment(&m);
	return r;
}

void rdr_report_read(struct rpt_report *r, struct shmh_status *st,
		     struct shmh_map *m, const struct rdr_options *o)
{
	int res = rdr_snapshot(o, m, st);
	const char *label = segment_label(m, o);

	/* The clock read after the snapshot: the ages are then never
	 * negative.  On success the descriptor is left to the exit that
	 * follows, a system call fewer per health check; nothing reads it
	 * again. */
	if (res == SHMH_OK) {
		rpt_build(r, label, st, shmh_now_mono_ns(), &o->judge);
		return;
	}
	rpt_failed(r, label, res, shmh_now_mono_ns());
	rdr_verdict_refused(res, m, o, &r->verdict);
	shmh_close_segment(m);	/* keeps m->path, which label may be */
}
