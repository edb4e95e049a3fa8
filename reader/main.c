/* SPDX-License-Identifier: MIT */
/*
 * shm-reader: the container health check.  Reads the segment shm-publisher
 * keeps, judges it and answers with exit status 0 (healthy) or 1
 * (unhealthy) and one line saying why, or in another format for
 * monitoring (JSON, Prometheus, Nagios).  No heap, no threads: it is
 * started every few seconds in every container, so it does only this, with
 * everything it holds on the stack.
 */
#include <signal.h>

#include "report/fmt.h"
#include "reader/options.h"
#include "reader/output.h"
#include "reader/segment.h"
#include "shm/shm.h"

int main(int argc, char *argv[], char *envp[])
{
	struct shmh_status st;
	struct shmh_map m;
	struct rpt_report r;
	struct rdr_options o;
	char text[RPT_TEXT_MAX];
	char err[RDR_ERR_MAX];

	/* A closed stdout must not kill us with SIGPIPE: the runtime would
	 * read status 141, and only our own statuses are answers (output.h). */
	signal(SIGPIPE, SIG_IGN);

	if (rdr_parse_options(&o, argc, argv, envp, err, sizeof(err)) != 0)
		return rdr_usage_error(&o, err);
	if (o.action == RDR_ACTION_HELP)
		return rdr_print_help();
	if (o.action == RDR_ACTION_VERSION)
		return rdr_print_version();

	rpt_verdict_room(&r.verdict, text, sizeof(text));
	rdr_report_read(&r, &st, &m, &o);
	return rdr_print_report(&o, &r);
}
