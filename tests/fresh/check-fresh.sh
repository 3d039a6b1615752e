#!/bin/bash
# check-fresh.sh - run the README's two set-up commands on a fresh Debian 12.
#
# Builds (once, cached as a tarball) a minimal Debian 12 root with debootstrap
# --variant=minbase plus git and make, clones the current commit into it under
# /root/project, binds /dev, /proc and /sys, and runs `make demo` and
# `make check` there as root, the way a new user on a fresh machine would.
# Reports each command's status and time; exits 0 only when both pass and the
# host is left as it was found (no mount, no loop device left behind).
#
#   KSC_FRESH_CACHE  where the tarball lives (default /var/cache/kscreate-fresh)
#   KSC_FRESH_MIRROR Debian mirror (default: the host's, else deb.debian.org)
#   KSC_FRESH_KEEP=1 keep the root afterwards (default: removed)
#   KSC_FRESH_CMDS   the commands to run (default "make demo;make check")
set -uo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${KSC_FRESH_CACHE:-/var/cache/kscreate-fresh}
SUITE=bookworm
TARBALL=$CACHE/debian12-minbase-$(dpkg --print-architecture).tar.gz
CMDS=${KSC_FRESH_CMDS:-make demo;make check}

die() { echo "check-fresh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root"
command -v debootstrap >/dev/null || die "debootstrap is missing (make deps installs it)"
command -v unshare >/dev/null || die "unshare is missing"

mirror=${KSC_FRESH_MIRROR:-}
if [ -z "$mirror" ]; then
    mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)\/*$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
    [ -n "$mirror" ] || mirror=$(awk '$1=="deb" && $2 ~ /^http/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
    [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
fi

# ---- the cached minimal root
if [ ! -s "$TARBALL" ]; then
    mkdir -p "$CACHE" || die "cannot create $CACHE"
    build=$(mktemp -d "$CACHE/root.XXXXXX") || die "mktemp failed"
    echo "==> debootstrap --variant=minbase $SUITE ($mirror)"
    t0=$SECONDS
    if ! debootstrap --variant=minbase --include=git,make "$SUITE" "$build" "$mirror" \
            >"$CACHE/debootstrap.log" 2>&1; then
        tail -20 "$CACHE/debootstrap.log" >&2
        rm -rf --one-file-system "$build"
        die "debootstrap failed (log: $CACHE/debootstrap.log)"
    fi
    rm -rf "$build"/var/cache/apt/archives/*.deb "$build"/var/lib/apt/lists/*
    tar -C "$build" -czf "$TARBALL.tmp" . && mv "$TARBALL.tmp" "$TARBALL" \
        || { rm -rf --one-file-system "$build" "$TARBALL.tmp"; die "cannot write $TARBALL"; }
    rm -rf --one-file-system "$build"
    echo "    made in $((SECONDS - t0)) s"
fi
echo "==> cached root: $TARBALL ($(du -h "$TARBALL" | cut -f1))"

# ---- a fresh copy of it, with the current commit cloned under /root
ROOT=$(mktemp -d /var/tmp/ksc-fresh.XXXXXX) || die "mktemp failed"
chmod 0755 "$ROOT"   # it is /, as on a real machine (mktemp makes it 0700)
LOGDIR=$ROOT.logs
mkdir -p "$LOGDIR"
loops_before=$(losetup -n -O NAME 2>/dev/null | sort)
cleanup() {
    if [ "${KSC_FRESH_KEEP:-0}" = 1 ]; then echo "==> kept $ROOT"; return; fi
    # the mounts were made in a private namespace: they are gone with it
    if grep -q " $ROOT" /proc/self/mounts; then
        echo "check-fresh: mounts under $ROOT remain; not removing it" >&2
    else
        rm -rf --one-file-system "$ROOT"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tar -C "$ROOT" -xzf "$TARBALL" || die "cannot unpack $TARBALL"
head=$(git -C "$SRC" rev-parse HEAD) || die "$SRC is not a git checkout"
git clone -q --no-hardlinks "$SRC" "$ROOT/root/project" || die "git clone failed"
git -C "$ROOT/root/project" checkout -q "$head" || die "cannot check out $head"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
echo "==> commit $(git -C "$SRC" log -1 --format='%h %s' | cut -c1-70)"
if [ -n "$(git -C "$SRC" status --porcelain --untracked-files=no)" ]; then
    echo "    (uncommitted changes in $SRC are not part of the run)"
fi

# ---- run each command in the root, in a mount namespace of its own
fail=0
summary=()
IFS=';' read -ra cmds <<<"$CMDS"
i=0
for cmd in "${cmds[@]}"; do
    i=$((i + 1))
    log=$LOGDIR/$i.log
    echo "==> [$i] $cmd (log: $log)"
    t0=$(date +%s.%N)
    unshare --mount --propagation private /bin/bash -c '
        set -e
        R=$1; shift
        mount --rbind /dev "$R/dev"
        mount -t proc proc "$R/proc"
        mount --rbind /sys "$R/sys"
        mount -t tmpfs tmpfs "$R/run"
        exec chroot "$R" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
            PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            /bin/bash -c "cd /root/project && $1"
    ' check-fresh "$ROOT" "$cmd" >"$log" 2>&1 </dev/null
    st=$?
    secs=$(awk "BEGIN{printf \"%.0f\", $(date +%s.%N) - $t0}")
    if [ $st -eq 0 ]; then r=ok; else r="FAILED (exit $st)"; fail=1; tail -30 "$log" | sed 's/^/    | /'; fi
    summary+=("$(printf '%-12s %-18s %5s s' "$cmd" "$r" "$secs")")
    tail -3 "$log" | sed 's/^/    /'
done

# ---- the host is as it was
loops_after=$(losetup -n -O NAME 2>/dev/null | sort)
if grep -q " $ROOT" /proc/self/mounts; then
    summary+=("host         FAILED: mounts left under $ROOT"); fail=1
fi
if [ "$loops_before" != "$loops_after" ]; then
    summary+=("host         FAILED: loop devices left: $(comm -13 <(echo "$loops_before") <(echo "$loops_after") | tr '\n' ' ')")
    fail=1
fi

echo "==> summary (fresh Debian 12 minbase, checkout at /root/project)"
printf '    %s\n' "${summary[@]}"
echo "    cached root $(du -h "$TARBALL" | cut -f1); logs in $LOGDIR"
if [ $fail -eq 0 ]; then echo "check-fresh: passed"; else echo "check-fresh: failed"; fi
exit $fail
