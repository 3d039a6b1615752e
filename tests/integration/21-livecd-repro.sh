#!/bin/bash
# Reproducible live ISOs: with SOURCE_DATE_EPOCH set, two builds of the same
# kickstart against the same repository (different work directories, at
# different times) give bit-identical ISOs, CHECKSUM files and manifests.
#
# The fixture's dracut stand-in honours reproducible=yes (which kscreate
# writes into 99-liveos.conf) as real dracut does.
# Plain-text passwords get a salt derived from SOURCE_DATE_EPOCH, so rootpw
# --plaintext and bootloader --password are part of what must be identical.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
need_root
LC=$KSC_BUILD/livecd-creator
[ -x "$LC" ] || skip_all "livecd-creator not built"

# The fixture's dracut stand-in writes a deterministic cpio with
# reproducible=yes (sorted names, inodes 1..n, mtimes = SOURCE_DATE_EPOCH).
REPO=$(fixture_distro) || skip_all "cannot build the fixture repository"

T=$(mktemp -d /var/tmp/ksc-live-repro.XXXXXX)
trap 'rm -rf "$T"' EXIT
cat >"$T/repro.ks" <<EOF
lang en_US.UTF-8
timezone UTC --utc
rootpw --plaintext repro-pass
user --name=repro --password=repro-user --plaintext
bootloader --timeout=1 --append="console=ttyS0 quiet"
part / --size 256 --fstype ext4
repo --name=fixture --baseurl=file://$REPO
%packages
@core
kernel
dracut
syslinux
grub2-efi-x64
grub2-pc
%end
%post
echo "made in %post" > /etc/build-marker
%end
EOF
export SOURCE_DATE_EPOCH=1700000000
for i in 1 2; do
    mkdir -p "$T/w$i"
    t0=$(date +%s.%N)
    "$LC" -c "$T/repro.ks" -f REPRO-LIVE -t "$T/w$i" -o "$T/o$i" --resultdir "$T/r$i" \
        --compression-type zstd --logfile "$T/b$i.log" >"$T/b$i.out" 2>&1
    st=$?
    ok $st "build $i with SOURCE_DATE_EPOCH ($(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $t0}") s)"
    [ $st -eq 0 ] || diag "$(tail -n 20 "$T/b$i.out")"
    sleep 1
done
ok $(cmp -s "$T/o1/REPRO-LIVE.iso" "$T/o2/REPRO-LIVE.iso"; echo $?) "the two ISOs are bit-identical"
if ! cmp -s "$T/o1/REPRO-LIVE.iso" "$T/o2/REPRO-LIVE.iso"; then
    for i in 1 2; do mkdir -p "$T/x$i" && bsdtar -xf "$T/o$i/REPRO-LIVE.iso" -C "$T/x$i"; done
    diag "$(cd "$T/x1" && find . -type f | while read -r f; do cmp -s "$f" "../x2/$f" || echo "differs: $f"; done)"
fi
ok $(cmp -s "$T/o1/REPRO-LIVE-CHECKSUM" "$T/o2/REPRO-LIVE-CHECKSUM"; echo $?) "identical CHECKSUM files"
for f in REPRO-LIVE.iso.manifest REPRO-LIVE.rpm-manifest REPRO-LIVE.spdx.json; do
    ok $(cmp -s "$T/r1/$f" "$T/r2/$f"; echo $?) "identical $f"
done
ok $(diff <(grep -v '"timings"\|total_seconds' "$T/r1/result.json") <(grep -v '"timings"\|total_seconds' "$T/r2/result.json") >/dev/null; echo $?) \
   "identical result.json (apart from timings)"
cdate=$(dd if="$T/o1/REPRO-LIVE.iso" bs=1 skip=$((16 * 2048 + 813)) count=14 2>/dev/null)
ok $([ "$cdate" = "20231114221320" ]; echo $?) "volume creation date is SOURCE_DATE_EPOCH ($cdate)"
ok $(checkisomd5 "$T/o1/REPRO-LIVE.iso" >/dev/null 2>&1; echo $?) "checkisomd5 passes"
bsdtar -xOf "$T/o1/REPRO-LIVE.iso" LiveOS/squashfs.img >"$T/sq.img"
unsquashfs -n -d "$T/sq" "$T/sq.img" >/dev/null 2>&1
ok $(e2fsck -fn "$T/sq/LiveOS/rootfs.img" >/dev/null 2>&1; echo $?) "the rebuilt root file system is clean (e2fsck -fn)"
uuid=$(dumpe2fs -h "$T/sq/LiveOS/rootfs.img" 2>/dev/null | awk '/UUID/{print $3; exit}')
ok $([ -n "$uuid" ]; echo $?) "root file system UUID derived from SOURCE_DATE_EPOCH ($uuid)"
tap_done
