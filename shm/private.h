/* SPDX-License-Identifier: MIT */
/*
 * What shm/'s files share and nothing outside them uses: resolving a
 * segment's path safely, and the SIGBUS guard under a reader's mapping.
 */
#ifndef SHMHEALTH_SHM_PRIVATE_H
#define SHMHEALTH_SHM_PRIVATE_H

#include "shm/shm.h"

/*
 * Opens the directory dir (a path) into m->dirfd, refusing with SHMH_EPATH
 * a symlink on the way that sits in a directory someone other than root,
 * the caller or opts->owner_uid could write; symlinks elsewhere (/var/run)
 * are followed.  SHMH_OK, SHMH_EPATH, SHMH_ENAME, or SHMH_ENOSEG, SHMH_EACCESS
 * or SHMH_ESYS with errno kept.
 */
int shmh_path_dir(struct shmh_map *m, const char *dir,
		 const struct shmh_open_opts *opts);

/* shmh_path_dir() on m->path's directory; *base is its last component. */
int shmh_path_split(struct shmh_map *m, const struct shmh_open_opts *opts,
		   const char **base);

/*
 * Opens m->path into m->fd by those rules, never following its last
 * component: SHMH_OK, SHMH_ENOTREG for a symlink, SHMH_EPATH, SHMH_ENAME, or
 * SHMH_ENOSEG, SHMH_EACCESS or SHMH_ESYS with errno kept.
 */
int shmh_path_open(struct shmh_map *m, int flags,
		  const struct shmh_open_opts *opts);

/*
 * The SIGBUS guard under every access to a reader's mapping (shmh_open_segment
 * and shmh_close_segment use these): install counts users, remove puts the
 * previous disposition back when the last one goes.  read_header copies the
 * header armed: SHMH_OK or SHMH_ETRUNC.
 */
int shmh_guard_install(void);
void shmh_guard_remove(void);
int shmh_read_header(const struct shmh_map *m, struct shmh_header *out);

/* Maps m->fd read-only, the whole layout, and installs the guard: how a
 * reader's map opens, and a by_read map's fallback (latch.c).  SHMH_OK,
 * SHMH_EACCESS or SHMH_ESYS; shmh_close_segment() undoes what was done. */
int shmh_map_guarded(struct shmh_map *m);

#endif
