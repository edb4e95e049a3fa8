/* SPDX-License-Identifier: MIT */
/*
 * Check suite for the segment's life cycle: every refusal rule of
 * shmh_open_segment, for a mapped reader and for one that reads with pread()
 * (by_read), creation (mode, atomic appearance, the publisher lock),
 * truncation under a reader, unlinking, names and durations.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <urcu/uatomic.h>

#include "shm/shm.h"
#include "shm/util.h"
#include "tests/support/child.h"
#include "tests/support/tmpdir.h"

#define NOBODY		65534	/* a uid that owns nothing of ours */
#define WATCH_MS	300	/* how long the half-built watcher runs */

/*
 * Scratch: a base directory per test case, made and removed by the runner
 * (an unchecked fixture), and one directory per test inside it.  In fork
 * mode a failed assertion _exits the test process without its teardown;
 * the base teardown still removes what it left, the plain-name segment
 * included.
 */
static char base_dir[64];
static char test_dir[96];
static char plain_name[40];
static pid_t live_pid;
/* Set by the "refusals-read" case: every open_rc_map() reads by pread(). */
static int by_read;

static void base_setup(void)
{
	strcpy(base_dir, "/dev/shm/shmhealth-check-seg.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base_dir));
	snprintf(plain_name, sizeof(plain_name), "shmhealth-check-%ld",
		 (long)getpid());
}

static void base_teardown(void)
{
	char path[64];

	snprintf(path, sizeof(path), "%s/%s", SHMH_DIR, plain_name);
	unlink(path);
	/* The lock file stays when a writer goes (shm-publisher(8)). */
	snprintf(path, sizeof(path), "%s/%s.lock", SHMH_DIR, plain_name);
	unlink(path);
	tst_remove_tree(base_dir);
}

static void setup(void)
{
	snprintf(test_dir, sizeof(test_dir), "%s/t.XXXXXX", base_dir);
	ck_assert_ptr_nonnull(mkdtemp(test_dir));
}

/* Kills a child a failed test left (CK_FORK=no), removes the directory. */
static void teardown(void)
{
	if (live_pid > 0) {
		kill(live_pid, SIGKILL);
		waitpid(live_pid, NULL, 0);
	}
	live_pid = 0;
	tst_remove_tree(test_dir);
}

/* The refusal tests again, every open by pread() as shm-reader's. */
static void setup_read(void)
{
	by_read = 1;
	setup();
}

static void teardown_read(void)
{
	teardown();
	by_read = 0;	/* CK_FORK=no runs the next case in this process */
}

/* Forks a child that dies with the test process, however that ends. */
static pid_t start_child(void)
{
	pid_t pid = tst_start_child();

	ck_assert_int_ge(pid, 0);
	return pid;
}

/* A path in the test directory; four rotating buffers for nested calls. */
static const char *at(const char *leaf)
{
	static char buf[4][128];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", test_dir, leaf);
	return p;
}

static void sample_status(struct shmh_status *st)
{
	memset(st, 0, sizeof(*st));
	st->pid = (int32_t)getpid();
	st->state = SHMH_STATE_STARTING;
	st->heartbeat_count = 77;
	st->heartbeat_interval_ms = 1000;
	snprintf(st->update.backend, sizeof(st->update.backend), "none");
}

/* Creates a valid segment and keeps the writer's map open in *w. */
static void create_open(struct shmh_map *w, const char *path)
{
	struct shmh_status st;

	sample_status(&st);
	ck_assert_int_eq(shmh_create_segment(w, path, &st), SHMH_OK);
	ck_assert_int_eq(w->writable, 1);
}

/* Creates a valid segment and closes it, so only the file remains. */
static const char *create_closed(const char *leaf)
{
	struct shmh_map w;
	const char *path = at(leaf);

	create_open(&w, path);
	shmh_close_segment(&w);
	return path;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

/*
 * Opens as a reader (by_read if the case says so) and closes again; a
 * refusal must leave nothing open, an open the kind of map asked for.
 */
static int open_rc_map(struct shmh_map *m, const char *name,
		       const struct shmh_open_opts *opts)
{
	struct shmh_open_opts o = { 0 };
	int before = count_fds();
	int rc;

	if (opts != NULL)
		o = *opts;
	o.by_read |= by_read;
	/* No options at all stays a case of its own for the mapped kind. */
	rc = shmh_open_segment(m, name, opts == NULL && !by_read ? NULL : &o);
	if (rc != SHMH_OK) {
		ck_assert_int_eq(m->fd, -1);
		ck_assert_ptr_null(m->seg);
		ck_assert_int_eq(count_fds(), before);
	} else {
		ck_assert_int_ge(m->fd, 0);
		ck_assert_int_eq(m->by_read, o.by_read);
		ck_assert(o.by_read ? m->seg == NULL : m->seg != NULL);
	}
	shmh_close_segment(m);
	return rc;
}

static int open_rc(const char *name)
{
	struct shmh_map m;

	return open_rc_map(&m, name, NULL);
}

START_TEST(test_valid_opens)
{
	ck_assert_int_eq(open_rc(create_closed("seg")), SHMH_OK);
}
END_TEST

START_TEST(test_missing)
{
	struct shmh_map m;

	ck_assert_int_eq(open_rc_map(&m, at("nothing"), NULL), SHMH_ENOSEG);
	ck_assert_int_eq(m.saved_errno, ENOENT);
}
END_TEST

START_TEST(test_symlink)
{
	const char *real = create_closed("real");

	ck_assert_int_eq(symlink(real, at("link")), 0);
	ck_assert_int_eq(open_rc(at("link")), SHMH_ENOTREG);
}
END_TEST

/*
 * A symlink on the path is followed out of a directory only root and we
 * can write, and refused out of one others can write.
 */
START_TEST(test_path_symlink)
{
	char path[160];

	create_closed("real");
	ck_assert_int_eq(mkdir(at("open"), 0755), 0);
	ck_assert_int_eq(chmod(at("open"), 0777), 0);
	ck_assert_int_eq(symlink(test_dir, at("open/up")), 0);
	ck_assert_int_eq(symlink(test_dir, at("mine")), 0);
	snprintf(path, sizeof(path), "%s/real", at("mine"));
	ck_assert_int_eq(open_rc(path), SHMH_OK);
	snprintf(path, sizeof(path), "%s/up/real", at("open"));
	ck_assert_int_eq(open_rc(path), SHMH_EPATH);
	ck_assert_int_eq(chmod(at("open"), 01777), 0);
	ck_assert_int_eq(open_rc(path), SHMH_EPATH);
	ck_assert_int_eq(chmod(at("open"), 0755), 0);
	ck_assert_int_eq(open_rc(path), SHMH_OK);
	snprintf(path, sizeof(path), "%s/nothing/real", at("mine"));
	ck_assert_int_eq(open_rc(path), SHMH_ENOSEG);
}
END_TEST

START_TEST(test_fifo)
{
	ck_assert_int_eq(mkfifo(at("fifo"), 0644), 0);
	/* A blocking open would hang here with no writer: let SIGALRM fail it. */
	alarm(5);
	ck_assert_int_eq(open_rc(at("fifo")), SHMH_ENOTREG);
	alarm(0);
}
END_TEST

START_TEST(test_directory)
{
	ck_assert_int_eq(mkdir(at("dir"), 0755), 0);
	ck_assert_int_eq(open_rc(at("dir")), SHMH_ENOTREG);
}
END_TEST

START_TEST(test_writable)
{
	static const mode_t modes[] = { 0664, 0646, 0666, 0624, 0602 };
	const char *path = create_closed("seg");
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		ck_assert_int_eq(chmod(path, modes[i]), 0);
		ck_assert_msg(open_rc(path) == SHMH_EWRITABLE, "mode %o",
			      (unsigned)modes[i]);
	}
	/* Stricter than 0644 is fine. */
	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert_int_eq(open_rc(path), SHMH_OK);
}
END_TEST

/* Changing owners needs root, as in CI; elsewhere these tests say so. */
static int have_root(void)
{
	if (geteuid() == 0)
		return 1;
	fprintf(stderr, "check_segment: not root, owner test skipped\n");
	return 0;
}

START_TEST(test_foreign_owner)
{
	const char *path = create_closed("seg");
	struct shmh_open_opts opts = { .have_owner = 1, .owner_uid = NOBODY };
	struct shmh_map m;

	if (!have_root())
		return;
	ck_assert_int_eq(chown(path, NOBODY, NOBODY), 0);
	ck_assert_int_eq(open_rc_map(&m, path, NULL), SHMH_EOWNER);
	ck_assert_uint_eq(m.found_uid, NOBODY);
	ck_assert_int_eq(open_rc_map(&m, path, &opts), SHMH_OK);
	opts.owner_uid = NOBODY - 1;
	ck_assert_int_eq(open_rc_map(&m, path, &opts), SHMH_EOWNER);
}
END_TEST

/* Opens path in a child running as uid; returns the result it got. */
static int open_rc_as(uid_t uid, const char *path)
{
	int status;
	pid_t pid = start_child();

	if (pid == 0) {
		if (setgid(uid) != 0 || setuid(uid) != 0)
			_exit(100);
		_exit(-open_rc(path));
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) != 100);
	return -WEXITSTATUS(status);
}

/* A non-root reader accepts root and itself, and nobody else. */
START_TEST(test_owner_as_user)
{
	const char *path = create_closed("seg");

	if (!have_root())
		return;
	/* mkdtemp made both directories 0700: let the user through. */
	ck_assert_int_eq(chmod(base_dir, 0711), 0);
	ck_assert_int_eq(chmod(test_dir, 0711), 0);
	ck_assert_int_eq(open_rc_as(NOBODY, path), SHMH_OK);
	ck_assert_int_eq(chown(path, NOBODY, NOBODY), 0);
	ck_assert_int_eq(open_rc_as(NOBODY, path), SHMH_OK);
	ck_assert_int_eq(chown(path, 1234, 1234), 0);
	ck_assert_int_eq(open_rc_as(NOBODY, path), SHMH_EOWNER);
}
END_TEST

START_TEST(test_size)
{
	/* Each size on a fresh segment, its header intact: only the size is
	 * wrong (a header cut short is a size error too). */
	static const off_t delta[] = { -65536, -8, -1, 1, 4096 };
	off_t good = (off_t)sizeof(struct shmh_segment);
	size_t i;

	for (i = 0; i < sizeof(delta) / sizeof(delta[0]); i++) {
		off_t size = good + delta[i] < 0 ? 0 : good + delta[i];
		const char *path;

		unlink(at("seg"));	/* cut to 0, it is no segment to replace */
		path = create_closed("seg");

		ck_assert_int_eq(truncate(path, size), 0);
		ck_assert_msg(open_rc(path) == SHMH_ESIZE, "size %lld",
			      (long long)size);
	}
}
END_TEST

START_TEST(test_magic)
{
	struct shmh_map w;

	create_open(&w, at("seg"));
	w.seg->hdr.magic[7] = '2';
	shmh_close_segment(&w);
	ck_assert_int_eq(open_rc(at("seg")), SHMH_EMAGIC);
}
END_TEST

START_TEST(test_version)
{
	struct shmh_map w, m;

	create_open(&w, at("seg"));
	w.seg->hdr.layout_version = SHMH_LAYOUT_VERSION + 1;
	/* Another version may have other sizes: the version is named first. */
	w.seg->hdr.header_size = 128;
	shmh_close_segment(&w);
	ck_assert_int_eq(open_rc_map(&m, at("seg"), NULL), SHMH_EVERSION);
	ck_assert_uint_eq(m.found_version, SHMH_LAYOUT_VERSION + 1);
}
END_TEST

/* Each header size field on its own must be refused. */
START_TEST(test_header)
{
	struct shmh_map w;

	create_open(&w, at("seg"));
	switch (_i) {
	case 0: w.seg->hdr.header_size += 8; break;
	case 1: w.seg->hdr.total_size -= 8; break;
	default: w.seg->hdr.status_size += 8; break;
	}
	shmh_close_segment(&w);
	ck_assert_int_eq(open_rc(at("seg")), SHMH_EHEADER);
}
END_TEST

START_TEST(test_bad_names)
{
	static char longname[SHMH_PATH_MAX + 16];
	struct shmh_map m;

	memset(longname, 'a', sizeof(longname) - 1);
	longname[0] = '/';
	ck_assert_int_eq(open_rc(""), SHMH_ENAME);
	ck_assert_int_eq(open_rc("."), SHMH_ENAME);
	ck_assert_int_eq(open_rc(".."), SHMH_ENAME);
	ck_assert_int_eq(open_rc(NULL), SHMH_ENAME);
	ck_assert_int_eq(open_rc(longname), SHMH_ENAME);
	ck_assert_int_eq(shmh_create_segment(&m, "..", NULL), SHMH_ENAME);
	ck_assert_int_eq(m.fd, -1);
}
END_TEST

START_TEST(test_resolve)
{
	char p[SHMH_PATH_MAX];

	ck_assert_int_eq(shmh_resolve("shmhealth", p, sizeof(p)), SHMH_OK);
	ck_assert_str_eq(p, "/dev/shm/shmhealth");
	ck_assert_int_eq(shmh_resolve("/run/x/seg", p, sizeof(p)), SHMH_OK);
	ck_assert_str_eq(p, "/run/x/seg");
	ck_assert_int_eq(shmh_resolve("rel/seg", p, sizeof(p)), SHMH_OK);
	ck_assert_str_eq(p, "rel/seg");
	ck_assert_int_eq(shmh_resolve("...", p, sizeof(p)), SHMH_OK);
	ck_assert_str_eq(p, "/dev/shm/...");
	/* Exactly fitting, then one byte short. */
	ck_assert_int_eq(shmh_resolve("abc", p, sizeof("/dev/shm/abc")), SHMH_OK);
	ck_assert_int_eq(shmh_resolve("abc", p, sizeof("/dev/shm/abc") - 1),
			 SHMH_ENAME);
}
END_TEST

/*
 * shmh_resolve() into len bytes of a larger buffer: the answer, and no byte
 * written past len (the rest is a canary), whatever the answer.
 */
#define CANARY	0x5a

static int resolve_into(const char *name, size_t len, char *buf, size_t size)
{
	size_t i;
	int rc;

	memset(buf, CANARY, size);
	rc = shmh_resolve(name, buf, len);
	for (i = len; i < size; i++)
		ck_assert_msg((unsigned char)buf[i] == CANARY,
			      "\"%.20s...\" into %zu: byte %zu written", name,
			      len, i);
	return rc;
}

/* A name of n bytes: prefix, then 'a's. */
static const char *long_name(char *buf, const char *prefix, size_t n)
{
	size_t pre = strlen(prefix);

	memcpy(buf, prefix, pre);
	memset(buf + pre, 'a', n - pre);
	buf[n] = '\0';
	return buf;
}

/* A path with '/' exactly filling SHMH_PATH_MAX, then one byte over. */
START_TEST(test_resolve_path_limit)
{
	static char name[SHMH_PATH_MAX + 2], out[SHMH_PATH_MAX + 32];
	struct shmh_map m;

	long_name(name, "/", SHMH_PATH_MAX - 1);
	ck_assert_int_eq(resolve_into(name, SHMH_PATH_MAX, out, sizeof(out)),
			 SHMH_OK);
	ck_assert_str_eq(out, name);
	long_name(name, "/", SHMH_PATH_MAX);
	ck_assert_int_eq(resolve_into(name, SHMH_PATH_MAX, out, sizeof(out)),
			 SHMH_ENAME);
	/* As the open resolves it, into the map's own path. */
	ck_assert_int_eq(open_rc_map(&m, name, NULL), SHMH_ENAME);
}
END_TEST

/* A plain name whose "/dev/shm/" path exactly fills 512, then one over. */
START_TEST(test_resolve_plain_limit)
{
	static char name[SHMH_PATH_MAX + 2], want[2 * SHMH_PATH_MAX],
		out[SHMH_PATH_MAX + 32];
	const size_t dir = sizeof(SHMH_DIR "/") - 1;

	ck_assert_uint_eq(SHMH_PATH_MAX, 512);
	long_name(name, "", SHMH_PATH_MAX - 1 - dir);
	ck_assert_int_eq(resolve_into(name, SHMH_PATH_MAX, out, sizeof(out)),
			 SHMH_OK);
	snprintf(want, sizeof(want), "%s/%s", SHMH_DIR, name);
	ck_assert_uint_eq(strlen(want), SHMH_PATH_MAX - 1);
	ck_assert_str_eq(out, want);
	long_name(name, "", SHMH_PATH_MAX - dir);
	ck_assert_int_eq(resolve_into(name, SHMH_PATH_MAX, out, sizeof(out)),
			 SHMH_ENAME);
}
END_TEST

/* No room at all, and less room than "/dev/shm/" itself. */
START_TEST(test_resolve_small)
{
	char out[64];
	size_t len;

	ck_assert_int_eq(resolve_into("/x", 0, out, sizeof(out)), SHMH_ENAME);
	ck_assert_int_eq(resolve_into("x", 0, out, sizeof(out)), SHMH_ENAME);
	ck_assert_int_eq(resolve_into("/", 1, out, sizeof(out)), SHMH_ENAME);
	ck_assert_int_eq(resolve_into("/", 2, out, sizeof(out)), SHMH_OK);
	ck_assert_str_eq(out, "/");
	/* "/dev/shm/" is 9 bytes: "x" needs 11 with its NUL. */
	for (len = 0; len <= 10; len++)
		ck_assert_msg(resolve_into("x", len, out, sizeof(out)) ==
			      SHMH_ENAME, "len %zu", len);
	ck_assert_int_eq(resolve_into("x", 11, out, sizeof(out)), SHMH_OK);
	ck_assert_str_eq(out, "/dev/shm/x");
}
END_TEST

/* A plain name is a POSIX shm object under /dev/shm, both ways. */
START_TEST(test_plain_name)
{
	const char *name = plain_name;
	char plain_path[64];
	struct shmh_map w, r;
	struct shmh_status st;

	snprintf(plain_path, sizeof(plain_path), "%s/%s", SHMH_DIR, name);
	sample_status(&st);
	ck_assert_int_eq(shmh_create_segment(&w, name, &st), SHMH_OK);
	ck_assert_str_eq(w.path, plain_path);
	ck_assert_int_eq(access(plain_path, F_OK), 0);
	ck_assert_int_eq(shmh_open_segment(&r, name, NULL), SHMH_OK);
	ck_assert_str_eq(r.path, plain_path);
	shmh_close_segment(&r);
	ck_assert_int_eq(shmh_unlink_segment(&w), SHMH_OK);
	ck_assert_int_eq(access(plain_path, F_OK), -1);
	shmh_close_segment(&w);
}
END_TEST

START_TEST(test_create_mode)
{
	struct shmh_map w;
	struct stat sb;
	mode_t old = umask(077);

	create_open(&w, at("seg"));
	umask(old);
	ck_assert_int_eq(stat(at("seg"), &sb), 0);
	ck_assert(S_ISREG(sb.st_mode));
	ck_assert_uint_eq(sb.st_mode & 07777, 0644);
	ck_assert_uint_eq(sb.st_uid, geteuid());
	ck_assert_int_eq(sb.st_size, (off_t)sizeof(struct shmh_segment));
	shmh_close_segment(&w);
}
END_TEST

/* Counts the test directory's entries other than name. */
static int dir_others(const char *name)
{
	DIR *d = opendir(test_dir);
	struct dirent *e;
	char lock[64];
	int others = 0;

	snprintf(lock, sizeof(lock), "%s.lock", name);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 &&
		    strcmp(e->d_name, "..") != 0 &&
		    strcmp(e->d_name, name) != 0 &&
		    strcmp(e->d_name, lock) != 0)
			others++;
	closedir(d);
	return others;
}

/* After create: complete header, both copies set, no temporary left. */
START_TEST(test_create_complete)
{
	struct shmh_map w, r;
	struct shmh_status st, got;

	create_open(&w, at("seg"));
	ck_assert_int_eq(access(at("seg"), F_OK), 0);
	ck_assert_int_eq(dir_others("seg"), 0);
	sample_status(&st);
	ck_assert_int_eq(shmh_open_segment(&r, at("seg"), NULL), SHMH_OK);
	ck_assert_uint_eq(r.seg->hdr.seq, 0);
	ck_assert_mem_eq(&r.seg->copy[0], &st, sizeof(st));
	ck_assert_mem_eq(&r.seg->copy[1], &st, sizeof(st));
	ck_assert_int_eq(shmh_snapshot(&r, &got), SHMH_OK);
	ck_assert_mem_eq(&got, &st, sizeof(st));
	shmh_close_segment(&r);
	shmh_close_segment(&w);
}
END_TEST

struct watch {
	int stop;
	uint64_t seen, missing, bad;
	int first_bad;
};

/* Opens the name over and over; anything but "ok" or "absent" is bad. */
static void watcher(struct watch *wa, const char *path)
{
	struct shmh_map m;
	int rc;

	while (!uatomic_read(&wa->stop)) {
		rc = shmh_open_segment(&m, path, NULL);
		shmh_close_segment(&m);
		if (rc == SHMH_OK)
			wa->seen++;
		else if (rc == SHMH_ENOSEG)
			wa->missing++;
		else if (wa->bad++ == 0)
			wa->first_bad = rc;
	}
	_exit(0);
}

/* Re-creates the segment for WATCH_MS, alternately replacing and removing. */
static uint64_t recreate_loop(const char *path)
{
	struct shmh_map w;
	int64_t end = shmh_now_mono_ns() + WATCH_MS * 1000000ll;
	uint64_t n;

	for (n = 0; shmh_now_mono_ns() < end; n++) {
		create_open(&w, path);
		if (n & 1)
			ck_assert_int_eq(shmh_unlink_segment(&w), SHMH_OK);
		shmh_close_segment(&w);
	}
	return n;
}

/* A reader racing the creator never sees a half-built segment. */
START_TEST(test_never_half_built)
{
	struct watch *wa;
	uint64_t creates;
	int status;

	wa = mmap(NULL, sizeof(*wa), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(wa, MAP_FAILED);
	memset(wa, 0, sizeof(*wa));
	live_pid = start_child();
	if (live_pid == 0)
		watcher(wa, at("seg"));
	creates = recreate_loop(at("seg"));
	uatomic_set(&wa->stop, 1);
	ck_assert_int_eq(waitpid(live_pid, &status, 0), live_pid);
	live_pid = 0;
	printf("SUMMARY segment-watch creates=%llu seen=%llu missing=%llu "
	       "bad=%llu\n", (unsigned long long)creates,
	       (unsigned long long)wa->seen, (unsigned long long)wa->missing,
	       (unsigned long long)wa->bad);
	fflush(stdout);
	ck_assert_msg(wa->bad == 0, "saw %s", shmh_strerror(wa->first_bad));
	ck_assert_uint_gt(wa->seen, 0);
	ck_assert_int_eq(dir_others("seg"), 0);
}
END_TEST

/* A planted symlink is replaced, never written through. */
START_TEST(test_create_over_symlink)
{
	struct shmh_map w;
	struct stat sb;
	int fd;

	fd = open(at("victim"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(symlink(at("victim"), at("seg")), 0);
	create_open(&w, at("seg"));
	ck_assert_int_eq(lstat(at("seg"), &sb), 0);
	ck_assert(S_ISREG(sb.st_mode));
	ck_assert_int_eq(stat(at("victim"), &sb), 0);
	ck_assert_int_eq(sb.st_size, 0);
	ck_assert_int_eq(dir_others("seg"), 1);	/* the victim */
	shmh_close_segment(&w);
}
END_TEST

/* A directory in the way: refused, and the temporary file is gone. */
START_TEST(test_create_over_dir)
{
	struct shmh_map w;
	struct shmh_status st;

	ck_assert_int_eq(mkdir(at("seg"), 0755), 0);
	sample_status(&st);
	ck_assert_int_eq(shmh_create_segment(&w, at("seg"), &st), SHMH_ENOTSEG);
	ck_assert_int_eq(w.fd, -1);
	ck_assert_int_eq(dir_others("seg"), 0);
}
END_TEST

/*
 * A file that is not a segment (a typo in --segment naming someone's
 * file) is refused and left as it was; an old segment of another layout
 * version is replaced.
 */
START_TEST(test_create_over_other_file)
{
	static const char text[] = "important: not a segment\n";
	struct shmh_map w;
	struct shmh_status st;
	char back[sizeof(text)];
	int fd;

	fd = open(at("seg"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, sizeof(text)), (ssize_t)sizeof(text));
	close(fd);
	sample_status(&st);
	ck_assert_int_eq(shmh_create_segment(&w, at("seg"), &st), SHMH_ENOTSEG);
	ck_assert_int_eq(w.fd, -1);
	fd = open(at("seg"), O_RDONLY);
	ck_assert_int_eq(read(fd, back, sizeof(back)), (ssize_t)sizeof(text));
	close(fd);
	ck_assert_mem_eq(back, text, sizeof(text));
	ck_assert_int_eq(dir_others("seg"), 0);

	unlink(at("seg"));
	create_open(&w, at("seg"));
	w.seg->hdr.layout_version = SHMH_LAYOUT_VERSION + 1;
	shmh_close_segment(&w);
	ck_assert_int_eq(shmh_create_segment(&w, at("seg"), &st), SHMH_OK);
	shmh_close_segment(&w);
	ck_assert_int_eq(open_rc(at("seg")), SHMH_OK);
}
END_TEST

/* A second creator is refused while the first holds the map open. */
START_TEST(test_in_use)
{
	struct shmh_map w1, w2;
	struct shmh_status st;

	create_open(&w1, at("seg"));
	sample_status(&st);
	ck_assert_int_eq(shmh_create_segment(&w2, at("seg"), &st), SHMH_EINUSE);
	ck_assert_int_eq(w2.holder_pid, getpid());
	ck_assert_int_eq(w2.fd, -1);
	ck_assert_int_eq(dir_others("seg"), 0);
	ck_assert_int_eq(open_rc(at("seg")), SHMH_OK);
	shmh_close_segment(&w1);
	ck_assert_int_eq(shmh_create_segment(&w2, at("seg"), &st), SHMH_OK);
	shmh_close_segment(&w2);
}
END_TEST

/*
 * Liveness is the 0600 lock file's: a shared flock on the segment, which
 * anyone who can read it may take, does not keep a successor out.
 */
START_TEST(test_lock_file)
{
	struct shmh_map w;
	struct shmh_status st;
	struct stat sb;
	int fd;

	create_open(&w, at("seg"));
	ck_assert_int_eq(lstat(at("seg.lock"), &sb), 0);
	ck_assert(S_ISREG(sb.st_mode));
	ck_assert_int_eq(sb.st_mode & 07777, 0600);
	shmh_close_segment(&w);
	fd = open(at("seg"), O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(flock(fd, LOCK_SH | LOCK_NB), 0);
	sample_status(&st);
	ck_assert_int_eq(shmh_create_segment(&w, at("seg"), &st), SHMH_OK);
	shmh_close_segment(&w);
	close(fd);
}
END_TEST

/* A lock file that is not a plain file of ours is refused, not used. */
START_TEST(test_lock_planted)
{
	struct shmh_map w;
	struct shmh_status st;

	sample_status(&st);
	ck_assert_int_eq(mkfifo(at("seg.lock"), 0600), 0);
	ck_assert_int_eq(shmh_create_segment(&w, at("seg"), &st), SHMH_ELOCK);
	ck_assert_str_eq(w.detail, "is not a regular file");
	unlink(at("seg.lock"));
	ck_assert_int_eq(symlink(at("elsewhere"), at("seg.lock")), 0);
	ck_assert_int_eq(shmh_create_segment(&w, at("seg"), &st), SHMH_ELOCK);
	ck_assert_str_eq(w.detail, "is a symlink");
	ck_assert_int_eq(access(at("elsewhere"), F_OK), -1);
	ck_assert_int_eq(access(at("seg"), F_OK), -1);
}
END_TEST

/* The magic alone does not make a segment: a short file is kept. */
START_TEST(test_create_over_magic_only)
{
	char text[35], back[sizeof(text)];
	struct shmh_map w;
	struct shmh_status st;
	int fd;

	memset(text, 'x', sizeof(text));
	memcpy(text, SHMH_MAGIC, SHMH_MAGIC_LEN);
	fd = open(at("seg"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, sizeof(text)), (ssize_t)sizeof(text));
	close(fd);
	sample_status(&st);
	ck_assert_int_eq(shmh_create_segment(&w, at("seg"), &st), SHMH_ENOTSEG);
	fd = open(at("seg"), O_RDONLY);
	ck_assert_int_eq(read(fd, back, sizeof(back)), (ssize_t)sizeof(text));
	close(fd);
	ck_assert_mem_eq(back, text, sizeof(text));
}
END_TEST

/* Creates the segment in a child that then waits to be killed. */
static pid_t holder(const char *path)
{
	struct shmh_map w;
	struct shmh_status st;
	int fds[2], rc;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = start_child();
	if (pid == 0) {
		sample_status(&st);
		rc = shmh_create_segment(&w, path, &st);
		if (write(fds[1], &rc, sizeof(rc)) != sizeof(rc) || rc != SHMH_OK)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], &rc, sizeof(rc)), sizeof(rc));
	close(fds[0]);
	ck_assert_int_eq(rc, SHMH_OK);
	return pid;
}

/* A crashed publisher's lock dies with it: the successor may create. */
START_TEST(test_in_use_killed)
{
	struct shmh_map w;
	struct shmh_status st;
	struct stat before, after;

	live_pid = holder(at("seg"));
	ck_assert_int_eq(stat(at("seg"), &before), 0);
	sample_status(&st);
	ck_assert_int_eq(shmh_create_segment(&w, at("seg"), &st), SHMH_EINUSE);
	kill(live_pid, SIGKILL);
	ck_assert_int_eq(waitpid(live_pid, NULL, 0), live_pid);
	live_pid = 0;
	ck_assert_int_eq(shmh_create_segment(&w, at("seg"), &st), SHMH_OK);
	ck_assert_int_eq(stat(at("seg"), &after), 0);
	ck_assert(after.st_ino != before.st_ino);
	ck_assert_int_eq(dir_others("seg"), 0);
	shmh_close_segment(&w);
}
END_TEST

/* Two creators released together: the start flag and their answers. */
#define RACE_PENDING	1	/* not an SHMH_* result */

struct race {
	int go;
	int rc[2];
};

/* Waits for the start flag, creates, reports, and holds the map open. */
static void racer(struct race *ra, int k, const char *path)
{
	struct shmh_map w;
	struct shmh_status st;

	sample_status(&st);
	while (!uatomic_read(&ra->go))
		;
	uatomic_set(&ra->rc[k], shmh_create_segment(&w, path, &st));
	for (;;)
		pause();
}

/* One round: returns how many of the two creators got SHMH_OK. */
static int race_round(struct race *ra, const char *path)
{
	pid_t pids[2];
	int k, ok = 0;

	ra->go = 0;
	ra->rc[0] = ra->rc[1] = RACE_PENDING;
	for (k = 0; k < 2; k++)
		if ((pids[k] = start_child()) == 0)
			racer(ra, k, path);
	uatomic_set(&ra->go, 1);
	while (uatomic_read(&ra->rc[0]) == RACE_PENDING ||
	       uatomic_read(&ra->rc[1]) == RACE_PENDING)
		usleep(100);
	for (k = 0; k < 2; k++) {
		kill(pids[k], SIGKILL);
		waitpid(pids[k], NULL, 0);
		ck_assert_msg(ra->rc[k] == SHMH_OK || ra->rc[k] == SHMH_EINUSE,
			      "creator %d: %s", k, shmh_strerror(ra->rc[k]));
		ok += ra->rc[k] == SHMH_OK;
	}
	return ok;
}

/* Of two publishers starting together, exactly one takes the segment. */
START_TEST(test_create_race)
{
	struct race *ra;
	int round;

	ra = mmap(NULL, sizeof(*ra), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(ra, MAP_FAILED);
	for (round = 0; round < 100; round++) {
		/* Odd rounds race on a fresh name, even ones on a stale file. */
		if (round & 1)
			unlink(at("seg"));
		ck_assert_msg(race_round(ra, at("seg")) == 1,
			      "round %d: both or neither created", round);
	}
	ck_assert_int_eq(dir_others("seg"), 0);
	munmap(ra, sizeof(*ra));
}
END_TEST

/* Keeps shrinking the file to nothing and writing a valid image back. */
static void shrinker(const char *path)
{
	struct shmh_map w;
	struct shmh_segment img;
	int fd;

	create_open(&w, path);
	img = *w.seg;
	fd = open(path, O_RDWR | O_CLOEXEC);
	for (;;) {
		if (ftruncate(fd, 0) != 0 ||
		    pwrite(fd, &img, sizeof(img), 0) != (ssize_t)sizeof(img))
			_exit(1);
	}
}

/*
 * Opens and snapshots while the file shrinks: refusals, never a crash.
 * _i: 0 for a mapped reader, 1 for a by_read one.
 */
START_TEST(test_truncate_race)
{
	struct shmh_open_opts opts = { .by_read = _i };
	struct shmh_map r;
	struct shmh_status st;
	int64_t end = shmh_now_mono_ns() + WATCH_MS * 1000000ll;
	uint64_t opened = 0, refused = 0, trunc = 0;
	int rc;

	create_closed("seg");
	if ((live_pid = start_child()) == 0)
		shrinker(at("seg"));
	while (shmh_now_mono_ns() < end) {
		rc = shmh_open_segment(&r, at("seg"), &opts);
		ck_assert_msg(rc == SHMH_OK || rc == SHMH_ESIZE || rc == SHMH_EMAGIC ||
			      rc == SHMH_EVERSION || rc == SHMH_EHEADER ||
			      rc == SHMH_ENOSEG, "open: %s", shmh_strerror(rc));
		refused += rc != SHMH_OK;
		if (rc == SHMH_OK) {
			opened++;
			rc = shmh_snapshot(&r, &st);
			ck_assert_msg(rc == SHMH_OK || rc == SHMH_ETRUNC,
				      "snapshot: %s", shmh_strerror(rc));
			trunc += rc == SHMH_ETRUNC;
		}
		shmh_close_segment(&r);
	}
	printf("SUMMARY segment-shrink kind=%s opened=%llu refused=%llu "
	       "etrunc=%llu\n", _i ? "read" : "map",
	       (unsigned long long)opened, (unsigned long long)refused,
	       (unsigned long long)trunc);
	fflush(stdout);
}
END_TEST

/* A prior SIGBUS handler the snapshot must put back exactly. */
static void prior_handler(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)si;
	(void)ctx;
}

static void same_action(const struct sigaction *a, const struct sigaction *b)
{
	int sig;
	/* libc adds SA_RESTORER (0x04000000) to whatever it installs. */
	const int restorer = 0x04000000;

	ck_assert_ptr_eq((void *)a->sa_handler, (void *)b->sa_handler);
	ck_assert_int_eq(a->sa_flags & ~restorer, b->sa_flags & ~restorer);
	for (sig = 1; sig < SIGRTMAX; sig++)
		ck_assert_int_eq(sigismember(&a->sa_mask, sig),
				 sigismember(&b->sa_mask, sig));
}

/* The SIGBUS disposition now, for comparing with same_action(). */
static struct sigaction sigbus_now(void)
{
	struct sigaction sa;

	ck_assert_int_eq(sigaction(SIGBUS, NULL, &sa), 0);
	return sa;
}

/* Installs prior_handler for SIGBUS, with flags and a mask to compare. */
static void install_prior(struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = prior_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR1);
	ck_assert_int_eq(sigaction(SIGBUS, &sa, old), 0);
}

/*
 * Snapshots a segment shrunk to size under the reader, a mapped one or
 * one reading by pread() (read set): ETRUNC, no crash, SIGBUS never left
 * blocked, and the disposition from before the open is back once the map
 * is closed (a by_read map never changes it at all).
 */
static void snapshot_truncated(off_t size, int read)
{
	struct shmh_open_opts opts = { .by_read = read };
	struct shmh_map w, r;
	struct shmh_status st;
	struct sigaction before, during, after;
	sigset_t blocked;
	int i;

	create_open(&w, at("seg"));
	before = sigbus_now();
	ck_assert_int_eq(shmh_open_segment(&r, at("seg"), &opts), SHMH_OK);
	ck_assert_int_eq(shmh_snapshot(&r, &st), SHMH_OK);
	ck_assert_int_eq(truncate(at("seg"), size), 0);
	/* Twice: the first must leave the guard working. */
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(shmh_snapshot(&r, &st), SHMH_ETRUNC);
		ck_assert_int_eq(sigprocmask(SIG_BLOCK, NULL, &blocked), 0);
		ck_assert(!sigismember(&blocked, SIGBUS));
	}
	if (read) {
		during = sigbus_now();
		same_action(&before, &during);
	}
	shmh_close_segment(&r);
	after = sigbus_now();
	same_action(&before, &after);
	shmh_close_segment(&w);
}

/* _i: 0 for a mapped reader, 1 for a by_read one. */
START_TEST(test_truncated_default)
{
	snapshot_truncated(0, _i);
}
END_TEST

/* Truncated to one page: the header is still there, copy 0 is not all. */
START_TEST(test_truncated_custom)
{
	struct sigaction old;

	install_prior(&old);
	snapshot_truncated(4096, _i);
	sigaction(SIGBUS, &old, NULL);	/* CK_FORK=no runs on in this process */
}
END_TEST

/*
 * A by_read open keeps a descriptor and nothing else: no mapping, no
 * SIGBUS handler (the default's, or with _i a prior one, stays as it
 * was), and the header's sequence for the first snapshot.
 */
START_TEST(test_read_open)
{
	struct shmh_open_opts opts = { .by_read = 1 };
	struct shmh_map w, r;
	struct shmh_status st, got;
	struct sigaction old, before, during, after;
	int fds;

	if (_i == 1)
		install_prior(&old);
	before = sigbus_now();
	create_open(&w, at("seg"));
	sample_status(&st);
	st.heartbeat_count = 78;
	shmh_publish(&w, &st);
	fds = count_fds();
	ck_assert_int_eq(shmh_open_segment(&r, at("seg"), &opts), SHMH_OK);
	ck_assert_int_ge(r.fd, 0);
	ck_assert_ptr_null(r.seg);
	ck_assert_int_eq(r.by_read, 1);
	ck_assert_int_eq(r.guarded, 0);
	ck_assert_uint_eq(r.open_seq, 2);	/* one publish */
	ck_assert_int_eq(count_fds(), fds + 1);
	during = sigbus_now();
	same_action(&before, &during);
	ck_assert_int_eq(shmh_snapshot(&r, &got), SHMH_OK);
	ck_assert_mem_eq(&got, &st, sizeof(st));
	shmh_close_segment(&r);
	ck_assert_int_eq(r.fd, -1);
	ck_assert_int_eq(count_fds(), fds);
	/* A closed map is no reader's: refused, not read. */
	ck_assert_int_eq(shmh_snapshot(&r, &got), SHMH_ESYS);
	after = sigbus_now();
	same_action(&before, &after);
	shmh_close_segment(&w);
	if (_i == 1)
		sigaction(SIGBUS, &old, NULL);	/* CK_FORK=no runs on */
}
END_TEST

/* A read that fails (here: the descriptor is now a directory's) is ESYS. */
START_TEST(test_read_fails)
{
	struct shmh_open_opts opts = { .by_read = 1 };
	struct shmh_map w, r;
	struct shmh_status st;
	int dir;

	create_open(&w, at("seg"));
	ck_assert_int_eq(shmh_open_segment(&r, at("seg"), &opts), SHMH_OK);
	dir = open(test_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dir, 0);
	ck_assert_int_eq(dup2(dir, r.fd), r.fd);
	close(dir);
	ck_assert_int_eq(shmh_snapshot(&r, &st), SHMH_ESYS);
	ck_assert_int_eq(shmh_snapshot(&r, &st), SHMH_ESYS);
	shmh_close_segment(&r);
	shmh_close_segment(&w);
}
END_TEST

START_TEST(test_unlink_own)
{
	struct shmh_map w;

	create_open(&w, at("seg"));
	ck_assert_int_eq(shmh_unlink_segment(&w), SHMH_OK);
	ck_assert_int_eq(access(at("seg"), F_OK), -1);
	ck_assert_int_eq(shmh_unlink_segment(&w), SHMH_ENOSEG);
	shmh_close_segment(&w);
	ck_assert_int_eq(shmh_unlink_segment(&w), SHMH_ESYS);
}
END_TEST

/* Someone else's file under our name stays where it is. */
START_TEST(test_unlink_foreign)
{
	struct shmh_map w;
	struct stat theirs, there;
	int fd;

	create_open(&w, at("seg"));
	fd = open(at("other"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &theirs), 0);
	close(fd);
	ck_assert_int_eq(rename(at("other"), at("seg")), 0);
	ck_assert_int_eq(shmh_unlink_segment(&w), SHMH_EINUSE);
	ck_assert_int_eq(stat(at("seg"), &there), 0);
	ck_assert(there.st_ino == theirs.st_ino);
	shmh_close_segment(&w);
}
END_TEST

START_TEST(test_duration_good)
{
	static const struct { const char *s; uint64_t ms; } good[] = {
		{ "0", 0 }, { "5", 5000 }, { "5s", 5000 }, { "100ms", 100 },
		{ "2m", 120000 }, { "3h", 10800000 }, { "1d", 86400000 },
		{ "0ms", 0 }, { "007", 7000 },
	};
	uint64_t ms;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ms = 12345;
		ck_assert_msg(shmh_parse_duration(good[i].s, &ms) == 0,
			      "\"%s\" refused", good[i].s);
		ck_assert_msg(ms == good[i].ms, "\"%s\" gave %llu", good[i].s,
			      (unsigned long long)ms);
	}
}
END_TEST

START_TEST(test_duration_bad)
{
	static const char *const bad[] = {
		"", "-1", "5x", "1.5s", " 5", "99999999999999999999", "5 s",
		"+5", "5s ", "s", "ms", "5S", "5sec", "5ms5", "0x10", "1e3",
		"18446744073709551616",
	};
	uint64_t ms;
	size_t i;

	ck_assert_int_eq(shmh_parse_duration(NULL, &ms), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(shmh_parse_duration(bad[i], &ms) == -1,
			      "\"%s\" accepted", bad[i]);
}
END_TEST

/* Every result has its own name; the programs print it verbatim. */
START_TEST(test_strerror)
{
	const char *seen[-SHMH_ESYS + 1];
	int r, q;

	for (r = SHMH_OK; r >= SHMH_ESYS; r--) {
		seen[-r] = shmh_strerror(r);
		ck_assert_str_ne(seen[-r], "unknown error");
		for (q = SHMH_OK; q > r; q--)
			ck_assert_str_ne(seen[-q], seen[-r]);
	}
	ck_assert_str_eq(shmh_strerror(SHMH_ELOCK - 1), "unknown error");
	ck_assert_str_eq(shmh_strerror(1), "unknown error");
}
END_TEST

/* The refusal rules, for whichever kind of reader the fixture sets. */
static void add_refusals(TCase *tc)
{
	tcase_add_test(tc, test_valid_opens);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_symlink);
	tcase_add_test(tc, test_path_symlink);
	tcase_add_test(tc, test_fifo);
	tcase_add_test(tc, test_directory);
	tcase_add_test(tc, test_writable);
	tcase_add_test(tc, test_foreign_owner);
	tcase_add_test(tc, test_owner_as_user);
	tcase_add_test(tc, test_size);
	tcase_add_test(tc, test_magic);
	tcase_add_test(tc, test_version);
	tcase_add_loop_test(tc, test_header, 0, 3);
}

static TCase *refusal_tcase(void)
{
	TCase *tc = tcase_create("refusals");

	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	add_refusals(tc);
	tcase_add_test(tc, test_bad_names);
	tcase_add_test(tc, test_resolve);
	tcase_add_test(tc, test_resolve_path_limit);
	tcase_add_test(tc, test_resolve_plain_limit);
	tcase_add_test(tc, test_resolve_small);
	tcase_add_test(tc, test_plain_name);
	return tc;
}

/* The same refusals for a reader that reads by pread(), as shm-reader. */
static TCase *refusal_read_tcase(void)
{
	TCase *tc = tcase_create("refusals-read");

	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, setup_read, teardown_read);
	add_refusals(tc);
	return tc;
}

static TCase *lifecycle_tcase(void)
{
	TCase *tc = tcase_create("lifecycle");

	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_create_mode);
	tcase_add_test(tc, test_create_complete);
	tcase_add_test(tc, test_never_half_built);
	tcase_add_test(tc, test_create_over_symlink);
	tcase_add_test(tc, test_create_over_dir);
	tcase_add_test(tc, test_create_over_other_file);
	tcase_add_test(tc, test_in_use);
	tcase_add_test(tc, test_lock_file);
	tcase_add_test(tc, test_lock_planted);
	tcase_add_test(tc, test_create_over_magic_only);
	tcase_add_test(tc, test_in_use_killed);
	tcase_add_test(tc, test_create_race);
	tcase_add_loop_test(tc, test_truncated_default, 0, 2);
	tcase_add_loop_test(tc, test_truncated_custom, 0, 2);
	tcase_add_loop_test(tc, test_truncate_race, 0, 2);
	tcase_add_loop_test(tc, test_read_open, 0, 2);
	tcase_add_test(tc, test_read_fails);
	tcase_add_test(tc, test_unlink_own);
	tcase_add_test(tc, test_unlink_foreign);
	tcase_add_test(tc, test_duration_good);
	tcase_add_test(tc, test_duration_bad);
	tcase_add_test(tc, test_strerror);
	return tc;
}

int main(void)
{
	Suite *s = suite_create("segment");
	SRunner *sr;
	int failed;

	suite_add_tcase(s, refusal_tcase());
	suite_add_tcase(s, refusal_read_tcase());
	suite_add_tcase(s, lifecycle_tcase());
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
