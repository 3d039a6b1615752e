#!/bin/bash
# Kickstart parser robustness: a short libFuzzer run (ASan+UBSan, seeded from
# the corpus when present) and hostile inputs for the built tools: a 1 GB
# line, 1 GB of lines, include cycles and deep include nesting, many
# sections.  Each must end with an error (or success), never a crash, a hang
# or unbounded memory.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
FUZZ_SHORT_TIME=${FUZZ_SHORT_TIME:-60}
KF=$KSC_BUILD/ksflatten

T=$(mktemp -d /tmp/ksc-fuzz.XXXXXX)
trap 'rm -rf "$T"' EXIT

# --- the fuzzer -----------------------------------------------------------
if command -v clang >/dev/null && echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }' \
        | clang -x c -fsanitize=fuzzer,address,undefined -o "$T/probe" - 2>/dev/null; then
    if make --no-print-directory -s BUILD="$KSC_BUILD" fuzz-build >"$T/build.log" 2>&1; then
        ok 0 "fuzzer builds"
        make --no-print-directory -s BUILD="$KSC_BUILD" FUZZ_SHORT_TIME="$FUZZ_SHORT_TIME" \
            fuzz-short >"$T/fuzz.log" 2>&1
        st=$?
        diag "$(grep -E '^(Done|INFO: *[0-9]+ files found)' "$T/fuzz.log")"
        [ $st -eq 0 ] || diag "$(tail -40 "$T/fuzz.log")"
        ok $st "fuzzing for ${FUZZ_SHORT_TIME}s: no crash, leak, hang or sanitizer report"
    else
        diag "$(tail -20 "$T/build.log")"
        ok 1 "fuzzer builds"
    fi
else
    echo "ok $((T_N + 1)) # SKIP clang with libFuzzer not available"; T_N=$((T_N + 1))
fi

# --- hostile inputs for ksflatten -------------------------------------------
if [ ! -x "$KF" ]; then
    tap_done; exit
fi
TIME=
[ -x /usr/bin/time ] && TIME="/usr/bin/time -f %M -o $T/rss"

run() {  # run NAME FILE -> $st, $out, $rss (KiB or "?")
    out=$(cd "$T" && timeout 120 $TIME "$KF" -c "$2" 2>&1 >/dev/null); st=$?
    rss=$(tail -1 "$T/rss" 2>/dev/null || echo "?")
    rm -f "$T/rss"
}
bounded() { [ "$rss" = "?" ] || [ "$rss" -lt 300000 ]; }

# one line of 1 GB, streamed through a pipe
mkfifo "$T/bigline.ks"
(head -c 1073741824 /dev/zero | tr '\0' x >"$T/bigline.ks") 2>/dev/null &
run bigline bigline.ks
wait
ok $([ $st -eq 1 ] && grep -q "longer than" <<<"$out" && bounded; echo $?) \
    "a 1 GB line: an error, memory bounded (exit $st, max RSS ${rss} KiB)"

# 1 GB of short lines in a %post body
mkfifo "$T/biglines.ks"
({ echo "%post"; yes "echo filler line"; } | head -c 1073741824 >"$T/biglines.ks") 2>/dev/null &
run biglines biglines.ks
wait
ok $([ $st -eq 1 ] && grep -q "larger than" <<<"$out" && bounded; echo $?) \
    "1 GB of lines: an error, memory bounded (exit $st, max RSS ${rss} KiB)"

# a million commands
yes "part pv.01 --size=1" | head -n 1000000 >"$T/many.ks"
run many many.ks
ok $([ $st -eq 1 ] && grep -q "more than" <<<"$out" && bounded; echo $?) \
    "a million commands: an error, memory bounded (exit $st, max RSS ${rss} KiB)"

# include cycle
printf '%%include b.ks\n' >"$T/a.ks"; printf '%%include a.ks\n' >"$T/b.ks"
run cycle a.ks
ok $([ $st -eq 1 ] && grep -q "cycle" <<<"$out"; echo $?) "include cycle: an error (exit $st)"

# an include chain 1000 deep
for i in $(seq 0 999); do printf '%%include d%d.ks\n' $((i + 1)) >"$T/d$i.ks"; done
echo "lang C" >"$T/d1000.ks"
run deep d0.ks
ok $([ $st -eq 1 ] && grep -q "nested more than" <<<"$out"; echo $?) "1000 nested includes: an error (exit $st)"

# 100000 sections, and 100000 unclosed section starts
for i in $(seq 1 100000); do printf '%%post\necho %d\n%%end\n' "$i"; done >"$T/sections.ks"
run sections sections.ks
ok $([ $st -eq 0 ] && bounded; echo $?) "100000 sections parse (exit $st, max RSS ${rss} KiB)"
yes "%pre" | head -n 100000 >"$T/open.ks"
run open open.ks
ok $([ $st -eq 1 ] && grep -q "does not end with %end" <<<"$out"; echo $?) "100000 unclosed sections: an error (exit $st)"

# a 100 MB %packages section is refused before the duplicate check gets slow
{ echo "%packages"; seq 1 2000000 | sed 's/^/pkg/'; echo "%end"; } >"$T/pkgs.ks"
start=$(date +%s)
run pkgs pkgs.ks
secs=$(( $(date +%s) - start ))
ok $([ $st -eq 1 ] && [ $secs -lt 30 ] && bounded; echo $?) \
    "2 million package lines: an error in ${secs}s (exit $st, max RSS ${rss} KiB)"
tap_done
