#!/bin/bash
# Installer media (issue 8): installer-creator builds a lorax-style DVD from a
# runtime kickstart (fixture-installer = the anaconda stand-in) and a target
# kickstart with --with-repo and --pxe; the layout is checked file by file
# against lorax's (.treeinfo sections and checksums, .discinfo, volume id),
# the repository against its repomd.xml, and the ISO boots BIOS and UEFI (CD)
# to the installer's marker.  A target kickstart that cannot be resolved fails
# before any media are written.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
need_root
IC=$KSC_BUILD/installer-creator
[ -x "$IC" ] || skip_all "installer-creator not built"
command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86_64 missing"
REPO=$(fixture_distro) || skip_all "cannot build the fixture repository"
[ -f "$REPO/Packages/fixture-installer-1-1.fixture.noarch.rpm" ] || skip_all "fixture without fixture-installer"

T=$(mktemp -d /tmp/ksc-inst.XXXXXX)
trap 'rm -rf "$T"' EXIT
W=$T/work; mkdir -p "$W" "$T/out" "$T/bad"
before=$(host_state "$W")
VOL=Fixture-1-x86_64

cat > "$T/runtime.ks" <<EOF
lang en_US.UTF-8
timezone UTC --utc
bootloader --timeout=1 --append="console=ttyS0"
repo --name=fixture --baseurl=file://$REPO
%packages
@core
fixture-installer
kernel
dracut
syslinux
grub2-efi-x64
%end
EOF
cat > "$T/target.ks" <<EOF
lang en_US.UTF-8
rootpw --lock
autopart
repo --name=fixture --baseurl=file://$REPO
%packages
@core
kernel
dracut
grub2-pc
%end
EOF
sed 's/^grub2-pc$/no-such-package/' "$T/target.ks" > "$T/bad.ks"

# --- a target kickstart that cannot be resolved fails before any media
"$IC" -c "$T/runtime.ks" --ks "$T/bad.ks" --with-repo -f $VOL -t "$W" -o "$T/bad" \
    --cache "$T/cache" > "$T/bad.out" 2>&1
st=$?
ok $([ $st -eq 1 ]; echo $?) "unresolvable target kickstart: exit 1 (got $st)"
ok $(tail -n 1 "$T/bad.out" | grep -q "no-such-package"; echo $?) "the reason names the missing package"
diag "$(tail -n 1 "$T/bad.out")"
ok $([ -z "$(ls -A "$T/bad")" ]; echo $?) "nothing written to the output directory"
ok $(! grep -q "Installing packages" "$T/bad.out"; echo $?) "failed before the runtime was installed"
"$IC" -c "$T/runtime.ks" -f "$(printf 'X%.0s' $(seq 33))" -o "$T/bad" > "$T/long.out" 2>&1
ok $([ $? -eq 2 ]; echo $?) "a volume id longer than 32 characters is refused"

# --- the DVD
t0=$(date +%s.%N)
"$IC" -c "$T/runtime.ks" --ks "$T/target.ks" --with-repo --pxe -p Fixture -V 1 -t "$W" -o "$T/out" \
    --cache "$T/cache" --compression-type zstd --logfile "$T/build.log" -v > "$T/stdout" 2>&1
st=$?
ok $st "installer-creator exits 0 ($(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $t0}") s)"
[ $st -eq 0 ] || diag "$(tail -n 30 "$T/stdout")"
ISO=$T/out/$VOL.iso
ok $([ -s "$ISO" ]; echo $?) "default volume id PRODUCT-VERSION-ARCH names the ISO"
diag "$(grep -o 'timings:.*' "$T/build.log")"

list=$(bsdtar -tf "$ISO" 2>/dev/null | sed 's|^\./||')
# lorax's boot.iso (isolinux era) + pungi's DVD additions
for f in .discinfo .treeinfo EFI/BOOT/BOOTX64.EFI EFI/BOOT/grubx64.efi EFI/BOOT/grub.cfg \
         images/efiboot.img images/install.img images/pxeboot/vmlinuz images/pxeboot/initrd.img \
         isolinux/isolinux.bin isolinux/isolinux.cfg isolinux/boot.cat isolinux/vmlinuz \
         isolinux/initrd.img isolinux/ldlinux.c32 isolinux/libcom32.c32 isolinux/libutil.c32 \
         isolinux/vesamenu.c32 ks.cfg repodata/repomd.xml; do
    ok $(grep -qx "$f" <<<"$list"; echo $?) "ISO contains $f"
done
ok $(! grep -q '^LiveOS' <<<"$list"; echo $?) "no LiveOS/ (an installer, not a live image)"
X=$T/x; mkdir -p "$X"
bsdtar -xf "$ISO" -C "$X" 2>/dev/null

vol=$(dd if="$ISO" bs=1 skip=$((16 * 2048 + 40)) count=32 2>/dev/null | sed 's/ *$//')
ok $([ "$vol" = "$VOL" ] && [ ${#vol} -le 32 ]; echo $?) "volume id $vol (<= 32 characters)"
ok $([ "$(dd if="$ISO" bs=1 skip=510 count=2 2>/dev/null | od -An -tx1 | tr -d ' ')" = "55aa" ]; echo $?) "hybrid MBR"
ok $([ "$(dd if="$ISO" bs=1 skip=512 count=8 2>/dev/null)" = "EFI PART" ]; echo $?) "GPT header"
if command -v checkisomd5 >/dev/null; then
    checkisomd5 "$ISO" > "$T/md5.out" 2>&1
    ok $? "media check data implanted (checkisomd5 passes)"
fi

# .treeinfo: productmd 1.2 sections as lorax/pungi write them, checksums right
TI=$X/.treeinfo
secs=$(grep '^\[' "$TI" | tr -d '[]' | tr '\n' ' ')
ok $([ "$secs" = "checksums general header images-x86_64 images-xen release stage2 tree variant-Everything " ]; echo $?) ".treeinfo sections: $secs"
ok $(grep -qx 'mainimage = images/install.img' "$TI"; echo $?) ".treeinfo stage2 mainimage"
ok $(grep -qx 'type = productmd.treeinfo' "$TI" && grep -qx 'version = 1.2' "$TI"; echo $?) ".treeinfo header productmd 1.2"
ok $(grep -qx 'kernel = images/pxeboot/vmlinuz' "$TI" && grep -qx 'initrd = images/pxeboot/initrd.img' "$TI" \
     && grep -qx 'efiboot.img = images/efiboot.img' "$TI"; echo $?) ".treeinfo images-x86_64"
ok $(grep -qx 'packagedir = Packages' "$TI" && grep -qx 'repository = .' "$TI"; echo $?) ".treeinfo points at Packages/ and the repository"
n=0 bad=0
while read -r f eq sum; do
    [ "$eq" = "=" ] || continue
    n=$((n + 1))
    [ "sha256:$(sha256sum "$X/$f" | cut -d' ' -f1)" = "$sum" ] || { bad=$((bad + 1)); diag "checksum mismatch: $f"; }
done < <(sed -n '/^\[checksums\]/,/^$/p' "$TI" | tail -n +2)
ok $([ $n -eq 4 ] && [ $bad -eq 0 ]; echo $?) ".treeinfo checksums of $n images verified"
ok $([ "$(wc -l < "$X/.discinfo")" -eq 3 ] && [ "$(sed -n 2p "$X/.discinfo")" = "Fixture 1" ] \
     && [ "$(sed -n 3p "$X/.discinfo")" = x86_64 ]; echo $?) ".discinfo: timestamp, release, arch"

# boot configuration
kl="inst.stage2=hd:LABEL=$VOL inst.ks=hd:LABEL=$VOL:/ks.cfg console=ttyS0"
ok $(grep -q "append initrd=initrd.img $kl quiet" "$X/isolinux/isolinux.cfg"; echo $?) "isolinux kernel line has inst.stage2 + inst.ks"
ok $(grep -q "linux /images/pxeboot/vmlinuz $kl quiet" "$X/EFI/BOOT/grub.cfg"; echo $?) "grub kernel line has inst.stage2 + inst.ks"
ok $(grep -q "search --no-floppy --set=root -l '$VOL'" "$X/EFI/BOOT/grub.cfg"; echo $?) "grub finds the media by label"
ok $(mdir -i "$X/images/efiboot.img" ::/EFI/BOOT 2>/dev/null | grep -qi 'BOOTX64 *EFI'; echo $?) "efiboot.img holds EFI/BOOT/BOOTX64.EFI"
ok $(cmp -s "$X/images/pxeboot/vmlinuz" "$X/isolinux/vmlinuz"; echo $?) "isolinux/vmlinuz = images/pxeboot/vmlinuz"

# install.img: a squashfs of the runtime root
ok $([ "$(head -c 4 "$X/images/install.img")" = hsqs ]; echo $?) "install.img is a squashfs"
sqlist=$(unsquashfs -l "$X/images/install.img" 2>/dev/null)
for f in usr/sbin/anaconda usr/sbin/init .buildstamp etc/dracut.conf.d/99-kscreate-installer.conf; do
    ok $(grep -qx "squashfs-root/$f" <<<"$sqlist"; echo $?) "install.img contains /$f"
done

# kickstart rewritten for the media, repository by libcreaterepo_c
ok $(grep -qx "harddrive --partition=LABEL=$VOL --dir=/" "$X/ks.cfg" && grep -q '^# repo --name=fixture' "$X/ks.cfg"; echo $?) \
    "ks.cfg installs from the media (harddrive LABEL), the network repo commented out"
MD=$X/repodata/repomd.xml
for t in primary filelists other group group_gz; do
    ok $(grep -q "<data type=\"$t\">" "$MD"; echo $?) "repomd.xml has $t"
done
prim=$(awk '/<data type="primary">/{p=1} p && /<location href=/{gsub(/.*href="|".*/,""); print; exit}' "$MD")
psum=$(awk '/<data type="primary">/{p=1} p && /<checksum type="sha256">/{gsub(/.*<checksum type="sha256">|<\/checksum>.*/,""); print; exit}' "$MD")
ok $([ "$(sha256sum "$X/$prim" | cut -d' ' -f1)" = "$psum" ]; echo $?) "primary checksum matches repomd.xml"
npkg=$(find "$X/Packages" -name '*.rpm' | wc -l)
ok $([ "$(zcat "$X/$prim" | grep -c '<package type="rpm">')" -eq "$npkg" ] && [ "$npkg" -gt 5 ]; echo $?) "primary lists the $npkg packages of Packages/"
ok $(find "$X/Packages" -name 'grub2-pc-2*.rpm' | grep -q '/Packages/g/'; echo $?) "Packages/<letter>/ layout"
ok $(! find "$X/Packages" -name 'syslinux*' | grep -q .; echo $?) "only the target's set (no runtime-only packages)"
comps=$(ls "$X"/repodata/*-comps.xml 2>/dev/null | head -n1)
ok $([ -n "$comps" ] && grep -q '<id>core</id>' "$comps" && ! grep -q '>syslinux<' "$comps"; echo $?) \
    "comps filtered to the media's packages"

# --pxe
P=$T/out/$VOL-pxeboot
for f in vmlinuz initrd.img images/install.img ks.cfg pxelinux.cfg/default grub.cfg .treeinfo; do
    ok $([ -s "$P/$f" ]; echo $?) "PXE output $f"
done
ok $(grep -q 'inst.stage2=http://' "$P/pxelinux.cfg/default"; echo $?) "PXE example uses inst.stage2=http://"

# --- boots: BIOS and UEFI from CD to the installer's marker
for combo in "bios cdrom" "uefi cdrom"; do
    set -- $combo
    log=$T/boot-$1-$2.log
    b0=$(date +%s)
    tests/lib/qemu-boot.sh "$ISO" "$1" "$2" 240 "$log" KSCREATE-INSTALLER-OK >/dev/null 2>&1
    st=$?
    ok $st "installer boots to KSCREATE-INSTALLER-OK: $1 $2 ($(( $(date +%s) - b0 )) s)"
    [ $st -eq 0 ] || diag "$(tail -n 25 "$log" 2>/dev/null)"
    ok $(grep -aq "INSTALLER-STAGE2: hd:LABEL=$VOL -> /images/install.img" "$log"; echo $?) "stage2 found by label ($1)"
    ok $(grep -aq "INSTALLER-ROOT: overlay on install.img" "$log"; echo $?) "runtime root is install.img ($1)"
    ok $(grep -aq "INSTALLER-KS: hd:LABEL=$VOL:/ks.cfg" "$log"; echo $?) "embedded kickstart read ($1)"
    ok $(grep -aq "INSTALLER-REPO: $npkg packages, repomd.xml valid (primary sha256 ok), comps yes" "$log"; echo $?) \
        "on-media repository listed and valid ($1)"
    ok $(! grep -aq "FIXTURE-INSTALLER-ERROR\|FIXTURE-INITRAMFS-ERROR" "$log"; echo $?) "no installer errors ($1)"
done

after=$(host_state "$W")
ok $([ "$before" = "$after" ]; echo $?) "nothing left behind"
[ "$before" = "$after" ] || diag "$(diff <(echo "$before") <(echo "$after"))"
tap_done
