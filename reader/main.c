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
 * The large objects live in static storage, not on the stack: a frame of
 * 13 KiB would push every call below it onto stack pages of its own.
 * Every page a health check touches costs a page fault on every run, the
 * largest part of what the reader costs over an empty process, so the
 * objects are also placed for it.  They share one object, the verdict
 * last: the bytes a check touches (all of the snapshot, the map, the start
 * of the verdict) are contiguous, and the verdict's text, mostly
 * untouched, ends it.  And it is a common symbol, which the linker puts
 * after every other object's bss, the C library's or run-time's included:
 * their few hundred bytes then share the data page, and the check's bytes
 * fill one page past it (SHM_PATH_MAX is kept small for that).  (GCC's
 * attribute; elsewhere an ordinary definition, a fault or two more.)
 */
struct rdr_main_state {
	struct shm_status st;
	struct shm_map m;
	struct rdr_report r;	/* last: its text's untouched tail ends it */
};
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((common))
#endif
struct rdr_main_state rdr_main_state;

int main(int argc, char *argv[])
{
	struct rdr_main_state *g = &rdr_main_state;
	struct rdr_options o;
	char err[RDR_ERR_MAX];

	/* A closed stdout must not kill us with SIGPIPE: the runtime would
	 * read status 141, and only our own statuses are answers (output.h). */
	signal(SIGPIPE, SIG_IGN);

	if (rdr_parse_options(&o, argc, argv, err, sizeof(err)) != 0)
		return rdr_usage_error(&o, err);
	if (o.action == RDR_ACTION_HELP)
		return rdr_print_help();
	if (o.action == RDR_ACTION_VERSION)
		return rdr_print_version();

	rdr_report_read(&g->r, &g->st, &g->m, &o);
	return rdr_print_report(&o, &g->r);
}
