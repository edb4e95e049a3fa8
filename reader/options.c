/* SPDX-License-Identifier: MIT */
/*
 * shm-reader's command line and environment.  Flags are collected first,
 * then each setting is taken from its flag or else its SHMHEALTH_* variable
 * and parsed once, so a bad variable that a flag overrides is never an
 * error, and every message names where the bad value came from.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader/options.h"
#include "shm/shm.h"

/* A value and the flag or variable it came from, for messages. */
struct setting {
	const char *value;	/* NULL: neither set */
	const char *from;
};

/* Flags as given, before parsing. */
struct flags {
	const char *segment, *max_age, *owner, *format;
	int quiet;
};

enum { OPT_SEGMENT = 256, OPT_MAX_AGE, OPT_OWNER, OPT_FORMAT };

static const struct option longopts[] = {
	{ "segment", required_argument, NULL, OPT_SEGMENT },
	{ "max-age", required_argument, NULL, OPT_MAX_AGE },
	{ "owner", required_argument, NULL, OPT_OWNER },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

void rdr_options_init(struct rdr_options *o)
{
	memset(o, 0, sizeof(*o));
	o->action = RDR_ACTION_CHECK;
	o->segment = SHM_DEFAULT_NAME;
	o->format = RDR_FORMAT_TEXT;
}

/* The flag if given, else the variable.  An empty variable counts as unset:
 * `ENV SHMHEALTH_OWNER=` in a Dockerfile means "no value". */
static struct setting pick(const char *flag_value, const char *flag,
			   const char *var)
{
	struct setting s = { flag_value, flag };

	if (s.value == NULL) {
		s.value = getenv(var);
		s.from = var;
		if (s.value != NULL && s.value[0] == '\0')
			s.value = NULL;
	}
	return s;
}

/* Numeric only: getpwnam() would read /etc/passwd through NSS, which
 * allocates and may load modules.  (uid_t)-1 means "no uid" to chown(2),
 * so it is refused too. */
static int parse_uid(const char *s, uid_t *uid)
{
	unsigned long n;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || n >= (unsigned long)(uid_t)-1)
		return -1;
	*uid = (uid_t)n;
	return 0;
}

static int parse_bool(const char *s, int *b)
{
	static const char *const yes[] = { "1", "true", "yes" };
	static const char *const no[] = { "0", "false", "no" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*b = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*b = 0;
			return 0;
		}
	}
	return -1;
}

static int parse_format(struct setting s, enum rdr_format *f, char *err,
			size_t errlen)
{
	if (s.value == NULL || strcmp(s.value, "text") == 0) {
		*f = RDR_FORMAT_TEXT;
		return 0;
	}
	if (strcmp(s.value, "json") == 0 ||
	    strcmp(s.value, "prometheus") == 0 ||
	    strcmp(s.value, "nagios") == 0)
		return fail(err, errlen, "%s: unsupported format '%s' (this "
			    "version has only text)", s.from, s.value);
	return fail(err, errlen, "%s: unknown format '%s' (use text)", s.from,
		    s.value);
}

/* Turns the flags (and the environment under them) into o. */
static int apply(struct rdr_options *o, const struct flags *f, char *err,
		 size_t errlen)
{
	struct setting s;

	s = pick(f->segment, "--segment", "SHMHEALTH_SEGMENT");
	if (s.value != NULL && s.value[0] == '\0')
		return fail(err, errlen, "%s: empty segment name", s.from);
	if (s.value != NULL)
		o->segment = s.value;
	s = pick(f->max_age, "--max-age", "SHMHEALTH_MAX_AGE");
	if (s.value != NULL && (shm_parse_duration(s.value, &o->max_age_ms) ||
				o->max_age_ms == 0))
		return fail(err, errlen, "%s: bad duration '%s' (use e.g. "
			    "90s, 5m, 1h; more than 0)", s.from, s.value);
	s = pick(f->owner, "--owner", "SHMHEALTH_OWNER");
	if (s.value != NULL && parse_uid(s.value, &o->owner))
		return fail(err, errlen, "%s: bad uid '%s' (a number)", s.from,
			    s.value);
	o->have_owner = s.value != NULL;
	s = pick(f->quiet ? "1" : NULL, "--quiet", "SHMHEALTH_QUIET");
	if (s.value != NULL && parse_bool(s.value, &o->quiet))
		return fail(err, errlen, "%s: '%s' is not 1, 0, true, false, "
			    "yes or no", s.from, s.value);
	return parse_format(pick(f->format, "--format", "SHMHEALTH_FORMAT"),
			    &o->format, err, errlen);
}

/* getopt_long's '?' or ':' as a message.  opterr is off: its own messages
 * would go out unformatted and without the --help hint. */
static int bad_option(int c, char *argv[], char *err, size_t errlen)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";

	if (c == ':')
		return fail(err, errlen, "option '%s' needs a value", arg);
	if (optopt != 0)
		return fail(err, errlen, "unknown option '-%c'", optopt);
	return fail(err, errlen, "unknown option '%s'", arg);
}

int rdr_parse_options(struct rdr_options *o, int argc, char *argv[],
		      char *err, size_t errlen)
{
	struct flags f = { NULL, NULL, NULL, NULL, 0 };
	int c;

	rdr_options_init(o);
	opterr = 0;
	optind = 0;	/* restart getopt (glibc and musl both honour 0) */
	while ((c = getopt_long(argc, argv, ":qhV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SEGMENT: f.segment = optarg; break;
		case OPT_MAX_AGE: f.max_age = optarg; break;
		case OPT_OWNER: f.owner = optarg; break;
		case OPT_FORMAT: f.format = optarg; break;
		case 'q': f.quiet = 1; break;
		case 'h': o->action = RDR_ACTION_HELP; break;
		case 'V': o->action = RDR_ACTION_VERSION; break;
		default: return bad_option(c, argv, err, errlen);
		}
	}
	if (optind < argc)
		return fail(err, errlen, "unexpected argument '%s'",
			    argv[optind]);
	if (o->action != RDR_ACTION_CHECK)
		return 0;
	return apply(o, &f, err, errlen);
}
