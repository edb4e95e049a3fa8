/* SPDX-License-Identifier: MIT */
/*
 * Writes the fuzz seed corpus from real segments (tests/fuzz/make-corpus.sh
 * makes them with shm-publisher): each segment as it is, its status copy,
 * and damaged variants of the first one, each breaking one rule the
 * reader checks (layout, ranges, strings, times) or pressing one of its
 * limits (long and hostile strings, widest counts).  Offsets come from the
 * layout itself, so the seeds follow it when it changes.
 *
 *	mkseed DIR NAME=SEGMENT...
 *
 * writes DIR/segment/NAME (segment files) and DIR/status/NAME (status
 * copies, tests/fuzz/fuzz_status.c's input).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shm/shm.h"

#define S	1000000000LL

static const char *dir;

static void die(const char *what, const char *name)
{
	fprintf(stderr, "mkseed: %s: %s\n", name, what);
	exit(1);
}

static void put(const char *kind, const char *name, const void *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, kind, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		die(strerror(errno), path);
}

static void load(const char *path, struct shmh_segment *seg)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL)
		die(strerror(errno), path);
	n = fread(seg, 1, sizeof(*seg), f);
	if (n != sizeof(*seg) || fgetc(f) != EOF)
		die("not the size of a segment", path);
	fclose(f);
	if (memcmp(seg->hdr.magic, SHMH_MAGIC, SHMH_MAGIC_LEN) != 0)
		die("not a segment", path);
}

/* A segment whose both copies hold st (seq even). */
static void put_both(const char *name, const struct shmh_segment *base,
		     const struct shmh_status *st)
{
	struct shmh_segment seg = *base;

	seg.hdr.seq = 0;
	seg.copy[0] = *st;
	seg.copy[1] = *st;
	put("segment", name, &seg, sizeof(seg));
}

/* ---- the layout broken: segment files only ---- */

static void header_variants(const struct shmh_segment *base)
{
	struct shmh_segment seg;
	char big[sizeof(seg) + 1];

#define VARIANT(name, change) \
	do { seg = *base; change; put("segment", name, &seg, sizeof(seg)); } \
	while (0)
	VARIANT("hdr-magic", seg.hdr.magic[7] = '2');
	VARIANT("hdr-version", seg.hdr.layout_version = 2);
	VARIANT("hdr-header-size", seg.hdr.header_size = 128);
	VARIANT("hdr-total-size", seg.hdr.total_size = 1ull << 40);
	VARIANT("hdr-status-size", seg.hdr.status_size -= 8);
	/* Copy 1 in use, copy 0 junk: the snapshot must take copy 1. */
	VARIANT("seq-odd", (seg.hdr.seq = 7, seg.copy[1] = base->copy[0],
			    memset(&seg.copy[0], 0xa5, sizeof(seg.copy[0]))));
	/* The header's padding is the harness's control: 0xff first makes
	 * the file group-writable, which the reader refuses. */
	VARIANT("ctl-writable", seg.hdr.pad[0] = 0xff);
#undef VARIANT
	seg = *base;
	put("segment", "size-short", &seg, sizeof(seg) - 1);
	put("segment", "size-header-only", &seg, sizeof(seg.hdr));
	put("segment", "size-half-header", &seg, sizeof(seg.hdr) / 2);
	put("segment", "size-empty", &seg, 0);
	memcpy(big, &seg, sizeof(seg));
	big[sizeof(seg)] = 0;
	put("segment", "size-long", big, sizeof(big));
}

/* ---- the status broken or pressed: status copies ---- */

static int64_t latest(const struct shmh_status *st)
{
	int64_t t = st->heartbeat_mono_ns;

	if (st->update.last_attempt_mono_ns > t)
		t = st->update.last_attempt_mono_ns;
	return t;
}

/* Fills a string field with n copies of unit, NUL-terminated within size
 * unless term is 0. */
static void fill(char *field, size_t size, const char *unit, int term)
{
	size_t u = strlen(unit), i;

	for (i = 0; i + u <= size; i += u)
		memcpy(field + i, unit, u);
	memset(field + i, 'x', size - i);
	if (term)
		field[size - 1] = '\0';
}

/* A list at its widest: every count, names dear to escape. */
static void wide_list(struct shmh_names *l)
{
	l->count = 1000000;
	l->omitted = 1000000;
	fill(l->names, sizeof(l->names), "\\\xff ", 1);
}

static void wide(struct shmh_status *st)
{
	uint32_t i;

	st->pid = INT32_MIN;
	st->heartbeat_count = UINT64_MAX;
	st->heartbeat_wall = INT64_MIN;
	st->started_wall = INT64_MAX;
	st->heartbeat_interval_ms = 24u * 3600u * 1000u;
	st->update.pending = 1000000;
	st->update.security = 1000000;
	st->update.names_omitted = 1000000;
	st->update.consecutive_failures = UINT32_MAX;
	st->update.checks = UINT32_MAX;
	st->update.last_success_wall = INT64_MIN;
	st->policy.max_failures = UINT32_MAX;
	st->policy.on_updates = SHMH_ON_UPDATES_REPORT;
	fill(st->update.backend, sizeof(st->update.backend), "\\\"", 1);
	fill(st->update.error, sizeof(st->update.error), "\x01\"", 1);
	fill(st->update.names, sizeof(st->update.names), "\\a\"b ", 1);
	fill(st->update.versions, sizeof(st->update.versions), "\x01\" \\\n", 1);
	wide_list(&st->update.security_names);
	wide_list(&st->update.held);
	wide_list(&st->update.phased);
	wide_list(&st->update.blocked);
	st->update.index_mono_ns = st->heartbeat_mono_ns;
	st->update.index_wall = INT64_MIN;
	st->update.flags = SHMH_CHECK_SYSTEM_INDEX;
	st->nprobes = SHMH_PROBES;
	for (i = 0; i < SHMH_PROBES; i++) {
		struct shmh_probe *p = &st->probes[i];

		fill(p->name, sizeof(p->name), "\x1f\"", 1);
		p->name[0] = (char)('a' + i);
		fill(p->output, sizeof(p->output), "\xe2\x80\xa8|", 1);
		p->status = INT32_MIN;
		p->duration_ms = UINT32_MAX;
		p->consecutive_failures = UINT32_MAX;
		p->retries = 0;
		p->last_run_mono_ns = st->heartbeat_mono_ns;
		p->last_run_wall = INT64_MAX;
	}
}

/* Hostile bytes: line breaks, escapes, '|', bad UTF-8, a UTF-8 sequence
 * cut at the array's end. */
static void hostile(struct shmh_status *st)
{
	snprintf(st->update.error, sizeof(st->update.error),
		 "E: fail\nforged line\x1b[31m red | \"q\" \\ \xff\xc3(");
	fill(st->update.names, sizeof(st->update.names), "\xc3\xa9t\xc3\xa9\t", 1);
	st->update.names[sizeof(st->update.names) - 2] = '\xe2';
	st->update.pending = 1000;
	st->update.security = 999;
	if (st->nprobes > 0)
		snprintf(st->probes[0].output, sizeof(st->probes[0].output),
			 "down|perf=1 \r\n\x7f\xed\xa0\x80 surrogate");
}

/* Every probe named alike and failing: one series each, one message. */
static void probes_alike(struct shmh_status *st)
{
	uint32_t i;

	for (i = 0; i < SHMH_PROBES; i++) {
		st->probes[i] = st->probes[0];
		snprintf(st->probes[i].name, sizeof(st->probes[i].name), "db");
		st->probes[i].consecutive_failures = 3;
		st->probes[i].retries = 3;
		st->probes[i].last_run_mono_ns = st->heartbeat_mono_ns;
		st->probes[i].status = -9;
		st->probes[i].output[0] = '\0';
	}
	st->nprobes = SHMH_PROBES;
}

/* The last probe in use, where the reader checks strings last. */
static uint32_t last_probe(const struct shmh_status *st)
{
	return st->nprobes > 0 && st->nprobes <= SHMH_PROBES ?
		st->nprobes - 1 : 0;
}

/* Two names that differ only in bytes that are not UTF-8: one label value
 * in Prometheus, which must still be one series (a bug the fuzzer found). */
static void probe_names_fffd(struct shmh_status *st)
{
	uint32_t i;

	for (i = 0; i < 2; i++) {
		st->probes[i] = st->probes[0];
		snprintf(st->probes[i].name, SHMH_PROBE_NAME_LEN, "db\xff%c",
			 i == 0 ? '\xfe' : '\xff');
		st->probes[i].last_run_mono_ns = st->heartbeat_mono_ns;
	}
	if (st->nprobes < 2)
		st->nprobes = 2;
}

struct variant {
	const char *name;
	void (*change)(struct shmh_status *st);
	int earlier;	/* read 1.5 s before the latest time */
};

#define CHANGE(fn, body) static void fn(struct shmh_status *st) { body; }
CHANGE(state_0, st->state = 0)
CHANGE(state_5, st->state = 5)
CHANGE(stopped, st->state = SHMH_STATE_STOPPED)
CHANGE(stopping, st->state = SHMH_STATE_STOPPING)
CHANGE(starting, (st->state = SHMH_STATE_STARTING,
		  st->update.last_attempt_mono_ns = 0,
		  st->update.last_success_mono_ns = 0, st->update.running = 1))
CHANGE(no_heartbeat, st->heartbeat_mono_ns = 0)
CHANGE(interval_0, st->heartbeat_interval_ms = 0)
CHANGE(interval_2d, st->heartbeat_interval_ms = 2u * 86400u * 1000u)
CHANGE(nprobes_9, st->nprobes = SHMH_PROBES + 1)
CHANGE(nprobes_max, st->nprobes = UINT32_MAX)
CHANGE(pending_huge, st->update.pending = 1000001)
CHANGE(security_over, st->update.security = (int32_t)st->update.pending + 1)
CHANGE(security_neg, st->update.security = -2)
CHANGE(omitted_over, st->update.names_omitted = st->update.pending + 1)
CHANGE(on_updates_2, st->policy.on_updates = 2)
CHANGE(security_only_2, st->policy.security_only = 2)
CHANGE(starting_2, st->policy.starting_healthy = 2)
CHANGE(grace_neg, st->policy.grace_s = -1)
CHANGE(check_age_neg, st->policy.max_success_age_s = INT64_MIN)
CHANGE(grace_max, (st->policy.grace_s = INT64_MAX,
		   st->policy.max_success_age_s = INT64_MAX))
CHANGE(unterm_backend, fill(st->update.backend, SHMH_BACKEND_LEN, "a", 0))
CHANGE(unterm_error, fill(st->update.error, SHMH_ERROR_LEN, "e", 0))
CHANGE(unterm_names, fill(st->update.names, SHMH_NAMES_LEN, "n ", 0))
CHANGE(unterm_probe_name, fill(st->probes[0].name, SHMH_PROBE_NAME_LEN, "p", 0))
CHANGE(unterm_probe_output, fill(st->probes[last_probe(st)].output,
				 SHMH_PROBE_OUTPUT_LEN, "o", 0))
CHANGE(future_heartbeat, st->heartbeat_mono_ns = latest(st) + 10 * S)
CHANGE(future_probe, st->probes[0].last_success_mono_ns = latest(st) + S)
CHANGE(negative_started, st->started_mono_ns = -1)
CHANGE(report_only, (st->policy.on_updates = SHMH_ON_UPDATES_REPORT,
		     st->probes[0].consecutive_failures = 5))
CHANGE(security_unknown, (st->policy.security_only = 1,
			  st->update.security = SHMH_SECURITY_UNKNOWN))
CHANGE(check_failing, (st->update.consecutive_failures = 4,
		       st->policy.max_failures = 3,
		       snprintf(st->update.error, SHMH_ERROR_LEN, "%s",
				"apt-get update: exit status 100")))
CHANGE(check_off, (st->update.flags = SHMH_CHECK_OFF,
		   st->update.last_attempt_mono_ns = 0))
CHANGE(flags_bad, st->update.flags = 1u << 7)
CHANGE(failed_never, (st->update.last_success_mono_ns = 0,
		      st->update.consecutive_failures = 1))
CHANGE(index_stale, (st->update.flags = SHMH_CHECK_SYSTEM_INDEX,
		     st->update.index_mono_ns = 1,
		     st->update.index_wall = 1000,
		     st->policy.max_success_age_s = 60))
CHANGE(future_index, st->update.index_mono_ns = latest(st) + 10 * S)
CHANGE(withheld, (snprintf(st->update.held.names, SHMH_LIST_LEN, "a b"),
		  st->update.held.count = 3, st->update.held.omitted = 1,
		  snprintf(st->update.versions, SHMH_VERSIONS_LEN, "%s",
			   "1 2\n- 3\nx\n1 2 3\n\t\n"),
		  st->update.phased.count = 1, st->update.blocked.count = 1))
CHANGE(list_omitted_over, (st->update.held.count = 1,
			   st->update.held.omitted = 2))
CHANGE(security_names_over, (st->update.security_names.count =
			     st->update.pending + 1))
CHANGE(unterm_versions, fill(st->update.versions, SHMH_VERSIONS_LEN, "1 ", 0))
CHANGE(unterm_held, fill(st->update.held.names, SHMH_LIST_LEN, "h ", 0))
CHANGE(all_ones, memset(st, 0xff, sizeof(*st)))
CHANGE(all_zero, memset(st, 0, sizeof(*st)))
#undef CHANGE

static const struct variant variants[] = {
	{ "state-0", state_0, 0 }, { "state-5", state_5, 0 },
	{ "stopped", stopped, 0 }, { "stopping", stopping, 0 },
	{ "starting", starting, 0 }, { "no-heartbeat", no_heartbeat, 0 },
	{ "interval-0", interval_0, 0 }, { "interval-2d", interval_2d, 0 },
	{ "nprobes-9", nprobes_9, 0 }, { "nprobes-max", nprobes_max, 0 },
	{ "pending-huge", pending_huge, 0 },
	{ "security-over", security_over, 0 },
	{ "security-neg", security_neg, 0 },
	{ "omitted-over", omitted_over, 0 },
	{ "on-updates-2", on_updates_2, 0 },
	{ "security-only-2", security_only_2, 0 },
	{ "starting-2", starting_2, 0 }, { "grace-neg", grace_neg, 0 },
	{ "check-age-neg", check_age_neg, 0 }, { "grace-max", grace_max, 0 },
	{ "unterm-backend", unterm_backend, 0 },
	{ "unterm-error", unterm_error, 0 },
	{ "unterm-names", unterm_names, 0 },
	{ "unterm-probe-name", unterm_probe_name, 0 },
	{ "unterm-probe-output", unterm_probe_output, 0 },
	{ "future-heartbeat", future_heartbeat, 1 },
	{ "future-probe", future_probe, 1 },
	{ "negative-started", negative_started, 0 },
	{ "report-only", report_only, 0 },
	{ "security-unknown", security_unknown, 0 },
	{ "check-failing", check_failing, 0 },
	{ "hostile-strings", hostile, 0 }, { "wide-counts", wide, 0 },
	{ "probes-alike", probes_alike, 0 },
	{ "probe-names-fffd", probe_names_fffd, 0 },
	{ "check-off", check_off, 0 }, { "flags-bad", flags_bad, 0 },
	{ "failed-never", failed_never, 0 },
	{ "index-stale", index_stale, 0 },
	{ "future-index", future_index, 1 },
	{ "withheld", withheld, 0 },
	{ "list-omitted-over", list_omitted_over, 0 },
	{ "security-names-over", security_names_over, 0 },
	{ "unterm-versions", unterm_versions, 0 },
	{ "unterm-held", unterm_held, 0 },
	{ "all-ones", all_ones, 0 }, { "all-zero", all_zero, 0 },
};

/* These also go in the segment corpus, inside a valid header. */
static const char *const in_segment[] = {
	"hostile-strings", "wide-counts", "unterm-names", "future-heartbeat",
	"nprobes-max", "stopped", "probe-names-fffd",
};

/*
 * The control bytes after a status copy, in the order fuzz_status.c and
 * judge.c take them: seq (8), wall (8), how (1: the second read's clock
 * is 1 "earlier"), the first report's short format (1) and length (2),
 * then how much earlier (4, ns).
 */
static size_t earlier_ctl(uint8_t *ctl)
{
	uint32_t d = 1500000000u;
	size_t n = 0;

	memset(ctl, 0, 20);
	n += 8 + 8;
	ctl[n++] = 1;
	n += 1 + 2;
	memcpy(ctl + n, &d, sizeof(d));	/* little-endian, as fz_take() */
	return n + sizeof(d);
}

static void status_variants(const struct shmh_segment *base)
{
	uint8_t buf[sizeof(struct shmh_status) + 32];
	struct shmh_status st;
	size_t i, k, n;

	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		st = base->copy[base->hdr.seq & 1];
		variants[i].change(&st);
		memcpy(buf, &st, sizeof(st));
		n = sizeof(st);
		if (variants[i].earlier)
			n += earlier_ctl(buf + n);
		put("status", variants[i].name, buf, n);
		for (k = 0; k < sizeof(in_segment) / sizeof(in_segment[0]); k++)
			if (strcmp(in_segment[k], variants[i].name) == 0)
				put_both(variants[i].name, base, &st);
	}
}

int main(int argc, char *argv[])
{
	struct shmh_segment seg, base;
	char name[256];
	const char *eq;
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: mkseed DIR NAME=SEGMENT...\n");
		return 1;
	}
	dir = argv[1];
	for (i = 2; i < argc; i++) {
		eq = strchr(argv[i], '=');
		if (eq == NULL || eq == argv[i] || (size_t)(eq - argv[i]) >= 64)
			die("not NAME=SEGMENT", argv[i]);
		snprintf(name, sizeof(name), "%.*s", (int)(eq - argv[i]),
			 argv[i]);
		load(eq + 1, &seg);
		if (i == 2)
			base = seg;
		put("segment", name, &seg, sizeof(seg));
		put("status", name, &seg.copy[seg.hdr.seq & 1],
		    sizeof(seg.copy[0]));
	}
	header_variants(&base);
	status_variants(&base);
	return 0;
}
