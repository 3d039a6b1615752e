#!/bin/bash
# Bad input: clear messages with file and line, non-zero exit, nothing left behind.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
need_root
LC=$KSC_BUILD/livecd-creator
[ -x "$LC" ] || skip_all "livecd-creator not built"
REPO=$(fixture_distro) || skip_all "cannot build the fixture repository"

T=$(mktemp -d /tmp/ksc-errors.XXXXXX)
trap 'rm -rf "$T"' EXIT
W=$T/work; mkdir -p "$W"
before=$(host_state "$W")

run() {  # run KSFILE -> $out, $st
    out=$("$LC" -c "$1" -t "$W" -o "$T/out" --cache "$T/cache" 2>&1); st=$?
}

cat > "$T/unknown.ks" <<EOF
lang en_US.UTF-8
frobnicate --now
EOF
run "$T/unknown.ks"
ok $([ $st -eq 1 ]; echo $?) "unknown command exits 1 (got $st)"
ok $(grep -q "unknown.ks:2: .*[Uu]nknown command.*frobnicate" <<<"$out"; echo $?) "unknown command names file and line"

cat > "$T/noend.ks" <<EOF
lang en_US.UTF-8

%post
echo hi
EOF
run "$T/noend.ks"
ok $([ $st -ne 0 ]; echo $?) "missing %end fails"
ok $(grep -Eq "noend.ks:[0-9]+: .*%end" <<<"$out"; echo $?) "missing %end names file and line"

cat > "$T/inc.ks" <<EOF
lang en_US.UTF-8
%include does-not-exist.ks
EOF
run "$T/inc.ks"
ok $([ $st -ne 0 ]; echo $?) "missing include fails"
ok $(grep -q "inc.ks:2: .*does-not-exist.ks" <<<"$out"; echo $?) "missing include names file and line"

cat > "$T/nopkg.ks" <<EOF
repo --name=fixture --baseurl=file://$REPO
part / --size 256
%packages
busybox
no-such-package-xyz
%end
EOF
run "$T/nopkg.ks"
ok $([ $st -eq 1 ]; echo $?) "missing package exits 1"
ok $(grep -q "no-such-package-xyz" <<<"$(tail -n 1 <<<"$out")"; echo $?) "last line names the missing package"
diag "$(tail -n 2 <<<"$out")"

"$LC" -c "$T/unknown.ks" --bogus-option >/dev/null 2>&1; st=$?
ok $([ $st -eq 2 ]; echo $?) "usage error exits 2"
"$LC" >/dev/null 2>&1; st=$?
ok $([ $st -eq 2 ]; echo $?) "missing -c exits 2"
"$LC" -c "$T/unknown.ks" -f 123456789012345678901234567890123 >/dev/null 2>&1; st=$?
ok $([ $st -eq 2 ]; echo $?) "label over 32 characters is a usage error"

after=$(host_state "$W")
ok $([ "$before" = "$after" ]; echo $?) "nothing left behind"
[ "$before" = "$after" ] || diag "$(diff <(echo "$before") <(echo "$after"))"
ok $([ -z "$(ls -A "$T/out" 2>/dev/null)" ]; echo $?) "no artifact written"
tap_done
