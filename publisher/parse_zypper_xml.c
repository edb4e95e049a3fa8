/* SPDX-License-Identifier: MIT */
/*
 * SUSE zypper XML: "zypper -x list-updates" (zypper-xml) and "zypper -x
 * list-patches" (zypper-patches-xml).  No XML library: each <update .../>
 * start tag is read for its attributes in any order, whichever list holds
 * it (a blocked patch is still pending).  A package's edition-old and
 * edition are its installed and candidate versions.  Locked packages are
 * not listed at all: zypper leaves them out, as an update would.
 *
 * Exit statuses 0 and 100-103 carry a valid list.  Anything else fails,
 * and so does a list that zypper says is incomplete or empty for want of a
 * repository, whatever the status: an error message (a repository that
 * could not be read), a warning that one was skipped, or the warning that
 * none is defined.  The message quoted is zypper's own, which names the
 * repository.
 */
#include <string.h>

#include "publisher/parse.h"
#include "publisher/parse_formats.h"

/* The attributes of one <update> tag that matter; empty when absent. */
struct pub_xml_update {
	struct pub_span name, arch, kind, status, category, edition, old;
};

static int pub_xml_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* The length of the tag name at s, which ends at a blank, '/' or '>'. */
static size_t pub_xml_name_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && !pub_xml_blank(s[i]) && s[i] != '/' && s[i] != '>' &&
	       s[i] != '=')
		i++;
	return i;
}

/*
 * Reads one NAME="VALUE" (or 'VALUE') at s[*pos], leaving *pos after it.
 * Returns 1, or 0 at the end of the tag or at anything malformed.
 */
static int pub_xml_attr(const char *s, size_t n, size_t *pos,
			struct pub_span *key, struct pub_span *val)
{
	size_t i = *pos;
	const char *close;
	char quote;

	while (i < n && pub_xml_blank(s[i]))
		i++;
	key->p = s + i;
	key->n = pub_xml_name_len(s + i, n - i);
	i += key->n;
	while (i < n && pub_xml_blank(s[i]))
		i++;
	if (key->n == 0 || i + 1 >= n || s[i] != '=')
		return 0;
	i++;
	while (i < n && pub_xml_blank(s[i]))
		i++;
	if (i >= n || (s[i] != '"' && s[i] != '\''))
		return 0;
	quote = s[i++];
	close = memchr(s + i, quote, n - i);
	if (close == NULL)
		return 0;
	val->p = s + i;
	val->n = (size_t)(close - (s + i));
	*pos = (size_t)(close - s) + 1;
	return 1;
}

/* Reads the attributes of the tag body s (after its name, up to '>'). */
static void pub_xml_update_attrs(const char *s, size_t n,
				 struct pub_xml_update *u)
{
	static const char *const keys[] = {
		"name", "arch", "kind", "status", "category", "edition",
		"edition-old", NULL
	};
	struct pub_span *slots[] = {
		&u->name, &u->arch, &u->kind, &u->status, &u->category,
		&u->edition, &u->old
	};
	struct pub_span key, val;
	size_t pos = 0, i;

	memset(u, 0, sizeof(*u));
	while (pub_xml_attr(s, n, &pos, &key, &val))
		for (i = 0; keys[i] != NULL; i++)
			if (pub_span_is(key, keys[i]))
				*slots[i] = val;
}

/* An rpm [EPOCH:]VERSION-RELEASE as zypper prints it, or NULL (unknown). */
static struct pub_span pub_xml_edition(struct pub_span s)
{
	struct pub_span none = { NULL, 0 };

	return pub_chars_ok(s, "._+~^:-") ? s : none;
}

/* Counts one <update>: a package, or a needed patch. */
static int pub_xml_count(struct pub_ctx *c, const struct pub_xml_update *u,
			 int patches)
{
	int rc;

	if (!patches) {
		if ((u->kind.n > 0 && !pub_span_is(u->kind, "package")) ||
		    !pub_chars_ok(u->name, "._+-"))
			return 0;
		if (pub_chars_ok(u->arch, "_"))
			rc = pub_ctx_add_arch(c, u->name, u->arch, 0);
		else
			rc = pub_ctx_add(c, u->name, 0);
		if (rc != 0)
			return -1;
		return pub_ctx_versions(c, pub_xml_edition(u->old),
					pub_xml_edition(u->edition));
	}
	if ((u->kind.n > 0 && !pub_span_is(u->kind, "patch")) ||
	    !pub_chars_ok(u->name, "._+-:") ||
	    (u->status.n > 0 && !pub_span_is(u->status, "needed")))
		return 0;
	return pub_ctx_add(c, u->name, pub_span_is(u->category, "security"));
}

/* The '>' that ends the tag body at s, outside quoted values; or NULL. */
static const char *pub_xml_tag_end(const char *s, size_t n)
{
	char quote = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (quote != 0) {
			if (s[i] == quote)
				quote = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			quote = s[i];
		} else if (s[i] == '>') {
			return s + i;
		}
	}
	return NULL;
}

/*
 * Calls back for each start tag called tag in buf with its body (what
 * follows the name, up to '>').  Stops at the first callback that returns
 * nonzero and returns that.
 */
typedef int pub_xml_fn(void *arg, const char *body, size_t n,
		       const char *after, size_t left);
static int pub_xml_each(const char *buf, size_t len, const char *tag,
			pub_xml_fn *fn, void *arg)
{
	size_t tn = strlen(tag), pos = 0;

	while (pos < len) {
		const char *lt = memchr(buf + pos, '<', len - pos), *gt;
		size_t at, nl;
		int rc;

		if (lt == NULL)
			break;
		at = (size_t)(lt - buf) + 1;
		nl = pub_xml_name_len(buf + at, len - at);
		pos = at + nl;
		if (nl != tn || memcmp(buf + at, tag, tn) != 0)
			continue;
		gt = pub_xml_tag_end(buf + pos, len - pos);
		if (gt == NULL)
			break;
		rc = fn(arg, buf + pos, (size_t)(gt - (buf + pos)), gt + 1,
			(size_t)(buf + len - gt - 1));
		if (rc != 0)
			return rc;
		pos = (size_t)(gt - buf) + 1;
	}
	return 0;
}

struct pub_xml_walk {
	struct pub_ctx *c;
	int patches;
	struct pub_span text;	/* the message that fails the list */
	int found;		/* text is set */
};

static int pub_xml_on_update(void *arg, const char *body, size_t n,
			     const char *after, size_t left)
{
	struct pub_xml_walk *w = arg;
	struct pub_xml_update u;

	(void)after;
	(void)left;
	pub_xml_update_attrs(body, n, &u);
	return pub_xml_count(w->c, &u, w->patches);
}

/*
 * 1 if a message of this type says the list is incomplete: any error (a
 * repository that could not be refreshed or read), or a warning that a
 * repository was skipped or that there is none to read.
 */
static int pub_xml_message_fails(struct pub_span type, struct pub_span text)
{
	if (pub_span_is(type, "error"))
		return 1;
	return pub_span_is(type, "warning") &&
	       (pub_span_icontains(text, "Skipping repository") ||
		pub_span_icontains(text, "No repositories defined"));
}

/* Keeps the text of the first message that fails the list; 1 stops. */
static int pub_xml_on_message(void *arg, const char *body, size_t n,
			      const char *after, size_t left)
{
	struct pub_xml_walk *w = arg;
	struct pub_span key, val, text;
	const char *lt = memchr(after, '<', left);
	size_t pos = 0;

	text.p = after;
	text.n = lt ? (size_t)(lt - after) : left;
	while (pub_xml_attr(body, n, &pos, &key, &val)) {
		if (!pub_span_is(key, "type") ||
		    !pub_xml_message_fails(val, text))
			continue;
		w->text = text;
		w->found = 1;
		return 1;
	}
	return 0;
}

/*
 * Copies the character data s into out (outlen > 0) with the five XML
 * entities and numeric ASCII references decoded and each run of line ends
 * and blanks made one space: zypper's message spans lines, the repository
 * named on the second.  Cut at outlen - 1 bytes.
 */
static void pub_xml_text(struct pub_span s, char *out, size_t outlen)
{
	static const char *const ent[] = {
		"&apos;", "'", "&quot;", "\"", "&amp;", "&", "&lt;", "<",
		"&gt;", ">", NULL
	};
	size_t i = 0, o = 0, k;

	while (i < s.n && o + 1 < outlen) {
		char ch = s.p[i];
		struct pub_span rest = { s.p + i, s.n - i };

		if (ch == '\n' || ch == '\r' || ch == '\t' || ch == ' ') {
			while (i < s.n && s.p[i] != '\0' &&
			       strchr("\n\r\t ", s.p[i]) != NULL)
				i++;
			if (o > 0 && i < s.n)
				out[o++] = ' ';
			continue;
		}
		for (k = 0; ch == '&' && ent[k] != NULL; k += 2)
			if (pub_span_starts(rest, ent[k]))
				break;
		if (ch == '&' && ent[k] != NULL) {
			out[o++] = ent[k + 1][0];
			i += strlen(ent[k]);
			continue;
		}
		out[o++] = ch;
		i++;
	}
	out[o] = '\0';
}

static int pub_xml_parse(const char *buf, size_t len, int status,
			 struct pub_result *r, char *err, size_t errlen,
			 int patches)
{
	struct pub_ctx c = { r, err, errlen, 0, NULL };
	struct pub_xml_walk w = { &c, patches, { buf, len }, 0 };
	const char *what = patches ? "zypper -x list-patches" :
			   "zypper -x list-updates";
	char text[PUB_QUOTE_MAX + 64];

	/* 104 capability not found, 105 signal, 106 repositories skipped;
	   a failing message at any status: a repository was not loaded. */
	pub_xml_each(buf, len, "message", pub_xml_on_message, &w);
	if (w.found) {
		pub_xml_text(w.text, text, sizeof(text));
		return pub_fail(err, errlen, what, status, text, strlen(text));
	}
	if (status != 0 && (status < 100 || status > 103))
		return pub_fail(err, errlen, what, status, buf, len);
	r->security_known = patches;
	return pub_xml_each(buf, len, "update", pub_xml_on_update, &w) ? -1 : 0;
}

int pub_parse_zypper_xml(const char *buf, size_t len, int status,
			 struct pub_result *r, char *err, size_t errlen)
{
	return pub_xml_parse(buf, len, status, r, err, errlen, 0);
}

int pub_parse_zypper_patches_xml(const char *buf, size_t len, int status,
				 struct pub_result *r, char *err,
				 size_t errlen)
{
	return pub_xml_parse(buf, len, status, r, err, errlen, 1);
}

/* What the <repo> tags say: how many are enabled, and the first enabled
 * one that zypper refreshes only when told to (autorefresh="0"). */
struct pub_xml_repos {
	unsigned enabled;
	struct pub_span manual;		/* its alias; p NULL if none */
};

static int pub_xml_on_repo(void *arg, const char *body, size_t n,
			   const char *after, size_t left)
{
	struct pub_xml_repos *w = arg;
	struct pub_span key, val, alias = { NULL, 0 };
	size_t pos = 0;
	int enabled = 0, manual = 0;

	(void)after;
	(void)left;
	while (pub_xml_attr(body, n, &pos, &key, &val)) {
		if (pub_span_is(key, "enabled"))
			enabled = pub_span_is(val, "1");
		else if (pub_span_is(key, "autorefresh"))
			manual = pub_span_is(val, "0");
		else if (pub_span_is(key, "alias"))
			alias = val;
	}
	if (enabled)
		w->enabled++;
	if (enabled && manual && w->manual.p == NULL && alias.p != NULL)
		w->manual = alias;
	return 0;
}

/*
 * "zypper -x repos": no package, but the check's guard.  With every
 * repository disabled, zypper lists updates from none, exits 0 and says
 * nothing: "0 pending" that saw nothing.  None enabled is an error here.
 * With need_auto (a user that cannot run zypper refresh), so is an enabled
 * repository with autorefresh off: listing never refreshes it.
 */
static int pub_xml_repos(const char *buf, size_t len, int status,
			 char *err, size_t errlen, int need_auto)
{
	struct pub_xml_repos w = { 0, { NULL, 0 } };

	if (status == 6)	/* ZYPPER_EXIT_NO_REPOS */
		return snprintf(err, errlen, "zypper repos: no repository "
				"defined"), -1;
	if (status != 0)
		return pub_fail(err, errlen, "zypper -x repos", status, buf,
				len);
	pub_xml_each(buf, len, "repo", pub_xml_on_repo, &w);
	if (w.enabled == 0)
		return snprintf(err, errlen, "zypper repos: no enabled "
				"repository"), -1;
	if (need_auto && w.manual.p != NULL)
		return snprintf(err, errlen, "zypper repos: repository %.*s "
				"has autorefresh off, and only root can refresh "
				"it", (int)(w.manual.n < 64 ? w.manual.n : 64),
				w.manual.p), -1;
	return 0;
}

int pub_parse_zypper_repos_xml(const char *buf, size_t len, int status,
			       struct pub_result *r, char *err, size_t errlen)
{
	(void)r;
	return pub_xml_repos(buf, len, status, err, errlen, 0);
}

int pub_parse_zypper_repos_auto_xml(const char *buf, size_t len, int status,
				    struct pub_result *r, char *err,
				    size_t errlen)
{
	(void)r;
	return pub_xml_repos(buf, len, status, err, errlen, 1);
}
