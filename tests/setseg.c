/* SPDX-License-Identifier: MIT */
/*
 * Sets fields of the update check in a copy of a real segment, in both
 * status copies, so that tests/reader.sh can show the readers what a
 * publisher would publish (withheld lists, versions, an index, a check
 * turned off) without one that does.
 *
 *	setseg FILE KEY=VALUE...
 *
 * KEY: flags, pending, security, failures (numbers); names, versions,
 * error (strings, "\n" for a newline); success_ago, index_ago (seconds
 * before the copy's heartbeat, 0 for never); security_names, held, phased,
 * blocked (COUNT:OMITTED:NAMES).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shm/shm.h"

#define S	1000000000LL

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "setseg: %s: %s\n", arg, what);
	exit(1);
}

/* Copies value to a string field, "\n" made a newline. */
static void set_string(char *field, size_t size, const char *value)
{
	size_t n = 0;

	for (; *value != '\0'; value++) {
		if (n + 1 >= size)
			die("too long", value);
		if (value[0] == '\\' && value[1] == 'n') {
			field[n++] = '\n';
			value++;
		} else {
			field[n++] = *value;
		}
	}
	field[n] = '\0';
}

static void set_list(struct shmh_names *l, const char *value)
{
	char *end;

	l->count = (uint32_t)strtoul(value, &end, 10);
	if (*end != ':')
		die("not COUNT:OMITTED:NAMES", value);
	l->omitted = (uint32_t)strtoul(end + 1, &end, 10);
	if (*end != ':')
		die("not COUNT:OMITTED:NAMES", value);
	set_string(l->names, sizeof(l->names), end + 1);
}

/* A time secs before the heartbeat, or never. */
static void set_ago(const struct shmh_status *st, const char *value,
		    int64_t *mono, int64_t *wall)
{
	long long secs = strtoll(value, NULL, 10);

	*mono = secs == 0 ? 0 : st->heartbeat_mono_ns - secs * S;
	*wall = secs == 0 ? 0 : st->heartbeat_wall - secs;
	if (*mono < 0)
		die("before boot", value);
}

static void set(struct shmh_status *st, const char *key, const char *value)
{
	struct shmh_check *c = &st->update;

	if (strcmp(key, "flags") == 0)
		c->flags = (uint32_t)strtoul(value, NULL, 0);
	else if (strcmp(key, "pending") == 0)
		c->pending = (uint32_t)strtoul(value, NULL, 10);
	else if (strcmp(key, "security") == 0)
		c->security = (int32_t)strtol(value, NULL, 10);
	else if (strcmp(key, "failures") == 0)
		c->consecutive_failures = (uint32_t)strtoul(value, NULL, 10);
	else if (strcmp(key, "names") == 0)
		set_string(c->names, sizeof(c->names), value);
	else if (strcmp(key, "versions") == 0)
		set_string(c->versions, sizeof(c->versions), value);
	else if (strcmp(key, "error") == 0)
		set_string(c->error, sizeof(c->error), value);
	else if (strcmp(key, "success_ago") == 0)
		set_ago(st, value, &c->last_success_mono_ns,
			&c->last_success_wall);
	else if (strcmp(key, "index_ago") == 0)
		set_ago(st, value, &c->index_mono_ns, &c->index_wall);
	else if (strcmp(key, "security_names") == 0)
		set_list(&c->security_names, value);
	else if (strcmp(key, "held") == 0)
		set_list(&c->held, value);
	else if (strcmp(key, "phased") == 0)
		set_list(&c->phased, value);
	else if (strcmp(key, "blocked") == 0)
		set_list(&c->blocked, value);
	else
		die("unknown key", key);
}

int main(int argc, char *argv[])
{
	static struct shmh_segment seg;
	FILE *f;
	int i;

	if (argc < 2)
		die("usage: setseg FILE KEY=VALUE...", "setseg");
	f = fopen(argv[1], "r+b");
	if (f == NULL || fread(&seg, 1, sizeof(seg), f) != sizeof(seg))
		die("cannot read a segment", argv[1]);
	/* The copy the latch says is current, set, then both alike. */
	seg.copy[0] = seg.copy[seg.hdr.seq & 1];
	for (i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (eq == NULL)
			die("not KEY=VALUE", argv[i]);
		*eq = '\0';
		set(&seg.copy[0], argv[i], eq + 1);
	}
	seg.copy[1] = seg.copy[0];
	seg.hdr.seq += seg.hdr.seq & 1;
	if (fseek(f, 0, SEEK_SET) != 0 ||
	    fwrite(&seg, 1, sizeof(seg), f) != sizeof(seg) || fclose(f) != 0)
		die("cannot write", argv[1]);
	return 0;
}
