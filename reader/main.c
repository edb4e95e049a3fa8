/* SPDX-License-Identifier: MIT */
/*
 * shm-reader: the container health check.  Reads the segment shm-publisher
 * keeps, judges it and answers with exit status 0 (healthy) or 1
 * (unhealthy) and one line saying why, or in another format for
 * monitoring (JSON, Prometheus, Nagios).  No heap, no threads: it is
 * started every few seconds in every container, so it does only this.
 */
#include <signal.h>

#include "reader/fmt.h"
#include "reader/options.h"
#include "reader/output.h"
#include "reader/segment.h"
#include "shm/shm.h"

/*
 * Everything a check holds is on the stack: the snapshot, the map, the
 * report and its text in one object in main's frame, the options and the
 * error next to it.  Every page a health check touches for the first time
 * costs a page fault on every run, the largest part of what the reader
 * costs over an empty process, and the top of the stack is where the
 * kernel has already put the arguments and the environment; a page of
 * static data would be one more.  For that too the text has room for the
 * usual answer only: a 4000-byte buffer, mostly untouched, would push the
 * frames below it onto a page of their own.  A longer answer (a long list
 * of updates) is judged again with room for all of it (whole_answer()).
 */
#define FIRST_TRY_TEXT	512
_Static_assert(FIRST_TRY_TEXT >= RDR_LINE_MAX, "room for the first line");

struct rdr_main_state {
	struct shm_status st;
	struct shm_map m;
	struct rdr_report r;
	char text[FIRST_TRY_TEXT];
};

/*
 * The report again, from the same snapshot and clock reading, with room
 * for the whole answer; in a frame of its own, which the usual answer
 * never reaches.  Only a snapshot's verdict grows past one line: a refusal
 * is one line, which the first try's room holds.
 */
__attribute__((noinline))
static int whole_answer(const struct rdr_options *o, struct rdr_main_state *g)
{
	char text[RDR_TEXT_MAX];

	if (g->r.result == SHM_OK) {
		rdr_verdict_room(&g->r.verdict, text, sizeof(text));
		rdr_report_build(&g->r, g->r.segment, &g->st,
				 g->r.now_mono_ns, o);
	}
	return rdr_print_report(o, &g->r);
}

int main(int argc, char *argv[], char *envp[])
{
	struct rdr_main_state state, *g = &state;
	struct rdr_options o;
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

	rdr_verdict_room(&g->r.verdict, g->text, sizeof(g->text));
	rdr_report_read(&g->r, &g->st, &g->m, &o);
	/* Quiet, the answer is the exit status, which the text never sets. */
	if (g->r.verdict.full && !o.quiet)
		return whole_answer(&o, g);
	return rdr_print_report(&o, &g->r);
}
