#!/bin/bash
# Partitioned disk images (appliance-creator, image-creator --image-type raw):
# GPT with BIOS boot partition + ESP booted in BIOS and UEFI mode, an MBR disk
# as a qcow2 copy-on-write overlay booted in BIOS mode, vmdk/raw.xz conversions,
# the libvirt XML, fstab by UUID, and bad `part` lines failing before anything
# is written.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
need_root
AC=$KSC_BUILD/appliance-creator
IC=$KSC_BUILD/image-creator
[ -x "$AC" ] || skip_all "appliance-creator not built"
for t in qemu-img qemu-system-x86_64 grub-mkimage mcopy virt-xml-validate partx; do
    command -v $t >/dev/null || skip_all "$t missing (make deps)"
done
REPO=$(fixture_distro) || skip_all "cannot build the fixture repository"

T=$(mktemp -d /tmp/ksc-disk.XXXXXX)
M=$T/mnt
trap 'mountpoint -q "$M" && umount "$M"; rm -rf "$T"' EXIT
W=$T/work; mkdir -p "$W" "$T/out" "$M"
# only what belongs to this test (other builds may run on the machine meanwhile)
my_state() { host_state "$W" | grep -F -- "$T" || true; }
before=$(my_state)
BOOT_TIMEOUT=${KSC_DISK_BOOT_TIMEOUT:-120}

# the common part of the kickstarts: packages and a boot-time probe
common() {
    cat <<EOF
repo --name=fixture --baseurl=file://$REPO
bootloader --location=mbr --append="console=ttyS0" --timeout=1
zerombr
%packages
@core
kernel
dracut
grub2-pc
grub2-efi-x64
%end
%post
cat > /etc/boot-test.d/50-disk <<'EOS'
#!/bin/sh
echo "DISK-ROOT: \$(awk '\$2=="/" && \$1!="rootfs" {print \$1, \$3, substr(\$4,1,2)}' /proc/mounts | tail -n1)"
echo "DISK-MOUNTS: \$(awk '\$2=="/boot"||\$2=="/boot/efi"{printf "%s=%s ", \$2, \$3}' /proc/mounts)"
echo "DISK-SWAP: \$(tail -n +2 /proc/swaps | awk '{print \$1}' | tr '\n' ' ')"
touch /rw-test && echo "DISK-RW-OK"
EOS
chmod 0755 /etc/boot-test.d/50-disk
%end
EOF
}

{ common; cat <<EOF
clearpart --all --initlabel
part /boot --size 64 --fstype ext4 --label KSCBOOT
part /boot/efi --size 32 --fstype efi
part / --size 160 --fstype ext4 --label KSCROOT --fsoptions="defaults,noatime"
part swap --size 16
EOF
} > "$T/gpt.ks"

{ common; cat <<EOF
clearpart --all --initlabel --disklabel=msdos
part /boot --size 64 --fstype ext4 --asprimary
part / --size 160 --fstype ext4
part swap --size 16
EOF
} > "$T/mbr.ks"

# ---- GPT raw disk
t0=$SECONDS
out=$("$AC" -c "$T/gpt.ks" -n gpt -t "$W" -o "$T/out" --cache "$T/cache" --checksum --bmap \
      --vmem 768 --vcpu 2 --version 1.0 --release 2 --logfile "$T/gpt.log" 2>&1); st=$?
ok $st "appliance-creator builds a GPT disk ($((SECONDS - t0))s)"
[ $st -eq 0 ] || diag "$(tail -n 20 <<<"$out")"
D=$T/out/gpt-sda.raw
ok $([ -s "$D" ]; echo $?) "gpt-sda.raw written"
ok $([ "$(blkid -p -o value -s PTTYPE "$D" 2>/dev/null)" = gpt ]; echo $?) "partition table is GPT"
parts=$(partx -g -o NR,START,SECTORS,TYPE "$D" 2>/dev/null)
ok $(awk '$1==1 && tolower($4)=="21686148-6449-6e6f-744e-656564454649"{f=1} END{exit !f}' <<<"$parts"; echo $?) \
    "partition 1 is the BIOS boot partition"
ok $(awk '$1==2 && tolower($4)=="c12a7328-f81f-11d2-ba4b-00a0c93ec93b"{f=1} END{exit !f}' <<<"$parts"; echo $?) \
    "partition 2 is the EFI System Partition"
ok $(awk '$1==5 && tolower($4)=="0657fd6d-a4ab-43c4-84e5-0933c84b4f4f"{f=1} END{exit !f}' <<<"$parts"; echo $?) \
    "partition 5 is swap"
[ -n "$parts" ] || diag "partx: $(partx -s "$D" 2>&1)"
ok $(cd "$T/out" && sha256sum -c --quiet gpt-sda.raw.sha256 >/dev/null 2>&1; echo $?) "--checksum: sha256 file verifies"
ok $([ -s "$T/out/gpt-sda.raw.bmap" ] && grep -q '<bmap' "$T/out/gpt-sda.raw.bmap"; echo $?) "--bmap: bmap file"
ok $(virt-xml-validate "$T/out/gpt.xml" domain >/dev/null 2>&1; echo $?) "libvirt XML validates (virt-xml-validate)"
ok $(grep -q "<memory unit='MiB'>768</memory>" "$T/out/gpt.xml" && grep -q ">2</vcpu>" "$T/out/gpt.xml" &&
     grep -q "type='raw'" "$T/out/gpt.xml" && grep -q "<description>gpt version 1.0 release 2</description>" "$T/out/gpt.xml"
     echo $?) "XML has --vmem, --vcpu, --version/--release and the raw disk"

# fstab by UUID: look into the root partition
rootstart=$(awk '$1==4{print $2}' <<<"$parts")
if [ -n "$rootstart" ] && mount -o ro,loop,offset=$((rootstart * 512)) "$D" "$M" 2>/dev/null; then
    fstab=$(cat "$M/etc/fstab")
    ok $(grep -Eq '^UUID=[0-9a-f-]{36} +/ +ext4 +defaults,noatime' <<<"$fstab"; echo $?) "fstab: / by UUID with --fsoptions"
    ok $(grep -Eq '^UUID=[0-9A-F]{4}-[0-9A-F]{4} +/boot/efi +vfat' <<<"$fstab"; echo $?) "fstab: ESP by UUID"
    ok $(grep -Eq '^UUID=[0-9a-f-]{36} +none +swap' <<<"$fstab"; echo $?) "fstab: swap by UUID"
    ok $([ -x "$M/usr/bin/busybox" ] && ls -d "$M"/usr/lib/modules/*/kernel >/dev/null 2>&1; echo $?) "root holds the packages"
    ok $([ -d "$M/boot" ] && [ -z "$(ls -A "$M/boot")" ]; echo $?) "/boot of the root is empty (its files are on the /boot partition)"
    umount "$M"
else
    ok 1 "root partition mounts (offset $rootstart)"
fi

# ---- MBR disk as qcow2 with a copy-on-write overlay; vmdk; raw.xz
out=$("$AC" -c "$T/mbr.ks" -n mbr -t "$W" -o "$T/out" --cache "$T/cache" -f qcow2 --compress \
      --overlay mbr-overlay.qcow2 --logfile "$T/mbr.log" 2>&1); st=$?
ok $st "appliance-creator builds an MBR disk as qcow2 with an overlay"
[ $st -eq 0 ] || diag "$(tail -n 20 <<<"$out")"
Q=$T/out/mbr-sda.qcow2 O=$T/out/mbr-overlay.qcow2
ok $(qemu-img check -q "$Q" >/dev/null 2>&1 && qemu-img info "$Q" | grep -q 'file format: qcow2'; echo $?) "qcow2 passes qemu-img check"
ok $(qemu-img info "$O" 2>/dev/null | grep -q '^backing file: mbr-sda.qcow2'; echo $?) "overlay is backed by the image (relative)"
ok $(grep -q "Disk layout" "$T/mbr.log" && grep -A1 "Disk layout" "$T/mbr.log" | grep -q "dos"; echo $?) \
    "clearpart --disklabel=msdos gives an MBR label"
ok $(virt-xml-validate "$T/out/mbr.xml" domain >/dev/null 2>&1 && grep -q "type='qcow2'" "$T/out/mbr.xml"; echo $?) \
    "qcow2 XML validates"

out=$("$AC" -c "$T/mbr.ks" -n vm -t "$W" -o "$T/out" --cache "$T/cache" -f vmdk --logfile "$T/vmdk.log" 2>&1); st=$?
ok $st "appliance-creator --format vmdk"
[ $st -eq 0 ] || diag "$(tail -n 20 <<<"$out")"
ok $(qemu-img info "$T/out/vm-sda.vmdk" 2>/dev/null | grep -q 'file format: vmdk' &&
     qemu-img check -q "$T/out/vm-sda.vmdk" >/dev/null 2>&1; echo $?) "vmdk: qemu-img info and check"

out=$("$IC" --image-type raw -c "$T/gpt.ks" -n ic -t "$W" -o "$T/out" --cache "$T/cache" --logfile "$T/ic.log" 2>&1); st=$?
ok $st "image-creator --image-type raw builds a disk"
[ $st -eq 0 ] || diag "$(tail -n 20 <<<"$out")"
rm -f "$T/out/ic-sda.raw"
out=$("$AC" -c "$T/mbr.ks" -n xz -t "$W" -o "$T/out" --cache "$T/cache" --compress --no-xml --logfile "$T/xz.log" 2>&1); st=$?
xzst=1
[ $st -eq 0 ] && xz -t "$T/out/xz-sda.raw.xz" 2>/dev/null && xzst=0
ok $xzst "--compress on a raw disk gives a valid raw.xz (xz -T0)"
[ $xzst -eq 0 ] || diag "$(tail -n 20 <<<"$out")"
rm -f "$T/out/xz-sda.raw.xz"

# ---- two disks (--ondisk) and extlinux instead of GRUB
{ common | sed 's/^grub2-pc$/syslinux-extlinux/; s/^grub2-efi-x64$//'; cat <<EOF
clearpart --all --initlabel --disklabel=msdos
part /boot --size 64 --fstype ext4 --ondisk=sda
part / --size 160 --fstype ext4 --ondisk=sda
part swap --size 16 --ondisk=sda
part /data --size 40 --fstype ext4 --ondisk=sdb --fsoptions=defaults,noauto
EOF
} > "$T/ext.ks"
out=$("$AC" -c "$T/ext.ks" -n ext -t "$W" -o "$T/out" --cache "$T/cache" --logfile "$T/ext.log" 2>&1); st=$?
ok $st "appliance-creator: extlinux image with two disks"
[ $st -eq 0 ] || diag "$(tail -n 20 <<<"$out")"
ok $([ -s "$T/out/ext-sda.raw" ] && [ -s "$T/out/ext-sdb.raw" ] &&
     [ "$(blkid -p -o value -s PTTYPE "$T/out/ext-sdb.raw")" = dos ]; echo $?) "--ondisk: ext-sda.raw and ext-sdb.raw"
ok $(grep -q "dev='vdb'" "$T/out/ext.xml" && virt-xml-validate "$T/out/ext.xml" domain >/dev/null 2>&1; echo $?) \
    "XML lists both disks and validates"
ok $(grep -aq "Boot loader: extlinux" "$T/ext.log"; echo $?) "image without grub2-pc gets extlinux"

# ---- boots: GPT in BIOS and UEFI, the MBR qcow2 overlay in BIOS (2 at a time)
cat > "$T/qemu-qcow2" <<'EOF'
#!/bin/bash
# the harness passes format=raw: the image here is a qcow2 overlay
args=()
for a in "$@"; do args+=("${a/format=raw,/format=qcow2,}"); done
exec qemu-system-x86_64 "${args[@]}"
EOF
chmod 0755 "$T/qemu-qcow2"
t0=$SECONDS
tests/lib/qemu-boot.sh "$D" bios disk "$BOOT_TIMEOUT" "$T/bios.log" >"$T/bios.res" 2>&1 & p1=$!
tests/lib/qemu-boot.sh "$D" uefi disk "$BOOT_TIMEOUT" "$T/uefi.log" >"$T/uefi.res" 2>&1 & p2=$!
wait $p1; s1=$?
KSCREATE_QEMU=$T/qemu-qcow2 tests/lib/qemu-boot.sh "$O" bios disk "$BOOT_TIMEOUT" "$T/mbr-boot.log" >"$T/mbr.res" 2>&1 & p3=$!
wait $p2; s2=$?
tests/lib/qemu-boot.sh "$T/out/ext-sda.raw" bios disk "$BOOT_TIMEOUT" "$T/ext-boot.log" >"$T/ext.res" 2>&1 & p4=$!
wait $p3; s3=$?
wait $p4; s4=$?
diag "boots took $((SECONDS - t0))s: $(cat "$T/bios.res" "$T/uefi.res" "$T/mbr.res" "$T/ext.res" | tr '\n' ' ')"

check_boot() {   # check_boot STATUS LOG NAME ROOTDEV SWAPDEV WANT_ESP
    local st=$1 log=$2 name=$3 rootdev=$4 swapdev=$5 esp=$6 clean
    clean=$(tr -d '\r' <"$log" 2>/dev/null)
    ok $st "$name: boots to KSCREATE-BOOT-OK"
    ok $(grep -aq "^DISK-ROOT: $rootdev ext4 rw" <<<"$clean"; echo $?) "$name: root is $rootdev, read-write"
    local want="/boot=ext4 "
    [ "$esp" = 1 ] && want="/boot=ext4 /boot/efi=vfat "
    ok $(grep -aqF "DISK-MOUNTS: $want" <<<"$clean"; echo $?) "$name: fstab mounts: $want"
    ok $(grep -aq "^DISK-SWAP: $swapdev" <<<"$clean"; echo $?) "$name: swap $swapdev active"
    ok $(grep -aq "^DISK-RW-OK" <<<"$clean" && ! grep -aq "FIXTURE-[A-Z]*-ERROR" <<<"$clean"; echo $?) "$name: writable, no errors"
    [ "$st" -eq 0 ] && grep -aq "^DISK-RW-OK" <<<"$clean" || diag "$(grep -a -e DISK- -e FIXTURE -e error <<<"$clean" | tail -n 15)"
}
check_boot $s1 "$T/bios.log" "GPT raw BIOS" /dev/sda4 /dev/sda5 1
check_boot $s2 "$T/uefi.log" "GPT raw UEFI" /dev/sda4 /dev/sda5 1
check_boot $s3 "$T/mbr-boot.log" "MBR qcow2 overlay BIOS" /dev/sda2 /dev/sda3 0
check_boot $s4 "$T/ext-boot.log" "extlinux MBR BIOS" /dev/sda2 /dev/sda3 0
ok $(tr -d '\r' <"$T/ext-boot.log" | grep -aq "^SYSLINUX"; echo $?) "extlinux MBR BIOS: booted by SYSLINUX"
rm -f "$T"/out/ext-sd?.raw

# ---- bad part lines: clear errors, nothing written
bad() {   # bad NAME EXPECTED-MESSAGE [appliance-creator options] <<< part lines
    local name=$1 want=$2; shift 2
    { common; cat; } > "$T/bad-$name.ks"
    local n0 out st
    n0=$(ls -A "$T/out" | wc -l)
    out=$("$AC" -c "$T/bad-$name.ks" -n "bad$name" -t "$W" -o "$T/out" --cache "$T/cache" "$@" 2>&1); st=$?
    ok $([ $st -ne 0 ] && grep -qF -- "$want" <<<"$out"; echo $?) "bad part lines ($name): fails with '$want'"
    [ $st -ne 0 ] && grep -qF -- "$want" <<<"$out" || diag "status $st: $out"
    ok $([ "$(ls -A "$T/out" | wc -l)" = "$n0" ] && [ -z "$(ls -A "$W")" ]; echo $?) "bad part lines ($name): nothing written"
}
L1=$(( $(common | wc -l) + 1 ))   # line of the first part line
bad tworoots "bad-tworoots.ks:$((L1 + 1)): part /: mount point / is already used" <<'EOF'
part / --size 100
part / --size 200
EOF
bad fstype "bad-fstype.ks:$L1: part /: unknown filesystem type 'ext9'" <<'EOF'
part / --size 100 --fstype ext9
EOF
bad fit "bad-fit.ks:$L1: the partitions on disk sda need 701 MiB" --disk-size 300 <<'EOF'
part / --size 500 --fstype ext4
EOF
bad noroot "no root partition" <<'EOF'
part /home --size 100
EOF

after=$(my_state)
ok $([ "$before" = "$after" ]; echo $?) "nothing left behind (mounts, loops, temp dirs)"
[ "$before" = "$after" ] || diag "$(diff <(echo "$before") <(echo "$after"))"
tap_done
