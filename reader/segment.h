/* SPDX-License-Identifier: MIT */
/*
 * The reader's side of the segment: open, snapshot, close, and rule 1 of
 * the verdict, the answer when any of that fails.  The only part of
 * reader/ that does I/O on the segment.
 */
#ifndef SHMHEALTH_RDR_SEGMENT_H
#define SHMHEALTH_RDR_SEGMENT_H

#include "report/fmt.h"
#include "reader/options.h"
#include "report/verdict.h"
#include "shm/shm.h"

/*
 * Opens o->segment with o's refusal options, copies a consistent snapshot
 * into *st with pread() (one snapshot: cheaper than a mapping) and closes
 * it again.  Returns SHMH_OK, or a negative SHMH_E* code
 * with v set to the unhealthy answer.
 */
int rdr_read_segment(const struct rdr_options *o, struct shmh_status *st,
		     struct rpt_verdict *v);

/*
 * Fills v with the unhealthy answer for a failed shmh_open_segment() or
 * shmh_snapshot() (result < 0) on m, opened with o.
 */
void rdr_verdict_refused(int result, const struct shmh_map *m,
			 const struct rdr_options *o, struct rpt_verdict *v);

/*
 * What shm-reader does: reads o->segment as rdr_read_segment() does, into
 * *m and *st, and fills *r, judged (rpt_build()) or refused, its
 * verdict in the buffer rpt_verdict_room() gave r->verdict.
 * r->segment points to m->path (or o->segment), r->st to st: m and st
 * must outlive r.  A segment read successfully stays open until the
 * process exits: for a program that exits next.
 */
void rdr_report_read(struct rpt_report *r, struct shmh_status *st,
		     struct shmh_map *m, const struct rdr_options *o);

#endif
