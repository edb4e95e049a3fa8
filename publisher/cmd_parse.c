/* SPDX-License-Identifier: MIT */
/*
 * "shm-publisher parse": reads a captured output, parses it as the named
 * format and prints what the publisher would publish.  The way to test a
 * parser, or a manager's output, from outside.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "publisher/cmd_parse.h"
#include "publisher/formats.h"
#include "publisher/parse.h"

#define PUB_INPUT_MAX ((size_t)64 << 20)	/* more is not a listing */

/* What the command line asked for. */
struct pub_parse_args {
	const struct pub_format *format;
	int status;
	const char *file;		/* NULL: stdin */
	int help;
};

__attribute__((format(printf, 1, 2)))
static int pub_cmd_error(const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static void pub_usage(FILE *f)
{
	const struct pub_format *p;

	fputs("usage: shm-publisher parse FORMAT [--status N] [FILE]\n"
	      "formats:", f);
	for (p = pub_formats; p->name != NULL; p++)
		fprintf(f, " %s", p->name);
	fputc('\n', f);
}

/* Parses an exit status: a decimal number from 0 to 255. */
static int pub_parse_status(const char *s, int *status)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > 255)
		return -1;
	*status = (int)v;
	return 0;
}

/* Takes FORMAT, then FILE.  Returns 0 or 1 (error printed). */
static int pub_parse_operand(struct pub_parse_args *a, const char *arg,
			     int *npos)
{
	if (*npos == 0) {
		a->format = pub_format_find(arg);
		if (a->format == NULL)
			return pub_cmd_error("parse: unknown format '%s' "
					     "(see shm-publisher parse --help)",
					     arg);
	} else if (*npos == 1) {
		a->file = strcmp(arg, "-") == 0 ? NULL : arg;
	} else {
		return pub_cmd_error("parse: unexpected argument '%s'", arg);
	}
	++*npos;
	return 0;
}

/* Takes the option at argv[*i] (and its value).  Returns 0 or 1. */
static int pub_parse_option(struct pub_parse_args *a, char **argv, int *i)
{
	const char *arg = argv[*i], *val;

	if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
		a->help = 1;
		return 0;
	}
	if (strncmp(arg, "--status=", 9) == 0) {
		val = arg + 9;
	} else if (strcmp(arg, "--status") == 0) {
		val = argv[*i + 1];
		if (val == NULL)
			return pub_cmd_error("parse: --status needs a value");
		++*i;
	} else {
		return pub_cmd_error("parse: unknown option '%s'", arg);
	}
	if (pub_parse_status(val, &a->status) != 0)
		return pub_cmd_error("parse: --status '%s' is not a number "
				     "from 0 to 255", val);
	return 0;
}

static int pub_parse_args(struct pub_parse_args *a, int argc, char **argv)
{
	int i, npos = 0, operands = 0, rc;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		rc = 0;
		if (!operands && strcmp(argv[i], "--") == 0)
			operands = 1;
		else if (!operands && argv[i][0] == '-' && argv[i][1] != '\0')
			rc = pub_parse_option(a, argv, &i);
		else
			rc = pub_parse_operand(a, argv[i], &npos);
		if (rc != 0)
			return rc;
	}
	if (a->format == NULL && !a->help)
		return pub_cmd_error("parse: missing FORMAT "
				     "(see shm-publisher parse --help)");
	return 0;
}

/* Reads all of fd into *buf (at most PUB_INPUT_MAX).  Returns 0 or errno. */
static int pub_read_all(int fd, char **buf, size_t *len)
{
	size_t cap = 0, n = 0;
	char *p = NULL;
	ssize_t got = 1;

	while (got != 0) {
		if (n == cap) {
			/* One byte past the cap tells "too large" from "full". */
			size_t ncap = cap ? cap * 2 : 65536;
			char *q;

			if (cap > PUB_INPUT_MAX)
				break;
			if (ncap > PUB_INPUT_MAX + 1)
				ncap = PUB_INPUT_MAX + 1;
			q = realloc(p, ncap);
			if (q == NULL)
				break;
			p = q;
			cap = ncap;
		}
		got = read(fd, p + n, cap - n);
		if (got < 0 && errno != EINTR)
			break;
		if (got > 0)
			n += (size_t)got;
	}
	if (got != 0) {
		int e = n > PUB_INPUT_MAX ? EFBIG : got < 0 ? errno : ENOMEM;

		free(p);
		return e;
	}
	*buf = p;
	*len = n;
	return 0;
}

/* Reads the input named by file (NULL: stdin).  Returns 0 or 1. */
static int pub_read_input(const char *file, char **buf, size_t *len)
{
	const char *name = file ? file : "standard input";
	int fd = file ? open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY) : 0;
	int e;

	if (fd < 0)
		return pub_cmd_error("%s: %s", name, strerror(errno));
	e = pub_read_all(fd, buf, len);
	if (file != NULL)
		close(fd);
	if (e == EFBIG)
		return pub_cmd_error("%s: larger than %zu MiB", name,
				     PUB_INPUT_MAX >> 20);
	if (e != 0)
		return pub_cmd_error("%s: %s", name, strerror(e));
	return 0;
}

int pub_cmd_parse(int argc, char **argv)
{
	struct pub_parse_args a;
	struct pub_result r;
	char err[512], *buf = NULL;
	size_t len = 0;
	int rc;

	if (pub_parse_args(&a, argc, argv) != 0)
		return 1;
	if (a.help) {
		pub_usage(stdout);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (pub_read_input(a.file, &buf, &len) != 0)
		return 1;
	rc = pub_parse(a.format, buf, len, a.status, &r, err, sizeof(err));
	free(buf);
	if (rc != 0)
		return pub_cmd_error("%s", err);
	pub_result_print(&r, stdout);
	pub_result_free(&r);
	if (fflush(stdout) != 0 || ferror(stdout))
		return pub_cmd_error("standard output: %s", strerror(errno));
	return 0;
}
