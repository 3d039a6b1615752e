# kscreate - kickstart image creation suite
#
#   make deps      install every build, test and runtime dependency (Debian 12, root)
#   make           build the library, the tools and the unit tests into build/
#   make check     install dependencies, build, run every test (prove/TAP)
#   make check-fresh  run `make demo` and `make check` in a fresh Debian 12 root
#   make demo      build a bootable live ISO from config/demo-live.ks against a
#                  local fixture repository made here
#   make install   install the tools (PREFIX, DESTDIR)

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/kscreate
DESTDIR    ?=
CC         ?= gcc
BUILD      ?= build
FIXTURES   ?= /var/cache/kscreate-fixtures
SANITIZE   ?=

PKGS       := libsolv libsolvext rpm libcurl libisoburn-1 libarchive fdisk createrepo_c libxml-2.0 libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# (Debian's createrepo_c.pc has an empty libdir: drop the stray -L)
PKG_LIBS   := $(filter-out -L,$(shell pkg-config --libs $(PKGS) 2>/dev/null)) -lcrypt

CFLAGS     ?= -O2 -g
ifneq ($(SANITIZE),)
CFLAGS     += -fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS    += -fsanitize=address,undefined
endif
ALL_CFLAGS := -std=gnu17 -Wall -Wextra -Werror -D_FILE_OFFSET_BITS=64 \
              -DKSC_DATADIR='"$(DATADIR)"' -I. $(PKG_CFLAGS) $(CFLAGS)

LIB_SRCS   := $(sort $(wildcard core/base/*.c kickstart/*.c core/*.c imgtypes/*.c))
LIB_OBJS   := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB        := $(BUILD)/libkscreate.a
TOOL_SRCS  := $(sort $(wildcard tools/*.c))
TOOLS      := $(TOOL_SRCS:tools/%.c=$(BUILD)/%)
TOOL_LINKS := $(BUILD)/image-creator
UNIT_SRCS  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_TESTS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
# Helpers the unit tests share: every tests/unit/*.c that is not a test_*.c,
# in one archive linked into each unit test.
UNIT_HDRS  := $(wildcard tests/unit/*.h)
TESTHELP_SRCS := $(filter-out $(UNIT_SRCS),$(sort $(wildcard tests/unit/*.c)))
TESTHELP_OBJS := $(TESTHELP_SRCS:%.c=$(BUILD)/%.o)
TESTHELP   := $(BUILD)/tests/libtesthelp.a

# Debian packages: build, runtime, test
DEPS_BUILD := build-essential pkg-config python3 libsolv-dev libsolvext-dev librpm-dev \
              libcurl4-openssl-dev libarchive-dev libisoburn-dev libcrypt-dev \
              libfdisk-dev libcreaterepo-c-dev libssl-dev
DEPS_RUN   := e2fsprogs squashfs-tools mtools dosfstools util-linux rpm qemu-utils \
              xfsprogs btrfs-progs grub-common xz-utils
DEPS_TEST  := createrepo-c cpio zstd xz-utils gzip qemu-system-x86 ovmf grub-common \
              grub-efi-amd64-bin grub2-common syslinux-common isolinux busybox-static \
              dmsetup python3 perl clang libclang-rt-14-dev isomd5sum kmod file \
              libarchive-tools grub-pc-bin extlinux libvirt-clients libxml2-utils bmap-tools dnf gnupg \
              time xorriso debootstrap git
# (recursive: a feature area's mk/*.mk adds its packages with DEPS_TEST += ...)
DEPS        = $(sort $(DEPS_BUILD) $(DEPS_RUN) $(DEPS_TEST))

.PHONY: all deps check check-fresh unit integration demo install clean fixtures distclean bench

all: $(LIB) $(TOOLS) $(TOOL_LINKS) $(UNIT_TESTS) $(BUILD)/layers.ok

# The layer rules (docs/architecture.md): no include or symbol pointing to a
# higher layer, no circle between modules.  The build fails on a violation.
$(BUILD)/layers.ok: tests/arch/layers.py $(LIB) $(wildcard tools/*.c core/base/*.h kickstart/*.h core/*.h imgtypes/*.h)
	@python3 tests/arch/layers.py --objs $(BUILD) .
	@touch $@

$(BUILD)/%.o: %.c $(wildcard core/base/*.h kickstart/*.h core/*.h imgtypes/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%: tools/%.c $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(PKG_LIBS)

$(BUILD)/image-creator: $(BUILD)/livecd-creator
	ln -sf livecd-creator $@

$(TESTHELP_OBJS): $(UNIT_HDRS)

$(TESTHELP): $(TESTHELP_OBJS)
	@mkdir -p $(dir $@)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/%: tests/unit/%.c $(UNIT_HDRS) $(TESTHELP) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(TESTHELP) $(LIB) $(LDFLAGS) $(PKG_LIBS)

deps:
	@if dpkg-query -W -f='$${Status}\n' $(DEPS) 2>/dev/null | grep -vq '^install ok installed$$' \
	    || [ "$$(dpkg-query -W -f='$${Status}\n' $(DEPS) 2>/dev/null | wc -l)" -ne "$(words $(DEPS))" ]; then \
	    echo "Installing dependencies with apt-get"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	        --no-install-recommends $(DEPS); \
	else echo "All dependencies are installed"; fi

fixtures: all
	tests/fixtures/mkdistro.sh $(FIXTURES)/distro
	tests/fixtures/mksynth.sh $(FIXTURES)/synth

# The test suite: unit tests (also under ASan/UBSan) and integration tests,
# all TAP, run by one prove so the output ends with its summary.
check: deps
	$(MAKE) all
	$(MAKE) BUILD=build-asan SANITIZE=1 $(UNIT_TESTS:$(BUILD)/%=build-asan/%)
	$(MAKE) fixtures
	KSC_BUILD=$(abspath $(BUILD)) KSC_FIXTURES=$(FIXTURES) \
	    ASAN_OPTIONS=detect_leaks=1 \
	    prove -f $(UNIT_TESTS) $(UNIT_TESTS:$(BUILD)/%=build-asan/%) \
	    $(sort $(wildcard tests/integration/*.sh))

# The README's two commands on a fresh Debian 12 minbase root (debootstrap,
# cached as a tarball), with the current commit cloned under /root/project.
check-fresh: deps
	tests/fresh/check-fresh.sh

unit: all
	prove -f $(UNIT_TESTS)

demo: deps
	$(MAKE) all
	tests/fixtures/mkdistro.sh $(FIXTURES)/distro
	tools/demo.sh $(BUILD) $(FIXTURES)/distro

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)
	install -m 0755 $(TOOLS) $(DESTDIR)$(BINDIR)/
	ln -sf livecd-creator $(DESTDIR)$(BINDIR)/image-creator
	install -m 0644 config/*.in config/*.ks $(DESTDIR)$(DATADIR)/

clean:
	rm -rf $(BUILD) build-asan

# Benchmarks (not tests): each feature area adds its bench-* target in mk/.
bench: bench-pkg bench-live

# Feature areas add their own targets (e.g. fuzzing) in mk/*.mk.
-include $(sort $(wildcard mk/*.mk))

distclean: clean
	rm -rf $(FIXTURES)
