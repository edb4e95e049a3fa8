# SPDX-License-Identifier: MIT
# Benchmarks (included by the Makefile).
#
#   make bench          runs bench/run.sh: one SUMMARY line per case on
#                       stdout, bench/results.md and bench/results.png
#   make bench-managers only case 6, the package managers: its section of
#                       bench/results.md is replaced, the rest kept
#   make bench-progs    only builds the programs: the floor, spawn,
#                       snapshot, interval, footprint, the ladder,
#                       checkcost and httpget
#
# A few minutes; knobs trade time for precision (environment, see
# bench/run.sh): BENCH_ROUNDS, BENCH_SNAPSHOTS, BENCH_INTERVAL_SECS,
# BENCH_FOOTPRINT_SECS, BENCH_SERVE_SECS, BENCH_SERVE_RATE,
# BENCH_PODMAN_ROUNDS (0 skips podman),
# BENCH_MANAGER_ROUNDS (0 skips case 6), BENCH_MANAGERS, BENCH_OUT.  Needs
# curl and busybox-static; gnuplot-nox for the plot; podman and runc for
# case 5; root, network access and what tests/managers.sh needs for case 6.

BENCH_DIR   := $(B)/bench
BENCH_PROGS := $(BENCH_DIR)/floor $(BENCH_DIR)/spawn $(BENCH_DIR)/snapshot \
               $(BENCH_DIR)/interval $(BENCH_DIR)/footprint \
               $(BENCH_DIR)/ladder-exit $(BENCH_DIR)/ladder-calls \
               $(BENCH_DIR)/checkcost $(BENCH_DIR)/httpget

.PHONY: bench bench-managers bench-progs

# The floor has no C library and no start-up code: _start exits.
$(BENCH_DIR)/floor: bench/floor.c bench/bench.mk
	@mkdir -p $(@D)
	$(CC) -O2 -static -nostdlib -fno-stack-protector -Wl,--build-id=none \
		-o $@ $<

$(BENCH_DIR)/%.o: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -I$(URCU_INC) -MMD -MP -c $< -o $@

$(BENCH_DIR)/spawn: $(BENCH_DIR)/spawn.o $(BENCH_DIR)/util.o
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^
$(BENCH_DIR)/interval: $(BENCH_DIR)/interval.o $(BENCH_DIR)/util.o
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^
$(BENCH_DIR)/footprint: $(BENCH_DIR)/footprint.o $(BENCH_DIR)/util.o
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^
$(BENCH_DIR)/checkcost: $(BENCH_DIR)/checkcost.o $(BENCH_DIR)/util.o
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^
$(BENCH_DIR)/httpget: $(BENCH_DIR)/httpget.o $(BENCH_DIR)/util.o
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^
# latch_count.o is shm/latch.c with a retry counter; it defines the latch's
# symbols, so libshm.a gives only the rest (open, create, validate).
$(BENCH_DIR)/snapshot: $(BENCH_DIR)/snapshot.o $(BENCH_DIR)/latch_count.o \
		$(BENCH_DIR)/util.o $(B)/libshm.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^

# The ladder (bench/ladder.c): compiled and linked as the static reader
# is (the Makefile's static flags, link and strip), so that the only
# difference from it is the work done.
LADDER_CC = $(STATIC_CC) $(ALL_CFLAGS) $(STATIC_CFLAGS) $(STATIC_HARDEN) \
            $(STATIC_PIC) $(STATIC_INC) -ffunction-sections -fdata-sections
$(BENCH_DIR)/static/ladder-exit.o: bench/ladder.c bench/bench.mk | $(B)/static/inc/urcu
	@mkdir -p $(@D)
	$(LADDER_CC) -DLADDER_EXIT -c $< -o $@
$(BENCH_DIR)/static/ladder-calls.o: bench/ladder.c shm/shm.h bench/bench.mk | $(B)/static/inc/urcu
	@mkdir -p $(@D)
	$(LADDER_CC) -c $< -o $@
$(BENCH_DIR)/ladder-%: $(BENCH_DIR)/static/ladder-%.o
	$(STATIC_LINK) $(STATIC_RDR_LDFLAGS)
	$(STATIC_STRIP)

bench-progs: $(BENCH_PROGS)

bench: $(BENCH_PROGS) $(B)/shm-reader $(B)/shm-publisher \
		$(B)/static/shm-reader $(B)/static/shm-publisher
	BUILD=$(B) bench/run.sh

bench-managers: $(BENCH_DIR)/checkcost $(BENCH_DIR)/floor \
		$(B)/static/shm-publisher
	BUILD=$(B) BENCH_ONLY=managers bench/run.sh
