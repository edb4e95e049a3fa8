/* SPDX-License-Identifier: MIT */
/*
 * Prints update.names: a prefix of the list on the first line, cut only
 * between names, and the whole list wrapped below it.
 */
#include <stdio.h>
#include <string.h>

#include "report/names.h"
#include "report/text.h"

/* Any byte up to ' ' separates names, so a stray tab or newline from the
 * publisher cannot glue two names together. */
size_t rpt_names_next(const char **cursor, const char **name)
{
	const unsigned char *s = (const unsigned char *)*cursor;
	const unsigned char *start;

	while (*s != '\0' && *s <= ' ')
		s++;
	start = s;
	while (*s > ' ')
		s++;
	*name = (const char *)start;
	*cursor = (const char *)s;
	return (size_t)(s - start);
}

char rpt_name_char(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return c;
	return c != '\0' && strchr("._+:@~-", c) != NULL ? c : '?';
}

size_t rpt_name_piece(const char **name, size_t *n,
		      char piece[RPT_NAME_PIECE])
{
	size_t i, k = *n < RPT_NAME_PIECE ? *n : RPT_NAME_PIECE;

	for (i = 0; i < k; i++)
		piece[i] = rpt_name_char((*name)[i]);
	*name += k;
	*n -= k;
	return k;
}

/* Appends one name, cleaned. */
static void put_name(struct rpt_verdict *v, const char *name, size_t n)
{
	char piece[RPT_NAME_PIECE];
	size_t k;

	while ((k = rpt_name_piece(&name, &n, piece)) > 0)
		rpt_text_put(v, piece, k);
}

/* Counts the names and the bytes they take joined by single spaces. */
static unsigned count_names(const char *names, size_t *joined)
{
	const char *cur = names, *name;
	unsigned count = 0;
	size_t n;

	*joined = 0;
	while ((n = rpt_names_next(&cur, &name)) > 0) {
		*joined += (count > 0) + n;
		count++;
	}
	return count;
}

/* Appends the first max names, joined by single spaces. */
static void put_names(struct rpt_verdict *v, const char *names, unsigned max)
{
	const char *cur = names, *name;
	unsigned i;
	size_t n;

	for (i = 0; i < max && (n = rpt_names_next(&cur, &name)) > 0; i++) {
		if (i > 0)
			rpt_text_put(v, " ", 1);
		put_name(v, name, n);
	}
}

/* How many names fit in room bytes as ": a b c", with reserve bytes kept
 * free for the " (+K more)" that must follow them. */
static unsigned names_fitting(const char *names, size_t room, size_t reserve)
{
	const char *cur = names, *name;
	unsigned shown = 0;
	size_t used = 0, n;

	while ((n = rpt_names_next(&cur, &name)) > 0) {
		size_t add = (shown > 0 ? 1 : 2) + n;

		if (used + add + reserve > room)
			break;
		used += add;
		shown++;
	}
	return shown;
}

int rpt_names_head(struct rpt_verdict *v, const char *names,
		   uint32_t omitted, size_t room)
{
	char more[32];
	size_t joined, more_len = 0;
	unsigned total = count_names(names, &joined), shown;

	if (total == 0)
		return 1;
	if (omitted > 0)
		more_len = (size_t)snprintf(more, sizeof(more), " (+%u more)",
					    omitted);
	if (2 + joined + more_len <= room) {
		rpt_text_put(v, ": ", 2);
		put_names(v, names, total);
		rpt_text_put(v, more, more_len);
		return 1;
	}
	/* The largest K possible has the most digits: reserve room for it. */
	more_len = (size_t)snprintf(more, sizeof(more), " (+%llu more)",
				    (unsigned long long)total + omitted);
	shown = names_fitting(names, room, more_len);
	if (shown == 0)
		return 0;
	rpt_text_put(v, ": ", 2);
	put_names(v, names, shown);
	rpt_text_printf(v, " (+%llu more)",
			(unsigned long long)(total - shown) + omitted);
	return 0;
}

/* Appends one word to the wrapped list, starting a line when it would pass
 * RPT_WRAP; *col is the current line's length so far. */
static void wrap_word(struct rpt_verdict *v, const char *w, size_t n,
		      size_t *col, int name)
{
	if (*col > 0 && *col + 1 + n > RPT_WRAP) {
		rpt_text_newline(v);
		*col = 0;
	} else if (*col > 0) {
		rpt_text_put(v, " ", 1);
		(*col)++;
	}
	if (name)
		put_name(v, w, n);
	else
		rpt_text_put(v, w, n);
	*col += n;
}

void rpt_names_wrap(struct rpt_verdict *v, const char *names,
		    uint32_t omitted)
{
	const char *cur = names, *name;
	char more[32];
	size_t n, col = 0;

	if (rpt_names_next(&cur, &name) == 0)
		return;
	cur = names;
	rpt_text_newline(v);
	while ((n = rpt_names_next(&cur, &name)) > 0)
		wrap_word(v, name, n, &col, 1);
	if (omitted > 0) {
		n = (size_t)snprintf(more, sizeof(more), "(+%u more)", omitted);
		wrap_word(v, more, n, &col, 0);
	}
}
