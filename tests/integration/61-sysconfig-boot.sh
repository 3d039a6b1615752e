#!/bin/bash
# System configuration in a booted system (issue 5): a live ISO whose
# kickstart sets the root password, a group, a user with an ssh key and the
# hostname boots (BIOS, CD); the booted system shows the configured root
# password hash, the user with its home directory and key, as configured.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
need_root
LC=$KSC_BUILD/livecd-creator
[ -x "$LC" ] || skip_all "livecd-creator not built"
command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86_64 missing"
REPO=$(fixture_distro) || skip_all "cannot build the fixture repository"

T=$(mktemp -d /tmp/ksc-sysboot.XXXXXX)
trap 'rm -rf "$T"' EXIT
W=$T/work; mkdir -p "$W" "$T/out"
before=$(host_state "$W")

ROOTHASH='$6$kscreatesalt$ZUIVX.BOC2Lkj6ey8P/Vp7vrHVxCvPKwhA.44fU4JZYL8Pn0kwg4LaAEBvE2Xi00S8NAIkARgOGA1m9nRrPfE/'
cat > "$T/boot.ks" <<KS
repo --name=fixture --baseurl=file://$REPO
lang en_US.UTF-8
timezone UTC --utc
rootpw --iscrypted $ROOTHASH
group --name=devs --gid=2000
user --name=alice --groups=wheel,devs --password=alice-pw --plaintext --shell=/bin/sh --gecos="Alice Example"
sshkey --username=alice "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKscreateBootKey alice@test"
network --hostname=ksc-booted
bootloader --timeout=1 --append="console=ttyS0 quiet"
part / --size 384 --fstype ext4

%packages
@core
kernel
dracut
syslinux
grub2-efi-x64
%end

%post
mkdir -p /etc/boot-test.d
cat > /etc/boot-test.d/20-sysconfig <<'EOS'
#!/bin/sh
echo "SC-ROOT: \$(grep '^root:' /etc/shadow | cut -d: -f1-2)"
echo "SC-USER: \$(grep '^alice:' /etc/passwd)"
echo "SC-GROUP: \$(grep '^devs:' /etc/group)"
echo "SC-HOME: \$(stat -c '%a %u %g' /home/alice)"
echo "SC-KEY: \$(stat -c '%a %u %g' /home/alice/.ssh/authorized_keys) \$(cut -d' ' -f3 /home/alice/.ssh/authorized_keys)"
echo "SC-PW: \$(grep '^alice:' /etc/shadow | cut -d: -f2 | cut -c1-3)"
echo "SC-HOSTNAME: \$(cat /etc/hostname)"
EOS
chmod 0755 /etc/boot-test.d/20-sysconfig
%end
KS

"$LC" -c "$T/boot.ks" -f KSC-SYSCONF -t "$W" -o "$T/out" --cache "$T/cache" \
    --compression-type zstd --logfile "$T/build.log" > "$T/stdout" 2>&1
st=$?
ok $st "livecd-creator exits 0"
[ $st -eq 0 ] || diag "$(tail -n 20 "$T/stdout")"
ISO=$T/out/KSC-SYSCONF.iso
log=$T/boot.log
b0=$(date +%s)
tests/lib/qemu-boot.sh "$ISO" bios cdrom 240 "$log" >/dev/null 2>&1
st=$?
ok $st "boots to the marker (BIOS, CD, $(( $(date +%s) - b0 )) s)"
[ $st -eq 0 ] || diag "$(tail -n 25 "$log" 2>/dev/null)"
tr -d '\r' < "$log" > "$log.txt" 2>/dev/null
has() { grep -qF -- "$1" "$log.txt"; }
ok $(has "SC-ROOT: root:$ROOTHASH"; echo $?) "booted system: root password hash from rootpw"
ok $(has "SC-USER: alice:x:1000:1000:Alice Example:/home/alice:/bin/sh"; echo $?) "booted system: user alice"
ok $(has "SC-GROUP: devs:x:2000:alice"; echo $?) "booted system: group devs with alice"
ok $(has "SC-HOME: 700 1000 1000"; echo $?) "booted system: alice's home 0700 owned by her"
ok $(has "SC-KEY: 600 1000 1000 alice@test"; echo $?) "booted system: authorized_keys 0600 owned by alice"
ok $(has 'SC-PW: $6$'; echo $?) "booted system: alice's password is a SHA-512 hash"
ok $(has "SC-HOSTNAME: ksc-booted"; echo $?) "booted system: hostname"
grep -q "SC-" "$log.txt" 2>/dev/null || diag "$(tail -n 25 "$log.txt" 2>/dev/null)"

after=$(host_state "$W")
ok $([ "$before" = "$after" ]; echo $?) "nothing left behind"
[ "$before" = "$after" ] || diag "$(diff <(echo "$before") <(echo "$after"))"
tap_done
