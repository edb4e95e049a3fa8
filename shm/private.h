/* SPDX-License-Identifier: MIT */
/*
 * What shm/'s files share and nothing outside them uses: resolving a
 * segment's path safely, and the SIGBUS guard under a reader's mapping.
 */
#ifndef SHMHEALTH_SHM_PRIVATE_H
#define SHMHEALTH_SHM_PRIVATE_H

#include "shm/shm.h"

/*
 * Opens the directory dir (a path) into m->dirfd, refusing with SHM_EPATH
 * a symlink on the way that sits in a directory someone other than root,
 * the caller or opts->owner_uid could write; symlinks elsewhere (/var/run)
 * are followed.  SHM_OK, SHM_EPATH, SHM_ENAME, or SHM_ENOSEG, SHM_EACCESS
 * or SHM_ESYS with errno kept.
 */
int shm_path_dir(struct shm_map *m, const char *dir,
		 const struct shm_open_opts *opts);

/* shm_path_dir() on m->path's directory; *base is its last component. */
int shm_path_split(struct shm_map *m, const struct shm_open_opts *opts,
		   const char **base);

/*
 * Opens m->path into m->fd by those rules, never following its last
 * component: SHM_OK, SHM_ENOTREG for a symlink, SHM_EPATH, SHM_ENAME, or
 * SHM_ENOSEG, SHM_EACCESS or SHM_ESYS with errno kept.
 */
int shm_path_open(struct shm_map *m, int flags,
		  const struct shm_open_opts *opts);

/*
 * The SIGBUS guard under every access to a reader's mapping (shm_open_segment
 * and shm_close_segment use these): install counts users, remove puts the
 * previous disposition back when the last one goes.  read_header copies the
 * header armed: SHM_OK or SHM_ETRUNC.
 */
int shm_guard_install(void);
void shm_guard_remove(void);
int shm_read_header(const struct shm_map *m, struct shm_header *out);

/* Maps m->fd read-only, the whole layout, and installs the guard: how a
 * reader's map opens, and a by_read map's fallback (latch.c).  SHM_OK,
 * SHM_EACCESS or SHM_ESYS; shm_close_segment() undoes what was done. */
int shm_map_guarded(struct shm_map *m);

#endif
