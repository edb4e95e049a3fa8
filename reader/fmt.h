/* SPDX-License-Identifier: MIT */
/*
 * shm-reader's output formats: text, JSON, Prometheus text exposition
 * (0.0.4) and a Nagios plugin line, all written from one report (a
 * snapshot, its verdict and the policy applied).
 *
 * Heap-free and I/O-free, so that shm-publisher can link it and write the
 * Prometheus text (--textfile) from its own in-memory status, without
 * reading the segment:
 *
 *	struct rdr_options o;
 *	struct rdr_report r;
 *	char text[RDR_TEXT_MAX], buf[RDR_FORMAT_MAX];
 *	size_t n;
 *
 *	rdr_options_init(&o);
 *	rdr_verdict_room(&r.verdict, text, sizeof(text));
 *	rdr_report_build(&r, path, &st, shm_now_mono_ns(), &o);
 *	n = rdr_format(RDR_FMT_PROMETHEUS, &r, buf, sizeof(buf));
 *	write(fd, buf, n);
 *
 * Nothing here keeps state between calls; every function is reentrant and
 * safe to call from any thread on distinct reports.
 */
#ifndef SHMHEALTH_RDR_FMT_H
#define SHMHEALTH_RDR_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "reader/options.h"
#include "reader/verdict.h"
#include "shm/shm.h"

/*
 * Every format's whole output, final newline included, is shorter than
 * this (Docker keeps 4096 bytes); a buffer of this size never truncates.
 */
#define RDR_FORMAT_MAX	RDR_TEXT_MAX

/* Nagios plugin states, which are also its exit statuses. */
enum rdr_nagios_state {
	RDR_NAGIOS_OK = 0,
	RDR_NAGIOS_WARNING = 1,
	RDR_NAGIOS_CRITICAL = 2,
	RDR_NAGIOS_UNKNOWN = 3,
};

/* What a format needs.  Filled by rdr_report_build() or rdr_report_failed();
 * read-only to the formats. */
struct rdr_report {
	const char *segment;		/* name or path, for display; the
					   caller's storage, never NULL */
	int result;			/* SHM_OK, or why open/snapshot failed */
	const struct shm_status *st;	/* the snapshot judged (the caller's
					   storage); NULL unless SHM_OK */
	int64_t now_mono_ns;		/* when it was judged */
	struct shm_policy policy;	/* effective: published + overrides;
					   zero unless rdr_report_trusted() */
	uint64_t max_age_ms;		/* effective heartbeat max age */
	struct rdr_thresholds thr;	/* nagios thresholds; none unless
					   rdr_report_trusted() */
	struct rdr_verdict verdict;	/* last: its text is mostly unused */
};

/*
 * Judges *st, a snapshot the caller took or holds (the publisher's own
 * status), at now_mono_ns with o's overrides and max age
 * (rdr_options_init() for the published policy as is), and fills *r,
 * its verdict in the buffer rdr_verdict_room() gave r->verdict.  segment
 * and st must outlive r.  Never fails: an invalid snapshot gives
 * the unhealthy "invalid segment: ..." verdict.
 */
void rdr_report_build(struct rdr_report *r, const char *segment,
		      const struct shm_status *st, int64_t now_mono_ns,
		      const struct rdr_options *o);

/*
 * Starts a report for a segment that could not be read (result < 0):
 * sets everything but r->verdict, which the caller fills with the
 * unhealthy answer (rdr_verdict_refused() in reader/segment.h).
 */
void rdr_report_failed(struct rdr_report *r, const char *segment, int result,
		       int64_t now_mono_ns);

/* Whether r->st was read and passed validation, so its fields may be
 * shown.  When not, the formats show only the verdict and the segment. */
int rdr_report_trusted(const struct rdr_report *r);

/*
 * Writes report r in format f into buf[0..len) and NUL-terminates it (when
 * len > 0).  Returns the bytes written, NUL not counted: the whole output,
 * final newline included, when len >= RDR_FORMAT_MAX.  A shorter buffer
 * gets what fits: json tries shorter forms first, then like prometheus
 * and nagios stops between two pieces (a member, a line); text is cut.
 * Either may not parse.  No I/O, no heap, no locale (numbers in "C" form).
 */
size_t rdr_format(enum rdr_format f, const struct rdr_report *r, char *buf,
		  size_t len);

/*
 * The exit status for r in format f: 0 healthy, 1 unhealthy, except
 * nagios, whose state is its status (rdr_nagios_state()).
 */
int rdr_format_exit(enum rdr_format f, const struct rdr_report *r);

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
enum rdr_nagios_state rdr_nagios_state(const struct rdr_report *r);

/* Whether r's update check has a result to show: a check configured
 * (rdr_check_off()) that has succeeded.  r must be trusted. */
int rdr_report_known(const struct rdr_report *r);

/* The rule's name as JSON gives it: "segment", "heartbeat", "stopped",
 * "starting", "check", "updates", "probe", "ok". */
const char *rdr_rule_name(enum rdr_rule rule);

/* The formats rdr_format() dispatches to; same contract. */
size_t rdr_fmt_text(const struct rdr_report *r, char *buf, size_t len);
size_t rdr_fmt_json(const struct rdr_report *r, char *buf, size_t len);
size_t rdr_fmt_prometheus(const struct rdr_report *r, char *buf, size_t len);
size_t rdr_fmt_nagios(const struct rdr_report *r, char *buf, size_t len);

#endif
