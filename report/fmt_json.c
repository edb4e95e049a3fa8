/* SPDX-License-Identifier: MIT */
/*
 * The JSON format: one object on one line with the keys shm-reader(1)
 * documents (fmt.h's report, spelled out below).  Every string from the
 * segment is escaped whatever its bytes, and the whole stays under
 * RPT_FORMAT_MAX by listing fewer package names (each list counts what it
 * leaves out) and then cutting long strings with "...", never by dropping
 * a key.
 */
#include <stdio.h>
#include <string.h>

#include "report/buf.h"
#include "report/fmt.h"
#include "report/names.h"

#define NO_CAP ((size_t)-1)

/* How many escaped bytes each string from the segment may take. */
struct caps {
	size_t reason, segment, error, probe_name, probe_output, version;
};

/*
 * Tried in order until the object fits.  The last is small enough for any
 * segment: with every count at its widest and eight probes it comes to
 * about 3.5 KB (tests/check_report_fmt.c's worst case checks it).
 */
static const struct caps levels[] = {
	{ NO_CAP, NO_CAP, NO_CAP, NO_CAP, NO_CAP, NO_CAP },
	{ 400, 256, 400, 96, 160, 64 },
	{ 240, 128, 160, 40, 40, 32 },
	{ 160, 96, 96, 24, 24, 24 },
};
#define NLEVELS (sizeof(levels) / sizeof(levels[0]))

/* The lists of the update check, in the order they get room. */
enum list {
	L_NAMES, L_SECURITY, L_HELD, L_PHASED, L_BLOCKED, L_PACKAGES, NLISTS
};

struct json {
	struct rpt_buf b;
	const struct caps *caps;
	uint32_t max[NLISTS];	/* entries to list; the rest count as omitted */
	int first;		/* nothing in the open object or array yet */
};

/*
 * The escaped form of the character at s (n >= 1 bytes left) in out:
 * quote and backslash escaped, C0 controls and DEL as \u00XX, valid UTF-8
 * as is, and what rpt_utf8_safe() refuses else (C1 and bidi controls, an
 * ill-formed sequence) as one '?'.  Returns its length; *used is the bytes
 * of s it stands for.
 */
static size_t escape_one(const unsigned char *s, size_t n, char out[8],
			 size_t *used)
{
	size_t u;

	*used = 1;
	if (s[0] == '"' || s[0] == '\\') {
		out[0] = '\\';
		out[1] = (char)s[0];
		return 2;
	}
	if (s[0] < 0x20 || s[0] == 0x7f) {
		snprintf(out, 8, "\\u%04x", s[0]);
		return 6;
	}
	u = rpt_utf8_safe(s, n, used);
	if (u == 0) {
		out[0] = '?';
		return 1;
	}
	memcpy(out, s, u);
	return u;
}

static size_t escaped_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t total = 0, used;
	char e[8];

	while (n > 0) {
		total += escape_one(p, n, e, &used);
		p += used;
		n -= used;
	}
	return total;
}

/* s[0..n) as a JSON string, at most cap bytes inside its quotes (cap >= 3):
 * a longer one is cut between two characters and ends in "...". */
static void put_string(struct json *j, const char *s, size_t n, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	int cut = cap != NO_CAP && escaped_len(s, n) > cap;
	size_t room = cut ? cap - 3 : NO_CAP, used, k;
	char e[8];

	rpt_buf_put(&j->b, "\"", 1);
	while (n > 0) {
		k = escape_one(p, n, e, &used);
		if (k > room)
			break;
		rpt_buf_put(&j->b, e, k);
		room -= k;
		p += used;
		n -= used;
	}
	if (cut)
		rpt_buf_put(&j->b, "...", 3);
	rpt_buf_put(&j->b, "\"", 1);
}

/* A package name as a JSON string: rpt_name_char()'s bytes need no
 * escape. */
static void put_name(struct json *j, const char *name, size_t n)
{
	char piece[RPT_NAME_PIECE];
	size_t k;

	rpt_buf_put(&j->b, "\"", 1);
	while ((k = rpt_name_piece(&name, &n, piece)) > 0)
		rpt_buf_put(&j->b, piece, k);
	rpt_buf_put(&j->b, "\"", 1);
}

static void begin(struct json *j, const char *c)
{
	rpt_buf_puts(&j->b, c);
	j->first = 1;
}

static void end(struct json *j, const char *c)
{
	rpt_buf_puts(&j->b, c);
	j->first = 0;
}

/* Starts an array element or, with a key, an object member. */
static void member(struct json *j, const char *key)
{
	if (!j->first)
		rpt_buf_put(&j->b, ",", 1);
	j->first = 0;
	if (key != NULL)
		rpt_buf_printf(&j->b, "\"%s\":", key);
}

static void put_int(struct json *j, const char *key, long long v)
{
	member(j, key);
	rpt_buf_printf(&j->b, "%lld", v);
}

static void put_uint(struct json *j, const char *key, unsigned long long v)
{
	member(j, key);
	rpt_buf_printf(&j->b, "%llu", v);
}

static void put_bool(struct json *j, const char *key, int v)
{
	member(j, key);
	rpt_buf_puts(&j->b, v ? "true" : "false");
}

static void put_null(struct json *j, const char *key)
{
	member(j, key);
	rpt_buf_puts(&j->b, "null");
}

/* A string of this program's own (ASCII, nothing to escape). */
static void put_word(struct json *j, const char *key, const char *w)
{
	member(j, key);
	rpt_buf_printf(&j->b, "\"%s\"", w);
}

/* A string from the segment; empty is null. */
static void put_text(struct json *j, const char *key, const char *s,
		     size_t cap)
{
	if (s[0] == '\0') {
		put_null(j, key);
		return;
	}
	member(j, key);
	put_string(j, s, strlen(s), cap);
}

/* A wall-clock time in unix seconds, null when its monotonic twin says
 * it never happened. */
static void put_time(struct json *j, const char *key, int64_t mono,
		     int64_t wall)
{
	if (mono == 0)
		put_null(j, key);
	else
		put_int(j, key, wall);
}

/* Milliseconds as seconds: "10", "0.2", "1.234".  Integer arithmetic:
 * no floating point, no locale. */
static void put_secs(struct json *j, const char *key, uint64_t ms)
{
	unsigned frac = (unsigned)(ms % 1000);
	int digits = 3;

	member(j, key);
	if (frac == 0) {
		rpt_buf_printf(&j->b, "%llu", (unsigned long long)(ms / 1000));
		return;
	}
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	rpt_buf_printf(&j->b, "%llu.%0*u", (unsigned long long)(ms / 1000),
		       digits, frac);
}

static const char *state_name(uint32_t state)
{
	switch (state) {
	case SHMH_STATE_STARTING: return "starting";
	case SHMH_STATE_RUNNING: return "running";
	case SHMH_STATE_STOPPING: return "stopping";
	case SHMH_STATE_STOPPED: return "stopped";
	}
	return "unknown";	/* not reached: validated */
}

/* "publisher": {pid, state, started, heartbeat, heartbeat_age_s,
 * heartbeat_interval_s, heartbeat_count} */
static void put_publisher(struct json *j, const struct rpt_report *r)
{
	const struct shmh_status *st = r->st;
	int64_t age = r->now_mono_ns - st->heartbeat_mono_ns;

	member(j, "publisher");
	begin(j, "{");
	put_int(j, "pid", st->pid);
	put_word(j, "state", state_name(st->state));
	put_time(j, "started", st->started_mono_ns, st->started_wall);
	put_time(j, "heartbeat", st->heartbeat_mono_ns, st->heartbeat_wall);
	put_secs(j, "heartbeat_age_s", age > 0 ? (uint64_t)age / 1000000 : 0);
	put_secs(j, "heartbeat_interval_s", st->heartbeat_interval_ms);
	put_uint(j, "heartbeat_count", st->heartbeat_count);
	end(j, "}");
}

static uint32_t count_names(const char *names)
{
	const char *name;
	uint32_t n = 0;

	while (rpt_names_next(&names, &name) > 0)
		n++;
	return n;
}

/* The first max names of names as an array's elements; returns how many
 * were listed. */
static uint32_t put_name_array(struct json *j, const char *names,
			       uint32_t max)
{
	const char *name;
	uint32_t shown = 0;
	size_t n;

	begin(j, "[");
	while (shown < max && (n = rpt_names_next(&names, &name)) > 0) {
		member(j, NULL);
		put_name(j, name, n);
		shown++;
	}
	end(j, "]");
	return shown;
}

/* "names": the first names listed; "names_omitted": all the others,
 * those the publisher could not store included. */
static void put_names(struct json *j, const struct shmh_check *c)
{
	uint32_t shown;

	member(j, "names");
	shown = put_name_array(j, c->names, j->max[L_NAMES]);
	put_uint(j, "names_omitted", (unsigned long long)c->names_omitted +
		 (count_names(c->names) - shown));
}

/* A bounded list of names: {"count":N,"names":[...],"omitted":N}, omitted
 * counting the names left out here too. */
static void put_list(struct json *j, const char *key,
		     const struct shmh_names *l, enum list which)
{
	uint32_t shown;

	member(j, key);
	begin(j, "{");
	put_uint(j, "count", l->count);
	member(j, "names");
	shown = put_name_array(j, l->names, j->max[which]);
	put_uint(j, "omitted", (unsigned long long)l->omitted +
		 (count_names(l->names) - shown));
	end(j, "}");
}

/* A package of "packages": its name, versions (NULL: not told) and
 * whether it is a security update. */
struct package {
	const char *name, *installed, *candidate;
	size_t name_len, installed_len, candidate_len;
	int security;
};

/* Whether name[0..n) is one of the names in list. */
static int listed(const char *list, const char *name, size_t n)
{
	const char *other;
	size_t k;

	while ((k = rpt_names_next(&list, &other)) > 0)
		if (k == n && memcmp(other, name, n) == 0)
			return 1;
	return 0;
}

/*
 * The next "INSTALLED CANDIDATE" line of versions at *cursor into p,
 * advancing *cursor past it.  versions is untrusted: a line that is not
 * two words, a "-", and a line past the last are versions not told.
 */
static void next_versions(const char **cursor, struct package *p)
{
	const char *s = *cursor, *w[2] = { NULL, NULL };
	size_t len[2] = { 0, 0 }, words = 0;

	p->installed = p->candidate = NULL;
	while (*s != '\0' && *s != '\n') {
		if ((unsigned char)*s <= ' ') {
			s++;
			continue;
		}
		if (words < 2)
			w[words] = s;
		while ((unsigned char)*s > ' ')
			s++;
		if (words < 2)
			len[words] = (size_t)(s - w[words]);
		words++;
	}
	*cursor = *s == '\n' ? s + 1 : s;
	if (words != 2)
		return;
	if (len[0] != 1 || w[0][0] != '-') {
		p->installed = w[0];
		p->installed_len = len[0];
	}
	if (len[1] != 1 || w[1][0] != '-') {
		p->candidate = w[1];
		p->candidate_len = len[1];
	}
}

/* The next package of names and versions; 0 at the end of names. */
static int next_package(const struct shmh_check *c, const char **names,
			const char **versions, struct package *p)
{
	p->name_len = rpt_names_next(names, &p->name);
	if (p->name_len == 0)
		return 0;
	next_versions(versions, p);
	p->security = listed(c->security_names.names, p->name, p->name_len);
	return 1;
}

static void put_version(struct json *j, const char *key, const char *v,
			size_t n)
{
	member(j, key);
	if (v == NULL)
		rpt_buf_puts(&j->b, "null");
	else
		put_string(j, v, n, j->caps->version);
}

/* {"name", "installed", "candidate", "security"} */
static void put_package(struct json *j, const struct package *p)
{
	member(j, NULL);
	begin(j, "{");
	member(j, "name");
	put_name(j, p->name, p->name_len);
	put_version(j, "installed", p->installed, p->installed_len);
	put_version(j, "candidate", p->candidate, p->candidate_len);
	put_bool(j, "security", p->security);
	end(j, "}");
}

/* "packages": names with their versions, as many as listed; the rest
 * counted in "packages_omitted" as in names_omitted. */
static void put_packages(struct json *j, const struct shmh_check *c)
{
	const char *names = c->names, *versions = c->versions;
	struct package p;
	uint32_t shown = 0;

	member(j, "packages");
	begin(j, "[");
	while (shown < j->max[L_PACKAGES] &&
	       next_package(c, &names, &versions, &p)) {
		put_package(j, &p);
		shown++;
	}
	end(j, "]");
	put_uint(j, "packages_omitted", (unsigned long long)c->names_omitted +
		 (count_names(c->names) - shown));
}

/* What the last success found, or null for each when nothing is known:
 * no check configured, or none succeeded. */
static void put_found(struct json *j, const struct shmh_check *c, int known)
{
	static const char *const keys[] = {
		"security_names", "held", "phased", "blocked", "packages",
		"packages_omitted", "index_refreshed", "index",
	};
	size_t i;

	if (!known) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			put_null(j, keys[i]);
		return;
	}
	put_list(j, "security_names", &c->security_names, L_SECURITY);
	put_list(j, "held", &c->held, L_HELD);
	put_list(j, "phased", &c->phased, L_PHASED);
	put_list(j, "blocked", &c->blocked, L_BLOCKED);
	put_packages(j, c);
	if (c->index_wall == 0) {
		put_null(j, "index_refreshed");
		put_null(j, "index");
		return;
	}
	put_int(j, "index_refreshed", c->index_wall);
	put_word(j, "index", c->flags & SHMH_CHECK_SYSTEM_INDEX ? "system" :
		 "private");
}

/* "updates": {backend, checked, running, pending, security, names,
 * names_omitted, security_names, held, phased, blocked, packages,
 * packages_omitted, index_refreshed, index, last_attempt, last_success,
 * pending_since, consecutive_failures, checks, error} */
static void put_updates(struct json *j, const struct rpt_report *r)
{
	const struct shmh_check *c = &r->st->update;
	int off = rpt_check_off(c), known = rpt_known(r);

	member(j, "updates");
	begin(j, "{");
	put_text(j, "backend", c->backend, NO_CAP);
	put_bool(j, "checked", !off);
	put_bool(j, "running", c->running != 0);
	/* Counts are known only once a check has succeeded. */
	if (!known)
		put_null(j, "pending");
	else
		put_uint(j, "pending", c->pending);
	if (!known || c->security == SHMH_SECURITY_UNKNOWN)
		put_null(j, "security");
	else
		put_int(j, "security", c->security);
	if (off) {
		put_null(j, "names");
		put_null(j, "names_omitted");
	} else {
		put_names(j, c);
	}
	put_found(j, c, known);
	put_time(j, "last_attempt", c->last_attempt_mono_ns,
		 c->last_attempt_wall);
	put_time(j, "last_success", c->last_success_mono_ns,
		 c->last_success_wall);
	put_time(j, "pending_since", c->pending_since_mono_ns,
		 c->pending_since_wall);
	put_uint(j, "consecutive_failures", c->consecutive_failures);
	put_uint(j, "checks", c->checks);
	put_text(j, "error", c->error, j->caps->error);
	end(j, "}");
}

/* "policy": the policy applied, overrides included: {on_updates,
 * security_only, min_updates, max_failures, grace_s, max_check_age_s,
 * starting_healthy, max_heartbeat_age_s} */
static void put_policy(struct json *j, const struct rpt_report *r)
{
	const struct shmh_policy *p = &r->policy;

	member(j, "policy");
	begin(j, "{");
	put_word(j, "on_updates", p->on_updates == SHMH_ON_UPDATES_REPORT ?
		 "report" : "fail");
	put_bool(j, "security_only", p->security_only != 0);
	put_uint(j, "min_updates", p->min_updates);
	put_uint(j, "max_failures", p->max_failures);
	put_int(j, "grace_s", p->grace_s);
	put_int(j, "max_check_age_s", p->max_success_age_s);
	put_bool(j, "starting_healthy", p->starting_healthy != 0);
	put_secs(j, "max_heartbeat_age_s", r->max_age_ms);
	end(j, "}");
}

/* One of "probes": {name, up, status, duration_ms, consecutive_failures,
 * retries, last_run, last_success, output} */
static void put_probe(struct json *j, const struct shmh_probe *p)
{
	member(j, NULL);
	begin(j, "{");
	member(j, "name");
	put_string(j, p->name, strlen(p->name), j->caps->probe_name);
	put_bool(j, "up", p->last_run_mono_ns != 0 &&
		 p->consecutive_failures == 0);
	if (p->last_run_mono_ns == 0)
		put_null(j, "status");
	else
		put_int(j, "status", p->status);
	put_uint(j, "duration_ms", p->duration_ms);
	put_uint(j, "consecutive_failures", p->consecutive_failures);
	put_uint(j, "retries", p->retries);
	put_time(j, "last_run", p->last_run_mono_ns, p->last_run_wall);
	put_time(j, "last_success", p->last_success_mono_ns,
		 p->last_success_wall);
	put_text(j, "output", p->output, j->caps->probe_output);
	end(j, "}");
}

/* Length of the verdict's first line: the reason in one line. */
static size_t first_line(const struct rpt_verdict *v)
{
	const char *nl = memchr(v->text, '\n', v->len);

	return nl != NULL ? (size_t)(nl - v->text) : v->len;
}

static void render(struct json *j, const struct rpt_report *r,
		   const struct caps *caps, const uint32_t max[NLISTS],
		   char *buf, size_t len)
{
	uint32_t i;

	rpt_buf_init(&j->b, buf, len);
	j->caps = caps;
	memcpy(j->max, max, sizeof(j->max));
	begin(j, "{");
	put_bool(j, "healthy", r->verdict.healthy);
	put_word(j, "status", r->verdict.healthy ? "healthy" : "unhealthy");
	put_word(j, "rule", rpt_rule_name(r->verdict.rule));
	member(j, "reason");
	put_string(j, r->verdict.text, first_line(&r->verdict), caps->reason);
	member(j, "segment");
	put_string(j, r->segment, strlen(r->segment), caps->segment);
	/* An unread or invalid segment has nothing more worth trusting. */
	if (rpt_trusted(r)) {
		put_publisher(j, r);
		put_updates(j, r);
		put_policy(j, r);
		member(j, "probes");
		begin(j, "[");
		for (i = 0; i < r->st->nprobes; i++)
			put_probe(j, &r->st->probes[i]);
		end(j, "]");
	}
	end(j, "}");
	rpt_buf_put(&j->b, "\n", 1);
}

/* How many names, listed in order, fit in *room bytes; takes their bytes
 * from *room. */
static uint32_t names_fitting(const char *names, size_t *room)
{
	const char *name;
	uint32_t shown = 0;
	size_t n, cost;

	while ((n = rpt_names_next(&names, &name)) > 0) {
		cost = (shown > 0) + 2 + n;	/* put_name(): no escapes */
		if (cost > *room)
			break;
		*room -= cost;
		shown++;
	}
	return shown;
}

/* Likewise for packages, each measured as put_package() writes it at
 * these caps. */
static uint32_t packages_fitting(const struct shmh_check *c,
				 const struct caps *caps, size_t *room)
{
	const char *names = c->names, *versions = c->versions;
	struct package p;
	struct json m;
	uint32_t shown = 0;
	size_t cost;

	while (next_package(c, &names, &versions, &p)) {
		rpt_buf_init(&m.b, NULL, 0);
		m.caps = caps;
		m.first = shown == 0;
		put_package(&m, &p);
		cost = m.b.need;
		if (cost > *room)
			break;
		*room -= cost;
		shown++;
	}
	return shown;
}

/* Shares room bytes among the lists shown, in their order. */
static void share_room(const struct rpt_report *r, const struct caps *caps,
		       size_t room, uint32_t max[NLISTS])
{
	const struct shmh_check *c = &r->st->update;

	max[L_NAMES] = names_fitting(c->names, &room);
	if (!rpt_known(r))
		return;
	max[L_SECURITY] = names_fitting(c->security_names.names, &room);
	max[L_HELD] = names_fitting(c->held.names, &room);
	max[L_PHASED] = names_fitting(c->phased.names, &room);
	max[L_BLOCKED] = names_fitting(c->blocked.names, &room);
	max[L_PACKAGES] = packages_fitting(c, caps, &room);
}

/*
 * Each level is tried with every entry of every list, then, if the rest
 * fits, with as many entries as the room left holds.  Listing none gives
 * the largest omitted counts, so the size measured then bounds every
 * shorter list.
 */
size_t rpt_fmt_json(const struct rpt_report *r, char *buf, size_t len)
{
	static const uint32_t all[NLISTS] = {
		UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX,
		UINT32_MAX,
	};
	static const uint32_t none[NLISTS];
	size_t limit = len < RPT_FORMAT_MAX ? len : RPT_FORMAT_MAX;
	uint32_t max[NLISTS] = { 0 };
	struct json j;
	size_t i;

	for (i = 0; i < NLEVELS; i++) {
		render(&j, r, &levels[i], all, buf, limit);
		if (!j.b.over)
			return j.b.len;
		render(&j, r, &levels[i], none, buf, limit);
		if (j.b.over)
			continue;
		if (rpt_trusted(r))
			share_room(r, &levels[i], j.b.cap - j.b.need, max);
		render(&j, r, &levels[i], max, buf, limit);
		return j.b.len;
	}
	return j.b.len;
}
