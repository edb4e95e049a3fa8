# SPDX-License-Identifier: MIT
# shmhealth: build, test, install.
#
#   make                build/shm-publisher, build/shm-reader
#   make static         build/static/: static PIEs on musl, stripped (musl-gcc
#                       where installed, else cc -static)
#   make check          the unit and command-line tests, unprivileged, < 1 min
#   make test           the whole suite: root, podman, the real managers
#   make test-all       fuzz, valgrind, sanitize, then test (README's second
#                       command, and CI's)
#   make deps           (root) what building and `make demo` need
#   make test-deps      (root) what every test needs besides
#   make install        PREFIX=/usr/local DESTDIR=
#   WERROR=1            turn warnings into errors (CI)

.DELETE_ON_ERROR:
.SUFFIXES:

VERSION    := 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
DESTDIR    ?=
CC         ?= cc
PKG_CONFIG ?= pkg-config
MUSL_GCC   ?= $(shell command -v musl-gcc 2>/dev/null)
# Build directory: build, or build/san for the sanitizer run.
B          ?= build

CFLAGS     ?= -O2 -g
WARN       := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
              -Wformat=2
HARDEN     := -fstack-protector-strong -D_FORTIFY_SOURCE=2
# Asked of pkg-config when first used, not when make starts: `make deps
# demo` installs pkg-config and the libraries before any recipe needs them.
# (Each expands once, then keeps its value.)
URCU_INC     = $(eval URCU_INC := $(shell $(PKG_CONFIG) --variable=includedir liburcu))$(URCU_INC)
CHECK_CFLAGS = $(eval CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check))$(CHECK_CFLAGS)
CHECK_LIBS   = $(eval CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check))$(CHECK_LIBS)
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(if $(WERROR),-Werror) \
              -DSHMHEALTH_VERSION='"$(VERSION)"' -I. $(CFLAGS)
ALL_LDFLAGS := -Wl,-z,relro,-z,now $(LDFLAGS)

SHM_SRC  := $(sort $(wildcard shm/*.c))
PUB_SRC  := $(filter-out publisher/main.c,$(sort $(wildcard publisher/*.c)))
RPT_SRC  := $(sort $(wildcard report/*.c))
RDR_SRC  := $(filter-out reader/main.c,$(sort $(wildcard reader/*.c)))
TESTS    := $(patsubst tests/%.c,$(B)/tests/%,$(sort $(wildcard tests/check_*.c)))

obj = $(patsubst %.c,$(1)/%.o,$(2))

all: $(B)/shm-publisher $(B)/shm-reader
.PHONY: all static test check test-all sanitize valgrind torture deps test-deps \
        demo install uninstall clean

# Dynamic build: liburcu's headers sit in the multiarch include dir.
$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -I$(URCU_INC) -MMD -MP -c $< -o $@

$(B)/libshm.a: $(call obj,$(B)/obj,$(SHM_SRC))
$(B)/libpub.a: $(call obj,$(B)/obj,$(PUB_SRC))
$(B)/librpt.a: $(call obj,$(B)/obj,$(RPT_SRC))
$(B)/librdr.a: $(call obj,$(B)/obj,$(RDR_SRC))
$(B)/%.a:
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# Both programs judge and format with the report library.
$(B)/shm-publisher: $(B)/obj/publisher/main.o $(B)/libpub.a $(B)/librpt.a $(B)/libshm.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^
$(B)/shm-reader: $(B)/obj/reader/main.o $(B)/librdr.a $(B)/librpt.a $(B)/libshm.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^

# Static build, for COPY into any image: both programs linked with musl
# where musl-gcc is installed (else with this C library's -static), as a
# static PIE where musl has its start file for one (rcrt1.o), and stripped;
# the debug information stays beside each, in NAME.debug.  musl-gcc cannot
# take the whole multiarch include dir (glibc headers clash), so it sees
# only a directory holding a link to urcu/.  musl has no _FORTIFY_SOURCE.
STRIP   ?= strip
OBJCOPY ?= objcopy
ifneq ($(MUSL_GCC),)
STATIC_CC := $(MUSL_GCC)
STATIC_INC := -I$(B)/static/inc
STATIC_HARDEN := -U_FORTIFY_SOURCE
# Where its specs file lies, so do its start files and C library.
MUSL_LIB := $(patsubst %/musl-gcc.specs,%,$(shell grep -o '[^" ]*/musl-gcc.specs' \
	"$$(command -v $(MUSL_GCC))"))
ifeq ($(wildcard $(MUSL_LIB)/rcrt1.o),)
$(warning $(MUSL_GCC): no rcrt1.o beside its specs: static programs will not be PIE)
endif
else
STATIC_CC := $(CC)
STATIC_INC = -I$(URCU_INC)
STATIC_HARDEN :=
endif

# Small, since it is copied into every image: optimised for size, no unwind
# tables (C, nothing unwinds).  The reader also goes without a page of
# padding between code and data and without RELRO, which a static musl
# program never write-protects; the publisher keeps both.
STATIC_CFLAGS := -Os -fno-asynchronous-unwind-tables
STATIC_LDFLAGS := -Wl,--gc-sections
STATIC_RDR_LDFLAGS := $(STATIC_LDFLAGS) -Wl,-z,noseparate-code -Wl,-z,norelro

# musl-gcc's specs know no -static-pie: the start files and the C library
# are named here instead, libc and libgcc as a group (each may need the
# other), and text relocations are refused.
ifneq ($(wildcard $(MUSL_LIB)/rcrt1.o),)
STATIC_PIC := -fPIE
GCC_FILE = $(shell $(STATIC_CC) -print-file-name=$(1))
STATIC_LINK = $(STATIC_CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -static-pie -nostdlib \
	-Wl,--no-dynamic-linker -Wl,-z,text -o $@ $(MUSL_LIB)/rcrt1.o \
	$(MUSL_LIB)/crti.o $(call GCC_FILE,crtbeginS.o) $^ \
	-Wl,--start-group $(MUSL_LIB)/libc.a $(call GCC_FILE,libgcc.a) -Wl,--end-group \
	$(call GCC_FILE,crtendS.o) $(MUSL_LIB)/crtn.o
else
STATIC_PIC :=
STATIC_LINK = $(STATIC_CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -static -o $@ $^
endif
# Keeps the debug information in $@.debug, strips $@ and links the two.
STATIC_STRIP = $(OBJCOPY) --only-keep-debug $@ $@.debug && \
	$(STRIP) --strip-all $@ && \
	$(OBJCOPY) --add-gnu-debuglink=$@.debug $@

$(B)/static/inc/urcu:
	@mkdir -p $(@D)
	ln -sfn $(URCU_INC)/urcu $@

# The compiler and flags the objects were built with: another compiler
# (musl-gcc installed since) or other flags build them all again.
STATIC_CONFIG = $(STATIC_CC) $(ALL_CFLAGS) $(STATIC_CFLAGS) $(STATIC_HARDEN) $(STATIC_PIC)
sq = $(subst ','\'',$(1))
$(B)/static/config: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(call sq,$(STATIC_CONFIG))' | cmp -s - $@ || \
		printf '%s\n' '$(call sq,$(STATIC_CONFIG))' >$@
FORCE:
.PHONY: FORCE

$(B)/static/obj/%.o: %.c $(B)/static/config | $(B)/static/inc/urcu
	@mkdir -p $(@D)
	$(STATIC_CC) $(ALL_CFLAGS) $(STATIC_CFLAGS) $(STATIC_HARDEN) $(STATIC_PIC) $(STATIC_INC) \
		-ffunction-sections -fdata-sections -MMD -MP -c $< -o $@

$(B)/static/shm-publisher: $(call obj,$(B)/static/obj,publisher/main.c $(PUB_SRC) $(RPT_SRC) $(SHM_SRC))
	$(STATIC_LINK) $(STATIC_LDFLAGS)
	$(STATIC_STRIP)
$(B)/static/shm-reader: $(call obj,$(B)/static/obj,reader/main.c $(RDR_SRC) $(RPT_SRC) $(SHM_SRC))
	$(STATIC_LINK) $(STATIC_RDR_LDFLAGS)
	$(STATIC_STRIP)

static: $(B)/static/shm-publisher $(B)/static/shm-reader

# Tests: each Check suite links the tests' support code and every library;
# CLI tests run the binaries.
TEST_SUPPORT := $(sort $(wildcard tests/support/*.c))
# Kept, not deleted as intermediate: else every suite relinks on every make.
.SECONDARY: $(call obj,$(B)/obj,$(TEST_SUPPORT))
$(B)/tests/%: tests/%.c $(call obj,$(B)/obj,$(TEST_SUPPORT)) $(B)/libpub.a $(B)/librdr.a $(B)/librpt.a $(B)/libshm.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -I$(URCU_INC) $(CHECK_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS)

# tests/reader.sh sets fields of a copied segment with it.
$(B)/tests/setseg: tests/setseg.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

test: all static bench-progs $(TESTS) $(B)/tests/setseg
	BUILD=$(B) STATIC_BUILD=$(B)/static tests/run-all.sh $(TESTS)

# The Check suites, the include layering and the command-line tests: no
# root, no container runtime, no package manager, under a minute.
check: all static $(TESTS)
	BUILD=$(B) STATIC_BUILD=$(B)/static tests/run-all.sh --quick $(TESTS)

# Every test again with AddressSanitizer and UndefinedBehaviorSanitizer, in
# build/san; the CLI tests use the plain static reader built alongside.
SAN := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
# tests/bench.sh measures the plain build: benchmarks of instrumented
# binaries would say nothing.
sanitize: all static bench-progs
	$(MAKE) B=build/san CFLAGS="$(SAN)" LDFLAGS="$(SAN)" all build/san/tests-built
	BUILD=build/san STATIC_BUILD=$(B)/static SHMHEALTH_BENCH_BUILD=$(B) \
		ASAN_OPTIONS=detect_leaks=1 \
		SHMHEALTH_CRASH_ROUNDS=100 SHMHEALTH_CRASH_ROUNDS_C=100 \
		SHMHEALTH_RESOURCE_CHECKS=500 SHMHEALTH_RESOURCE_SLACK_KB=1000000 \
		UBSAN_OPTIONS=print_stacktrace=1 tests/run-all.sh $(patsubst $(B)/%,build/san/%,$(TESTS))

# Every Check suite and the programs' main paths under valgrind.
valgrind: all $(TESTS)
	BUILD=$(B) tests/valgrind.sh

# The latch under a writer at full speed and three readers, for
# TORTURE_SECONDS in all (default ten minutes): half with mapped readers,
# half with readers by pread; prints the snapshot counts.
TORTURE_SECONDS ?= 600
torture: $(B)/tests/check_latch
	SHMHEALTH_TORTURE_SECONDS=$$(( $(TORTURE_SECONDS) / 2 )) CK_RUN_CASE=torture \
		CK_DEFAULT_TIMEOUT=$$(( $(TORTURE_SECONDS) / 2 + 60 )) $(B)/tests/check_latch

$(B)/tests-built: $(TESTS) $(B)/tests/setseg
	touch $@

# Debian packages, installed as root after an apt-get update.  `make deps`
# installs what the build and `make demo` need, and only that; `make
# test-deps` adds what the tests run: the static build's musl, the Check
# framework, the package managers, podman (with what it recommends:
# netavark, catatonit, fuse-overlayfs) and the tools around them.
DEB_BUILD := build-essential pkg-config liburcu-dev
DEB_TEST  := check libsubunit-dev musl-tools \
             procps valgrind python3-yaml jq prometheus util-linux clang \
             libclang-rt-dev llvm \
             dnf zypper libzypp-config pacman-package-manager makepkg \
             fakeroot rpm createrepo-c libarchive-tools dpkg-dev
DEB_FULL  := podman runc busybox-static gnuplot-nox curl mmdebstrap
deps:
	apt-get install -y --no-install-recommends $(DEB_BUILD)
test-deps: deps
	apt-get install -y --no-install-recommends $(DEB_TEST)
	apt-get install -y $(DEB_FULL)

# The whole suite, the shorter runs first, so that the last line is the
# Check suites' and CLI tests' "total: N passed, N failed".
test-all:
	$(MAKE) fuzz
	$(MAKE) valgrind
	$(MAKE) sanitize
	$(MAKE) test

# Against this machine's real package manager: start, wait for the first
# check, print the verdict, stop.
DEMO_SEGMENT := shmhealth-demo
demo: all
	@build/shm-publisher --manager apt --segment $(DEMO_SEGMENT) --heartbeat 1s & pid=$$!; \
	for i in $$(seq 600); do \
		kill -0 $$pid 2>/dev/null || { echo "shm-publisher exited early"; exit 1; }; \
		out=$$(build/shm-reader --segment $(DEMO_SEGMENT)); rc=$$?; \
		case "$$out" in starting*|*"no segment"*) sleep 0.2 ;; *) break ;; esac; \
	done; \
	echo "shm-reader: exit $$rc: $$out"; \
	kill -TERM $$pid; wait $$pid; rm -f /dev/shm/$(DEMO_SEGMENT) /dev/shm/$(DEMO_SEGMENT).lock

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(B)/shm-publisher $(B)/shm-reader $(DESTDIR)$(BINDIR)/
	install -m 0644 man/shm-reader.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 man/shm-publisher.8 $(DESTDIR)$(MANDIR)/man8/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/shm-publisher $(DESTDIR)$(BINDIR)/shm-reader \
	      $(DESTDIR)$(MANDIR)/man1/shm-reader.1 $(DESTDIR)$(MANDIR)/man8/shm-publisher.8

clean:
	rm -rf build

include bench/bench.mk
include tests/fuzz/fuzz.mk

-include $(shell find $(B) -name '*.d' 2>/dev/null)
