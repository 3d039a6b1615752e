#!/bin/bash
# Failed and interrupted builds release every mount, loop device, temporary
# directory and process, and write no artifact.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
need_root
LC=$KSC_BUILD/livecd-creator
[ -x "$LC" ] || skip_all "livecd-creator not built"
REPO=$(fixture_distro) || skip_all "cannot build the fixture repository"

T=$(mktemp -d /tmp/ksc-cleanup.XXXXXX)
trap 'rm -rf "$T"' EXIT
W=$T/work; mkdir -p "$W" "$T/out"
before=$(host_state "$W")

# A one-package repository whose %pre sleeps: a reliable window for SIGINT
# during the package install.
mkdir -p "$T/rpmbuild/SPECS" "$T/slowrepo"
cat > "$T/rpmbuild/SPECS/slow.spec" <<'EOF'
Name: slow-scriptlet
Version: 1
Release: 1
Summary: sleeps in %pre
License: MIT
BuildArch: noarch
Requires: /bin/sh
%description
Sleeps in %pre so a test can interrupt the install.
%pre
echo "slow-scriptlet: sleeping" >&2
sleep 120
%files
EOF
rpmbuild --quiet --define "_topdir $T/rpmbuild" --define "_dbpath $T/rpmbuild/db" \
    -bb "$T/rpmbuild/SPECS/slow.spec" >/dev/null 2>&1 \
    && cp "$T"/rpmbuild/RPMS/noarch/*.rpm "$T/slowrepo/" \
    && createrepo_c -q "$T/slowrepo" >/dev/null
ok $? "built the slow-scriptlet repository"

common() {
cat <<EOF
repo --name=fixture --baseurl=file://$REPO
repo --name=slow --baseurl=file://$T/slowrepo
bootloader --timeout=1
part / --size 256
EOF
}

# 1. failing %post --erroronfail
{ common; cat <<'EOF'
%packages
@core
kernel
dracut
syslinux
grub2-efi-x64
%end
%post --erroronfail
echo "about to fail"
exit 3
%end
EOF
} > "$T/failpost.ks"
out=$("$LC" -c "$T/failpost.ks" -t "$W" -o "$T/out" --cache "$T/cache" 2>&1); st=$?
ok $([ $st -eq 1 ]; echo $?) "failing %post --erroronfail exits 1"
ok $(tail -n 3 <<<"$out" | grep -q "failpost.ks:.*%post.*status 3"; echo $?) "error names the script line and status"
ok $(grep -q "about to fail" <<<"$out"; echo $?) "script output is in the error"
after=$(host_state "$W")
ok $([ "$before" = "$after" ]; echo $?) "nothing left after a failing %post"
[ "$before" = "$after" ] || diag "$(diff <(echo "$before") <(echo "$after"))"

# 2. failing %post without --erroronfail is only a warning: checked by the
#    loop image test.  3. SIGINT during package install.
{ common; cat <<'EOF'
%packages
@core
slow-scriptlet
%end
EOF
} > "$T/slow.ks"
"$LC" -c "$T/slow.ks" -t "$W" -o "$T/out" --cache "$T/cache" --logfile "$T/slow.log" > "$T/slow.out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    grep -q "slow-scriptlet: sleeping" "$T/slow.log" 2>/dev/null && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.2
done
in_install=$(grep -c "slow-scriptlet: sleeping" "$T/slow.log" 2>/dev/null)
ok $([ "${in_install:-0}" -ge 1 ]; echo $?) "the build reached the package install"
kill -INT $pid
t0=$(date +%s)
wait $pid; st=$?
ok $([ $st -ne 0 ]; echo $?) "interrupted build exits non-zero ($st) within $(( $(date +%s) - t0 )) s"
ok $(tail -n 1 "$T/slow.out" | grep -qi "interrupt"; echo $?) "last line says it was interrupted"
diag "$(tail -n 1 "$T/slow.out")"
sleep 0.5
after=$(host_state "$W")
ok $([ "$before" = "$after" ]; echo $?) "nothing left after SIGINT during install"
[ "$before" = "$after" ] || diag "$(diff <(echo "$before") <(echo "$after"))"
ok $([ -z "$(ls -A "$T/out")" ]; echo $?) "no artifact after failures"
ok $(ls "$T"/cache/packages/*.rpm >/dev/null 2>&1; echo $?) "downloaded packages stay in --cache as *.rpm"
tap_done
