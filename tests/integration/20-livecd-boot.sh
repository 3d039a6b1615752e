#!/bin/bash
# The main job end to end: livecd-creator builds a live ISO from a kickstart
# against the fixture distribution; it boots in QEMU (TCG) from CD and as a
# hard disk, BIOS and UEFI, and the %post effect is visible in the booted system.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
need_root
LC=$KSC_BUILD/livecd-creator
[ -x "$LC" ] || skip_all "livecd-creator not built"
command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86_64 missing"
REPO=$(fixture_distro) || skip_all "cannot build the fixture repository"

T=$(mktemp -d /tmp/ksc-live.XXXXXX)
HTTPD=
trap '[ -n "$HTTPD" ] && kill $HTTPD 2>/dev/null; rm -rf "$T"' EXIT
W=$T/work; mkdir -p "$W" "$T/out"
before=$(host_state "$W")

# The repository is served over HTTP on 127.0.0.1 (libcurl path).
python3 -u -m http.server --bind 127.0.0.1 --directory "$REPO" 0 > "$T/httpd.log" 2>&1 &
HTTPD=$!
for _ in $(seq 1 50); do
    PORT=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$T/httpd.log" | head -n 1)
    [ -n "$PORT" ] && break
    sleep 0.1
done
ok $([ -n "$PORT" ]; echo $?) "HTTP server for the fixture repository on port ${PORT:-?}"

mkdir -p "$T/ks"
cat > "$T/ks/repos.ks" <<EOF
repo --name=fixture --baseurl=http://127.0.0.1:$PORT/
EOF
cat > "$T/ks/live.ks" <<'EOF'
# live image for the boot test
lang en_US.UTF-8
timezone UTC --utc
rootpw --plaintext kscreate-test
bootloader --timeout=1 --append="console=ttyS0 quiet"
part / --size 384 --fstype ext4
%include repos.ks

%packages
@core
kernel
dracut
syslinux
grub2-efi-x64
%end

%post
echo "post ran in $(pwd)" > /etc/post-marker
mkdir -p /etc/boot-test.d
cat > /etc/boot-test.d/10-evidence <<'EOS'
#!/bin/sh
echo "POST-EFFECT: $(cat /etc/post-marker)"
echo "NOCHROOT: $(head -n 1 /etc/nochroot-marker)"
echo "ROOT-SHADOW: $(grep '^root:' /etc/shadow | cut -d: -f1-2)"
EOS
chmod 0755 /etc/boot-test.d/10-evidence
%end

%post --nochroot
echo "nochroot saw $INSTALL_ROOT" > "$INSTALL_ROOT/etc/nochroot-marker"
echo "LIVE_ROOT=$LIVE_ROOT" >> "$INSTALL_ROOT/etc/nochroot-marker"
%end
EOF

t0=$(date +%s.%N)
"$LC" -c "$T/ks/live.ks" -f KSC-TEST-LIVE -t "$W" -o "$T/out" --cache "$T/cache" \
    --syslinux --compression-type zstd --logfile "$T/build.log" -v > "$T/stdout" 2>&1
st=$?
t1=$(date +%s.%N)
ok $st "livecd-creator exits 0 ($(awk "BEGIN{printf \"%.1f\", $t1 - $t0}") s)"
[ $st -eq 0 ] || diag "$(tail -n 30 "$T/stdout")"
ISO=$T/out/KSC-TEST-LIVE.iso
ok $([ -s "$ISO" ] && [ "$(ls "$T/out" | grep -c '\.iso$')" -eq 1 ]; echo $?) "exactly one ISO written"
ok $(grep -q '"GET /repodata/repomd.xml' "$T/httpd.log" && grep -q '"GET /Packages/.*kernel.*\.rpm' "$T/httpd.log"; echo $?) "metadata and packages came over HTTP"
ok $(ls "$T"/cache/packages/kernel-core-*.rpm >/dev/null 2>&1; echo $?) "downloaded packages kept in --cache"
ok $(grep -q "timings:" "$T/build.log"; echo $?) "log records phase timings"
diag "$(grep -o 'timings:.*' "$T/build.log")"

list=$(bsdtar -tf "$ISO" 2>/dev/null)
for f in LiveOS/squashfs.img images/pxeboot/vmlinuz images/pxeboot/initrd.img \
         isolinux/isolinux.bin isolinux/isolinux.cfg EFI/BOOT/BOOTX64.EFI EFI/BOOT/grub.cfg \
         images/efiboot.img; do
    ok $(grep -qx "\(\./\)\?$f" <<<"$list"; echo $?) "ISO contains $f"
done
vol=$(dd if="$ISO" bs=1 skip=$((16 * 2048 + 40)) count=32 2>/dev/null | tr -d ' ')
ok $([ "$vol" = "KSC-TEST-LIVE" ]; echo $?) "volume id is the label ($vol)"
ok $([ "$(dd if="$ISO" bs=1 skip=510 count=2 2>/dev/null | od -An -tx1 | tr -d ' ')" = "55aa" ]; echo $?) "hybrid MBR signature"
ok $([ "$(dd if="$ISO" bs=1 skip=512 count=8 2>/dev/null)" = "EFI PART" ]; echo $?) "GPT header"
bsdtar -xOf "$ISO" isolinux/isolinux.cfg > "$T/isolinux.cfg" 2>/dev/null
ok $(grep -q "root=live:CDLABEL=KSC-TEST-LIVE ro rd.live.image.*console=ttyS0" "$T/isolinux.cfg"; echo $?) "kernel line has root=live:CDLABEL and bootloader --append"

for combo in "bios cdrom" "uefi cdrom" "bios disk" "uefi disk"; do
    set -- $combo
    log=$T/boot-$1-$2.log
    b0=$(date +%s)
    tests/lib/qemu-boot.sh "$ISO" "$1" "$2" 240 "$log" >/dev/null 2>&1
    st=$?
    ok $st "boots to the marker: $1 $2 ($(( $(date +%s) - b0 )) s)"
    [ $st -eq 0 ] || diag "$(tail -n 25 "$log" 2>/dev/null)"
    ok $(grep -q "POST-EFFECT: post ran in /" "$log"; echo $?) "%post effect visible after $1 $2 boot"
    ok $(grep -q "NOCHROOT: nochroot saw $W/kscreate-" "$log"; echo $?) "%post --nochroot ran with INSTALL_ROOT ($1 $2)"
    ok $(grep -q 'ROOT-SHADOW: root:\$6\$' "$log"; echo $?) "root password hash (SHA-512) in the booted system ($1 $2)"
done

after=$(host_state "$W")
ok $([ "$before" = "$after" ]; echo $?) "nothing left behind after a successful build"
[ "$before" = "$after" ] || diag "$(diff <(echo "$before") <(echo "$after"))"
tap_done
