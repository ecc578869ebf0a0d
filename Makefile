# vrrpd — one entry point: all, demo, check, unit, lab, asan, fuzz, bench, install, deb, clean.
# Objects go under $(BUILD)/; the programs are placed at vrrpd/vrrpd and
# vrrpctl/vrrpctl (the ASan/UBSan variant stays under build-asan/).

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
# Where `make install` puts things; each may be overridden. The daemon's
# configuration and systemd unit live where the system looks for them,
# whatever the prefix.
SBINDIR    ?= $(PREFIX)/sbin
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
SYSCONFDIR ?= /etc
UNITDIR    ?= /lib/systemd/system
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
BUILD   ?= build
PYTHON  ?= /usr/bin/python3

PKGS    := libyang libnl-3.0 libnl-route-3.0 json-c libsystemd libnftables libcap-ng
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)
CTL_LIBS   := $(shell pkg-config --libs json-c 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
CFLAGS  ?= -O2 -g
# Folders that hold headers: lib/ (shared by every program), kaconf/ (the
# keepalived importer), and the daemon's vrrpd/ with its parts.
INCLUDES := -Ilib -Ikaconf -Ivrrpd -Ivrrpd/vrrp -Ivrrpd/net -Ivrrpd/ctl -Ivrrpd/track -Ivrrpd/proc -Ivrrpd/privsep
ALL_CFLAGS := -std=gnu11 $(WARN) $(CPPFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) -D_GNU_SOURCE \
	$(INCLUDES) -I$(BUILD) $(PKG_CFLAGS) -MMD -MP
LDFLAGS ?=
ALL_LDFLAGS := $(LDFLAGS) $(EXTRA_LDFLAGS)

LIB_SRC     := $(wildcard lib/*.c)
KACONF_SRC  := $(wildcard kaconf/*.c)
VRRPD_SRC   := $(filter-out vrrpd/main.c,$(wildcard vrrpd/*.c vrrpd/*/*.c))
VRRPCTL_SRC := $(wildcard vrrpctl/*.c)
UNIT_SRC    := $(wildcard tests/unit/test_*.c)

LIB_OBJ     := $(LIB_SRC:%.c=$(BUILD)/%.o)
KACONF_OBJ  := $(KACONF_SRC:%.c=$(BUILD)/%.o)
VRRPD_OBJ   := $(VRRPD_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/yang_module.o
VRRPCTL_OBJ := $(VRRPCTL_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

LIBVRRP  := $(BUILD)/libvrrp.a
LIBKACONF := $(BUILD)/libkaconf.a
LIBVRRPD := $(BUILD)/libvrrpd.a
DAEMON   := $(BUILD)/bin/vrrpd
CTL      := $(BUILD)/bin/vrrpctl

.PHONY: all build demo check unit lab asan clang fuzz fuzz-build fuzz-bins fuzz-smoke \
	bench install deb clean deps tools-test lab-full
all: build
	@if [ "$(BUILD)" = build ]; then cp -f $(DAEMON) vrrpd/vrrpd; cp -f $(CTL) vrrpctl/vrrpctl; fi

FLOOR := $(BUILD)/bench/floor
build: $(DAEMON) $(CTL) $(UNIT_BIN) $(FLOOR)

# The bench's floor probe (bench/floor.c): the least a master or backup can
# do, built with the daemon so `make bench` measures the same code.
$(FLOOR): $(BUILD)/bench/floor.o $(LIBVRRP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The YANG module is compiled into the daemon so it never depends on an
# installed path; yang/vrrpd.yang (with its submodules vrrpd-network.yang and vrrpd-tracking.yang)
# stays the single source.
YANG_SRC := yang/vrrpd.yang yang/vrrpd-network.yang yang/vrrpd-tracking.yang
$(BUILD)/gen/yang_module.c: $(YANG_SRC) scripts/embed-yang.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-yang.sh $(YANG_SRC) > $@

$(BUILD)/gen/yang_module.o: $(BUILD)/gen/yang_module.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# vrrpctl's option table is generated from the YANG module by a small
# libyang program run at build time; only the generator links libyang.
GEN_CLI := $(BUILD)/gen/gen-cli-opts
$(GEN_CLI): scripts/gen-cli-opts.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(shell pkg-config --libs libyang)

$(BUILD)/gen/cli_opts.inc: $(YANG_SRC) $(GEN_CLI)
	$(GEN_CLI) yang/vrrpd.yang > $@.tmp && mv $@.tmp $@

$(BUILD)/vrrpctl/cmd_table.o $(BUILD)/tests/unit/test_commands.o $(BUILD)/tests/unit/test_complete_words.o: $(BUILD)/gen/cli_opts.inc

# The same keywords for the configuration line renderer in lib/ (shared by
# the daemon's candidate.compare and vrrpctl's show running-config).
$(BUILD)/gen/cfg_keywords.inc: $(YANG_SRC) $(GEN_CLI)
	$(GEN_CLI) --keywords $< > $@.tmp && mv $@.tmp $@

$(BUILD)/lib/cfglines.o: $(BUILD)/gen/cfg_keywords.inc

$(LIBVRRP): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@; ar rcs $@ $^

$(LIBKACONF): $(KACONF_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@; ar rcs $@ $^

$(LIBVRRPD): $(VRRPD_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@; ar rcs $@ $^

$(DAEMON): $(BUILD)/vrrpd/main.o $(LIBVRRPD) $(LIBKACONF) $(LIBVRRP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

# vrrpctl speaks only the socket (BIRD's rule): it links lib/ and the
# importer (for `convert`), nothing of the daemon.
$(CTL): $(VRRPCTL_OBJ) $(LIBKACONF) $(LIBVRRP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(CTL_LIBS) -lreadline

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIBVRRPD) $(LIBKACONF) $(LIBVRRP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS) $(CMOCKA_LIBS)

asan:
	$(MAKE) BUILD=build-asan CC=$(CC) CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" build

# The same tree must build clean with clang too.
clang:
	$(MAKE) BUILD=build-clang CC=clang build

deps:
	sh scripts/install-deps.sh

# Unit tests run under ASan + UBSan.
unit: asan
	@fail=0; for t in build-asan/tests/test_*; do \
		echo "== $$t"; $$t || fail=1; done; exit $$fail

# libFuzzer harnesses (fuzz/fuzz_*.c, see fuzz/README.md), built with clang
# into build-fuzz/: the code under test is instrumented for coverage and
# runs under ASan + UBSan. Each harness runs FUZZ_TIME seconds on the seeds
# in fuzz/corpus/<harness>/; what it finds goes to build-fuzz/corpus/ (never
# the repository) and a crash to build-fuzz/crashes/, failing the target.
FUZZ_TIME  ?= 60
FUZZ_FLAGS ?=
FUZZ_CORPUS ?= build-fuzz/corpus
FUZZ_NAMES := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_BIN   := $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)

fuzz-build:
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" fuzz-bins

fuzz-bins: $(FUZZ_BIN)

$(BUILD)/fuzz/%: fuzz/%.c fuzz/fuzz_util.h tests/unit/fake_engine.h $(LIBVRRPD) $(LIBKACONF) $(LIBVRRP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ifuzz -Itests/unit -fsanitize=fuzzer -o $@ $< $(LIBVRRPD) $(LIBKACONF) \
		$(LIBVRRP) $(ALL_LDFLAGS) $(FUZZ_LDFLAGS) $(PKG_LIBS)

# config.save must not write files from a fuzzer running as root: the
# harness gets the writer, the rest of the code is unchanged.
$(BUILD)/fuzz/fuzz_rpc: FUZZ_LDFLAGS := -Wl,--wrap=rpc_write_file_atomic

# One harness at a time (2 cores shared); stop at the first that fails.
# A unit slower than FUZZ_TIMEOUT seconds is a failure. The importer's
# bounded worst case (an expansion stopped at its 16 MiB cap) takes 0.25 s
# in a release build, 1.4 s under ASan and coverage, and 12 s once on a
# loaded machine: long runs beside other work need more than 10.
FUZZ_TIMEOUT ?= 10
fuzz-run-%: fuzz-build
	@mkdir -p $(FUZZ_CORPUS)/$* build-fuzz/crashes
	build-fuzz/fuzz/$* -max_total_time=$(FUZZ_TIME) -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix=build-fuzz/crashes/$*- \
		$(if $(wildcard fuzz/$*.dict),-dict=fuzz/$*.dict) \
		$(if $(FUZZ_SMOKE),-seed=$(FUZZ_SMOKE_SEED) -runs=$(or $(SMOKE_RUNS_$*),100000)) $(FUZZ_FLAGS) \
		$(FUZZ_CORPUS)/$* $(wildcard fuzz/corpus/$*)

fuzz: fuzz-build
	@for h in $(FUZZ_NAMES); do \
		$(MAKE) --no-print-directory fuzz-run-$$h FUZZ_TIME=$(FUZZ_TIME) \
			FUZZ_SMOKE=$(FUZZ_SMOKE) FUZZ_CORPUS=$(FUZZ_CORPUS) || { \
		echo "fuzz: $$h failed, input in build-fuzz/crashes/ (see fuzz/README.md)"; \
		exit 1; }; done

# The smoke run is the regression check, not the search (that is make
# fuzz): a fixed seed and a fixed number of inputs per harness (about 10 s
# each here), grown from the committed seeds only, so every machine runs
# nearly the same inputs. libFuzzer is not exactly deterministic even so
# (two runs here add 96 and 131 units to the decoder's corpus), but a
# failure no longer depends on how fast or how loaded the machine is.
# FUZZ_SMOKE_TIME bounds a slow machine.
FUZZ_SMOKE_SEED ?= 1
FUZZ_SMOKE_TIME ?= 40
SMOKE_RUNS_fuzz_decode  := 1200000
SMOKE_RUNS_fuzz_kaconf  := 60000
SMOKE_RUNS_fuzz_model   := 300000
SMOKE_RUNS_fuzz_privsep := 2000000
SMOKE_RUNS_fuzz_rpc     := 8000
SMOKE_RUNS_fuzz_rx      := 2000000
fuzz-smoke: fuzz-build
	@rm -rf build-fuzz/smoke
	$(MAKE) --no-print-directory fuzz FUZZ_TIME=$(FUZZ_SMOKE_TIME) FUZZ_SMOKE=1 \
		FUZZ_CORPUS=build-fuzz/smoke

# make check runs the lab without the slow variants (tests/lab/conftest.py
# FULL_ONLY); lab-full runs every test.
lab: all
	cd tests/lab && $(PYTHON) -m pytest -q -ra --durations=25 -m "not full" $(PYTEST_ARGS)

lab-full: all
	cd tests/lab && $(PYTHON) -m pytest -q -ra --durations=25 $(PYTEST_ARGS)

# The project's own scripts (install-deps.sh with stubbed apt).
tools-test:
	$(PYTHON) -m pytest -q -ra tests/tools

check: deps
	$(MAKE) all
	$(MAKE) clang
	$(MAKE) unit
	$(MAKE) tools-test
	$(MAKE) fuzz-smoke
	$(MAKE) lab

demo: deps
	$(MAKE) all
	sh scripts/demo.sh

bench: deps
	$(MAKE) all
	sh bench/run.sh

# The unit names /usr/sbin and /etc/vrrpd; it is installed with the paths
# of this installation. The default configuration (no instances) is
# installed only if there is none: an operator's file is never replaced.
install: $(DAEMON) $(CTL)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(DATADIR)/vrrpd/yang $(DESTDIR)$(UNITDIR) $(DESTDIR)$(BASHCOMPDIR)
	install -d -m 0750 $(DESTDIR)$(SYSCONFDIR)/vrrpd
	install -m 0755 $(DAEMON) $(CTL) $(DESTDIR)$(SBINDIR)/
	install -m 0644 man/*.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 man/*.7 $(DESTDIR)$(MANDIR)/man7/
	install -m 0644 $(YANG_SRC) $(DESTDIR)$(DATADIR)/vrrpd/yang/
	sed -e 's#/usr/sbin/#$(SBINDIR)/#g' -e 's#/etc/vrrpd#$(SYSCONFDIR)/vrrpd#g' \
		systemd/vrrpd.service > $(DESTDIR)$(UNITDIR)/vrrpd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/vrrpd.service
	install -m 0644 scripts/vrrpctl.bash-completion $(DESTDIR)$(BASHCOMPDIR)/vrrpctl
	[ -e $(DESTDIR)$(SYSCONFDIR)/vrrpd/vrrpd.json ] || \
		install -m 0600 etc/vrrpd.json $(DESTDIR)$(SYSCONFDIR)/vrrpd/vrrpd.json

# A binary Debian package, built from a copy of the tree under
# $(BUILD)-deb/ (dpkg-buildpackage writes into the parent directory of the
# source, which must not be the one above this tree). Needs dpkg-dev and
# debhelper; `make check` does not.
DEB_DIR := $(BUILD)-deb
DEB_SRC := README.md Makefile debian etc kaconf lib man scripts systemd vrrpctl vrrpd yang
deb:
	@command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || \
		{ echo "make deb: needs dpkg-dev and debhelper (apt-get install dpkg-dev debhelper)" >&2; exit 1; }
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/src/vrrpd
	tar cf - --exclude=vrrpd/vrrpd --exclude=vrrpctl/vrrpctl $(DEB_SRC) | tar xf - -C $(DEB_DIR)/src/vrrpd
	cd $(DEB_DIR)/src/vrrpd && dpkg-buildpackage -b -us -uc -j2 >../build.log 2>&1 || \
		{ tail -40 ../build.log >&2; exit 1; }
	mv $(DEB_DIR)/src/*.deb $(DEB_DIR)/
	@ls -1 $(DEB_DIR)/*.deb

clean:
	rm -rf build build-asan build-clang build-fuzz build-deb vrrpd/vrrpd vrrpctl/vrrpctl

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
