#!/bin/bash
# The layer rules (tests/arch/layers.py, docs/architecture.md) hold for the
# tree, and the check fails on a planted upward include, a planted include
# circle and a planted circle of calls between object files.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
command -v python3 >/dev/null || skip_all "no python3"
L=tests/arch/layers.py

T=$(mktemp -d /tmp/ksc-layers.XXXXXX)
trap 'rm -rf "$T"' EXIT

out=$(python3 $L --objs "$KSC_BUILD" . 2>&1); st=$?
ok $st "the tree has no upward dependency and no circle"
diag "$out"

copy() { rm -rf "$T/tree"; mkdir -p "$T/tree"; cp -r core kickstart imgtypes tools "$T/tree/"; }

copy
sed -i '0,/^#include "core\/base\/util.h"/s//#include "core\/base\/util.h"\n#include "kickstart\/ks.h"/' "$T/tree/core/base/strv.c"
out=$(python3 $L "$T/tree" 2>&1); st=$?
ok $([ $st -eq 1 ]; echo $?) "a planted upward include fails the check"
ok $(grep -q 'core/base/strv.c:[0-9]*: base includes "kickstart/ks.h" of kickstart, a higher layer' <<<"$out"; echo $?) \
    "  ... naming the file, the line and the layers"

copy
printf '#include "core/efiboot.h"\n' >>"$T/tree/core/bootcfg.h"
printf '#include "core/bootcfg.h"\n' >>"$T/tree/core/efiboot.h"
out=$(python3 $L "$T/tree" 2>&1); st=$?
ok $([ $st -eq 1 ]; echo $?) "a planted include circle fails the check"
ok $(grep -q 'circle between core/bootcfg, core/efiboot' <<<"$out"; echo $?) "  ... naming both modules"

copy
sed -i 's|^#include "core/base/strv.h"|#include "../base/strv.h"|' "$T/tree/core/creator.c"
out=$(python3 $L "$T/tree" 2>&1); st=$?
ok $([ $st -eq 1 ] && grep -q 'core/creator.c:[0-9]*: include "../base/strv.h" is relative' <<<"$out"; echo $?) \
    "a relative include fails the check"

# calls in a circle, seen only in the object files
copy
mkdir -p "$T/obj/core"
printf '#include "core/ping.h"\nint pong(int);\nint ping(int n) { return n ? pong(n - 1) : 0; }\n' >"$T/tree/core/ping.c"
printf 'int ping(int);\n' >"$T/tree/core/ping.h"
printf 'int ping(int);\nint pong(int n) { return n ? ping(n - 1) : 1; }\n' >"$T/tree/core/pong.c"
gcc -c -I"$T/tree" -o "$T/obj/core/ping.o" "$T/tree/core/ping.c" &&
    gcc -c -I"$T/tree" -o "$T/obj/core/pong.o" "$T/tree/core/pong.c"
ok $? "  (compiled two modules that call each other)"
out=$(python3 $L "$T/tree" 2>&1); st=$?
ok $st "without the object files the circle is invisible"
out=$(python3 $L --objs "$T/obj" "$T/tree" 2>&1); st=$?
ok $([ $st -eq 1 ] && grep -q 'circle between core/ping, core/pong: .*pong.o uses ping of core/ping.o' <<<"$out"; echo $?) \
    "a planted circle of calls fails the check, naming the symbols"

# a domain object calling up into an image type
mkdir -p "$T/obj/imgtypes"
printf 'int backend_hook(void) { return 1; }\n' >"$T/tree/imgtypes/hook.c"
printf 'int backend_hook(void);\nint domain_calls(void) { return backend_hook(); }\n' >"$T/tree/core/calls.c"
rm -f "$T/tree/core/pong.c" "$T/obj/core/pong.o" "$T/obj/core/ping.o"
gcc -c -o "$T/obj/imgtypes/hook.o" "$T/tree/imgtypes/hook.c" && gcc -c -o "$T/obj/core/calls.o" "$T/tree/core/calls.c"
out=$(python3 $L --objs "$T/obj" "$T/tree" 2>&1); st=$?
ok $([ $st -eq 1 ] && grep -q 'core/calls.c: domain uses backend_hook of imgtypes/hook.c (imgtypes), a higher layer' <<<"$out"; echo $?) \
    "a call from the domain up into an image type fails the check"
tap_done
