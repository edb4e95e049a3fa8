/* SPDX-License-Identifier: MIT */
/*
 * shm-reader's command line and environment.  Flags are collected first,
 * then each setting is taken from its flag or else its SHMHEALTH_* variable
 * and parsed once, so a bad variable that a flag overrides is never an
 * error, and every message names where the bad value came from.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "reader/options.h"
#include "shm/shm.h"
#include "shm/util.h"

/* A value and the flag or variable it came from, for messages. */
struct setting {
	const char *value;	/* NULL: neither set */
	const char *from;
};

/* Flags as given, before parsing.  Switches hold "1" or "0". */
struct flags {
	const char *segment, *max_age, *owner, *format, *quiet;
	const char *on_updates, *security_only, *min_updates, *max_failures;
	const char *grace, *max_check_age, *starting;
	const char *warning, *critical;
	const char *security_flag;	/* which of the two set security_only */
	char **env;	/* the environment if it holds a SHMHEALTH_ variable */
};

enum {
	OPT_SEGMENT = 256, OPT_MAX_AGE, OPT_OWNER, OPT_FORMAT, OPT_ON_UPDATES,
	OPT_SECURITY_ONLY, OPT_ALL_UPDATES, OPT_MIN_UPDATES, OPT_MAX_FAILURES,
	OPT_GRACE, OPT_MAX_CHECK_AGE, OPT_STARTING,
};

/*
 * The long options.  Parsed here, not by getopt_long(): every usage error
 * must be one line in our words (on stdout as UNKNOWN for Nagios), and an
 * ambiguous abbreviation must name its candidates, which getopt_long()
 * prints itself or not at all.  As with getopt_long, a
 * value is "--name=VALUE" or the next argument, a unique prefix of a name
 * will do, and options and other arguments may come in any order.
 */
struct longopt {
	const char *name;
	int has_value;
	int code;
};

static const struct longopt longopts[] = {
	{ "segment", 1, OPT_SEGMENT },
	{ "max-age", 1, OPT_MAX_AGE },
	{ "owner", 1, OPT_OWNER },
	{ "format", 1, OPT_FORMAT },
	{ "on-updates", 1, OPT_ON_UPDATES },
	{ "security-only", 0, OPT_SECURITY_ONLY },
	{ "all-updates", 0, OPT_ALL_UPDATES },
	{ "min-updates", 1, OPT_MIN_UPDATES },
	{ "max-failures", 1, OPT_MAX_FAILURES },
	{ "grace", 1, OPT_GRACE },
	{ "max-check-age", 1, OPT_MAX_CHECK_AGE },
	{ "starting", 1, OPT_STARTING },
	{ "warning", 1, 'w' },
	{ "critical", 1, 'c' },
	{ "quiet", 0, 'q' },
	{ "help", 0, 'h' },
	{ "version", 0, 'V' },
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
	o->segment = SHMH_DEFAULT_NAME;
	o->format = RPT_FMT_TEXT;
}

/*
 * Whether the environment holds any SHMHEALTH_ variable, looked up once per
 * parse: most health checks set none, and one pass over the environment
 * costs less than a lookup per setting.
 */
static int env_has_ours(char **env)
{
	char **e;

	for (e = env; e != NULL && *e != NULL; e++)
		if (strncmp(*e, "SHMHEALTH_", 10) == 0)
			return 1;
	return 0;
}

/* getenv() over env. */
static const char *env_get(char **env, const char *var)
{
	size_t n = strlen(var);
	char **e;

	for (e = env; e != NULL && *e != NULL; e++)
		if (strncmp(*e, var, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* The flag if given, else the variable.  An empty variable counts as unset:
 * `ENV SHMHEALTH_OWNER=` in a Dockerfile means "no value". */
static struct setting pick(const struct flags *f, const char *flag_value,
			   const char *flag, const char *var)
{
	struct setting s = { flag_value, flag };

	if (s.value == NULL && f->env != NULL) {
		s.value = env_get(f->env, var);
		s.from = var;
		if (s.value != NULL && s.value[0] == '\0')
			s.value = NULL;
	}
	return s;
}

/* A decimal number from min to max: digits only (no sign, no blanks), and
 * an overflow refused, never wrapped. */
static int parse_number(const char *s, unsigned long long min,
			unsigned long long max, unsigned long long *n)
{
	unsigned long long v = 0, d;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned long long)(*s - '0');
		if (d > max || v > (max - d) / 10)	/* v * 10 + d > max */
			return -1;
		v = v * 10 + d;
	}
	if (v < min)
		return -1;
	*n = v;
	return 0;
}

/* Numeric only: getpwnam() would read /etc/passwd through NSS, which
 * allocates and may load modules.  (uid_t)-1 means "no uid" to chown(2),
 * so it is refused too. */
static int parse_uid(const char *s, uid_t *uid)
{
	unsigned long long n;

	if (parse_number(s, 0, (uid_t)-1 - 1ull, &n) != 0)
		return -1;
	*uid = (uid_t)n;
	return 0;
}

static int parse_format(struct setting s, enum rpt_format *f, char *err,
			size_t errlen)
{
	static const char *const names[] = {
		[RPT_FMT_TEXT] = "text", [RPT_FMT_JSON] = "json",
		[RPT_FMT_PROMETHEUS] = "prometheus",
		[RPT_FMT_NAGIOS] = "nagios",
	};
	size_t i;

	if (s.value == NULL)
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s.value, names[i]) == 0) {
			*f = (enum rpt_format)i;
			return 0;
		}
	}
	return fail(err, errlen, "%s: unknown format '%.60s' (use text, json, "
		    "prometheus or nagios)", s.from, s.value);
}

/* One of two words, which store 0 and 1 in *v. */
static int parse_word(struct setting s, const char *w0, const char *w1,
		      uint32_t *v, char *err, size_t errlen)
{
	if (strcmp(s.value, w0) == 0)
		*v = 0;
	else if (strcmp(s.value, w1) == 0)
		*v = 1;
	else
		return fail(err, errlen, "%s: '%.60s' is not %s or %s", s.from,
			    s.value, w0, w1);
	return 0;
}

/* A count for a uint32_t field of the policy. */
static int parse_count(struct setting s, unsigned long long min,
		       uint32_t *v, char *err, size_t errlen)
{
	unsigned long long n;

	if (parse_number(s.value, min, UINT32_MAX, &n) != 0)
		return fail(err, errlen, "%s: bad number '%.60s' (%llu to %u%s)",
			    s.from, s.value, min, UINT32_MAX,
			    min == 0 ? "; 0: no limit" : "");
	*v = (uint32_t)n;
	return 0;
}

/* A duration for a seconds field of the policy, rounded up to whole
 * seconds so that "500ms" still means some grace, not none. */
static int parse_secs(struct setting s, const char *zero, int64_t *v,
		      char *err, size_t errlen)
{
	uint64_t ms;

	if (shmh_parse_duration(s.value, &ms) != 0)
		return fail(err, errlen, "%s: bad duration '%.60s' (use e.g. "
			    "90s, 5m, 1h; 0: %s)", s.from, s.value, zero);
	*v = (int64_t)(ms / 1000 + (ms % 1000 != 0));
	return 0;
}

/* The switches of the policy: each sets its bit in ov->set when given. */
static int apply_policy_words(struct rpt_overrides *ov, const struct flags *f,
			      char *err, size_t errlen)
{
	struct shmh_policy *p = &ov->p;
	struct setting s;
	int b;

	s = pick(f, f->on_updates, "--on-updates", "SHMHEALTH_ON_UPDATES");
	if (s.value != NULL) {
		if (parse_word(s, "fail", "report", &p->on_updates, err,
			       errlen) != 0)
			return -1;
		ov->set |= RPT_OVR_ON_UPDATES;
	}
	s = pick(f, f->security_only, f->security_flag,
		 "SHMHEALTH_SECURITY_ONLY");
	if (s.value != NULL) {
		if (shmh_parse_bool(s.value, &b) != 0)
			return fail(err, errlen, "%s: '%.60s' is not 1, 0, true, "
				    "false, yes, no, on or off", s.from, s.value);
		p->security_only = (uint32_t)b;
		ov->set |= RPT_OVR_SECURITY_ONLY;
	}
	s = pick(f, f->starting, "--starting", "SHMHEALTH_STARTING");
	if (s.value != NULL) {
		if (parse_word(s, "unhealthy", "healthy", &p->starting_healthy,
			       err, errlen) != 0)
			return -1;
		ov->set |= RPT_OVR_STARTING;
	}
	return 0;
}

/* The numbers of the policy, bounded as their fields are. */
static int apply_policy_limits(struct rpt_overrides *ov,
			       const struct flags *f, char *err, size_t errlen)
{
	struct shmh_policy *p = &ov->p;
	struct setting s;

	s = pick(f, f->min_updates, "--min-updates", "SHMHEALTH_MIN_UPDATES");
	if (s.value != NULL) {
		if (parse_count(s, 1, &p->min_updates, err, errlen) != 0)
			return -1;
		ov->set |= RPT_OVR_MIN_UPDATES;
	}
	s = pick(f, f->max_failures, "--max-failures", "SHMHEALTH_MAX_FAILURES");
	if (s.value != NULL) {
		if (parse_count(s, 0, &p->max_failures, err, errlen) != 0)
			return -1;
		ov->set |= RPT_OVR_MAX_FAILURES;
	}
	s = pick(f, f->grace, "--grace", "SHMHEALTH_GRACE");
	if (s.value != NULL) {
		if (parse_secs(s, "none", &p->grace_s, err, errlen) != 0)
			return -1;
		ov->set |= RPT_OVR_GRACE;
	}
	s = pick(f, f->max_check_age, "--max-check-age",
		 "SHMHEALTH_MAX_CHECK_AGE");
	if (s.value != NULL) {
		if (parse_secs(s, "no limit", &p->max_success_age_s, err,
			       errlen) != 0)
			return -1;
		ov->set |= RPT_OVR_MAX_CHECK_AGE;
	}
	return 0;
}

/* One threshold: a count of updates, bounded so that a typo is an error
 * rather than a threshold never reached. */
static int parse_threshold(struct setting s, int *have, uint32_t *v,
			   char *err, size_t errlen)
{
	unsigned long long n;

	*have = 0;
	if (s.value == NULL)
		return 0;
	if (parse_number(s.value, 0, RPT_THRESHOLD_MAX, &n) != 0)
		return fail(err, errlen, "%s: bad threshold '%.60s' (a count of "
			    "updates, 0 to %u)", s.from, s.value,
			    RPT_THRESHOLD_MAX);
	*have = 1;
	*v = (uint32_t)n;
	return 0;
}

/* --warning and --critical; a warning above the critical threshold could
 * never be seen, so it is a mistake worth saying. */
static int apply_thresholds(struct rpt_thresholds *t, const struct flags *f,
			    char *err, size_t errlen)
{
	if (parse_threshold(pick(f, f->warning, "--warning",
				 "SHMHEALTH_WARNING"), &t->have_warning,
			    &t->warning, err, errlen) != 0 ||
	    parse_threshold(pick(f, f->critical, "--critical",
				 "SHMHEALTH_CRITICAL"), &t->have_critical,
			    &t->critical, err, errlen) != 0)
		return -1;
	if (t->have_warning && t->have_critical && t->warning > t->critical)
		return fail(err, errlen, "warning threshold %u is above the "
			    "critical threshold %u", t->warning, t->critical);
	return 0;
}

/* Turns the flags (and the environment under them) into o. */
static int apply(struct rdr_options *o, const struct flags *f, char *err,
		 size_t errlen)
{
	struct setting s;

	s = pick(f, f->segment, "--segment", "SHMHEALTH_SEGMENT");
	if (s.value != NULL && s.value[0] == '\0')
		return fail(err, errlen, "%s: empty segment name", s.from);
	if (s.value != NULL)
		o->segment = s.value;
	s = pick(f, f->max_age, "--max-age", "SHMHEALTH_MAX_AGE");
	if (s.value != NULL && (shmh_parse_duration(s.value, &o->judge.max_age_ms) ||
				o->judge.max_age_ms == 0))
		return fail(err, errlen, "%s: bad duration '%.60s' (use e.g. "
			    "90s, 5m, 1h; more than 0)", s.from, s.value);
	s = pick(f, f->owner, "--owner", "SHMHEALTH_OWNER");
	if (s.value != NULL && parse_uid(s.value, &o->owner))
		return fail(err, errlen, "%s: bad uid '%.60s' (a number)", s.from,
			    s.value);
	o->have_owner = s.value != NULL;
	s = pick(f, f->quiet, "--quiet", "SHMHEALTH_QUIET");
	if (s.value != NULL && shmh_parse_bool(s.value, &o->quiet))
		return fail(err, errlen, "%s: '%.60s' is not 1, 0, true, false, "
			    "yes, no, on or off", s.from, s.value);
	if (apply_policy_words(&o->judge.ov, f, err, errlen) != 0 ||
	    apply_policy_limits(&o->judge.ov, f, err, errlen) != 0)
		return -1;
	return apply_thresholds(&o->judge.thr, f, err, errlen);
}

/* Records one option in f; val is its value, if it takes one. */
static void take(int c, const char *val, struct flags *f,
		 struct rdr_options *o)
{
	switch (c) {
	case OPT_SEGMENT: f->segment = val; break;
	case OPT_MAX_AGE: f->max_age = val; break;
	case OPT_OWNER: f->owner = val; break;
	case OPT_FORMAT: f->format = val; break;
	case OPT_ON_UPDATES: f->on_updates = val; break;
	case OPT_SECURITY_ONLY:
	case OPT_ALL_UPDATES:
		f->security_only = c == OPT_SECURITY_ONLY ? "1" : "0";
		f->security_flag = c == OPT_SECURITY_ONLY ? "--security-only" :
			"--all-updates";
		break;
	case OPT_MIN_UPDATES: f->min_updates = val; break;
	case OPT_MAX_FAILURES: f->max_failures = val; break;
	case OPT_GRACE: f->grace = val; break;
	case OPT_MAX_CHECK_AGE: f->max_check_age = val; break;
	case OPT_STARTING: f->starting = val; break;
	case 'w': f->warning = val; break;
	case 'c': f->critical = val; break;
	case 'q': f->quiet = "1"; break;
	case 'h': o->action = RDR_ACTION_HELP; break;
	case 'V': o->action = RDR_ACTION_VERSION; break;
	}
}

/* The long option "--NAME" or "--NAME=..." names: an exact name, else the
 * one name it is a prefix of; NULL if none or several, *several set. */
static const struct longopt *find_long(const char *arg, size_t n, int *several)
{
	const struct longopt *hit = NULL;
	size_t i;

	*several = 0;
	for (i = 0; i < sizeof(longopts) / sizeof(longopts[0]); i++) {
		if (strncmp(longopts[i].name, arg, n) != 0)
			continue;
		if (longopts[i].name[n] == '\0')
			return &longopts[i];
		if (hit != NULL)
			*several = 1;
		hit = &longopts[i];
	}
	return *several ? NULL : hit;
}

/* "option '--se' is ambiguous (--segment, --security-only, ...)": at most
 * four names, so the message stays one short line. */
static int fail_ambiguous(const char *arg, size_t n, char *err,
			  size_t errlen)
{
	size_t i, len, shown = 0;

	fail(err, errlen, "option '%.*s' is ambiguous (", n < 60 ? (int)n : 60,
	     arg);
	for (i = 0; i < sizeof(longopts) / sizeof(longopts[0]); i++) {
		if (strncmp(longopts[i].name, arg + 2, n - 2) != 0)
			continue;
		len = strlen(err);
		if (shown++ == 4) {
			snprintf(err + len, errlen - len, ", ...");
			break;
		}
		snprintf(err + len, errlen - len, "%s--%s",
			 shown > 1 ? ", " : "", longopts[i].name);
	}
	len = strlen(err);
	snprintf(err + len, errlen - len, ")");
	return -1;
}

/* One long option at argv[*i]; may take the next argument as its value.
 * Returns 0 or -1 with the message in err if bad is still 0. */
static int take_long(int argc, char *argv[], int *i, struct flags *f,
		     struct rdr_options *o, int bad, char *err, size_t errlen)
{
	const char *arg = argv[*i], *eq = strchr(arg, '=');
	size_t n = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
	int several;
	const struct longopt *l = find_long(arg + 2, n - 2, &several);
	const char *val = eq != NULL ? eq + 1 : NULL;

	if (l == NULL && several)
		return bad ? -1 : fail_ambiguous(arg, n, err, errlen);
	if (l == NULL)
		return bad ? -1 : fail(err, errlen, "unknown option '%.60s'",
				       arg);
	if (!l->has_value && val != NULL)
		return bad ? -1 : fail(err, errlen, "option '%.*s' takes no "
				       "value", n < 60 ? (int)n : 60, arg);
	if (l->has_value && val == NULL) {
		if (*i + 1 >= argc)
			return bad ? -1 : fail(err, errlen, "option '%.60s' "
					       "needs a value", arg);
		val = argv[++*i];
	}
	take(l->code, val, f, o);
	return 0;
}

/*
 * A cluster of short options, "-q", "-qV", "-qw5": a switch, or -w or -c,
 * whose value is the rest of the argument or else the next one.
 */
static int take_short(int argc, char *argv[], int *i, struct flags *f,
		      struct rdr_options *o, int bad, char *err, size_t errlen)
{
	const char *arg = argv[*i];

	for (arg++; *arg != '\0'; arg++) {
		if (*arg == 'w' || *arg == 'c') {
			if (arg[1] != '\0') {
				take(*arg, arg + 1, f, o);
				return 0;
			}
			if (*i + 1 >= argc)
				return bad ? -1 : fail(err, errlen, "option "
						       "'-%c' needs a value",
						       *arg);
			take(*arg, argv[++*i], f, o);
			return 0;
		}
		if (*arg != 'q' && *arg != 'h' && *arg != 'V')
			return bad ? -1 : fail(err, errlen, "unknown option "
					       "'-%c'", *arg);
		take(*arg, NULL, f, o);
	}
	return 0;
}

/* Reads every option into f, in order; the first error is the message. */
static int read_args(int argc, char *argv[], struct flags *f,
		     struct rdr_options *o, char *err, size_t errlen)
{
	const char *extra = NULL;
	int i, bad = 0, r;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "--") == 0) {
			if (extra == NULL && i + 1 < argc)
				extra = argv[i + 1];
			break;
		}
		r = 0;
		if (arg[0] == '-' && arg[1] == '-')
			r = take_long(argc, argv, &i, f, o, bad, err, errlen);
		else if (arg[0] == '-' && arg[1] != '\0')
			r = take_short(argc, argv, &i, f, o, bad, err,
				       errlen);
		else if (extra == NULL)
			extra = arg;	/* told once the options are read */
		bad = bad || r != 0;
	}
	if (!bad && extra != NULL)
		return fail(err, errlen, "unexpected argument '%.60s'", extra);
	return bad ? -1 : 0;
}

/*
 * The first error wins the message, but the whole command line is still
 * read and the format parsed before the rest: `--format nagios --bogus`
 * must answer UNKNOWN (exit 3), as a Nagios plugin does for bad usage.
 */
int rdr_parse_options(struct rdr_options *o, int argc, char *argv[],
		      char *env[], char *err, size_t errlen)
{
	struct flags f;

	memset(&f, 0, sizeof(f));
	rdr_options_init(o);
	f.env = env_has_ours(env) ? env : NULL;
	if (read_args(argc, argv, &f, o, err, errlen) != 0) {
		/* Best effort, its own error dropped: the first one stands. */
		parse_format(pick(&f, f.format, "--format", "SHMHEALTH_FORMAT"),
			     &o->format, NULL, 0);
		return -1;
	}
	if (o->action != RDR_ACTION_CHECK)
		return 0;
	if (parse_format(pick(&f, f.format, "--format", "SHMHEALTH_FORMAT"),
			 &o->format, err, errlen) != 0)
		return -1;
	return apply(o, &f, err, errlen);
}
