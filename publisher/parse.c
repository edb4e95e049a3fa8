/* SPDX-License-Identifier: MIT */
/*
 * The parse result (add, sort and merge, print) and the line and token
 * helpers every parser shares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "publisher/parse.h"

void pub_result_init(struct pub_result *r)
{
	memset(r, 0, sizeof(*r));
	r->security = -1;
}

void pub_pkg_free(struct pub_pkg *p)
{
	free(p->name);
	free(p->installed);
	free(p->candidate);
	p->name = p->installed = p->candidate = NULL;
}

void pub_result_free(struct pub_result *r)
{
	size_t i;

	for (i = 0; i < r->npkgs; i++)
		pub_pkg_free(&r->pkgs[i]);
	for (i = 0; i < r->nkept; i++)
		pub_pkg_free(&r->kept[i]);
	free(r->pkgs);
	free(r->kept);
	pub_result_init(r);
}

static char *pub_strndup(const char *s, size_t len)
{
	char *copy = malloc(len + 1);

	if (copy != NULL) {
		memcpy(copy, s, len);
		copy[len] = '\0';
	}
	return copy;
}

/* Appends a package named name to *v (n used, cap allocated). */
static struct pub_pkg *pub_pkgs_push(struct pub_pkg **v, size_t *n,
				     size_t *cap, const char *name, size_t len)
{
	struct pub_pkg *p;

	if (*n >= PUB_PKGS_MAX)
		return NULL;
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;

		p = realloc(*v, ncap * sizeof(*p));
		if (p == NULL)
			return NULL;
		*v = p;
		*cap = ncap;
	}
	p = &(*v)[*n];
	memset(p, 0, sizeof(*p));
	p->name = pub_strndup(name, len);
	if (p->name == NULL)
		return NULL;
	(*n)++;
	return p;
}

int pub_result_add(struct pub_result *r, const char *name, size_t len,
		   int security)
{
	struct pub_pkg *p = pub_pkgs_push(&r->pkgs, &r->npkgs, &r->cap,
					  name, len);

	if (p == NULL)
		return -1;
	p->security = security != 0;
	return 0;
}

int pub_result_keep(struct pub_result *r, const char *name, size_t len,
		    enum pub_kept why)
{
	struct pub_pkg *p = pub_pkgs_push(&r->kept, &r->nkept, &r->kept_cap,
					  name, len);

	if (p == NULL)
		return -1;
	p->kept = (int)why;
	return 0;
}

int pub_result_versions(struct pub_result *r, const char *installed,
			size_t ilen, const char *candidate, size_t clen)
{
	struct pub_pkg *p;

	if (r->npkgs == 0)
		return -1;
	p = &r->pkgs[r->npkgs - 1];
	if (installed != NULL && p->installed == NULL &&
	    (p->installed = pub_strndup(installed, ilen)) == NULL)
		return -1;
	if (candidate != NULL && p->candidate == NULL &&
	    (p->candidate = pub_strndup(candidate, clen)) == NULL)
		return -1;
	return 0;
}

const char *pub_kept_word(int why)
{
	switch (why) {
	case PUB_HELD: return "held";
	case PUB_PHASED: return "phased";
	case PUB_BLOCKED: return "blocked";
	default: return "kept";
	}
}

static int pub_pkg_cmp(const void *a, const void *b)
{
	const struct pub_pkg *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Takes what the duplicate from knows and into does not. */
static void pub_pkg_merge(struct pub_pkg *into, struct pub_pkg *from)
{
	into->security |= from->security;
	if (into->kept == PUB_KEPT)
		into->kept = from->kept;
	if (into->installed == NULL) {
		into->installed = from->installed;
		from->installed = NULL;
	}
	if (into->candidate == NULL) {
		into->candidate = from->candidate;
		from->candidate = NULL;
	}
	pub_pkg_free(from);
}

/* Sorts v by name and merges the names seen twice; returns the new count. */
static size_t pub_pkgs_merge(struct pub_pkg *v, size_t n)
{
	size_t i, out = 0;

	if (n > 1)
		qsort(v, n, sizeof(*v), pub_pkg_cmp);
	for (i = 0; i < n; i++) {
		if (out > 0 && strcmp(v[out - 1].name, v[i].name) == 0)
			pub_pkg_merge(&v[out - 1], &v[i]);
		else
			v[out++] = v[i];
	}
	return out;
}

static int pub_name_cmp(const void *key, const void *elem)
{
	const struct pub_pkg *p = elem;

	return strcmp(key, p->name);
}

void pub_result_finish(struct pub_result *r)
{
	size_t i, out = 0;
	unsigned sec = 0;

	/* A name seen twice counts once, security if either was. */
	r->npkgs = pub_pkgs_merge(r->pkgs, r->npkgs);
	r->nkept = pub_pkgs_merge(r->kept, r->nkept);
	/* A package the upgrade installs is pending, whatever else said. */
	for (i = 0; i < r->nkept; i++) {
		if (r->npkgs > 0 &&
		    bsearch(r->kept[i].name, r->pkgs, r->npkgs,
			    sizeof(*r->pkgs), pub_name_cmp) != NULL)
			pub_pkg_free(&r->kept[i]);
		else
			r->kept[out++] = r->kept[i];
	}
	r->nkept = out;
	for (i = 0; i < r->npkgs; i++)
		sec += r->pkgs[i].security != 0;
	r->updates = (unsigned)r->npkgs;
	r->security = r->security_known ? (int)sec : -1;
}

void pub_result_print(const struct pub_result *r, FILE *f)
{
	size_t i;

	fprintf(f, "updates %u\n", r->updates);
	if (r->security >= 0)
		fprintf(f, "security %d\n", r->security);
	else
		fputs("security unknown\n", f);
	for (i = 0; i < r->npkgs; i++)
		fprintf(f, "package %s\n", r->pkgs[i].name);
	for (i = 0; i < r->nkept; i++)
		fprintf(f, "%s %s\n", pub_kept_word(r->kept[i].kept),
			r->kept[i].name);
}

/* Skips the escape sequence at s[0] (ESC); returns its length. */
static size_t pub_ansi_len(const char *s, size_t n)
{
	size_t i = 2;

	if (n < 2)
		return n;
	if (s[1] == '[') {		/* CSI: parameters, then a final byte */
		while (i < n && (unsigned char)s[i] >= 0x20 &&
		       (unsigned char)s[i] <= 0x3f)
			i++;
		return i < n ? i + 1 : n;
	}
	if (s[1] == ']') {		/* OSC: up to BEL or ESC \ */
		while (i < n && s[i] != '\a' && s[i] != '\033')
			i++;
		if (i < n && s[i] == '\033')
			i++;
		return i < n ? i + 1 : n;
	}
	return 2;
}

/* Copies line into buf without escape sequences; returns the new length. */
static size_t pub_strip_ansi(const char *s, size_t n, char *buf)
{
	size_t i = 0, out = 0;

	while (i < n) {
		if (s[i] == '\033') {
			i += pub_ansi_len(s + i, n - i);
			continue;
		}
		buf[out++] = s[i++];
	}
	return out;
}

/* Finds the end of the line at s: the index of its LF or CR, or n. */
static size_t pub_line_end(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\n' || s[i] == '\r')
			return i;
	return n;
}

/* Makes *line hold n bytes.  Returns 0 or -1 (out of memory). */
static int pub_line_room(char **line, size_t *cap, size_t n)
{
	char *p;

	if (n <= *cap)
		return 0;
	p = realloc(*line, n);
	if (p == NULL)
		return -1;
	*line = p;
	*cap = n;
	return 0;
}

int pub_each_line(const char *buf, size_t len, pub_line_fn *fn,
		  struct pub_ctx *c)
{
	size_t pos = 0, cap = 0;
	char *line = NULL;
	int rc = 0;

	c->lineno = 0;
	while (pos < len && rc == 0) {
		size_t n = pub_line_end(buf + pos, len - pos);
		struct pub_span s = { buf + pos, n };

		if (memchr(s.p, '\033', n) != NULL) {
			if (pub_line_room(&line, &cap, n) != 0) {
				snprintf(c->err, c->errlen, "out of memory");
				rc = -1;
				break;
			}
			s.n = pub_strip_ansi(s.p, n, line);
			s.p = line;
		}
		pos += n;
		/* CRLF is one line end; a lone CR (progress bars) is one too. */
		if (pos + 1 < len && buf[pos] == '\r' && buf[pos + 1] == '\n')
			pos += 2;
		else if (pos < len)
			pos++;
		c->lineno++;
		rc = fn(c, s);
	}
	free(line);
	return rc;
}

static int pub_is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' ||
	       ch == '\f';
}

size_t pub_split(struct pub_span line, struct pub_span *tok, size_t max)
{
	size_t i = 0, count = 0;

	while (i < line.n) {
		size_t start;

		while (i < line.n && pub_is_blank(line.p[i]))
			i++;
		if (i == line.n)
			break;
		start = i;
		while (i < line.n && !pub_is_blank(line.p[i]))
			i++;
		if (count < max) {
			tok[count].p = line.p + start;
			tok[count].n = i - start;
		}
		count++;
	}
	return count;
}

int pub_span_is(struct pub_span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && memcmp(s.p, lit, n) == 0;
}

int pub_span_starts(struct pub_span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

static char pub_lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

int pub_span_icontains(struct pub_span s, const char *lit)
{
	size_t n = strlen(lit), i, j;

	for (i = 0; n <= s.n && i <= s.n - n; i++) {
		for (j = 0; j < n; j++)
			if (pub_lower(s.p[i + j]) != pub_lower(lit[j]))
				break;
		if (j == n)
			return 1;
	}
	return 0;
}

int pub_span_iis(struct pub_span s, const char *lit)
{
	return s.n == strlen(lit) && pub_span_icontains(s, lit);
}

int pub_span_indented(struct pub_span line)
{
	return line.n > 0 && pub_is_blank(line.p[0]);
}

struct pub_span pub_span_trim(struct pub_span s)
{
	while (s.n > 0 && pub_is_blank(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && pub_is_blank(s.p[s.n - 1]))
		s.n--;
	return s;
}

int pub_chars_ok(struct pub_span s, const char *extra)
{
	size_t i;

	if (s.n == 0 || s.n > PUB_NAME_MAX)
		return 0;
	for (i = 0; i < s.n; i++) {
		char ch = s.p[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9'))
			continue;
		if (ch == '\0' || strchr(extra, ch) == NULL)
			return 0;
	}
	return 1;
}

int pub_ctx_add(struct pub_ctx *c, struct pub_span name, int security)
{
	if (pub_result_add(c->r, name.p, name.n, security) == 0)
		return 0;
	if (c->r->npkgs >= PUB_PKGS_MAX)
		snprintf(c->err, c->errlen, "more than %u packages listed",
			 PUB_PKGS_MAX);
	else
		snprintf(c->err, c->errlen, "out of memory");
	return -1;
}

int pub_ctx_keep(struct pub_ctx *c, struct pub_span name, enum pub_kept why)
{
	if (pub_result_keep(c->r, name.p, name.n, why) == 0)
		return 0;
	if (c->r->nkept >= PUB_PKGS_MAX)
		snprintf(c->err, c->errlen, "more than %u packages listed",
			 PUB_PKGS_MAX);
	else
		snprintf(c->err, c->errlen, "out of memory");
	return -1;
}

int pub_ctx_versions(struct pub_ctx *c, struct pub_span installed,
		     struct pub_span candidate)
{
	if (pub_result_versions(c->r, installed.p, installed.n, candidate.p,
				candidate.n) == 0)
		return 0;
	snprintf(c->err, c->errlen, "out of memory");
	return -1;
}

int pub_ctx_add_arch(struct pub_ctx *c, struct pub_span name,
		     struct pub_span arch, int security)
{
	char buf[2 * PUB_NAME_MAX + 2];
	struct pub_span both = { buf, 0 };

	if (name.n > PUB_NAME_MAX || arch.n > PUB_NAME_MAX)
		return 0;	/* callers checked; never truncate silently */
	memcpy(buf, name.p, name.n);
	buf[name.n] = '.';
	memcpy(buf + name.n + 1, arch.p, arch.n);
	both.n = name.n + 1 + arch.n;
	return pub_ctx_add(c, both, security);
}

/* 1 if line is worth quoting first: "Error: ...", apt's "E: ..." ... */
static int pub_line_is_error(struct pub_span line)
{
	struct pub_span t = pub_span_trim(line);
	static const char *const marks[] = {
		"error:", "e:", "fatal:", "critical:", NULL
	};
	size_t i, j;

	while (t.n > 0 && t.p[0] == '\033') {	/* a coloured "Error:" */
		size_t skip = pub_ansi_len(t.p, t.n);

		t.p += skip;
		t.n -= skip;
	}

	for (i = 0; marks[i] != NULL; i++) {
		size_t n = strlen(marks[i]);

		for (j = 0; j < n && j < t.n; j++)
			if (pub_lower(t.p[j]) != marks[i][j])
				break;
		if (j == n)
			return 1;
	}
	return 0;
}

/* Copies line into out (at least 4 bytes) as printable ASCII, "..." if cut. */
static void pub_quote_line(struct pub_span line, char *out, size_t outlen)
{
	struct pub_span t = pub_span_trim(line);
	size_t i, o = 0, room = outlen - 4;

	for (i = 0; i < t.n && o < room; i++) {
		unsigned char ch = (unsigned char)t.p[i];

		if (ch == '\033') {
			i += pub_ansi_len(t.p + i, t.n - i) - 1;
			continue;
		}
		out[o++] = ch == '\t' ? ' ' : (ch < 0x20 || ch > 0x7e) ? '?' :
			   (char)ch;
	}
	if (i < t.n) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

/* Finds the line to quote: the first error line, else the first non-blank. */
static struct pub_span pub_pick_line(const char *buf, size_t len)
{
	struct pub_span first = { NULL, 0 };
	size_t pos = 0;

	while (pos < len) {
		size_t n = pub_line_end(buf + pos, len - pos);
		struct pub_span s = { buf + pos, n };

		if (pub_line_is_error(s))
			return s;
		if (first.p == NULL && pub_span_trim(s).n > 0)
			first = s;
		pos += n + 1;
	}
	return first;
}

void pub_quote(const char *buf, size_t len, char *out, size_t outlen)
{
	struct pub_span line = pub_pick_line(buf, len);

	if (line.p == NULL)
		out[0] = '\0';
	else
		pub_quote_line(line, out, outlen);
}

int pub_fail(char *err, size_t errlen, const char *what, int status,
	     const char *buf, size_t len)
{
	char quote[PUB_QUOTE_MAX + 4], how[48];
	struct pub_span line = pub_pick_line(buf, len);

	/* A shell's 128+N: the command was killed by signal N. */
	if (status > 128 && status < 128 + 65)
		snprintf(how, sizeof(how), "was killed by signal %d",
			 status - 128);
	else
		snprintf(how, sizeof(how), "exited with status %d", status);
	if (line.p == NULL) {
		snprintf(err, errlen, "%s %s and printed nothing on stdout",
			 what, how);
		return -1;
	}
	pub_quote_line(line, quote, sizeof(quote));
	snprintf(err, errlen, "%s %s: %s", what, how, quote);
	return -1;
}
