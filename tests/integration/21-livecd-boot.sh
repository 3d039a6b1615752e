#!/bin/bash
# Live ISO boot matrix beyond 20-livecd-boot.sh: the default GRUB2 BIOS layout
# (El Torito eltorito.img, boot_hybrid.img MBR, efiboot.img appended as a GPT
# EFI System Partition) and --syslinux, BIOS and UEFI, CD and disk; media check
# data verified by checkisomd5; rd.live.overlay* options reach the booted
# kernel.  Kept to five boots (TCG is slow).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
need_root
LC=$KSC_BUILD/livecd-creator
[ -x "$LC" ] || skip_all "livecd-creator not built"
command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86_64 missing"
REPO=$(fixture_distro) || skip_all "cannot build the fixture repository"

T=$(mktemp -d /var/tmp/ksc-live-boot.XXXXXX)
trap 'rm -rf "$T"' EXIT
cat >"$T/live.ks" <<EOF
lang en_US.UTF-8
timezone UTC --utc
rootpw --plaintext kscreate-test
bootloader --timeout=1 --append="console=ttyS0 quiet rd.live.overlay.size=300"
part / --size 256 --fstype ext4
repo --name=fixture --baseurl=file://$REPO
%packages
@core
kernel
dracut
syslinux
grub2-efi-x64
grub2-efi-x64-cdboot
grub2-pc
%end
%post
mkdir -p /etc/boot-test.d
cat > /etc/boot-test.d/10-cmdline <<'EOS'
#!/bin/sh
echo "CMDLINE: \$(cat /proc/cmdline)"
EOS
chmod 0755 /etc/boot-test.d/10-cmdline
%end
EOF

build() {   # build NAME ARGS...
    local name=$1; shift
    local t0; t0=$(date +%s.%N)
    "$LC" -c "$T/live.ks" -f "$name" -t "$T" -o "$T/out" --compression-type zstd "$@" \
        --logfile "$T/$name.log" >"$T/$name.out" 2>&1
    local st=$?
    ok $st "build $name $* ($(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $t0}") s)"
    [ $st -eq 0 ] || diag "$(tail -n 20 "$T/$name.out")"
    ok $(checkisomd5 "$T/out/$name.iso" >/dev/null 2>&1; echo $?) "checkisomd5 passes on $name.iso"
}
boot() {    # boot ISO MODE MEDIA
    local log=$T/boot-$(basename "$1" .iso)-$2-$3.log b0; b0=$(date +%s)
    tests/lib/qemu-boot.sh "$1" "$2" "$3" 240 "$log" >/dev/null 2>&1
    local st=$?
    ok $st "$(basename "$1"): boots $2 $3 ($(( $(date +%s) - b0 )) s)"
    [ $st -eq 0 ] || diag "$(tail -n 25 "$log" 2>/dev/null)"
    ok $(grep -q "^CMDLINE: .*root=live:CDLABEL=.* rd.live.overlay.size=300" "$log"; echo $?) \
       "  ... rd.live.overlay.size passed through to the live kernel"
}

build KSC-GRUB
build KSC-SYSLINUX --syslinux
boot "$T/out/KSC-GRUB.iso" bios cdrom
boot "$T/out/KSC-GRUB.iso" bios disk
boot "$T/out/KSC-GRUB.iso" uefi cdrom
boot "$T/out/KSC-GRUB.iso" uefi disk
boot "$T/out/KSC-SYSLINUX.iso" bios cdrom
tap_done
