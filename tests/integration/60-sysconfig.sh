#!/bin/bash
# System configuration (issue 5): image-creator builds a plain ext4 image from
# a kickstart using every system command; the files in the image are checked
# (contents, owners, modes, symlinks), warnings and errors carry file:line.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
need_root
IC=$KSC_BUILD/image-creator
[ -x "$IC" ] || skip_all "image-creator not built"
REPO=$(fixture_distro) || skip_all "cannot build the fixture repository"

T=$(mktemp -d /tmp/ksc-sysconf.XXXXXX)
M=$T/mnt
trap 'mountpoint -q "$M" && umount "$M"; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
W=$T/work; mkdir -p "$W" "$T/out" "$M"
before=$(host_state "$W")

ROOTHASH='$6$kscreatesalt$ZUIVX.BOC2Lkj6ey8P/Vp7vrHVxCvPKwhA.44fU4JZYL8Pn0kwg4LaAEBvE2Xi00S8NAIkARgOGA1m9nRrPfE/'
BOBHASH='$6$bobsalt$IhA7fEXYETHpLFgwZi2nGUYVPco9XweVR.JSY8SgjFb/1XG7SkSkejTBgBF2e6niNAngJBa9SfespiJFW69sh0'
KEY='ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKscreateTestKeyForAlice alice@test'

cat > "$T/sys.ks" <<EOF
repo --name=fixture --baseurl=file://$REPO
lang de_DE.UTF-8 --addsupport=fr_FR.UTF-8
keyboard --vckeymap=de-nodeadkeys --xlayouts='de (nodeadkeys)',us --switch=grp:alt_shift_toggle
timezone Europe/Berlin --utc --ntpservers=ntp.example.com
timesource --ntp-pool=pool.example.org --nts
rootpw --iscrypted --allow-ssh $ROOTHASH
group --name=devs --gid=2000
user --name=alice --groups=wheel,devs --password=alice-pw --plaintext --shell=/bin/sh --gecos="Alice Example"
user --name=bob --uid=1500 --gid=100 --homedir=/srv/bob --shell=/bin/sh --lock --iscrypted --password=$BOBHASH
sshkey --username=alice "$KEY"
services --enabled=nosuchd --disabled=cups
network --hostname=ksc-sysconfig
network --device=eth0 --bootproto=static --ip=192.168.7.2 --netmask=255.255.255.0 --gateway=192.168.7.1
firewall --enabled --port=8080:tcp,53:udp --service=http --trust=eth1
selinux --permissive
skipx
firstboot --disable
authselect select sssd with-mkhomedir
bootloader --timeout=3 --append="quiet" --iscrypted --password=grub.pbkdf2.sha512.10000.AAAA.BBBB
reboot
text
part / --size 300 --fstype ext4
%packages --excludedocs --inst-langs=de_DE:fr_FR
@core
%end
%post --erroronfail --log=/root/ks-post.log
echo post-ok
[ -s /etc/resolv.conf ] && echo resolv-ok > /etc/post-resolv
dbus-uuidgen > /etc/machine-id 2>/dev/null || echo 0123456789abcdef0123456789abcdef > /etc/machine-id
%end
%post --nochroot --interpreter=/bin/bash
echo "root=\$INSTALL_ROOT" > "\$INSTALL_ROOT/etc/nochroot-root"
%end
EOF
line() { grep -n -- "$1" "$T/sys.ks" | head -n 1 | cut -d: -f1; }

out=$("$IC" -c "$T/sys.ks" -n sysimg -t "$W" -o "$T/out" --cache "$T/cache" --logfile "$T/build.log" 2>&1); st=$?
ok $st "image-creator exits 0"
[ $st -eq 0 ] || diag "$(tail -n 20 <<<"$out")"
has_out() { grep -q -- "$1" <<<"$out" || grep -q -- "$1" "$T/build.log" 2>/dev/null; }
ok $(has_out "sys.ks:$(line '^services'): services --enabled: service nosuchd does not exist in the image"; echo $?) \
    "unknown service: warning with file:line"
ok $(has_out "sys.ks:$(line '^firewall'): firewall: firewalld is not installed"; echo $?) "firewall without firewalld: warning with line"
ok $(has_out "sys.ks:$(line '^network --device'): network --device=eth0: the image has no NetworkManager"; echo $?) \
    "network without a network stack in the image: warning with line"
ok $(has_out "sys.ks:$(line '^authselect'): authselect: authselect is not installed"; echo $?) "authselect not installed: warning"
ok $(has_out "sys.ks:$(line '^skipx'): the image has no multi-user.target"; echo $?) "skipx without systemd targets: warning"
ok $(has_out "kickstart command 'reboot' does not apply to an image: ignored"; echo $?) "reboot listed as ignored"
ok $(has_out "kickstart command 'text' does not apply to an image: ignored"; echo $?) "text listed as ignored"
ok $([ "$(grep -c "'reboot' does not apply" "$T/build.log")" -eq 1 ]; echo $?) "listed once"
ok $(! has_out "'user' does not apply"; echo $?) "applied commands are not listed as ignored"

IMG=$T/out/sysimg.img
mount -o loop,ro "$IMG" "$M"
ok $? "image mounts"
f() { cat "$M/$1" 2>/dev/null; }
sm() { stat -c '%a %u %g' "$M/$1" 2>/dev/null; }
ok $([ "$(f etc/rpm/macros.imgcreate)" = $'%_excludedocs 1\n%_install_langs de_DE:fr_FR' ]; echo $?) \
   "rpm macros for the running image: excludedocs, inst-langs; SELinux permissive keeps file contexts"
ok $(grep -qx 'LANG="de_DE.UTF-8"' "$M/etc/locale.conf"; echo $?) "lang -> locale.conf"
ok $(grep -qx 'KEYMAP=de-nodeadkeys' "$M/etc/vconsole.conf"; echo $?) "keyboard --vckeymap -> vconsole.conf"
k=$M/etc/X11/xorg.conf.d/00-keyboard.conf
ok $(grep -q '"XkbLayout" "de,us"' "$k" && grep -q '"XkbVariant" "nodeadkeys,"' "$k" && grep -q '"XkbOptions" "grp:alt_shift_toggle"' "$k"; echo $?) \
    "keyboard --xlayouts --switch -> 00-keyboard.conf"
ok $([ "$(readlink "$M/etc/localtime")" = ../usr/share/zoneinfo/Europe/Berlin ]; echo $?) "timezone -> /etc/localtime"
ok $([ "$(tail -n 1 "$M/etc/adjtime")" = UTC ]; echo $?) "timezone --utc -> adjtime"
ok $(grep -q "^root:$(sed 's/[$./]/\\&/g' <<<"$ROOTHASH"):" "$M/etc/shadow"; echo $?) "rootpw --iscrypted -> shadow"
ok $(grep -qx 'PermitRootLogin yes' "$M/etc/ssh/sshd_config.d/01-permitrootlogin.conf"; echo $?) "rootpw --allow-ssh"
ok $(grep -qx 'devs:x:2000:alice' "$M/etc/group"; echo $?) "group --gid, alice a member"
ok $(grep -qx 'wheel:x:10:alice' "$M/etc/group" && grep -qx 'wheel:::alice' "$M/etc/gshadow"; echo $?) "user --groups in group and gshadow"
ok $(grep -qx 'alice:x:1000:1000:Alice Example:/home/alice:/bin/sh' "$M/etc/passwd"; echo $?) "user alice in passwd"
ok $(grep -qx 'alice:x:1000:' "$M/etc/group" && grep -q '^alice:!::' "$M/etc/gshadow"; echo $?) "alice's private group"
ok $(grep -q '^alice:\$6\$' "$M/etc/shadow"; echo $?) "user --plaintext: SHA-512 hash in shadow"
ok $(grep -qx 'bob:x:1500:100::/srv/bob:/bin/sh' "$M/etc/passwd"; echo $?) "user --uid --gid --homedir"
ok $(grep -q "^bob:!$(sed 's/[$./]/\\&/g' <<<"$BOBHASH"):" "$M/etc/shadow"; echo $?) "user --iscrypted --lock"
ok $([ "$(sm etc/shadow)" = "0 0 0" ] && [ "$(sm etc/passwd)" = "644 0 0" ]; echo $?) "shadow 0000, passwd 0644"
ok $([ "$(sm home/alice)" = "700 1000 1000" ] && [ "$(sm srv/bob)" = "700 1500 100" ]; echo $?) "home directories 0700 owned by the users"
ok $([ "$(sm home/alice/.ssh)" = "700 1000 1000" ] && [ "$(sm home/alice/.ssh/authorized_keys)" = "600 1000 1000" ]; echo $?) \
    "sshkey: .ssh 0700 and authorized_keys 0600 owned by alice"
ok $(grep -qxF "$KEY" "$M/home/alice/.ssh/authorized_keys"; echo $?) "authorized_keys holds the key"
ok $([ "$(f etc/hostname)" = ksc-sysconfig ]; echo $?) "network --hostname"
z=$M/etc/firewalld/zones/public.xml
ok $(grep -q '<service name="http"/>' "$z" && grep -q '<port protocol="tcp" port="8080"/>' "$z" && grep -q '<port protocol="udp" port="53"/>' "$z"; echo $?) \
    "firewall --service --port -> zone file"
ok $(grep -q '<interface name="eth1"/>' "$M/etc/firewalld/zones/trusted.xml"; echo $?) "firewall --trust -> trusted zone"
ok $(grep -qx 'SELINUX=permissive' "$M/etc/selinux/config"; echo $?) "selinux --permissive -> /etc/selinux/config"
# The creator calls sysconfig_resolv_setup() before %post and
# sysconfig_finish() after it.
ok $(has_out "the image has no policy"; echo $?) "no SELinux policy in the fixture: no relabel"
ok $(grep -qx 'GRUB2_PASSWORD=grub.pbkdf2.sha512.10000.AAAA.BBBB' "$M/boot/grub2/user.cfg" && [ "$(sm boot/grub2/user.cfg)" = "600 0 0" ]; echo $?) \
    "bootloader --iscrypted --password -> user.cfg 0600"
ok $([ -f "$M/etc/machine-id" ] && [ ! -s "$M/etc/machine-id" ]; echo $?) "machine-id empty for first boot (also after %post wrote one)"
ok $(grep -qx post-ok "$M/root/ks-post.log"; echo $?) "%post --log appends the output in the image"
ok $(grep -q "^root=$W/kscreate-" "$M/etc/nochroot-root"; echo $?) "%post --nochroot --interpreter (host) with INSTALL_ROOT"
if [ -s /etc/resolv.conf ]; then
    ok $([ -f "$M/etc/post-resolv" ]; echo $?) "%post sees the host's resolv.conf"
    ok $([ ! -e "$M/etc/resolv.conf" ] && [ ! -L "$M/etc/resolv.conf" ]; echo $?) "the build's resolv.conf is gone afterwards"
fi
ok $([ -z "$(find "$M/proc" "$M/sys" "$M/dev" "$M/run" -mindepth 1 2>/dev/null)" ]; echo $?) "/proc, /sys, /dev, /run empty in the image"
umount "$M"

# %pre runs on the host before the kickstart is final: it writes a file that
# a later %include reads
cat > "$T/pre.ks" <<EOF
%pre --erroronfail
echo "network --hostname=from-pre" > "$T/pre-generated.ks"
%end
repo --name=fixture --baseurl=file://$REPO
part / --size 300 --fstype ext4
%include $T/pre-generated.ks
%packages
@core
%end
EOF
o=$("$IC" -c "$T/pre.ks" -n preimg -t "$W" -o "$T/out" --cache "$T/cache" 2>&1); s=$?
ok $s "%pre + %include of its output: build succeeds"
[ $s -eq 0 ] || [ -n "" ] || diag "$(tail -n 5 <<<"$o")"
hn=""
if [ $s -eq 0 ] && mount -o loop,ro "$T/out/preimg.img" "$M"; then
    hn=$(cat "$M/etc/hostname" 2>/dev/null); umount "$M"
fi
ok $([ "$hn" = from-pre ]; echo $?) "the command from the %pre-written include is applied"

# invalid values: a clear error naming the kickstart line, non-zero exit
bad() {   # bad NAME COMMAND-LINE EXPECTED-MESSAGE
    cat > "$T/$1.ks" <<EOF
repo --name=fixture --baseurl=file://$REPO
part / --size 300 --fstype ext4
$2
%packages
@core
%end
EOF
    local o s
    o=$("$IC" -c "$T/$1.ks" -n "$1" -t "$W" -o "$T/out" --cache "$T/cache" 2>&1); s=$?
    ok $([ $s -ne 0 ] && grep -q -- "$1.ks:3: $3" <<<"$o"; echo $?) "$1: fails with '$1.ks:3: $3'"
    [ $s -ne 0 ] && grep -q -- "$1.ks:3: $3" <<<"$o" || diag "$(tail -n 5 <<<"$o")"
    ok $([ ! -e "$T/out/$1.img" ]; echo $?) "$1: no image left"
}
bad uidtaken "user --name=mallory --uid=0" "user mallory: uid 0 is already used by root"
bad badtz "timezone Mars/Olympus_Mons" "timezone: unknown time zone 'Mars/Olympus_Mons'"
bad badcrypt "rootpw --iscrypted \$6\$nohash" "rootpw --iscrypted: '\\\$6\\\$nohash' is not a valid crypt(3) hash"

after=$(host_state "$W")
ok $([ "$before" = "$after" ]; echo $?) "nothing left behind"
[ "$before" = "$after" ] || diag "$(diff <(echo "$before") <(echo "$after"))"
tap_done
