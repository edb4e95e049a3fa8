/* SPDX-License-Identifier: MIT */
/* --textfile DIR: DIR/shmhealth.prom for node_exporter, replaced atomically. */
#ifndef SHMHEALTH_TEXTFILE_H
#define SHMHEALTH_TEXTFILE_H

#include "shm/shm.h"

/* At start: 0 if DIR (or no --textfile, dir NULL) will do, -1 after
 * logging why. */
int pub_textfile_check(const char *dir);

/* Writes st, the status of segment (its path, or name), in Prometheus's
 * format; sync: fsync the new file before it replaces the old one.  Does
 * nothing without --textfile. */
void pub_textfile_write(const char *segment, const struct shmh_status *st,
			int sync);

#endif
