/* SPDX-License-Identifier: MIT */
/*
 * The report both programs give: a snapshot, its verdict and the policy
 * applied, in text, JSON, Prometheus text exposition (0.0.4) or a Nagios
 * plugin line.
 *
 * Heap-free and I/O-free: shm-reader prints it from the segment, and
 * shm-publisher writes the Prometheus text (--textfile) from its own
 * in-memory status, without reading the segment:
 *
 *	struct rpt_judge o = { 0 };	(the published policy as it is)
 *	struct rpt_report r;
 *	char text[RPT_TEXT_MAX], buf[RPT_FORMAT_MAX];
 *	size_t n;
 *
 *	rpt_verdict_room(&r.verdict, text, sizeof(text));
 *	rpt_build(&r, path, &st, shmh_now_mono_ns(), &o);
 *	n = rpt_format(RPT_FMT_PROMETHEUS, &r, buf, sizeof(buf));
 *	write(fd, buf, n);
 *
 * Nothing here keeps state between calls; every function is reentrant and
 * safe to call from any thread on distinct reports.
 */
#ifndef SHMHEALTH_REPORT_FMT_H
#define SHMHEALTH_REPORT_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "report/judge.h"
#include "report/verdict.h"
#include "shm/shm.h"

/*
 * Every format's whole output, final newline included, is shorter than
 * this (Docker keeps 4096 bytes); a buffer of this size never truncates.
 */
/* Output formats (rpt_format() writes them). */
enum rpt_format {
	RPT_FMT_TEXT = 0,	/* the verdict's lines */
	RPT_FMT_JSON,		/* one object on one line */
	RPT_FMT_PROMETHEUS,	/* text exposition format 0.0.4 */
	RPT_FMT_NAGIOS,		/* plugin line, exit 0/1/2/3 */
};

#define RPT_FORMAT_MAX	RPT_TEXT_MAX

/* Nagios plugin states, which are also its exit statuses. */
enum rpt_nagios_state {
	RPT_NAGIOS_OK = 0,
	RPT_NAGIOS_WARNING = 1,
	RPT_NAGIOS_CRITICAL = 2,
	RPT_NAGIOS_UNKNOWN = 3,
};

/* What a format needs.  Filled by rpt_build() or rpt_failed();
 * read-only to the formats. */
struct rpt_report {
	const char *segment;		/* name or path, for display; the
					   caller's storage, never NULL */
	int result;			/* SHMH_OK, or why open/snapshot failed */
	const struct shmh_status *st;	/* the snapshot judged (the caller's
					   storage); NULL unless SHMH_OK */
	int64_t now_mono_ns;		/* when it was judged */
	struct shmh_policy policy;	/* effective: published + overrides;
					   zero unless rpt_trusted() */
	uint64_t max_age_ms;		/* effective heartbeat max age */
	struct rpt_thresholds thr;	/* nagios thresholds; none unless
					   rpt_trusted() */
	struct rpt_verdict verdict;	/* last: its text is mostly unused */
};

/*
 * Judges *st, a snapshot the caller took or holds (the publisher's own
 * status), at now_mono_ns with o's overrides and max age (all zero for
 * the published policy as it is), and fills *r,
 * its verdict in the buffer rpt_verdict_room() gave r->verdict.  segment
 * and st must outlive r.  Never fails: an invalid snapshot gives
 * the unhealthy "invalid segment: ..." verdict.
 */
void rpt_build(struct rpt_report *r, const char *segment,
		      const struct shmh_status *st, int64_t now_mono_ns,
		      const struct rpt_judge *o);

/*
 * Starts a report for a segment that could not be read (result < 0):
 * sets everything but r->verdict, which the caller fills with the
 * unhealthy answer (shm-reader: rdr_verdict_refused()).
 */
void rpt_failed(struct rpt_report *r, const char *segment, int result,
		       int64_t now_mono_ns);

/* Whether r->st was read and passed validation, so its fields may be
 * shown.  When not, the formats show only the verdict and the segment. */
int rpt_trusted(const struct rpt_report *r);

/*
 * Writes report r in format f into buf[0..len) and NUL-terminates it (when
 * len > 0).  Returns the bytes written, NUL not counted: the whole output,
 * final newline included, when len >= RPT_FORMAT_MAX.  A shorter buffer
 * gets what fits: json tries shorter forms first, then like prometheus
 * and nagios stops between two pieces (a member, a line); text is cut.
 * Either may not parse.  No I/O, no heap, no locale (numbers in "C" form).
 */
size_t rpt_format(enum rpt_format f, const struct rpt_report *r, char *buf,
		  size_t len);

/*
 * The exit status for r in format f: 0 healthy, 1 unhealthy, except
 * nagios, whose state is its status (rpt_nagios_state()).
 */
int rpt_format_exit(enum rpt_format f, const struct rpt_report *r);

/*
 * The Nagios state for r, after the plugin guidelines: UNKNOWN when the
 * segment is missing, unreadable, refused or invalid, and when the update
 * check cannot tell (rule check, or starting when that is unhealthy);
 * CRITICAL for a stopped or dead publisher and a failing probe.  For
 * updates (rules updates and ok): with r->thr's thresholds, WARNING or
 * CRITICAL above them; without one, WARNING when pending updates make the
 * verdict unhealthy, CRITICAL if one of them is a security update.  OK
 * otherwise.
 */
enum rpt_nagios_state rpt_nagios_state(const struct rpt_report *r);

/* Whether r's update check has a result to show: a check configured
 * (rpt_check_off()) that has succeeded.  r must be trusted. */
int rpt_known(const struct rpt_report *r);

/* The rule's name as JSON gives it: "segment", "heartbeat", "stopped",
 * "starting", "check", "updates", "probe", "ok". */
const char *rpt_rule_name(enum rpt_rule rule);

/* The formats rpt_format() dispatches to; same contract. */
size_t rpt_fmt_text(const struct rpt_report *r, char *buf, size_t len);
size_t rpt_fmt_json(const struct rpt_report *r, char *buf, size_t len);
size_t rpt_fmt_prometheus(const struct rpt_report *r, char *buf, size_t len);
size_t rpt_fmt_nagios(const struct rpt_report *r, char *buf, size_t len);

#endif
