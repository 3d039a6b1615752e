#!/bin/bash
# image-creator loop images of each root filesystem type (ext4, xfs, btrfs):
# the image mounts and holds the installed packages; label from the kickstart.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
need_root
IC=$KSC_BUILD/image-creator
[ -x "$IC" ] || skip_all "image-creator not built"
REPO=$(fixture_distro) || skip_all "cannot build the fixture repository"

T=$(mktemp -d /tmp/ksc-loopfs.XXXXXX)
M=$T/mnt
trap 'mountpoint -q "$M" && umount "$M"; rm -rf "$T"' EXIT
W=$T/work; mkdir -p "$W" "$T/out" "$M"
# only what belongs to this test (other builds may run on the machine meanwhile)
my_state() { host_state "$W" | grep -F -- "$T" || true; }
before=$(my_state)

for fs in ext4 xfs btrfs; do
    if ! command -v "mkfs.$fs" >/dev/null; then
        ok 1 "mkfs.$fs available (make deps)"
        continue
    fi
    # xfs needs at least 300 MiB
    cat > "$T/$fs.ks" <<KS
repo --name=fixture --baseurl=file://$REPO
part / --size 320 --fstype $fs --label KSC$fs
%packages
@core
%end
%post
echo $fs > /etc/kscreate-fstype
%end
KS
    t0=$SECONDS
    out=$("$IC" -c "$T/$fs.ks" -n "img-$fs" -t "$W" -o "$T/out" --cache "$T/cache" 2>&1); st=$?
    ok $st "$fs: image-creator exits 0 ($((SECONDS - t0))s)"
    [ $st -eq 0 ] || diag "$(tail -n 20 <<<"$out")"
    IMG=$T/out/img-$fs.img
    ok $([ "$(blkid -p -o value -s TYPE "$IMG" 2>/dev/null)" = "$fs" ]; echo $?) "$fs: the image is $fs"
    ok $([ "$(blkid -p -o value -s LABEL "$IMG" 2>/dev/null)" = "KSC$fs" ]; echo $?) "$fs: label from part --label"
    if mount -o loop,ro -t "$fs" "$IMG" "$M" 2>/dev/null; then
        ok 0 "$fs: image mounts"
        ok $([ -x "$M/usr/bin/busybox" ] && [ -f "$M/etc/fixture-release" ]; echo $?) "$fs: installed package files present"
        ok $([ -d "$M/usr/lib/sysimage/rpm" ] && [ -n "$(ls -A "$M/usr/lib/sysimage/rpm")" ]; echo $?) \
            "$fs: rpm database in /usr/lib/sysimage/rpm"
        ok $([ "$(cat "$M/etc/kscreate-fstype" 2>/dev/null)" = "$fs" ]; echo $?) "$fs: %post ran"
        ok $(grep -Eq "^LABEL=KSC$fs +/ +$fs " "$M/etc/fstab"; echo $?) "$fs: fstab names the root"
        umount "$M"
    else
        ok 1 "$fs: image mounts"
    fi
    rm -f "$IMG"
done

after=$(my_state)
ok $([ "$before" = "$after" ]; echo $?) "nothing left behind"
[ "$before" = "$after" ] || diag "$(diff <(echo "$before") <(echo "$after"))"
tap_done
