#!/bin/bash
# livecd-creator compatibility: Koji's exact call, exit codes, and the effect of
# every option (issue 6).  Builds a handful of small ISOs (no boots: see
# 21-livecd-boot.sh) against the fixture distribution.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
need_root
LC=$KSC_BUILD/livecd-creator
[ -x "$LC" ] || skip_all "livecd-creator not built"
REPO=$(fixture_distro) || skip_all "cannot build the fixture repository"
LC=$(readlink -f "$LC")

T=$(mktemp -d /var/tmp/ksc-live-opts.XXXXXX); chmod 0755 "$T"
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
W=$T/work; mkdir -p "$W"
before=$(host_state "$W")

ks() {   # ks FILE [extra %post line] : a small live kickstart
    cat >"$1" <<EOK
lang en_US.UTF-8
timezone UTC --utc
rootpw --plaintext kscreate-test
bootloader --timeout=1 --append="console=ttyS0 quiet"
part / --size 256 --fstype ext4
repo --name=fixture --baseurl=${BASEURL:-file://$REPO}

%packages
@core
kernel
dracut
${NOSYSLINUX:-syslinux}
${NOMD5:-isomd5sum}
grub2-efi-x64
grub2-efi-x64-cdboot
grub2-pc
%end

%post
echo "${2:-plain}" > /etc/build-marker
%end
EOK
}
rc() { "$@" >"$T/out" 2>"$T/err" </dev/null; echo $?; }
sqfs_comp() { bsdtar -xOf "$1" LiveOS/squashfs.img >"$T/sq.img" && unsquashfs -s "$T/sq.img" 2>/dev/null; }

ks "$T/live.ks" koji
printf 'lang C\n%%packages\n@core\n%%end\n' >"$T/norepo.ks"
printf 'lang C\nbogus-command\n' >"$T/bad.ks"

# ---- exit codes as upstream (optparse usage errors: 2; build errors: 1)
is_rc() { ok $([ "$1" = "$2" ]; echo $?) "$3 (exit $1)"; }
is_rc "$(rc "$LC")" 2 "no kickstart: usage error"
is_rc "$(rc "$LC" -c "$T/nope.ks")" 2 "missing kickstart file"
is_rc "$(rc "$LC" -c "$T/live.ks" -f ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456)" 2 "label of 33 characters"
is_rc "$(rc "$LC" -c "$T/live.ks" -f "A B")" 2 "label with a space"
is_rc "$(rc "$LC" -c "$T/live.ks" --image-type floppy)" 2 "unknown --image-type"
is_rc "$(rc "$LC" -c "$T/live.ks" --pkgverify-level maybe)" 2 "invalid --pkgverify-level choice"
is_rc "$(rc "$LC" -c "$T/live.ks" -b "$T/none.iso")" 2 "--base-on of a missing file"
is_rc "$(rc "$LC" -c "$T/live.ks" extra1 extra2)" 2 "extra arguments"
is_rc "$(rc "$LC" --no-such-option)" 2 "unknown option"
is_rc "$(rc "$LC" --help)" 0 "--help"
ok $(grep -q -- "--flat-squashfs" "$T/out"; echo $?) "--help lists the options"
is_rc "$(rc "$LC" -c "$T/norepo.ks" -t "$W")" 1 "kickstart without a repository"
ok $(grep -q "must have at least one repository" "$T/err"; echo $?) "  ... with upstream's message"
is_rc "$(rc "$LC" -c "$T/live.ks" --pkgverify-level all -t "$W")" 1 "--pkgverify-level all without --repo"
is_rc "$(rc "$LC" -c "$T/bad.ks" -t "$W")" 1 "kickstart error"
if command -v setpriv >/dev/null; then
    # a copy that uid 65534 can reach wherever the checkout is (/root included)
    cp "$LC" "$T/livecd-creator" && chmod 0755 "$T/livecd-creator"
    is_rc "$(rc setpriv --reuid=65534 --regid=65534 --clear-groups "$T/livecd-creator" -c "$T/live.ks")" 1 "not root"
    ok $(grep -q "You must run livecd-creator as root" "$T/err"; echo $?) "  ... with upstream's message"
fi

# ---- Koji: livecd-creator -c KS -d -v --logfile LOG --cache DIR -f VOLID in a working dir
mkdir -p "$T/koji" && cd "$T/koji" || exit 1
t0=$(date +%s.%N)
"$LC" -c "$T/live.ks" -d -v --logfile "$T/koji/koji.log" --cache "$T/koji/cache" -f Fixture-Live-Koji-1 \
    -t "$W" >"$T/koji.out" 2>&1
st=$?
cd - >/dev/null || exit 1
ok $st "Koji's call exits 0 ($(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $t0}") s, xz)"
[ $st -eq 0 ] || diag "$(tail -n 20 "$T/koji.out")"
isos=$(ls "$T/koji"/*.iso 2>/dev/null | wc -l)
ok $([ "$isos" -eq 1 ]; echo $?) "exactly one *.iso in the working directory ($isos)"
ISO=$T/koji/Fixture-Live-Koji-1.iso
nrpm=$(find "$T/koji/cache" -name '*.rpm' | wc -l)
ok $([ "$nrpm" -ge 8 ]; echo $?) "downloaded packages as *.rpm under the cache ($nrpm)"
ok $(grep -q "DEBUG" "$T/koji/koji.log"; echo $?) "-d: debug messages in --logfile"
vol=$(dd if="$ISO" bs=1 skip=$((16 * 2048 + 40)) count=32 2>/dev/null | tr -d ' ')
ok $([ "$vol" = "Fixture-Live-Koji-1" ]; echo $?) "-f sets the volume id"
ok $(checkisomd5 "$ISO" >/dev/null 2>&1; echo $?) "checkisomd5 passes"
ok $(cd "$T/koji" && sha256sum -c --status Fixture-Live-Koji-1-CHECKSUM; echo $?) "SHA-256 CHECKSUM file verifies"
ok $(sqfs_comp "$ISO" | grep -q "Compression xz"; echo $?) "default compression xz"
unsquashfs -q -n -d "$T/kojisq" "$T/sq.img" LiveOS/rootfs.img >/dev/null 2>&1
ok $([ "$(e2label "$T/kojisq/LiveOS/rootfs.img" 2>/dev/null)" = "_Fixture-Live-Ko" ]; echo $?) \
   "rootfs.img labelled '_' + the label, cut to 16 (never the medium's own label), as upstream"
ok $([ "$(debugfs -R "cat /etc/rpm/macros.imgcreate" "$T/kojisq/LiveOS/rootfs.img" 2>/dev/null)" = '%__file_context_path %{nil}' ]; echo $?) \
   "/etc/rpm/macros.imgcreate as upstream (no SELinux: no file contexts)"
rm -rf "$T/kojisq"
list=$(bsdtar -tf "$ISO" | sed 's|^\./||')
for f in images/eltorito.img boot/grub2/grub.cfg boot/grub2/i386-pc/boot_hybrid.img EFI/BOOT/grub.cfg \
         EFI/BOOT/BOOTX64.EFI images/pxeboot/vmlinuz images/pxeboot/initrd.img LiveOS/squashfs.img; do
    ok $(grep -qx "$f" <<<"$list"; echo $?) "default GRUB2 layout has $f"
done
ok $(! grep -q '^isolinux/' <<<"$list"; echo $?) "no isolinux without --syslinux"
ok $(xorriso -indev "$ISO" -report_system_area plain 2>/dev/null | grep -qi "c12a7328f81f11d2ba4b00a0c93ec93b\|28732ac11ff8d211ba4b00a0c93ec93b"; echo $?) \
   "efiboot.img appended as a GPT EFI System Partition"
bsdtar -xOf "$ISO" boot/grub2/grub.cfg >"$T/grub.cfg"
ok $(grep -q "Start Fixture Live" "$T/grub.cfg"; echo $?) "default product from the name ('Fixture Live')"
ok $(grep -q "rd.live.check" "$T/grub.cfg" && grep -q nomodeset "$T/grub.cfg"; echo $?) "media check and basic graphics entries"

# ---- --syslinux --flat-squashfs --compression-type "gzip ARGS" --title --product
#      --dracut-conf-args -p --nomacboot --resultdir --skip-minimize --releasever --nocleanup -o
mkdir -p "$T/rel/42" && ln -s "$REPO"/* "$T/rel/42/"
# (no syslinux in %packages: --syslinux adds it, as upstream; no isomd5sum: no
# media check entries)
NOMD5="#" NOSYSLINUX="#" BASEURL="file://$T/rel/\$releasever" ks "$T/rel.ks" options
t0=$(date +%s.%N)
"$LC" -c "$T/rel.ks" -f OPTS --syslinux --flat-squashfs --compression-type "gzip -b 256K -Xcompression-level 1" \
    --title "Opt Title" --product "Opt Product" -p --nomacboot --skip-minimize --releasever 42 \
    --dracut-conf-args '+kernel_cmdline=" kscreate.dracut.test=1 "' --resultdir "$T/res" \
    -t "$W" -o "$T/out2" --nocleanup --logfile "$T/opts.log" >"$T/opts.out" 2>&1
st=$?
ok $st "build with --syslinux --flat-squashfs and friends ($(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $t0}") s)"
[ $st -eq 0 ] || diag "$(tail -n 20 "$T/opts.out")"
ISO2=$T/out2/OPTS.iso
ok $([ -s "$ISO2" ]; echo $?) "--releasever 42 filled \$releasever in the repo URL; -o wrote the ISO"
list=$(bsdtar -tf "$ISO2" | sed 's|^\./||')
ok $(grep -qx isolinux/isolinux.cfg <<<"$list" && grep -qx images/efiboot.img <<<"$list" && ! grep -q '^boot/grub2' <<<"$list"; echo $?) \
   "--syslinux: ISOLINUX, images/efiboot.img in the tree, no GRUB2 BIOS"
ok $(grep -q "needs package syslinux: added" "$T/opts.log" && grep -q "^syslinux-" "$T/res/OPTS.rpm-manifest"; echo $?) \
   "--syslinux added syslinux to %packages"
bsdtar -xOf "$ISO2" isolinux/isolinux.cfg >"$T/iso.cfg"
ok $(grep -q "menu title Opt Title" "$T/iso.cfg"; echo $?) "--title in the menu"
ok $(grep -q "Start Opt Product" "$T/iso.cfg"; echo $?) "--product in the entries"
ok $(grep -q "rd.live.overlay.overlayfs" "$T/iso.cfg"; echo $?) "--flat-squashfs adds rd.live.overlay.overlayfs"
ok $(! grep -q "rd.live.check" "$T/iso.cfg" && grep -q "nomodeset" "$T/iso.cfg"; echo $?) "no checkisomd5 in the image: no media check entry, as upstream"
sqfs_comp "$ISO2" >"$T/sq2.txt"
ok $(grep -q "Compression gzip" "$T/sq2.txt" && grep -q "Block size 262144" "$T/sq2.txt"; echo $?) "--compression-type with arguments"
unsquashfs -l "$T/sq.img" >"$T/sq2.list" 2>/dev/null
ok $(grep -q "squashfs-root/etc/build-marker" "$T/sq2.list" && ! grep -q "LiveOS/rootfs.img" "$T/sq2.list"; echo $?) \
   "--flat-squashfs: the root tree itself in squashfs.img"
bsdtar -xOf "$ISO2" images/pxeboot/initrd.img | zcat | (cd "$T" && cpio -i --quiet --to-stdout etc/cmdline) >"$T/icmd" 2>/dev/null
ok $(grep -q "kscreate.dracut.test=1" "$T/icmd"; echo $?) "--dracut-conf-args reached the initramfs build"
ok $(! grep -q "minimized" "$T/opts.log"; echo $?) "--skip-minimize skips the shrink"
ok $(ls -d "$W"/kscreate-* >/dev/null 2>&1; echo $?) "--nocleanup keeps the work directory in -t"
rm -rf "$W"/kscreate-*
for f in result.json OPTS.iso.manifest OPTS.rpm-manifest OPTS.spdx.json timings.json; do
    ok $([ -s "$T/res/$f" ]; echo $?) "--resultdir: $f"
done
ok $(python3 - "$T/res/result.json" "$ISO2" <<'PY'
import json, sys, os, hashlib
r = json.load(open(sys.argv[1]))
im = r["payload"]["images"][0]
iso = sys.argv[2]
assert im["path"] == "OPTS.iso" and im["format"] == "iso" and im["type"] == "live"
assert im["volume_id"] == "OPTS" and im["bootable"] is True and im["arch"]
assert im["size"] == os.path.getsize(iso)
assert im["checksums"]["sha256"] == hashlib.sha256(open(iso, "rb").read()).hexdigest()
assert len(im["implant_md5"]) == 32
for k in ("mount", "install", "configure", "squashfs", "iso"):
    assert k in r["payload"]["timings"], k
PY
echo $?) "result.json: productmd image fields match the ISO; phase timings"
ok $(diff <(bsdtar -tf "$ISO2" | sed 's|^\./||; s|/$||; s|^|/|' | grep -v '^/\.\?$' | sort) "$T/res/OPTS.iso.manifest" >/dev/null; echo $?) \
   "ISO file manifest: every path, sorted"
ok $(grep -q "^kernel-core	" "$T/res/OPTS.rpm-manifest" && [ "$(grep -vc '^#' "$T/res/OPTS.rpm-manifest")" -ge 10 ]; echo $?) "rpm manifest lists the packages"
ok $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); n=sum(1 for l in open(sys.argv[2]) if not l.startswith("#")); assert d["spdxVersion"]=="SPDX-2.3" and len(d["packages"])==n+1' \
    "$T/res/OPTS.spdx.json" "$T/res/OPTS.rpm-manifest"; echo $?) "SPDX 2.3 SBOM: one package per rpm"

# ---- -b/--base-on with -l (no install, as upstream), -s/--skip-compression, -q
echo "seen-from-the-image" >"$T/hostfile"
printf 'echo shell-was-here > /etc/shell-marker\ncat /run/hostroot%s/hostfile > /etc/from-host\nexit\n' "$T" >"$T/shell-in"
"$LC" -c "$T/live.ks" -f BASED -b "$ISO" -l -s --skip-minimize -q -t "$W" -o "$T/out3" \
    <"$T/shell-in" >"$T/based.out" 2>&1
st=$?
ok $st "--base-on the Koji ISO with -l -s -q"
[ $st -eq 0 ] || diag "$(tail -n 20 "$T/based.out")"
ok $(bsdtar -tf "$T/out3/BASED.iso" 2>/dev/null | grep -qx '\(\./\)\?LiveOS/rootfs.img'; echo $?) "-s: LiveOS/rootfs.img uncompressed on the ISO"
bsdtar -xOf "$T/out3/BASED.iso" LiveOS/rootfs.img >"$T/based.img" 2>/dev/null
ok $(debugfs -R "cat /etc/build-marker" "$T/based.img" 2>/dev/null | grep -q koji; echo $?) "--base-on: the base image's files are there"
ok $(debugfs -R "cat /etc/shell-marker" "$T/based.img" 2>/dev/null | grep -q shell-was-here; echo $?) "-l: the shell ran in the image root"
ok $(debugfs -R "cat /etc/from-host" "$T/based.img" 2>/dev/null | grep -q seen-from-the-image; echo $?) "-l: the host's root at /run/hostroot"
ok $(debugfs -R "ls -l /run" "$T/based.img" 2>/dev/null | grep -q hostroot; [ $? -ne 0 ]; echo $?) "-l: /run/hostroot unmounted and gone afterwards"
ok $(! grep -q "INFO\|Installing\|Wrote\|minimized" "$T/based.out"; echo $?) "-q: no progress output (only the shell's own)"

# ---- --compression-type None: the --base-on image's compressor (gzip there, not the default xz)
"$LC" -c "$T/live.ks" -f NONE -b "$ISO2" --compression-type None --skip-minimize -t "$W" -o "$T/out8" \
    >"$T/none.out" 2>&1
st=$?
ok $st "--base-on the flat gzip ISO with --compression-type None"
[ $st -eq 0 ] || diag "$(tail -n 5 "$T/none.out")"
ok $(sqfs_comp "$T/out8/NONE.iso" | grep -q "Compression gzip"; echo $?) "--compression-type None keeps the base image's gzip"
is_rc "$(rc "$LC" -c "$T/live.ks" --compression-type bogus)" 2 "unknown --compression-type"

# ---- --cache + --cacheonly: a second build works from the cache alone
cp -a "$REPO" "$T/repocopy"
BASEURL="file://$T/repocopy" ks "$T/copy.ks" cached
"$LC" -c "$T/copy.ks" -f CACHE1 --cache "$T/cc" --compression-type zstd -t "$W" -o "$T/out5" >"$T/c1.out" 2>&1
ok $? "build with a private --cache"
rm -rf "$T/repocopy"
"$LC" -c "$T/copy.ks" -f CACHE2 --cache "$T/cc" --cacheonly --compression-type zstd -t "$W" -o "$T/out5" >"$T/c2.out" 2>&1
st=$?
ok $st "--cacheonly builds with the repository gone"
[ $st -eq 0 ] || diag "$(tail -n 5 "$T/c2.out")"
# --repo replaces the kickstart's repositories (the package engine wiring is the lead's TODO):
# upstream's 'must have at least one repository' check must not fire
printf '[fixture]\nbaseurl=file://%s\n' "$REPO" >"$T/fixture.repo"
rc "$LC" -c "$T/norepo.ks" --repo "$T/fixture.repo" -t "$W" -o "$T/out6" >/dev/null
ok $(! grep -q "must have at least one repository" "$T/err"; echo $?) "--repo satisfies the repository check"

# ---- -c URL, default name, label, title and product (no -f), as upstream
mkdir -p "$T/out7" && cp "$T/live.ks" "$T/fedora-live-test.ks"
"$LC" -c "file://$T/fedora-live-test.ks" --compression-type zstd -t "$W" -o "$T/out7" >"$T/url.out" 2>&1
ok $? "-c file:// URL without -f"
iso7=$(ls "$T/out7"/*.iso 2>/dev/null)
ok $([[ "$(basename "$iso7")" =~ ^livecd-fedora-live-test-[0-9]{12}\.iso$ ]]; echo $?) "default name livecd-<ks>-<stamp> ($(basename "$iso7"))"
vol=$(dd if="$iso7" bs=1 skip=$((16 * 2048 + 40)) count=32 2>/dev/null | tr -d ' ')
ok $([[ "$vol" =~ ^fedora-live--$(uname -m)-[0-9]{12}$ ]] && [ ${#vol} -le 32 ]; echo $?) "default label: kickstart part cut so <arch>-<stamp> fits 32, as upstream ($vol)"
ok $(bsdtar -xOf "$iso7" boot/grub2/grub.cfg | grep -q "'Start Livecd Fedora'"; echo $?) "default product: the name's first two fields, title-cased"

# ---- image-creator: its name selects the plain image type, the kickstart may be the last argument
ln -sf "$LC" "$T/image-creator"
"$T/image-creator" -f IMG -t "$W" -o "$T/out4" "$T/live.ks" >"$T/img.out" 2>&1
st=$?
ok $st "image-creator KS (positional kickstart, image type 'image')"
ok $([ -z "$(ls "$T/out4"/*.iso 2>/dev/null)" ] && [ -n "$(ls "$T/out4" 2>/dev/null)" ]; echo $?) "  ... writes a file system image, not an ISO"

after=$(host_state "$W")
ok $([ "$before" = "$after" ]; echo $?) "nothing left behind (mounts, loops, temp dirs)"
[ "$before" = "$after" ] || diag "$(diff <(echo "$before") <(echo "$after"))"
tap_done
