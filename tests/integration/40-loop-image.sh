#!/bin/bash
# image-creator: a plain ext4 filesystem image holding the installed packages
# and the kickstart's configuration.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
need_root
IC=$KSC_BUILD/image-creator
[ -x "$IC" ] || skip_all "image-creator not built"
REPO=$(fixture_distro) || skip_all "cannot build the fixture repository"

T=$(mktemp -d /tmp/ksc-loop.XXXXXX)
M=$T/mnt
trap 'mountpoint -q "$M" && umount "$M"; rm -rf "$T"' EXIT
W=$T/work; mkdir -p "$W" "$T/out" "$M"
before=$(host_state "$W")

cat > "$T/loop.ks" <<EOF
repo --name=fixture --baseurl=file://$REPO
lang de_DE.UTF-8
timezone Europe/Berlin
rootpw --iscrypted \$6\$abcdefgh\$0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnop
part / --size 300 --fstype ext4 --label KSCROOT
%packages
@core
%end
%post
touch /etc/from-post
exit 4
%end
EOF
out=$("$IC" -c "$T/loop.ks" -n testimg -t "$W" -o "$T/out" --cache "$T/cache" 2>&1); st=$?
ok $st "image-creator exits 0"
[ $st -eq 0 ] || diag "$(tail -n 20 <<<"$out")"
ok $(grep -q "Warning: .*loop.ks:9: %post script exited with status 4" <<<"$out"; echo $?) "failing %post without --erroronfail is a warning with file:line"
IMG=$T/out/testimg.img
ok $([ -s "$IMG" ]; echo $?) "testimg.img written"
ok $([ "$(blkid -o value -s TYPE "$IMG")" = ext4 ]; echo $?) "it is ext4"
ok $([ "$(blkid -o value -s LABEL "$IMG")" = KSCROOT ]; echo $?) "label from part --label"
mount -o loop,ro "$IMG" "$M"
ok $? "image mounts"
ok $([ -x "$M/usr/bin/busybox" ]; echo $?) "installed package files present"
ok $([ -f "$M/etc/from-post" ]; echo $?) "%post effect present"
ok $(grep -qx 'LANG="de_DE.UTF-8"' "$M/etc/locale.conf"; echo $?) "lang -> /etc/locale.conf"
ok $([ "$(readlink "$M/etc/localtime")" = ../usr/share/zoneinfo/Europe/Berlin ]; echo $?) "timezone -> /etc/localtime link"
ok $(grep -q '^root:\$6\$abcdefgh\$0123' "$M/etc/shadow"; echo $?) "rootpw --iscrypted in /etc/shadow"
ok $([ -d "$M/usr/lib/sysimage/rpm" ] && rpm --root "$M" --dbpath /usr/lib/sysimage/rpm -q busybox >/dev/null 2>&1; echo $?) "rpmdb in /usr/lib/sysimage/rpm knows busybox"
ok $([ -z "$(ls -A "$M/proc")$(ls -A "$M/sys")$(ls -A "$M/dev")" ]; echo $?) "/proc, /sys, /dev empty in the image"
umount "$M"
after=$(host_state "$W")
ok $([ "$before" = "$after" ]; echo $?) "nothing left behind"
[ "$before" = "$after" ] || diag "$(diff <(echo "$before") <(echo "$after"))"
tap_done
