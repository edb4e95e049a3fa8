/* SPDX-License-Identifier: MIT */
/*
 * Probes: service checks (--probe NAME:INTERVAL:TIMEOUT:COMMAND) run in the
 * background at their own pace, each result recorded in its slot of the
 * status for the loop to publish, so the health check itself never runs
 * the expensive command.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "publisher/log.h"
#include "publisher/probe.h"
#include "publisher/timer.h"
#include "shm/util.h"

int pub_probe_init(struct pub_probe *p, const struct pub_probe_def *def,
		   const struct pub_limits *limits, unsigned retries,
		   struct shmh_probe *slot)
{
	memset(p, 0, sizeof(*p));
	p->def = def;
	p->limits = limits;
	p->slot = slot;
	memset(slot, 0, sizeof(*slot));
	snprintf(slot->name, sizeof(slot->name), "%s", def->name);
	slot->retries = retries;
	if (pub_job_init(&p->job) != 0)
		return -1;
	return pub_command_new(&p->cmd, def->command);
}

void pub_probe_start(struct pub_probe *p)
{
	struct shmh_probe *slot = p->slot;

	if (pub_spawn(&p->job.child, p->cmd.argv, NULL, 64 * 1024,
		      p->limits) != 0) {
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

void pub_probe_done(struct pub_probe *p)
{
	struct shmh_probe *slot = p->slot;
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
	pub_timer_arm(p->job.timer_fd, p->def->interval_ms, 0);
}

void pub_probe_free(struct pub_probe *p)
{
	pub_job_close(&p->job);
	pub_command_free(&p->cmd);
}
