/* SPDX-License-Identifier: MIT */
/* Scratch directories for the Check suites. */
#ifndef SHMHEALTH_TESTS_TMPDIR_H
#define SHMHEALTH_TESTS_TMPDIR_H

/* Removes dir and everything under it, following no link; "" is a no-op. */
void tst_remove_tree(const char *dir);

#endif
