/* SPDX-License-Identifier: MIT */
/*
 * The Prometheus format: text exposition format 0.0.4, every metric a gauge
 * with its HELP and TYPE lines, for node_exporter's textfile collector (the
 * publisher's --textfile) or a scrape wrapper around shm-reader.  A value
 * that is not known (no check yet, security not told by the manager) has
 * its HELP and TYPE but no sample: absent, not a false 0.
 */
#include <string.h>

#include "report/buf.h"
#include "report/fmt.h"
#include "report/names.h"

/* HELP and TYPE for one gauge.  The help texts hold no '\\' or newline, the
 * only bytes HELP would need escaped. */
static void gauge(struct rpt_buf *b, const char *name, const char *help)
{
	rpt_buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/*
 * The label value form of the character at p (n >= 1 bytes left) in out:
 * \\, \" and \n escaped as the format wants, valid UTF-8 as is, and what
 * rpt_utf8_safe() refuses else (control and bidi characters, an ill-formed
 * sequence) as one '?': the format wants UTF-8, the reader of a scraped
 * label no escape.  Returns its length; *used is the bytes of p it stands
 * for.
 */
static size_t label_char(const unsigned char *p, size_t n, char out[4],
			 size_t *used)
{
	size_t u;

	if (*p == '\\' || *p == '"' || *p == '\n') {
		*used = 1;
		out[0] = '\\';
		out[1] = *p == '\n' ? 'n' : (char)*p;
		return 2;
	}
	u = rpt_utf8_safe(p, n, used);
	if (u == 0) {
		out[0] = '?';
		return 1;
	}
	memcpy(out, p, u);
	return u;
}

/* A label value from s[0..n). */
static void label_value_n(struct rpt_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k, used;
	char out[4];

	while (n > 0) {
		k = label_char(p, n, out, &used);
		rpt_buf_put(b, out, k);
		p += used;
		n -= used;
	}
}

static void label_value(struct rpt_buf *b, const char *s)
{
	label_value_n(b, s, strlen(s));
}

/*
 * Whether a[0..an) and b[0..bn) give the same label value: a series must
 * appear once, and label_char() makes many characters '?', so two
 * different strings can give one series.  Compared as written, a
 * character at a time.
 */
static int label_same(const char *a, size_t an, const char *b, size_t bn)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;
	char x[4], y[4];
	size_t xn, yn, xu, yu;

	while (an > 0 && bn > 0) {
		xn = label_char(p, an, x, &xu);
		yn = label_char(q, bn, y, &yu);
		if (xn != yn || memcmp(x, y, xn) != 0)
			return 0;
		p += xu;
		an -= xu;
		q += yu;
		bn -= yu;
	}
	return an == 0 && bn == 0;
}

/* One sample: name{label="value"} v, or name v without a label. */
static void sample(struct rpt_buf *b, const char *name, const char *label,
		   const char *value, long long v)
{
	rpt_buf_puts(b, name);
	if (label != NULL) {
		rpt_buf_printf(b, "{%s=\"", label);
		label_value(b, value);
		rpt_buf_puts(b, "\"}");
	}
	rpt_buf_printf(b, " %lld\n", v);
}

/* The counts of the last success, each labelled with the manager; HELP
 * and TYPE only before one (absent, not a false 0). */
static void counts(struct rpt_buf *b, const struct shmh_check *c,
		   const char *m, int known)
{
	gauge(b, "shmhealth_updates_pending", "Pending package updates found "
	      "by the last successful check, withheld ones not counted.");
	if (known)
		sample(b, "shmhealth_updates_pending", "manager", m,
		       c->pending);
	gauge(b, "shmhealth_security_updates_pending", "Pending security "
	      "updates, where the package manager tells them apart.");
	if (known && c->security != SHMH_SECURITY_UNKNOWN)
		sample(b, "shmhealth_security_updates_pending", "manager", m,
		       c->security);
	gauge(b, "shmhealth_updates_held", "Upgradable packages held back "
	      "by the administrator, not pending.");
	if (known)
		sample(b, "shmhealth_updates_held", "manager", m,
		       c->held.count);
	gauge(b, "shmhealth_updates_phased", "Upgradable packages in a "
	      "phased update this machine is not in yet, not pending.");
	if (known)
		sample(b, "shmhealth_updates_phased", "manager", m,
		       c->phased.count);
	gauge(b, "shmhealth_updates_blocked", "Upgradable packages that "
	      "cannot be installed, not pending.");
	if (known)
		sample(b, "shmhealth_updates_blocked", "manager", m,
		       c->blocked.count);
}

/* Whether package names a[0..n) and b[0..n) are shown alike. */
static int name_same(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rpt_name_char(a[i]) != rpt_name_char(b[i]))
			return 0;
	return 1;
}

/* Whether a name before name in names gives the same label value. */
static int name_seen(const char *names, const char *name, size_t n)
{
	const char *cur = names, *other;
	size_t k;

	while ((k = rpt_names_next(&cur, &other)) > 0 && other < name)
		if (k == n && name_same(other, name, n))
			return 1;
	return 0;
}

/* A package name as a label value: rpt_name_char()'s bytes need no
 * escape. */
static void label_name(struct rpt_buf *b, const char *name, size_t n)
{
	char piece[RPT_NAME_PIECE];
	size_t k;

	while ((k = rpt_name_piece(&name, &n, piece)) > 0)
		rpt_buf_put(b, piece, k);
}

/* One shmhealth_security_update sample. */
static void security_sample(struct rpt_buf *b, const char *m,
			    const char *name, size_t n)
{
	rpt_buf_puts(b, "shmhealth_security_update{manager=\"");
	label_value(b, m);
	rpt_buf_puts(b, "\",package=\"");
	label_name(b, name, n);
	rpt_buf_puts(b, "\"} 1\n");
}

/* One sample per security update listed, while room bytes last: a long
 * list is cut, and shmhealth_security_updates_pending counts them all. */
static void security_list(struct rpt_buf *b, const struct shmh_check *c,
			  const char *m, size_t room)
{
	const char *cur = c->security_names.names, *name;
	struct rpt_buf cost;
	size_t n;

	while ((n = rpt_names_next(&cur, &name)) > 0) {
		if (name_seen(c->security_names.names, name, n))
			continue;
		rpt_buf_init(&cost, NULL, 0);
		security_sample(&cost, m, name, n);
		if (cost.need > room)
			break;
		room -= cost.need;
		security_sample(b, m, name, n);
	}
}

/*
 * The update check's metrics, each labelled with its backend; the
 * security list gets list_room bytes.  Without a check configured, only
 * shmhealth_update_check_enabled 0: a pending count of 0 would lie.
 */
static void updates(struct rpt_buf *b, const struct rpt_report *r,
		    size_t list_room)
{
	const struct shmh_check *c = &r->st->update;
	const char *m = c->backend[0] != '\0' ? c->backend : "unknown";
	int known = rpt_known(r);

	gauge(b, "shmhealth_update_check_enabled", "1 if an update check is "
	      "configured, 0 if not (then no update metric is given).");
	sample(b, "shmhealth_update_check_enabled", NULL, NULL,
	       !rpt_check_off(c));
	if (rpt_check_off(c))
		return;
	counts(b, c, m, known);
	gauge(b, "shmhealth_security_update", "1 for each pending security "
	      "update the check listed, by package; as many as fit.");
	if (known)
		security_list(b, c, m, list_room);
	gauge(b, "shmhealth_last_check_timestamp_seconds", "When the last "
	      "update check finished, successful or not, in unix seconds.");
	if (c->last_attempt_mono_ns != 0)
		sample(b, "shmhealth_last_check_timestamp_seconds", "manager",
		       m, c->last_attempt_wall);
	gauge(b, "shmhealth_last_success_timestamp_seconds", "When the last "
	      "successful update check finished, in unix seconds.");
	if (known)
		sample(b, "shmhealth_last_success_timestamp_seconds",
		       "manager", m, c->last_success_wall);
	gauge(b, "shmhealth_index_timestamp_seconds", "When the package "
	      "index the last success read was refreshed (the system's: "
	      "last modified), in unix seconds.");
	if (known && c->index_wall != 0)
		sample(b, "shmhealth_index_timestamp_seconds", "manager", m,
		       c->index_wall);
	gauge(b, "shmhealth_check_failures", "Update checks failed in a row "
	      "since the last success.");
	sample(b, "shmhealth_check_failures", "manager", m,
	       c->consecutive_failures);
}

/* Whether an earlier probe has the same label value: a series must
 * appear once. */
static int probe_seen(const struct shmh_status *st, uint32_t i)
{
	const char *mine = st->probes[i].name;
	uint32_t k;

	for (k = 0; k < i; k++)
		if (label_same(st->probes[k].name, strlen(st->probes[k].name),
			       mine, strlen(mine)))
			return 1;
	return 0;
}

static void probes(struct rpt_buf *b, const struct shmh_status *st)
{
	const struct shmh_probe *p;
	uint32_t i;

	gauge(b, "shmhealth_probe_up", "1 if the probe's last run succeeded, "
	      "0 if it failed; absent before its first run.");
	for (i = 0; i < st->nprobes; i++) {
		p = &st->probes[i];
		if (p->last_run_mono_ns == 0 || probe_seen(st, i))
			continue;
		sample(b, "shmhealth_probe_up", "probe", p->name,
		       p->consecutive_failures == 0);
	}
}

static void render(struct rpt_buf *b, const struct rpt_report *r,
		   size_t list_room, char *buf, size_t limit)
{
	rpt_buf_init(b, buf, limit);
	/* An unread or invalid segment: only the answer, nothing to trust. */
	if (rpt_trusted(r)) {
		updates(b, r, list_room);
		gauge(b, "shmhealth_heartbeat_timestamp_seconds", "The "
		      "publisher's last heartbeat, in unix seconds.");
		sample(b, "shmhealth_heartbeat_timestamp_seconds", NULL, NULL,
		       r->st->heartbeat_wall);
		probes(b, r->st);
	}
	gauge(b, "shmhealth_healthy", "1 if shm-reader judges the container "
	      "healthy, else 0.");
	sample(b, "shmhealth_healthy", NULL, NULL, r->verdict.healthy != 0);
}

/*
 * Everything but the security list has a bounded size that fits (the
 * tests' worst case checks it); the list gets the room left, measured
 * with none of it, so shmhealth_healthy always comes last.
 */
size_t rpt_fmt_prometheus(const struct rpt_report *r, char *buf, size_t len)
{
	size_t limit = len < RPT_FORMAT_MAX ? len : RPT_FORMAT_MAX;
	struct rpt_buf b;

	render(&b, r, (size_t)-1, buf, limit);
	if (!b.over)
		return b.len;
	render(&b, r, 0, buf, limit);
	if (b.over)
		return b.len;
	render(&b, r, b.cap - b.need, buf, limit);
	return b.len;
}
