#!/bin/bash
# livecd-creator -b/--base-on without -l: the base ISO's root file system is
# the start and the kickstart's %packages are installed into it, as upstream
# does with dnf (`dnf --installroot ROOT install ...`): what is installed
# stays (its rpmdb is read), only the new packages are installed.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
need_root
LC=$KSC_BUILD/livecd-creator
[ -x "$LC" ] || skip_all "livecd-creator not built"
REPO=$(fixture_distro) || skip_all "cannot build the fixture repository"
[ -f "$REPO"/Packages/fixture-installer-1-1.fixture.noarch.rpm ] ||
    skip_all "the fixture repository has no fixture-installer"
LC=$(readlink -f "$LC")
for t in bsdtar unsquashfs debugfs rpm; do
    command -v $t >/dev/null || skip_all "$t not installed"
done

T=$(mktemp -d /var/tmp/ksc-base-on.XXXXXX); chmod 0755 "$T"
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
W=$T/work; mkdir -p "$W"
before=$(host_state "$W")

ks() {   # ks FILE MARKER [extra package]: a small live kickstart
    fixture_live_ks "$REPO" ${3:-} %end "" %post "echo $2 > /etc/$2-marker" %end >"$1"
}
build() {   # build NAME KS [options]: builds T/NAME/NAME.iso, output in T/NAME.out
    local name=$1 ksf=$2; shift 2
    local t0; t0=$(date +%s.%N)
    "$LC" -c "$ksf" -f "$name" --compression-type zstd --skip-minimize -t "$W" -o "$T/$name" \
        --cache "$T/cache" --logfile "$T/$name.log" "$@" >"$T/$name.out" 2>&1 </dev/null
    local st=$?
    secs=$(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $t0}")
    return $st
}
# rootfs NAME: LiveOS/squashfs.img -> LiveOS/rootfs.img at T/NAME.img; its
# rpmdb dumped to T/NAME.db (debugfs: no mount)
rootfs() {
    local d=$T/$1.x
    rm -rf "$d" "$T/$1.db" && mkdir -p "$d" "$T/$1.db" &&
        bsdtar -xOf "$T/$1/$1.iso" LiveOS/squashfs.img >"$d/sq.img" 2>/dev/null &&
        unsquashfs -n -d "$d/tree" "$d/sq.img" >/dev/null &&
        mv "$d/tree/LiveOS/rootfs.img" "$T/$1.img" && rm -rf "$d" &&
        debugfs -R "rdump /usr/lib/sysimage/rpm $T/$1.db" "$T/$1.img" >/dev/null 2>&1
}
qa() { rpm --dbpath "$T/$1.db/rpm" -qa --qf '%{NEVRA}\n' 2>/dev/null | sort; }
cat_in() { debugfs -R "cat $2" "$T/$1.img" 2>/dev/null; }

# ---- the base: without fixture-installer
ks "$T/base.ks" base
build BASE "$T/base.ks"
st=$?
ok $st "base ISO without fixture-installer ($secs s)"
[ $st -eq 0 ] || { diag "$(tail -n 20 "$T/BASE.out")"; tap_done; exit; }
rootfs BASE
ok $? "base ISO: root file system and rpmdb extracted"
qa BASE >"$T/base.qa"
nbase=$(wc -l <"$T/base.qa")
ok $([ "$nbase" -ge 8 ] && ! grep -q '^fixture-installer-' "$T/base.qa"; echo $?) \
   "base image: $nbase packages, fixture-installer not among them"

# ---- -b BASE.iso adding fixture-installer, no -l: installed into the base root
ks "$T/add.ks" added fixture-installer
build ADDED "$T/add.ks" -b "$T/BASE/BASE.iso"
st=$?
ok $st "--base-on without -l, one package more ($secs s)"
[ $st -eq 0 ] || diag "$(tail -n 20 "$T/ADDED.out")"
ok $(grep -q "$nbase packages already installed in" "$T/ADDED.out"; echo $?) \
   "the base root's rpmdb is read ($nbase packages already installed)"
ok $(grep -q "^\(INFO: \)\?1 packages to install" "$T/ADDED.out"; echo $?) \
   "only the new package is to be installed: $(grep -o '[0-9]* packages to install' "$T/ADDED.out")"
ok $(! grep -q "already installed$" "$T/ADDED.log"; echo $?) "no 'package X is already installed' from rpm"
rootfs ADDED
ok $? "new ISO: root file system and rpmdb extracted"
qa ADDED >"$T/added.qa"
ok $(grep -q '^fixture-installer-1-1.fixture.noarch$' "$T/added.qa"; echo $?) \
   "the new package is in the new image's rpmdb"
ok $(cat_in ADDED /usr/sbin/anaconda | grep -q . ; echo $?) "... and its files are in the image"
ok $(diff <(grep -v '^fixture-installer-' "$T/added.qa") "$T/base.qa" >/dev/null; echo $?) \
   "the base's packages are all there, each once, same versions"
ok $(cat_in ADDED /etc/base-marker | grep -qx base; echo $?) "the base's file (its %post marker) is still there"
ok $(cat_in ADDED /etc/added-marker | grep -qx added; echo $?) "the new kickstart's %post ran"

# ---- nothing new: every package already installed
build SAME "$T/base.ks" -b "$T/BASE/BASE.iso"
st=$?
ok $st "--base-on with nothing to install ($secs s)"
[ $st -eq 0 ] || diag "$(tail -n 20 "$T/SAME.out")"
ok $(grep -q "^\(INFO: \)\?0 packages to install" "$T/SAME.out"; echo $?) "0 packages to install"
rootfs SAME && qa SAME >"$T/same.qa"
ok $(diff "$T/same.qa" "$T/base.qa" >/dev/null; echo $?) "the rpmdb is the base's"

after=$(host_state "$W")
ok $([ "$before" = "$after" ]; echo $?) "no mounts, loop devices, temp dirs or processes left behind"
[ "$before" = "$after" ] || diag "$(diff <(echo "$before") <(echo "$after"))"
tap_done
