/* SPDX-License-Identifier: MIT */
/*
 * shm-reader's output.  Each message is formatted into a buffer (the text
 * verdict is its own) and written with one system call: no stdio buffer
 * (which would allocate), and a health-check runtime that reads the pipe
 * sees the whole answer at once.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "reader/output.h"
#include "shm/shm.h"

#ifndef SHMHEALTH_VERSION
#error "SHMHEALTH_VERSION must come from the Makefile"
#endif

static const char help_text[] =
	RDR_USAGE "\n"
	"       shm-reader --help | --version\n"
	"\n"
	"Answers a container health check from the segment shm-publisher\n"
	"keeps: exit 0 healthy, 1 unhealthy, with one line saying why.\n"
	"\n"
	"  --segment NAME|PATH  shm object /dev/shm/NAME, or a file path\n"
	"                       if it holds '/' (default shmhealth)\n"
	"  --max-age DUR        oldest heartbeat accepted, e.g. 90s, 5m\n"
	"                       (ms, s, m, h, d; default 3 x the\n"
	"                       publisher's heartbeat interval)\n"
	"  --owner UID          also accept a segment owned by this\n"
	"                       numeric uid\n"
	"  --format FMT         text (default), json, prometheus, or\n"
	"                       nagios (exit 0 OK, 1 WARNING, 2 CRITICAL,\n"
	"                       3 UNKNOWN)\n"
	"  -q, --quiet          print nothing, answer by exit status only\n"
	"  -h, --help           print this help and exit\n"
	"  -V, --version        print the version and exit\n"
	"\n"
	"Policy, by default as the publisher published it:\n"
	"  --on-updates fail|report  pending updates are unhealthy, or\n"
	"                       reported but healthy\n"
	"  --security-only      count only security updates\n"
	"  --all-updates        count every pending update\n"
	"  --min-updates N      unhealthy from N counted updates (N >= 1)\n"
	"  --max-failures N     failed checks in a row allowed (0: any)\n"
	"  --grace DUR          updates must be pending this long\n"
	"  --max-check-age DUR  last successful check at most this old\n"
	"                       (0: no limit)\n"
	"  --starting healthy|unhealthy  before the first check finishes\n"
	"\n"
	"Nagios thresholds on the updates counted (default: WARNING when\n"
	"they make it unhealthy, CRITICAL if one is a security update):\n"
	"  -w, --warning N      WARNING above N (0 to 1000000)\n"
	"  -c, --critical N     CRITICAL above N (0 to 1000000)\n"
	"\n"
	"Environment: SHMHEALTH_SEGMENT, SHMHEALTH_MAX_AGE, SHMHEALTH_OWNER,\n"
	"SHMHEALTH_FORMAT, SHMHEALTH_QUIET, SHMHEALTH_ON_UPDATES,\n"
	"SHMHEALTH_SECURITY_ONLY, SHMHEALTH_MIN_UPDATES,\n"
	"SHMHEALTH_MAX_FAILURES, SHMHEALTH_GRACE, SHMHEALTH_MAX_CHECK_AGE,\n"
	"SHMHEALTH_STARTING, SHMHEALTH_WARNING, SHMHEALTH_CRITICAL\n"
	"(switches: 1/0, true/false, yes/no); a flag wins.\n";

/* Writes all of buf, retrying short writes.  Errors are ignored: a closed
 * stdout must not change the exit status, which is the real answer. */
static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* The text format straight from the verdict, its newline added by
 * writev(): no copy, and no buffer's pages to fault in. */
static void write_text(const struct rpt_verdict *v)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)v->text, .iov_len = v->len },
		{ .iov_base = "\n", .iov_len = 1 },
	};
	ssize_t n;

	do
		n = writev(STDOUT_FILENO, iov, 2);
	while (n < 0 && errno == EINTR);
	if (n < 0 || (size_t)n == v->len + 1)
		return;
	if ((size_t)n < v->len)
		write_all(STDOUT_FILENO, v->text + n, v->len - (size_t)n);
	write_all(STDOUT_FILENO, "\n", 1);
}

/* The monitoring formats: on the stack, so that the health check's text
 * answer leaves these pages untouched. */
static void write_format(enum rpt_format f, const struct rpt_report *r)
{
	char buf[RPT_FORMAT_MAX];
	size_t len = rpt_format(f, r, buf, sizeof(buf));

	write_all(STDOUT_FILENO, buf, len);
}

int rdr_print_report(const struct rdr_options *o, const struct rpt_report *r)
{
	if (o->quiet)
		return rpt_format_exit(o->format, r);
	if (o->format == RPT_FMT_TEXT)
		write_text(&r->verdict);
	else
		write_format(o->format, r);
	return rpt_format_exit(o->format, r);
}

int rdr_print_help(void)
{
	write_all(STDOUT_FILENO, help_text, sizeof(help_text) - 1);
	return RDR_EXIT_HEALTHY;
}

int rdr_print_version(void)
{
	char buf[128];
	int n = snprintf(buf, sizeof(buf),
			 "shm-reader %s (segment layout %u)\n",
			 SHMHEALTH_VERSION, SHMH_LAYOUT_VERSION);

	if (n > 0)
		write_all(STDOUT_FILENO, buf, (size_t)n < sizeof(buf) ?
			  (size_t)n : sizeof(buf) - 1);
	return RDR_EXIT_HEALTHY;
}

int rdr_usage_error(const struct rdr_options *o, const char *what)
{
	char buf[RDR_ERR_MAX + 64];
	int nagios = o->format == RPT_FMT_NAGIOS;
	int n = snprintf(buf, sizeof(buf), nagios ?
			 "SHMHEALTH UNKNOWN - shm-reader: %s\n" :
			 "shm-reader: %s\nTry 'shm-reader --help'.\n", what);

	if (n > 0)
		write_all(nagios ? STDOUT_FILENO : STDERR_FILENO, buf,
			  (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return nagios ? RPT_NAGIOS_UNKNOWN : RDR_EXIT_UNHEALTHY;
}
