/* SPDX-License-Identifier: MIT */
/*
 * Probes: service checks (--probe NAME:INTERVAL:TIMEOUT:COMMAND) run in the
 * background at their own pace, each result published in its slot of the
 * segment, so the health check itself never runs the expensive command.
 */
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "publisher/loop.h"
#include "shm/shm.h"
#include "shm/util.h"

int pub_probe_parse(const char *spec, struct pub_probe_def *d, char *err,
		    size_t len)
{
	const char *f[3], *p = spec;
	char buf[32];
	size_t i, n;

	for (i = 0; i < 3; i++) {	/* NAME, INTERVAL, TIMEOUT; the rest */
		f[i] = p;
		p = strchr(p, ':');
		if (p == NULL)
			return snprintf(err, len, "want NAME:INTERVAL:TIMEOUT:"
					"COMMAND"), -1;
		p++;
	}
	n = (size_t)(f[1] - f[0] - 1);
	if (n == 0 || n >= sizeof(d->name) ||
	    strspn(f[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789_.-") < n)
		return snprintf(err, len, "name must be 1 to 31 of "
				"A-Z a-z 0-9 _ . -"), -1;
	memcpy(d->name, f[0], n);
	d->name[n] = '\0';
	for (i = 1; i < 3; i++) {
		uint64_t *ms = i == 1 ? &d->interval_ms : &d->timeout_ms;

		n = (size_t)((i == 1 ? f[2] : p) - f[i] - 1);
		/* Cut, "000...0005000" would read as "000...0" or 5 s. */
		if (n >= sizeof(buf))
			return snprintf(err, len, "%s too long", i == 1 ?
					"interval" : "timeout"), -1;
		memcpy(buf, f[i], n);
		buf[n] = '\0';
		if (shmh_parse_duration(buf, ms) != 0 || *ms == 0)
			return snprintf(err, len, "bad %s '%s'", i == 1 ?
					"interval" : "timeout", buf), -1;
	}
	if (p[strspn(p, " \t")] == '\0')
		return snprintf(err, len, "empty command"), -1;
	d->command = p;
	return 0;
}

int pub_probes_init(struct pub_loop *l)
{
	const struct pub_options *o = l->opt;
	size_t i;

	for (i = 0; i < o->nprobe_defs; i++) {
		struct pub_probe *p = &l->probes[i];
		struct shmh_probe *slot = &l->st.probes[i];

		memset(p, 0, sizeof(*p));
		p->job.child.out_fd = p->job.child.err_fd = -1;
		p->job.timer_fd = p->job.kill_fd = -1;
		l->nprobes = i + 1;
		p->def = &o->probe_defs[i];
		if (pub_command_new(&p->cmd, p->def->command) != 0)
			return -1;
		p->job.timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		p->job.kill_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		if (p->job.timer_fd < 0 || p->job.kill_fd < 0)
			return -1;
		memset(slot, 0, sizeof(*slot));
		snprintf(slot->name, sizeof(slot->name), "%s", p->def->name);
		slot->retries = (uint32_t)o->probe_retries;
	}
	l->st.nprobes = (uint32_t)l->nprobes;
	return 0;
}

void pub_probe_start(struct pub_loop *l, struct pub_probe *p)
{
	struct shmh_probe *slot = &l->st.probes[p - l->probes];

	if (pub_spawn(&p->job.child, p->cmd.argv, NULL, 64 * 1024,
		      &l->opt->limits) != 0) {
		slot->status = 127;
		slot->consecutive_failures++;
		snprintf(slot->output, sizeof(slot->output), "cannot start: %m");
		pub_timer_arm(p->job.timer_fd, p->def->interval_ms, 0);
		return;
	}
	pub_timer_arm(p->job.kill_fd, p->def->timeout_ms, 0);
}

/* The first line of stdout, else of stderr, else what happened. */
static void pub_probe_output(struct shmh_probe *slot, const struct pub_child *c,
			     const struct pub_probe_def *d)
{
	char dur[32];

	if (c->timed_out) {
		snprintf(slot->output, sizeof(slot->output), "timed out after %s",
			 pub_fmt_ms(d->timeout_ms, dur));
		return;
	}
	if (c->oom_killed) {
		snprintf(slot->output, sizeof(slot->output),
			 "killed by the kernel's OOM killer (out of memory)");
		return;
	}
	pub_first_line(slot->output, sizeof(slot->output), c->out);
	if (slot->output[0] == '\0')
		pub_first_line(slot->output, sizeof(slot->output), c->err);
}

void pub_probe_done(struct pub_loop *l, struct pub_probe *p)
{
	struct shmh_probe *slot = &l->st.probes[p - l->probes];
	struct pub_child *c = &p->job.child;
	int64_t now = shmh_now_mono_ns();
	int status = pub_child_status(c);
	int ok = status == 0 && !c->timed_out;

	pub_timer_arm(p->job.kill_fd, 0, 0);
	slot->status = c->timed_out ? -9 : WIFSIGNALED(c->wstatus) ?
		       -WTERMSIG(c->wstatus) : status;
	slot->duration_ms = (uint32_t)((now - c->started_ns) / 1000000);
	slot->last_run_mono_ns = now;
	slot->last_run_wall = shmh_now_wall();
	pub_probe_output(slot, c, p->def);
	if (ok) {
		slot->consecutive_failures = 0;
		slot->last_success_mono_ns = now;
		slot->last_success_wall = slot->last_run_wall;
	} else if (++slot->consecutive_failures == slot->retries) {
		pub_log("probe %s failing (%u times): %s", slot->name,
			slot->consecutive_failures, slot->output);
	}
	pub_child_free(c);
	pub_publish(l);
	pub_textfile_write(l, 1);
	pub_timer_arm(p->job.timer_fd, p->def->interval_ms, 0);
}

void pub_probes_free(struct pub_loop *l)
{
	size_t i;

	for (i = 0; i < l->nprobes; i++) {
		struct pub_probe *p = &l->probes[i];

		if (p->job.timer_fd >= 0)
			close(p->job.timer_fd);
		if (p->job.kill_fd >= 0)
			close(p->job.kill_fd);
		pub_command_free(&p->cmd);
	}
	l->nprobes = 0;
}
