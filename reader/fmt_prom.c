/* SPDX-License-Identifier: MIT */
/*
 * The Prometheus format: text exposition format 0.0.4, every metric a gauge
 * with its HELP and TYPE lines, for node_exporter's textfile collector (the
 * publisher's --textfile) or a scrape wrapper around shm-reader.  A value
 * that is not known (no check yet, security not told by the manager) has
 * its HELP and TYPE but no sample: absent, not a false 0.
 */
#include <string.h>

#include "reader/buf.h"
#include "reader/fmt.h"

/* HELP and TYPE for one gauge.  The help texts hold no '\\' or newline, the
 * only bytes HELP would need escaped. */
static void gauge(struct rdr_buf *b, const char *name, const char *help)
{
	rdr_buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* A label value, escaped as the format wants (\\, \", \n) and made valid
 * UTF-8 (any other byte becomes U+FFFD), which the format requires. */
static void label_value(struct rdr_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), u;

	while (n > 0) {
		u = rdr_utf8_len(p, n);
		if (*p == '\\' || *p == '"')
			rdr_buf_put(b, *p == '\\' ? "\\\\" : "\\\"", 2);
		else if (*p == '\n')
			rdr_buf_put(b, "\\n", 2);
		else if (u == 0)
			rdr_buf_put(b, "\xef\xbf\xbd", 3);
		else
			rdr_buf_put(b, (const char *)p, u);
		u = u > 0 ? u : 1;
		p += u;
		n -= u;
	}
}

/* One sample: name{label="value"} v, or name v without a label. */
static void sample(struct rdr_buf *b, const char *name, const char *label,
		   const char *value, long long v)
{
	rdr_buf_puts(b, name);
	if (label != NULL) {
		rdr_buf_printf(b, "{%s=\"", label);
		label_value(b, value);
		rdr_buf_puts(b, "\"}");
	}
	rdr_buf_printf(b, " %lld\n", v);
}

/* The update check's metrics, each labelled with its backend. */
static void updates(struct rdr_buf *b, const struct shm_check *c)
{
	const char *m = c->backend[0] != '\0' ? c->backend : "unknown";
	int known = c->last_success_mono_ns != 0;

	gauge(b, "shmhealth_updates_pending", "Pending package updates found "
	      "by the last successful check.");
	if (known)
		sample(b, "shmhealth_updates_pending", "manager", m, c->pending);
	gauge(b, "shmhealth_security_updates_pending", "Pending security "
	      "updates, where the package manager tells them apart.");
	if (known && c->security != SHM_SECURITY_UNKNOWN)
		sample(b, "shmhealth_security_updates_pending", "manager", m,
		       c->security);
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
	gauge(b, "shmhealth_check_failures", "Update checks failed in a row "
	      "since the last success.");
	sample(b, "shmhealth_check_failures", "manager", m,
	       c->consecutive_failures);
}

/* A probe name as its label value: at most 3 bytes for each of its 31. */
#define PROBE_LABEL_MAX (3 * SHM_PROBE_NAME_LEN)

static void probe_label(const char *name, char out[PROBE_LABEL_MAX])
{
	struct rdr_buf b;

	rdr_buf_init(&b, out, PROBE_LABEL_MAX);
	label_value(&b, name);
}

/*
 * Whether an earlier probe has the same label value: a series must appear
 * once.  Compared as written, not as stored: label_value() makes every
 * invalid byte U+FFFD, so two different names can give one series.
 */
static int probe_seen(const struct shm_status *st, uint32_t i)
{
	char mine[PROBE_LABEL_MAX], other[PROBE_LABEL_MAX];
	uint32_t k;

	probe_label(st->probes[i].name, mine);
	for (k = 0; k < i; k++) {
		probe_label(st->probes[k].name, other);
		if (strcmp(other, mine) == 0)
			return 1;
	}
	return 0;
}

static void probes(struct rdr_buf *b, const struct shm_status *st)
{
	const struct shm_probe *p;
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

size_t rdr_fmt_prometheus(const struct rdr_report *r, char *buf, size_t len)
{
	size_t limit = len < RDR_FORMAT_MAX ? len : RDR_FORMAT_MAX;
	struct rdr_buf b;

	rdr_buf_init(&b, buf, limit);
	/* An unread or invalid segment: only the answer, nothing to trust. */
	if (rdr_report_trusted(r)) {
		updates(&b, &r->st->update);
		gauge(&b, "shmhealth_heartbeat_timestamp_seconds", "The "
		      "publisher's last heartbeat, in unix seconds.");
		sample(&b, "shmhealth_heartbeat_timestamp_seconds", NULL, NULL,
		       r->st->heartbeat_wall);
		probes(&b, r->st);
	}
	gauge(&b, "shmhealth_healthy", "1 if shm-reader judges the container "
	      "healthy, else 0.");
	sample(&b, "shmhealth_healthy", NULL, NULL, r->verdict.healthy != 0);
	return b.len;
}
