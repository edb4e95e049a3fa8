/* SPDX-License-Identifier: MIT */
/*
 * How a snapshot is judged, beyond what its segment publishes: the policy
 * fields a reader lays over the published ones (rpt_policy_effective()),
 * the oldest heartbeat it accepts, and the Nagios thresholds.  shm-reader
 * fills it from its options; the publisher's --textfile leaves it empty,
 * so the published policy is judged as it is.
 */
#ifndef SHMHEALTH_REPORT_JUDGE_H
#define SHMHEALTH_REPORT_JUDGE_H

#include <stdint.h>

#include "shm/shm.h"

/* Which fields of rpt_overrides.p replace the segment's policy. */
enum {
	RPT_OVR_ON_UPDATES	= 1u << 0,
	RPT_OVR_SECURITY_ONLY	= 1u << 1,
	RPT_OVR_MIN_UPDATES	= 1u << 2,
	RPT_OVR_MAX_FAILURES	= 1u << 3,
	RPT_OVR_GRACE		= 1u << 4,
	RPT_OVR_MAX_CHECK_AGE	= 1u << 5,	/* p.max_success_age_s */
	RPT_OVR_STARTING	= 1u << 6,	/* p.starting_healthy */
};

/* A bit in set for each field of p given; the other fields are unused. */
struct rpt_overrides {
	unsigned set;
	struct shmh_policy p;
};

/*
 * Nagios thresholds on the updates the policy counts, after the plugin
 * guidelines' simplest range: WARNING (CRITICAL) when the count is above
 * warning (critical).  Unset, the verdict decides as without them.
 */
struct rpt_thresholds {
	int have_warning, have_critical;
	uint32_t warning, critical;
};

/* The largest threshold: more than any segment's pending count. */
#define RPT_THRESHOLD_MAX	1000000u

/* All zero: the published policy, 3 x its heartbeat, no thresholds. */
struct rpt_judge {
	uint64_t max_age_ms;	/* 0: 3 x the published heartbeat interval */
	struct rpt_overrides ov;
	struct rpt_thresholds thr;	/* nagios only */
};

#endif
