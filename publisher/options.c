/* SPDX-License-Identifier: MIT */
/*
 * Option parsing for shm-publisher: one table gives each option's flag, its
 * SHMHEALTH_* variable and its kind, so flags and environment never drift.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "publisher/backend.h"
#include "publisher/formats.h"
#include "publisher/options.h"
#include "publisher/parse.h"
#include "shm/shm.h"
#include "shm/util.h"

const char pub_usage[] =
	"usage: shm-publisher [--segment NAME|PATH] [--manager NAME] "
	"[--update-command CMD] [--update-format FORMAT] [--interval DUR] "
	"[--jitter DUR] [--retry DUR] [--timeout DUR] [--heartbeat DUR] "
	"[--max-output BYTES] [--cache-dir DIR] [--no-refresh] "
	"[--ignore PATTERN]... [--probe NAME:INTERVAL:TIMEOUT:COMMAND]... "
	"[--probe-retries N] [--textfile DIR] [--listen ADDR:PORT] "
	"[--check-nice N] "
	"[--check-io-class idle|best-effort|inherit] [--check-oom-score N] "
	"[--check-memory BYTES] [--on-updates fail|report] "
	"[--security-only] [--min-updates N] [--grace DUR] "
	"[--max-check-age DUR] [--max-failures N] "
	"[--starting healthy|unhealthy] [--daemon | --once | -- CMD ARGS...]\n"
	"       shm-publisher parse FORMAT [--status N] [FILE]\n";

static const char pub_help[] =
	"Publish pending OS package updates and a heartbeat into a shared-memory\n"
	"segment for shm-reader, the container health check.\n\n"
	"  --segment NAME|PATH   segment: a name under /dev/shm, or a path (shmhealth)\n"
	"  --manager NAME        auto, apk, apt, dnf, yum, zypper, pacman, none (auto)\n"
	"  --update-command CMD  list pending updates with CMD instead\n"
	"  --update-format FMT   how to read CMD's output (lines)\n"
	"  --interval DUR        between update checks (1d)\n"
	"  --jitter DUR          random extra delay up to DUR (1h)\n"
	"  --retry DUR           after a failed check, at most --interval (1h)\n"
	"  --timeout DUR         kill a check running longer (10m)\n"
	"  --heartbeat DUR       heartbeat period (10s)\n"
	"  --max-output BYTES    output kept from a check; more is an error (1M)\n"
	"  --cache-dir DIR       private package index (/var/tmp/shmhealth-UID)\n"
	"  --no-refresh          read the system's package index, do not refresh\n"
	"  --ignore PATTERN      leave out packages matching a glob (repeatable)\n"
	"  --probe NAME:INTERVAL:TIMEOUT:COMMAND\n"
	"                        run a service check in the background (repeatable)\n"
	"  --probe-retries N     probe failures in a row before unhealthy (3)\n"
	"  --textfile DIR        write DIR/shmhealth.prom after every check\n"
	"  --listen ADDR:PORT    serve GET /healthz (200 or 503) and /metrics;\n"
	"                        ADDR an IPv4 or [IPv6] literal, or none for all\n"
	"  --check-nice N        checks and probes at least this nice, 0-19 (19)\n"
	"  --check-io-class CLASS  their I/O class: idle, best-effort (its lowest\n"
	"                        level) or inherit (idle)\n"
	"  --check-oom-score N   their oom_score_adj at least N, 0-1000: the OOM\n"
	"                        killer takes them before the service (1000)\n"
	"  --check-memory BYTES  their address space limit (RLIMIT_AS; none)\n\n"
	"Health policy, published for shm-reader (which can override each):\n"
	"  --on-updates fail|report  pending updates make it unhealthy (fail)\n"
	"  --security-only       count only security updates\n"
	"  --min-updates N       unhealthy from N pending updates (1)\n"
	"  --grace DUR           only once the same set has been pending DUR (0)\n"
	"  --max-check-age DUR   last successful check at most this old; 0: no\n"
	"                        limit (2 x (interval + jitter + timeout))\n"
	"  --max-failures N      failed checks in a row tolerated; 0: no limit (3)\n"
	"  --starting healthy|unhealthy  before the first check ends (healthy)\n\n"
	"  --daemon              detach once the segment is live\n"
	"  --once                run one check, print it as 'parse' does, exit\n"
	"  -- CMD ARGS...        run CMD as a child, pass signals on, reap zombies,\n"
	"                        exit with its status (the container's PID 1)\n"
	"  --help, --version\n\n"
	"DUR is a number with ms, s, m, h or d (bare: seconds).  Each option can\n"
	"also be set as SHMHEALTH_<NAME> (SHMHEALTH_INTERVAL=12h); a flag wins.\n"
	"SHMHEALTH_IGNORE takes several patterns, separated by blanks or commas;\n"
	"SHMHEALTH_PROBE several probes, one per line.\n"
	"SIGHUP or SIGPWR run an update check now; SIGTERM or SIGINT publish\n"
	"'stopped' and exit.  With -- CMD, every signal but SIGPWR goes to CMD,\n"
	"SIGHUP included, and CMD's exit ends the publisher.\n";

enum pub_kind { PUB_STR, PUB_DUR, PUB_SIZE, PUB_BOOL, PUB_LIST, PUB_UINT };

struct pub_optdef {
	const char *name;	/* flag without "--" */
	const char *env;	/* SHMHEALTH_* variable */
	enum pub_kind kind;
	size_t off;		/* field in struct pub_options */
};

#define PUB_OPT(n, e, k, f) { n, "SHMHEALTH_" e, k, offsetof(struct pub_options, f) }
static const struct pub_optdef pub_optdefs[] = {
	PUB_OPT("segment", "SEGMENT", PUB_STR, segment),
	PUB_OPT("manager", "MANAGER", PUB_STR, manager),
	PUB_OPT("update-command", "UPDATE_COMMAND", PUB_STR, update_command),
	PUB_OPT("update-format", "UPDATE_FORMAT", PUB_STR, update_format),
	PUB_OPT("interval", "INTERVAL", PUB_DUR, interval_ms),
	PUB_OPT("jitter", "JITTER", PUB_DUR, jitter_ms),
	PUB_OPT("retry", "RETRY", PUB_DUR, retry_ms),
	PUB_OPT("timeout", "TIMEOUT", PUB_DUR, timeout_ms),
	PUB_OPT("heartbeat", "HEARTBEAT", PUB_DUR, heartbeat_ms),
	PUB_OPT("max-output", "MAX_OUTPUT", PUB_SIZE, max_output),
	PUB_OPT("cache-dir", "CACHE_DIR", PUB_STR, cache_dir),
	PUB_OPT("no-refresh", "NO_REFRESH", PUB_BOOL, no_refresh),
	PUB_OPT("ignore", "IGNORE", PUB_LIST, ignore),
	PUB_OPT("probe", "PROBE", PUB_LIST, probes),
	PUB_OPT("probe-retries", "PROBE_RETRIES", PUB_UINT, probe_retries),
	PUB_OPT("textfile", "TEXTFILE", PUB_STR, textfile),
	PUB_OPT("listen", "LISTEN", PUB_STR, listen),
	PUB_OPT("check-nice", "CHECK_NICE", PUB_UINT, check_nice),
	PUB_OPT("check-io-class", "CHECK_IO_CLASS", PUB_STR, check_io_class),
	PUB_OPT("check-oom-score", "CHECK_OOM_SCORE", PUB_UINT, check_oom_score),
	PUB_OPT("check-memory", "CHECK_MEMORY", PUB_SIZE, check_memory),
	PUB_OPT("on-updates", "ON_UPDATES", PUB_STR, on_updates),
	PUB_OPT("security-only", "SECURITY_ONLY", PUB_BOOL, security_only),
	PUB_OPT("min-updates", "MIN_UPDATES", PUB_UINT, min_updates),
	PUB_OPT("grace", "GRACE", PUB_DUR, grace_ms),
	PUB_OPT("max-check-age", "MAX_CHECK_AGE", PUB_DUR, max_check_age_ms),
	PUB_OPT("max-failures", "MAX_FAILURES", PUB_UINT, max_failures),
	PUB_OPT("starting", "STARTING", PUB_STR, starting),
	PUB_OPT("daemon", "DAEMON", PUB_BOOL, daemon),
	PUB_OPT("once", "ONCE", PUB_BOOL, once),
};
#define PUB_NOPTS (sizeof(pub_optdefs) / sizeof(pub_optdefs[0]))
enum { PUB_OPT_HELP = 1000, PUB_OPT_VERSION };

static void pub_defaults(struct pub_options *o)
{
	memset(o, 0, sizeof(*o));
	o->segment = SHMH_DEFAULT_NAME;
	o->manager = "auto";
	o->update_format = "lines";
	o->interval_ms = 86400000;
	o->jitter_ms = 3600000;
	o->retry_ms = 3600000;
	o->timeout_ms = 600000;
	o->heartbeat_ms = 10000;
	o->max_output = 1 << 20;
	o->probe_retries = 3;
	o->check_nice = 19;
	o->check_io_class = "idle";
	o->check_oom_score = 1000;
	o->on_updates = "fail";
	o->min_updates = 1;
	o->max_check_age_ms = PUB_DEFAULT_AGE;
	o->max_failures = 3;
	o->starting = "healthy";
}

/* Leading decimal digits (no sign, no blank) up to max; *end after them. */
static int pub_parse_digits(const char *s, unsigned long long max,
			    unsigned long long *n, char **end)
{
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*n = strtoull(s, end, 10);
	return errno != 0 || *n > max ? -1 : 0;
}

/* A count: decimal digits only, at most a million. */
static int pub_parse_uint(const char *s, uint64_t *out)
{
	unsigned long long n;
	char *end;

	if (pub_parse_digits(s, 1000000, &n, &end) != 0 || *end != '\0')
		return -1;
	*out = n;
	return 0;
}

/* Bytes with an optional k or M suffix (binary multiples). */
static int pub_parse_size(const char *s, uint64_t *out)
{
	unsigned long long n;
	char *end;

	if (pub_parse_digits(s, 1ull << 32, &n, &end) != 0)
		return -1;
	if (strcmp(end, "k") == 0 || strcmp(end, "K") == 0)
		n <<= 10;
	else if (strcmp(end, "M") == 0)
		n <<= 20;
	else if (strcmp(end, "G") == 0)
		n <<= 30;
	else if (*end != '\0')
		return -1;
	if (n == 0 || n > (1ull << 32))
		return -1;
	*out = n;
	return 0;
}

/*
 * Adds to a repeatable option: one item per flag, or several in the variable,
 * separated by seps (the variable is copied: getenv's string is not ours to
 * cut).  The variable is read only when no flag gave any.
 */
static int pub_list_add(struct pub_list *l, const char *value, int is_env,
			const char *seps)
{
	char *save = NULL, *tok;

	if (!is_env) {
		if (*value == '\0' || l->n >= PUB_LIST_MAX)
			return -1;
		l->items[l->n++] = (char *)value;
		return 0;
	}
	if (strlen(value) >= sizeof(l->env))
		return -1;
	strcpy(l->env, value);
	for (tok = strtok_r(l->env, seps, &save); tok != NULL;
	     tok = strtok_r(NULL, seps, &save)) {
		if (l->n >= PUB_LIST_MAX)
			return -1;
		l->items[l->n++] = tok;
	}
	return 0;
}

/* Stores value into the field of d; `from` names the source for errors. */
static int pub_set(struct pub_options *o, const struct pub_optdef *d,
		   const char *value, const char *from)
{
	char *field = (char *)o + d->off;
	int r = 0;

	switch (d->kind) {
	case PUB_STR:
		*(const char **)(void *)field = value;
		break;
	case PUB_DUR:
		r = shmh_parse_duration(value, (uint64_t *)(void *)field);
		break;
	case PUB_SIZE:
		r = pub_parse_size(value, (uint64_t *)(void *)field);
		break;
	case PUB_BOOL:
		r = shmh_parse_bool(value, (int *)(void *)field);
		break;
	case PUB_LIST:
		/* Probes hold blanks and commas; they come one per line. */
		r = pub_list_add((struct pub_list *)(void *)field, value,
				 strncmp(from, "SHMHEALTH_", 10) == 0,
				 d->off == offsetof(struct pub_options, probes) ?
				 "\n" : " \t\n,");
		break;
	case PUB_UINT:
		r = pub_parse_uint(value, (uint64_t *)(void *)field);
		break;
	}
	if (r != 0) {
		static const char *const what[] = {
			"value", "duration", "size", "boolean",
			"list (at most 64 items)", "count (0 to 1000000)"
		};
		fprintf(stderr, "shm-publisher: %s: invalid %s '%s'\n", from,
			what[d->kind], value);
		return -1;
	}
	return 0;
}

/*
 * Options that stand in for each other: a flag for one also silences the
 * variable of the other (SHMHEALTH_MANAGER=apt in an image, --update-command
 * on one run).
 */
static const char *const pub_rivals[][2] = {
	{ "manager", "update-command" }, { "daemon", "once" },
};

static size_t pub_opt_index(const char *name)
{
	size_t i;

	for (i = 0; i < PUB_NOPTS; i++)
		if (strcmp(pub_optdefs[i].name, name) == 0)
			break;
	return i;
}

static int pub_rival_given(size_t i, const int *given)
{
	size_t r, a, b;

	for (r = 0; r < sizeof(pub_rivals) / sizeof(pub_rivals[0]); r++) {
		a = pub_opt_index(pub_rivals[r][0]);
		b = pub_opt_index(pub_rivals[r][1]);
		if ((i == a && given[b]) || (i == b && given[a]))
			return 1;
	}
	return 0;
}

/*
 * The variables, for what no flag gave: a flag wins, and a bad variable
 * under a flag is never read.  An empty variable is unset (ENV X= in a
 * Dockerfile).
 */
static int pub_from_env(struct pub_options *o, const int *given)
{
	size_t i;

	for (i = 0; i < PUB_NOPTS; i++) {
		const char *v = getenv(pub_optdefs[i].env);

		if (v == NULL || *v == '\0' || given[i] ||
		    pub_rival_given(i, given))
			continue;
		if (pub_set(o, &pub_optdefs[i], v, pub_optdefs[i].env) != 0)
			return -1;
	}
	return 0;
}

static void pub_long_options(struct option *lo)
{
	size_t i;

	for (i = 0; i < PUB_NOPTS; i++) {
		lo[i].name = pub_optdefs[i].name;
		lo[i].has_arg = pub_optdefs[i].kind == PUB_BOOL ?
				no_argument : required_argument;
		lo[i].flag = NULL;
		lo[i].val = (int)i;
	}
	lo[i++] = (struct option){ "help", no_argument, NULL, PUB_OPT_HELP };
	lo[i++] = (struct option){ "version", no_argument, NULL, PUB_OPT_VERSION };
	lo[i] = (struct option){ NULL, 0, NULL, 0 };
}

static int pub_usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "shm-publisher: %s%s%s\n"
		"Try 'shm-publisher --help'.\n", msg, arg ? ": " : "",
		arg ? arg : "");
	return -1;
}

/*
 * getopt_long() says '?' alike for an unknown option, a missing value and
 * an abbreviation that fits several: tell the last apart, naming at most
 * four of the options it fits.  Returns 0 when arg is not one.
 */
static int pub_ambiguous(const struct option *lo, const char *arg)
{
	size_t n, i, shown = 0;

	if (strncmp(arg, "--", 2) != 0)
		return 0;
	arg += 2;
	n = strcspn(arg, "=");
	for (i = 0; lo[i].name != NULL; i++) {
		if (strncmp(lo[i].name, arg, n) != 0)
			continue;
		if (lo[i].name[n] == '\0')
			return 0;
		shown++;
	}
	if (shown < 2)
		return 0;
	fprintf(stderr, "shm-publisher: option '--%.*s' is ambiguous (",
		n < 60 ? (int)n : 60, arg);
	for (i = 0, shown = 0; lo[i].name != NULL; i++) {
		if (strncmp(lo[i].name, arg, n) != 0)
			continue;
		if (shown++ == 4) {
			fprintf(stderr, ", ...");
			break;
		}
		fprintf(stderr, "%s--%s", shown > 1 ? ", " : "", lo[i].name);
	}
	fprintf(stderr, ")\nTry 'shm-publisher --help'.\n");
	return 1;
}

static int pub_from_flags(struct pub_options *o, int argc, char **argv,
			  int *given)
{
	struct option lo[PUB_NOPTS + 3];
	char flag[64];
	int c;

	pub_long_options(lo);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hV", lo, NULL)) != -1) {
		if (c == 'h' || c == PUB_OPT_HELP) {
			printf("%s\n%s", pub_usage, pub_help);
			return 1;
		}
		if (c == 'V' || c == PUB_OPT_VERSION) {
			printf("shm-publisher %s (segment layout %u)\n",
			       SHMHEALTH_VERSION, SHMH_LAYOUT_VERSION);
			return 1;
		}
		if ((c == '?' || c == ':') &&
		    pub_ambiguous(lo, argv[optind - 1]))
			return -1;
		if (c == '?' || c == ':')
			return pub_usage_error("unknown option or missing value",
					       argv[optind - 1]);
		given[c] = 1;
		snprintf(flag, sizeof(flag), "--%s", pub_optdefs[c].name);
		if (pub_set(o, &pub_optdefs[c],
			    pub_optdefs[c].kind == PUB_BOOL ? "1" : optarg,
			    flag) != 0)
			return -1;
	}
	if (optind < argc && strcmp(argv[optind - 1], "--") == 0)
		o->wrap_argv = &argv[optind];
	else if (optind < argc)
		return pub_usage_error("unexpected argument", argv[optind]);
	return 0;
}

int pub_probe_parse(const char *spec, struct pub_probe_def *d, char *err,
		    size_t len)
{
	const char *f[3], *p = spec;
	char buf[32];
	size_t i, n;

	for (i = 0; i < 3; i++) {	/* NAME, INTERVAL, TIMEOUT; the rest */
		f[i] = p;
		p = strchr(p, ':');
		if (p == NULL)
			return snprintf(err, len, "want NAME:INTERVAL:TIMEOUT:"
					"COMMAND"), -1;
		p++;
	}
	n = (size_t)(f[1] - f[0] - 1);
	if (n == 0 || n >= sizeof(d->name) ||
	    strspn(f[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789_.-") < n)
		return snprintf(err, len, "name must be 1 to 31 of "
				"A-Z a-z 0-9 _ . -"), -1;
	memcpy(d->name, f[0], n);
	d->name[n] = '\0';
	for (i = 1; i < 3; i++) {
		uint64_t *ms = i == 1 ? &d->interval_ms : &d->timeout_ms;

		n = (size_t)((i == 1 ? f[2] : p) - f[i] - 1);
		/* Cut, "000...0005000" would read as "000...0" or 5 s. */
		if (n >= sizeof(buf))
			return snprintf(err, len, "%s too long", i == 1 ?
					"interval" : "timeout"), -1;
		memcpy(buf, f[i], n);
		buf[n] = '\0';
		if (shmh_parse_duration(buf, ms) != 0 || *ms == 0)
			return snprintf(err, len, "bad %s '%s'", i == 1 ?
					"interval" : "timeout", buf), -1;
	}
	if (p[strspn(p, " \t")] == '\0')
		return snprintf(err, len, "empty command"), -1;
	d->command = p;
	return 0;
}

/* The probes and the health policy. */
static int pub_validate_policy(struct pub_options *o)
{
	char err[128];
	size_t i, j;

	if (strcmp(o->on_updates, "fail") != 0 &&
	    strcmp(o->on_updates, "report") != 0)
		return pub_usage_error("--on-updates takes fail or report",
				       o->on_updates);
	if (strcmp(o->starting, "healthy") != 0 &&
	    strcmp(o->starting, "unhealthy") != 0)
		return pub_usage_error("--starting takes healthy or unhealthy",
				       o->starting);
	if (o->min_updates == 0 || o->probe_retries == 0)
		return pub_usage_error("--min-updates and --probe-retries must "
				       "be at least 1", NULL);
	if (o->probes.n > PUB_PROBES_MAX)
		return pub_usage_error("at most 8 probes", NULL);
	for (i = 0; i < o->probes.n; i++) {
		if (pub_probe_parse(o->probes.items[i], &o->probe_defs[i], err,
				    sizeof(err)) != 0) {
			fprintf(stderr, "shm-publisher: --probe %s: %s\n",
				o->probes.items[i], err);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (strcmp(o->probe_defs[j].name,
				   o->probe_defs[i].name) == 0)
				return pub_usage_error("two probes named",
						       o->probe_defs[i].name);
	}
	o->nprobe_defs = o->probes.n;
	return 0;
}

/* What checks and probes may claim of the machine, into o->limits. */
static int pub_validate_limits(struct pub_options *o)
{
	static const char *const classes[] = { "inherit", NULL, "best-effort",
					       "idle" };
	struct pub_limits *lim = &o->limits;

	char n[24];

	snprintf(n, sizeof(n), "%llu", (unsigned long long)o->check_nice);
	if (o->check_nice > 19)
		return pub_usage_error("--check-nice takes 0 to 19", n);
	snprintf(n, sizeof(n), "%llu", (unsigned long long)o->check_oom_score);
	if (o->check_oom_score > 1000)
		return pub_usage_error("--check-oom-score takes 0 to 1000", n);
	lim->nice = (int)o->check_nice;
	lim->oom_score_adj = (int)o->check_oom_score;
	lim->memory = o->check_memory;
	for (lim->io_class = 0; lim->io_class < 4; lim->io_class++)
		if (classes[lim->io_class] != NULL &&
		    strcmp(classes[lim->io_class], o->check_io_class) == 0)
			return 0;
	return pub_usage_error("--check-io-class takes idle, best-effort or "
			       "inherit", o->check_io_class);
}

/* Makes *path absolute, from the working directory, unless it is
 * already: --daemon changes to '/', where a relative path would name
 * another file (or none). */
static int pub_absolute(const char **path, const char *flag)
{
	char cwd[PATH_MAX], *abs;

	if (*path == NULL || (*path)[0] == '/' || (*path)[0] == '\0')
		return 0;
	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		fprintf(stderr, "shm-publisher: %s %s: cannot make it absolute "
			"for --daemon: %s\n", flag, *path, strerror(errno));
		return -1;
	}
	if (asprintf(&abs, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd,
		     *path) < 0) {
		fprintf(stderr, "shm-publisher: %s %s: out of memory\n", flag,
			*path);
		return -1;
	}
	*path = abs;	/* kept for the process's life */
	return 0;
}

/* The path options --daemon must resolve before it leaves the directory
 * they were given in.  A segment name without '/' is not a path. */
static int pub_daemon_paths(struct pub_options *o)
{
	if (strchr(o->segment, '/') != NULL &&
	    pub_absolute(&o->segment, "--segment") != 0)
		return -1;
	if (pub_absolute(&o->textfile, "--textfile") != 0 ||
	    pub_absolute(&o->cache_dir, "--cache-dir") != 0)
		return -1;
	return 0;
}

/* Cross-checks once every source has been read. */
static int pub_validate(struct pub_options *o)
{
	char names[128];

	if (o->update_command != NULL && strcmp(o->manager, "auto") != 0 &&
	    strcmp(o->manager, "none") != 0)
		return pub_usage_error("--update-command replaces --manager; "
				       "give one of them", NULL);
	pub_backend_names(names, sizeof(names));
	if (strcmp(o->manager, "auto") != 0 && strcmp(o->manager, "none") != 0 &&
	    pub_backend_find(o->manager) == NULL) {
		fprintf(stderr, "shm-publisher: unknown manager '%s' (auto, %s, "
			"none)\n", o->manager, names);
		return -1;
	}
	if (pub_format_find(o->update_format) == NULL)
		return pub_usage_error("unknown update format", o->update_format);
	if (o->heartbeat_ms < 10 || o->interval_ms < 1000 || o->timeout_ms == 0)
		return pub_usage_error("--heartbeat must be at least 10ms, "
				       "--interval at least 1s, --timeout > 0",
				       NULL);
	if (o->heartbeat_ms > 86400000u)
		return pub_usage_error("--heartbeat must be at most 1d", NULL);
	if (o->once && o->update_command == NULL &&
	    strcmp(o->manager, "none") == 0)
		return pub_usage_error("--once with --manager none has nothing "
				       "to check", NULL);
	if (o->listen != NULL && o->once)
		return pub_usage_error("--listen and --once exclude each other",
				       NULL);
	if (o->daemon && o->once)
		return pub_usage_error("--daemon and --once exclude each other",
				       NULL);
	if (pub_validate_policy(o) != 0 || pub_validate_limits(o) != 0)
		return -1;
	if (o->wrap_argv != NULL && (o->daemon || o->once))
		return pub_usage_error("-- CMD runs in the foreground: not with "
				       "--daemon or --once", NULL);
	if (o->daemon && pub_daemon_paths(o) != 0)
		return -1;
	return 0;
}

int pub_options_parse(struct pub_options *o, int argc, char **argv)
{
	int given[PUB_NOPTS] = { 0 }, r;

	pub_defaults(o);
	r = pub_from_flags(o, argc, argv, given);
	if (r != 0)
		return r;
	if (pub_from_env(o, given) != 0)
		return -1;
	return pub_validate(o);
}
