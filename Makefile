# vrrpd — one entry point: all, demo, check, unit, lab, asan, bench, install, clean.
# Objects go under $(BUILD)/; the programs are placed at vrrpd/vrrpd and
# vrrpctl/vrrpctl (the ASan/UBSan variant stays under build-asan/).

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
PYTHON  ?= /usr/bin/python3

PKGS    := libyang libnl-3.0 libnl-route-3.0 json-c
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)
CTL_LIBS   := $(shell pkg-config --libs json-c 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
CFLAGS  ?= -O2 -g
# Folders that hold headers: lib/ (shared by every program), kaconf/ (the
# keepalived importer), and the daemon's vrrpd/ with its parts.
INCLUDES := -Ilib -Ikaconf -Ivrrpd -Ivrrpd/vrrp -Ivrrpd/net -Ivrrpd/ctl
ALL_CFLAGS := -std=gnu11 $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -D_GNU_SOURCE \
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

.PHONY: all build demo check unit lab asan clang bench install clean deps
all: build
	@if [ "$(BUILD)" = build ]; then cp -f $(DAEMON) vrrpd/vrrpd; cp -f $(CTL) vrrpctl/vrrpctl; fi

build: $(DAEMON) $(CTL) $(UNIT_BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The YANG module is compiled into the daemon so it never depends on an
# installed path; yang/vrrpd.yang stays the single source.
$(BUILD)/gen/yang_module.c: yang/vrrpd.yang scripts/embed-yang.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-yang.sh $< > $@

$(BUILD)/gen/yang_module.o: $(BUILD)/gen/yang_module.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# vrrpctl's option table is generated from the YANG module by a small
# libyang program run at build time; only the generator links libyang.
GEN_CLI := $(BUILD)/gen/gen-cli-opts
$(GEN_CLI): scripts/gen-cli-opts.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(shell pkg-config --libs libyang)

$(BUILD)/gen/cli_opts.inc: yang/vrrpd.yang $(GEN_CLI)
	$(GEN_CLI) $< > $@.tmp && mv $@.tmp $@

$(BUILD)/vrrpctl/commands.o $(BUILD)/tests/unit/test_commands.o: $(BUILD)/gen/cli_opts.inc

# The same keywords for the configuration line renderer in lib/ (shared by
# the daemon's candidate.compare and vrrpctl's show running-config).
$(BUILD)/gen/cfg_keywords.inc: yang/vrrpd.yang $(GEN_CLI)
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

lab: all
	cd tests/lab && $(PYTHON) -m pytest -q -ra $(PYTEST_ARGS)

check: deps
	$(MAKE) all
	$(MAKE) clang
	$(MAKE) unit
	$(MAKE) lab

demo: deps
	$(MAKE) all
	sh scripts/demo.sh

bench: deps
	$(MAKE) all
	sh bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8 \
		$(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man7 \
		$(DESTDIR)$(PREFIX)/share/vrrpd/yang
	install -m 0755 vrrpd/vrrpd vrrpctl/vrrpctl $(DESTDIR)$(PREFIX)/sbin/
	install -m 0644 man/*.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 0644 man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 0644 man/*.7 $(DESTDIR)$(PREFIX)/share/man/man7/
	install -m 0644 yang/vrrpd.yang $(DESTDIR)$(PREFIX)/share/vrrpd/yang/

clean:
	rm -rf build build-asan build-clang vrrpd/vrrpd vrrpctl/vrrpctl

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
