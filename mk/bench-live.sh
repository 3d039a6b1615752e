#!/bin/bash
# bench-live.sh BUILD FIXTURES: the live ISO build against its floors (issue 6).
#   squashfs stage  vs bare `mksquashfs` on the same tree with the same settings
#   ISO stage       vs bare `xorriso` (the CLI) with the same arguments
#   whole build     vs the sum of those floors and the rpm install floor
#                   (`rpm -i` of the same packages into an empty root)
#   upstream        (when BENCH_PEER is set) the real livecd-creator at identical
#                   settings, alternating with ours
# One livecd-creator run with --nocleanup keeps the inputs for the bare runs.
# The image is the bootable fixture distribution plus BENCH_MB megabytes
# (default 500, the size the issue's livecd-creator figures are for) of real
# host files packaged as rpms (tests/fixtures/mklivebench.sh); BENCH_MB=0 for
# the fixture distribution alone (86 MB, where fixed costs dominate).
# Env: BENCH_COMP (default xz), BENCH_SIZE (root MiB, default 1024 + 2 x
# BENCH_MB), BENCH_REPEAT (default 3: every figure is the best of that many
# rounds, against the noise of a shared machine), BENCH_PEER (a command that
# runs upstream livecd-creator, e.g. a wrapper that sets PYTHONPATH; nothing of
# it is part of this project) and BENCH_PEER_ARGS (extra options given to both
# in the comparison, e.g. --skip-minimize where the peer needs device-mapper
# to minimize and the host has none).
set -eu
BUILD=${1:-build}; FIX=${2:-/var/cache/kscreate-fixtures}
SRC=$(cd "$(dirname "$0")/.." && pwd)
LC=$(readlink -f "$BUILD/livecd-creator")
MB=${BENCH_MB:-500}
COMP=${BENCH_COMP:-xz}; SIZE=${BENCH_SIZE:-$((1024 + 2 * MB))}; REPEAT=${BENCH_REPEAT:-3}
PEER=${BENCH_PEER:-}; PEER_ARGS=${BENCH_PEER_ARGS:-}
command -v xorriso >/dev/null || { echo "bench-live: the xorriso CLI is needed (apt-get install xorriso)" >&2; exit 2; }
REPO=$("$SRC/tests/fixtures/mkdistro.sh" "$FIX/distro" >&2 && echo "$FIX/distro")
EXTRA_REPO= EXTRA_PKGS=
if [ "$MB" -gt 0 ]; then
    "$SRC/tests/fixtures/mklivebench.sh" "$FIX/livebench" "$MB" >&2
    EXTRA_REPO="repo --name=livebench --baseurl=file://$FIX/livebench"
    EXTRA_PKGS="livebench-*"
fi
T=$(mktemp -d /var/tmp/ksc-bench-live.XXXXXX)
trap 'rm -rf "$T"' EXIT
cat >"$T/bench.ks" <<EOK
lang en_US.UTF-8
timezone UTC --utc
rootpw --plaintext bench
bootloader --timeout=1 --append="console=ttyS0"
part / --size $SIZE --fstype ext4
repo --name=fixture --baseurl=file://$REPO
$EXTRA_REPO
%packages
@core
kernel
dracut
syslinux
grub2-efi-x64
grub2-pc
$EXTRA_PKGS
%end
EOK
now() { date +%s.%N; }
min() { awk -v a="$1" -v b="$2" 'BEGIN{print (b == "" || a < b) ? a : b}'; }
m_build= m_sq= m_iso= m_inst= m_sq_bare= m_iso_bare= m_md5_bare= m_rpm=
for round in $(seq 1 "$REPEAT"); do
    t0=$(now)
    KSC_DATADIR=$SRC/config "$LC" -c "$T/bench.ks" -f BENCH -t "$T" -o "$T/out" --cache "$T/cache" \
        --compression-type "$COMP" --nocleanup --resultdir "$T/res" -v --logfile "$T/build.log" >/dev/null
    t_build=$(awk "BEGIN{print $(now) - $t0}")
    W=$(ls -d "$T"/kscreate-*)
    get() { python3 -c "import json,sys; print(json.load(open('$T/res/timings.json'))['$1'])"; }
    t_sq=$(get squashfs); t_iso=$(get iso); t_inst=$(get install)

    # bare mksquashfs, same tree and settings (the rootfs.img kept by --nocleanup)
    t0=$(now)
    mksquashfs "$W/squashfs-root" "$T/bare.sqfs" -noappend -no-recovery -processors "$(nproc)" -no-progress \
        -comp ${COMP%% *} >/dev/null
    t_sq_bare=$(awk "BEGIN{print $(now) - $t0}")

    # bare xorriso with the arguments kscreate logged (without the media check)
    args=$(grep -o 'writing ISO: xorriso .*' "$T/build.log" | head -n 1 | sed 's/^writing ISO: xorriso //')
    eval "set -- $args"
    out=(); skip=0
    for a in "$@"; do
        if [ $skip = 1 ]; then out+=("$T/bare.iso"); skip=0; continue; fi
        [ "$a" = "-o" ] && skip=1
        out+=("$a")
    done
    t0=$(now)
    xorriso "${out[@]}" >/dev/null 2>&1
    t_iso_bare=$(awk "BEGIN{print $(now) - $t0}")
    t0=$(now)
    implantisomd5 "$T/bare.iso" >/dev/null 2>&1 || true
    t_md5_bare=$(awk "BEGIN{print $(now) - $t0}")

    # rpm install floor: the same packages, one transaction with their scriptlets
    # (the kernel's %posttrans makes the initramfs), empty root
    mkdir -p "$T/rpmroot"
    t0=$(now)
    rpm --root "$T/rpmroot" --dbpath /usr/lib/sysimage/rpm -i \
        $(find "$T/cache" -name '*.rpm') >/dev/null 2>&1 || true
    t_rpm=$(awk "BEGIN{print $(now) - $t0}")


    m_build=$(min "$t_build" "$m_build"); m_sq=$(min "$t_sq" "$m_sq"); m_iso=$(min "$t_iso" "$m_iso")
    m_inst=$(min "$t_inst" "$m_inst"); m_sq_bare=$(min "$t_sq_bare" "$m_sq_bare")
    m_iso_bare=$(min "$t_iso_bare" "$m_iso_bare"); m_md5_bare=$(min "$t_md5_bare" "$m_md5_bare")
    m_rpm=$(min "$t_rpm" "$m_rpm")
    rm -rf "$W" "$T/out" "$T/res" "$T/rpmroot" "$T/bare.sqfs" "$T/bare.iso" "$T/build.log"

    if [ -n "$PEER" ]; then
        # identical settings, the order alternating between rounds
        run_ours() {
            t0=$(now)
            KSC_DATADIR=$SRC/config "$LC" -c "$T/bench.ks" -f BENCH -t "$T" -o "$T/o-ours" --cache "$T/cache" \
                --compression-type "$COMP" $PEER_ARGS >"$T/ours.log" 2>&1
            t_ours=$(awk "BEGIN{print $(now) - $t0}")
        }
        run_peer() {
            mkdir -p "$T/o-peer"
            t0=$(now)
            (cd "$T/o-peer" && $PEER -c "$T/bench.ks" -f BENCH -t "$T" --cache "$T/peer-cache" \
                --compression-type "$COMP" $PEER_ARGS >"$T/peer.log" 2>&1) ||
                { echo "bench-live: the peer failed:" >&2; tail -n 20 "$T/peer.log" >&2; exit 1; }
            t_peer=$(awk "BEGIN{print $(now) - $t0}")
        }
        if [ $((round % 2)) = 1 ]; then run_ours; run_peer; else run_peer; run_ours; fi
        m_ours=$(min "$t_ours" "${m_ours:-}"); m_peer=$(min "$t_peer" "${m_peer:-}")
        rm -rf "$T/o-ours" "$T/o-peer"
    fi
done
t_build=$m_build t_sq=$m_sq t_iso=$m_iso t_inst=$m_inst t_sq_bare=$m_sq_bare
t_iso_bare=$m_iso_bare t_md5_bare=$m_md5_bare t_rpm=$m_rpm
floor=$(awk "BEGIN{print $t_sq_bare + $t_iso_bare + $t_rpm}")
printf '%-34s %8s %8s %7s\n' "stage ($COMP, ${SIZE} MiB, +${MB} MB, best of $REPEAT)" "kscreate" "floor" "ratio"
r() { awk "BEGIN{printf \"%-34s %7.2fs %7.2fs %6.3fx\n\", \"$1\", $2, $3, ($3 > 0 ? $2 / $3 : 0)}"; }
r "squashfs vs bare mksquashfs" "$t_sq" "$t_sq_bare"
r "ISO (incl. media check) vs xorriso" "$t_iso" "$t_iso_bare"
r "ISO vs xorriso + implantisomd5" "$t_iso" "$(awk "BEGIN{print $t_iso_bare + $t_md5_bare}")"
r "install vs rpm -i (with scriptlets)" "$t_inst" "$t_rpm"
r "whole build vs sum of floors" "$t_build" "$floor"
if [ -n "$PEER" ]; then
    r "ours vs upstream livecd-creator" "$m_ours" "$m_peer"
    echo "(identical settings: --compression-type $COMP $PEER_ARGS)"
fi
