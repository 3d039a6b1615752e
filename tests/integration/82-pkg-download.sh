#!/bin/bash
# 82-pkg-download.sh - package downloads over HTTP (tests/fixtures/httpd.py):
# a transfer cut in the middle is resumed with a Range request; two builds
# sharing one --cache at the same time both succeed (locking); a package
# missing on the server fails naming the package and the URL.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
RES=$KSC_BUILD/ksc-resolve
[ -x "$RES" ] || skip_all "ksc-resolve not built"
command -v python3 >/dev/null 2>&1 || skip_all "python3 missing"
O=$KSC_FIXTURES/oracle
tests/fixtures/mkoracle.sh "$O" >&2 || skip_all "cannot build the oracle repositories"

T=$(mktemp -d /tmp/ksc-dl.XXXXXX)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
serve() {  # serve DIR ARGS... -> $URL
    local p
    p=$(port)
    python3 tests/fixtures/httpd.py "$@" "$p" --log "$T/http-$p.log" &
    PIDS+=($!)
    for _ in $(seq 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && break
        sleep 0.1
    done
    URL=http://127.0.0.1:$p
    LOG=$T/http-$p.log
}
ks() {  # ks URL FILE
    printf 'repo --name=main --baseurl=%s/\n%%packages --nocore\no-base\no-mua\n%%end\n' "$1" > "$2"
}

serve "$O/main" --cut-rpms
ks "$URL" "$T/cut.ks"
out=$("$RES" --cache "$T/c1" --download "$T/cut.ks" 2>&1); st=$?
ok $st "download with every package cut in the middle succeeds"
diag "$(tail -n 2 <<<"$out")"
ok $(grep -q ' bytes=[0-9]*- 206$' "$LOG"; echo $?) "the second request resumed with a Range (206)"
n=$(ls "$T"/c1/packages/*.rpm 2>/dev/null | wc -l)
ok $([ "$n" -eq 7 ]; echo $?) "7 packages in the cache (got $n)"
ok $(ls "$T"/c1/packages/*.part >/dev/null 2>&1; [ $? -ne 0 ]; echo $?) "no .part files left"
bad=0
for f in "$T"/c1/packages/*.rpm; do rpm -K --nosignature "$f" >/dev/null 2>&1 || bad=1; done
ok $bad "every resumed package passes rpm -K"

serve "$O/main" --rate 2000000
ks "$URL" "$T/slow.ks"
"$RES" --cache "$T/c2" --download "$T/slow.ks" >"$T/a.out" 2>&1 & a=$!
"$RES" --cache "$T/c2" --download "$T/slow.ks" >"$T/b.out" 2>&1 & b=$!
wait $a; sa=$?; wait $b; sb=$?
ok $([ $sa -eq 0 ] && [ $sb -eq 0 ]; echo $?) "two builds sharing --cache at once both succeed"
diag "$(tail -n 1 "$T/a.out") / $(tail -n 1 "$T/b.out")"
gets=$(grep -c '\.rpm ' "$LOG")
ok $([ "$gets" -eq 7 ]; echo $?) "each package fetched once (the second build waited; $gets GETs)"

mkdir -p "$T/holey"
cp -r "$O/main/repodata" "$T/holey/"
mkdir -p "$T/holey/Packages"
cp "$O"/main/Packages/o-{base,lib-2.0,libdep,rec,supp,mua,postfix,exim}*.rpm "$T/holey/Packages/" 2>/dev/null
rm -f "$T/holey/Packages/o-rec-1.0-1.noarch.rpm"
serve "$T/holey"
ks "$URL" "$T/holey.ks"
out=$("$RES" --cache "$T/c3" --download "$T/holey.ks" 2>&1); st=$?
ok $([ $st -ne 0 ] && grep -q "Failed to download o-rec-1.0-1.noarch from $URL/Packages/o-rec-1.0-1.noarch.rpm: .*404" <<<"$out"; echo $?) \
    "a missing package fails naming it, its URL and the HTTP error"
diag "$(tail -n 1 <<<"$out")"
tap_done
