#!/bin/bash
# mk/pkg-bench.sh - the package engine benchmark (make bench-pkg; see
# mk/pkg.mk).  Needs root (tmpfs mount), rpm, python3, createrepo_c; dnf for
# the dnf columns (skipped without it).  Prints medians and ratios.
set -u
cd "$(dirname "$0")/.." || exit 1
RUNS=${BENCH_RUNS:-3}
MB=${BENCH_MB:-500}
FIX=${KSC_FIXTURES:-/var/cache/kscreate-fixtures}
RES=${KSC_BUILD:-$PWD/build}/ksc-resolve
[ -x "$RES" ] || { echo "pkg-bench: $RES not built" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "pkg-bench: needs root (tmpfs)" >&2; exit 1; }
HAVE_DNF=1
command -v dnf >/dev/null 2>&1 || HAVE_DNF=0

echo "== generating repositories ($MB MB benchmark set; 70000-package metadata)"
t0=$(date +%s.%N)
tests/fixtures/mkbench.sh "$FIX/bench" "$MB" || exit 1
python3 tests/fixtures/mkbig.py "$FIX/big" 70000 || exit 1
printf '   %.0f s\n' "$(awk "BEGIN { print $(date +%s.%N) - $t0 }")"

T=$(mktemp -d /tmp/ksc-bench.XXXXXX)
HTTP_PID=
cleanup() {
    [ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null
    umount "$T/mnt" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
mkdir -p "$T/mnt"
mount -t tmpfs -o size=$((MB * 3 + 512))m kscbench "$T/mnt" || exit 1
B=$FIX/bench
printf 'repo --name=bench --baseurl=file://%s\n%%packages --nocore\nbench-*\n%%end\n' "$B" > "$T/bench.ks"
printf '[main]\n' > "$T/dnf.conf"
DNF=(dnf -y -q --config="$T/dnf.conf" --setopt=reposdir=/dev/null --releasever=1 --nogpgcheck
     --setopt=install_weak_deps=True --setopt=best=True --setopt=logdir="$T")
FILES=("$B"/Packages/*.rpm)

now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
timed() {  # timed OUTFILE CMD... : appends wall seconds to OUTFILE, CPU (user+sys) to OUTFILE.cpu
    local out=$1 st
    shift
    sync
    local TIMEFORMAT='%R %U %S'
    { time "$@" >"$T/last.log" 2>&1; } 2>"$T/time.out"
    st=$?
    [ $st -eq 0 ] || { echo "   FAILED: $*" >&2; tail -n 5 "$T/last.log" >&2; return 1; }
    local t_real t_user t_sys
    read -r t_real t_user t_sys < <(tail -n 1 "$T/time.out")
    echo "$t_real" >> "$out"
    calc "$t_user + $t_sys" >> "$out.cpu"
}

echo "== warm-up (caches filled, not timed)"
"$RES" --cache "$T/cache" --install "$T/mnt/warm" "$T/bench.ks" >/dev/null || exit 1
n=$(rpm -qa --root "$T/mnt/warm" --dbpath /usr/lib/sysimage/rpm | wc -l)
echo "   $n packages, $(du -sm "$T/mnt/warm" | cut -f1) MB installed"
rm -rf "$T/mnt/warm"
if [ $HAVE_DNF = 1 ]; then
    "${DNF[@]}" --installroot="$T/mnt/warm" --setopt=cachedir="$T/dnfcache" \
        --repofrompath=bench,file://"$B" makecache >/dev/null 2>&1
    rm -rf "$T/mnt/warm"
fi

echo "== install into an empty root on tmpfs, $RUNS runs alternating"
run_rpm() { timed "$T/t.rpm" rpm -i --root "$1" "${FILES[@]}"; }
run_ours() { timed "$T/t.ours" "$RES" --cache "$T/cache" --install "$1" "$T/bench.ks"; }
run_dnf() {
    [ $HAVE_DNF = 1 ] || return 0
    timed "$T/t.dnf" "${DNF[@]}" --installroot="$1" --setopt=cachedir="$T/dnfcache" \
        --repofrompath=bench,file://"$B" install 'bench-*'
}
tools=(rpm ours dnf)
for r in $(seq "$RUNS"); do
    # the order rotates every run: none always follows the same one
    for k in 0 1 2; do
        t=${tools[$(( (r + k) % 3 ))]}
        "run_$t" "$T/mnt/root"
        rm -rf "$T/mnt/root"
    done
    echo "   run $r done"
done
rpm_m=$(median < "$T/t.rpm"); ours_m=$(median < "$T/t.ours")
rpm_c=$(median < "$T/t.rpm.cpu"); ours_c=$(median < "$T/t.ours.cpu")
echo "   medians: wall time (ratio to the floor), CPU user+sys (ratio)"
printf '   rpm -i --root (floor) %6.2f s           %6.2f s\n' "$rpm_m" "$rpm_c"
printf '   ours                  %6.2f s (%.3fx)   %6.2f s (%.3fx)\n' "$ours_m" "$(calc "$ours_m / $rpm_m")" \
    "$ours_c" "$(calc "$ours_c / $rpm_c")"
if [ $HAVE_DNF = 1 ]; then
    dnf_m=$(median < "$T/t.dnf"); dnf_c=$(median < "$T/t.dnf.cpu")
    printf '   dnf --installroot     %6.2f s (%.3fx)   %6.2f s (%.3fx)\n' "$dnf_m" "$(calc "$dnf_m / $rpm_m")" \
        "$dnf_c" "$(calc "$dnf_c / $rpm_c")"
    printf '   ours / dnf            %.3f (wall)        %.3f (CPU)\n' "$(calc "$ours_m / $dnf_m")" \
        "$(calc "$ours_c / $dnf_c")"
fi

echo "== resolve only (the 400, warm metadata), $RUNS runs"
for r in $(seq "$RUNS"); do
    timed "$T/r.ours" "$RES" --cache "$T/cache" "$T/bench.ks"
    if [ $HAVE_DNF = 1 ]; then
        # --assumeno: dnf resolves, prints the transaction and stops (exit 1)
        timed "$T/r.dnf" sh -c '"$@" >/dev/null 2>&1; [ $? -le 1 ]' dnf "${DNF[@]}" \
            --installroot="$T/mnt/rr" --setopt=cachedir="$T/dnfcache" \
            --repofrompath=bench,file://"$B" --assumeno install 'bench-*'
    fi
done
printf '   ours (load + resolve + print)   %6.3f s wall  %6.3f s CPU\n' "$(median < "$T/r.ours")" \
    "$(median < "$T/r.ours.cpu")"
[ $HAVE_DNF = 1 ] && printf '   dnf --assumeno install          %6.3f s wall  %6.3f s CPU\n' "$(median < "$T/r.dnf")" \
    "$(median < "$T/r.dnf.cpu")"

RATE=${BENCH_RATE:-20000000}
echo "== download over HTTP (127.0.0.1, tests/fixtures/httpd.py, $((RATE / 1000000)) MB/s per connection), $RUNS runs alternating"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 tests/fixtures/httpd.py "$B" "$port" --rate "$RATE" >/dev/null 2>&1 &
HTTP_PID=$!
for i in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
printf 'repo --name=bench --baseurl=http://127.0.0.1:%s/\n%%packages --nocore\nbench-*\n%%end\n' "$port" > "$T/http.ks"
for r in $(seq "$RUNS"); do
    rm -rf "$T/mnt/dl"
    timed "$T/d.ours" "$RES" --cache "$T/mnt/dl" --download "$T/http.ks"
    rm -rf "$T/mnt/dl"
    if [ $HAVE_DNF = 1 ]; then
        timed "$T/d.dnf" "${DNF[@]}" --installroot="$T/mnt/dlroot" --setopt=cachedir="$T/mnt/dl" \
            --repofrompath=bench,http://127.0.0.1:"$port"/ install --downloadonly 'bench-*'
        rm -rf "$T/mnt/dl" "$T/mnt/dlroot"
    fi
done
printf '   ours (metadata + resolve + download) %7.2f s\n' "$(median < "$T/d.ours")"
[ $HAVE_DNF = 1 ] && printf '   dnf --downloadonly                   %7.2f s   ours/dnf %.3f\n' "$(median < "$T/d.dnf")" \
    "$(calc "$(median < "$T/d.ours") / $(median < "$T/d.dnf")")"

echo "== 70000 packages: metadata load + depsolve of @core, $RUNS runs"
printf 'repo --name=big --baseurl=file://%s\n%%packages\n%%end\n' "$FIX/big" > "$T/big.ks"
for r in $(seq "$RUNS"); do
    rm -rf "$T/bigcache"
    timed "$T/b.cold" "$RES" --cache "$T/bigcache" "$T/big.ks"
    timed "$T/b.warm" "$RES" --cache "$T/bigcache" "$T/big.ks"
done
printf '   cold (XML parse, .solv written) %6.3f s wall  %6.3f s CPU\n' "$(median < "$T/b.cold")" \
    "$(median < "$T/b.cold.cpu")"
printf '   warm (.solv cache)              %6.3f s wall  %6.3f s CPU  (%s packages resolved)\n' \
    "$(median < "$T/b.warm")" "$(median < "$T/b.warm.cpu")" "$("$RES" --cache "$T/bigcache" "$T/big.ks" | wc -l)"
