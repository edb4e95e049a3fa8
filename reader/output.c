/* SPDX-License-Identifier: MIT */
/*
 * shm-reader's output.  Each message is formatted into a stack buffer and
 * written with one write(2): no stdio buffer (which would allocate), and a
 * health-check runtime that reads the pipe sees the whole answer at once.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
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
	"  --format FMT         output format: text\n"
	"  -q, --quiet          print nothing, answer by exit status only\n"
	"  -h, --help           print this help and exit\n"
	"  -V, --version        print the version and exit\n"
	"\n"
	"Environment: SHMHEALTH_SEGMENT, SHMHEALTH_MAX_AGE, SHMHEALTH_OWNER,\n"
	"SHMHEALTH_FORMAT, SHMHEALTH_QUIET (1/0, true/false, yes/no); a flag\n"
	"wins.\n";

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

int rdr_print_verdict(const struct rdr_options *o,
		      const struct rdr_verdict *v)
{
	char buf[RDR_TEXT_MAX];
	size_t len = v->len < sizeof(buf) - 1 ? v->len : sizeof(buf) - 2;

	if (!o->quiet) {
		memcpy(buf, v->text, len);
		buf[len++] = '\n';
		write_all(STDOUT_FILENO, buf, len);
	}
	return v->healthy ? RDR_EXIT_HEALTHY : RDR_EXIT_UNHEALTHY;
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
			 SHMHEALTH_VERSION, SHM_LAYOUT_VERSION);

	if (n > 0)
		write_all(STDOUT_FILENO, buf, (size_t)n < sizeof(buf) ?
			  (size_t)n : sizeof(buf) - 1);
	return RDR_EXIT_HEALTHY;
}

int rdr_usage_error(const char *what)
{
	char buf[RDR_ERR_MAX + 64];
	int n = snprintf(buf, sizeof(buf), "shm-reader: %s\n"
			 "Try 'shm-reader --help'.\n", what);

	if (n > 0)
		write_all(STDERR_FILENO, buf, (size_t)n < sizeof(buf) ?
			  (size_t)n : sizeof(buf) - 1);
	return RDR_EXIT_UNHEALTHY;
}
