# SPDX-License-Identifier: MIT
# Hostile segments and output: libFuzzer on the reader's validation,
# verdict and formats, and on the publisher's log, with AddressSanitizer
# and UndefinedBehaviorSanitizer.  Included by the Makefile, after its
# variables.
#
#   make fuzz           replay tests/fuzz/corpus/, then fuzz each harness
#                       for FUZZ_SECONDS (default 30) over a copy of it in
#                       build/fuzz/; fails on any crash, sanitizer report
#                       or broken output contract
#   make fuzz-build     the harnesses only
#   make fuzz-corpus    remake the seed corpus from the real publisher
#
# Needs clang and its libFuzzer runtime (Debian: clang libclang-rt-dev).
# The harnesses link shm/, report/ and reader/ (not reader/main.c) built by clang
# with the project's own warning flags.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 30
FUZZ_B       := build/fuzz
# FORTIFY off: its checked copies would bypass ASan's own checks.
FUZZ_SAN     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=all -U_FORTIFY_SOURCE
FUZZ_CFLAGS   = $(ALL_CFLAGS) -I$(URCU_INC) $(FUZZ_SAN)
FUZZ_COMMON  := tests/fuzz/judge.c tests/fuzz/wellformed.c tests/support/json.c
FUZZ_LIB      = $(call obj,$(FUZZ_B)/obj,$(FUZZ_COMMON) $(RDR_SRC) $(RPT_SRC) $(SHM_SRC))
FUZZ_TARGETS := $(FUZZ_B)/fuzz_segment $(FUZZ_B)/fuzz_status $(FUZZ_B)/fuzz_log \
                $(FUZZ_B)/fuzz_http

.PHONY: fuzz fuzz-build fuzz-corpus

# The code under test is instrumented for coverage; the harnesses and
# their checkers are not (their branches would be noise to the fuzzer, and
# cost), only sanitized.  The link brings libFuzzer's main.
$(FUZZ_B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
$(FUZZ_B)/obj/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_B)/fuzz_segment: $(FUZZ_B)/obj/tests/fuzz/fuzz_segment.o $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(ALL_LDFLAGS) -o $@ $^
$(FUZZ_B)/fuzz_status: $(FUZZ_B)/obj/tests/fuzz/fuzz_status.o $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(ALL_LDFLAGS) -o $@ $^
# The log: the publisher's own logger, on text from its children.
$(FUZZ_B)/fuzz_log: $(FUZZ_B)/obj/tests/fuzz/fuzz_log.o \
		$(FUZZ_B)/obj/publisher/log.o $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(ALL_LDFLAGS) -o $@ $^

# The request parser of --listen, on what a client sends.
$(FUZZ_B)/fuzz_http: $(FUZZ_B)/obj/tests/fuzz/fuzz_http.o \
		$(FUZZ_B)/obj/publisher/http.o $(FUZZ_B)/obj/publisher/timer.o \
		$(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(ALL_LDFLAGS) -o $@ $^

fuzz-build: $(FUZZ_TARGETS)

fuzz: $(FUZZ_TARGETS)
	tests/fuzz/run.sh $(FUZZ_B) $(FUZZ_SECONDS)

# The seed tool is plain C: it writes damaged copies of real segments.
$(FUZZ_B)/mkseed: tests/fuzz/mkseed.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

fuzz-corpus: $(B)/shm-publisher $(B)/shm-reader $(FUZZ_B)/mkseed
	tests/fuzz/make-corpus.sh $(B) $(FUZZ_B)/mkseed tests/fuzz/corpus
