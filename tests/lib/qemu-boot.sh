#!/bin/bash
# qemu-boot.sh IMAGE MODE MEDIA TIMEOUT_S LOGFILE [MARKER]
#   MODE   bios | uefi
#   MEDIA  cdrom | disk
# Boots IMAGE in QEMU (TCG, -machine pc, IDE), serial console -> LOGFILE.
# Waits until MARKER (default KSCREATE-BOOT-OK) and KSCREATE-BOOT-DONE appear,
# the VM powers off, or TIMEOUT_S expires (then qemu is killed).
# Exit status: 0 if MARKER appeared on a line of its own, 1 if not, 2 on usage
# or setup errors. QEMU's own stderr is kept in LOGFILE.qemu.
# Environment: KSCREATE_QEMU (default qemu-system-x86_64), KSCREATE_QEMU_MEM (1536),
#   KSCREATE_QEMU_EXTRA (extra arguments, word-split), KSCREATE_OVMF_CODE/_VARS.
set -euo pipefail

usage() { echo "usage: $0 IMAGE bios|uefi cdrom|disk TIMEOUT_S LOGFILE [MARKER]" >&2; exit 2; }
[ $# -ge 5 ] && [ $# -le 6 ] || usage
IMAGE=$1 MODE=$2 MEDIA=$3 TIMEOUT=$4 LOG=$5 MARKER=${6:-KSCREATE-BOOT-OK}
DONE_MARKER=KSCREATE-BOOT-DONE
QEMU=${KSCREATE_QEMU:-qemu-system-x86_64}
OVMF_CODE=${KSCREATE_OVMF_CODE:-/usr/share/OVMF/OVMF_CODE.fd}
OVMF_VARS=${KSCREATE_OVMF_VARS:-/usr/share/OVMF/OVMF_VARS.fd}

[ -f "$IMAGE" ] || { echo "qemu-boot: no such image: $IMAGE" >&2; exit 2; }
case $TIMEOUT in ''|*[!0-9]*) usage;; esac
command -v "$QEMU" >/dev/null || { echo "qemu-boot: $QEMU not found" >&2; exit 2; }

args=(-accel tcg -machine pc -m "${KSCREATE_QEMU_MEM:-1536}" -nographic -no-reboot
      -serial "file:$LOG" -monitor none -parallel none -nic none)
case $MEDIA in
    cdrom) args+=(-drive "file=$IMAGE,media=cdrom,readonly=on,if=ide" -boot order=d);;
    disk)  args+=(-drive "file=$IMAGE,format=raw,if=ide,snapshot=on" -boot order=c);;
    *) usage;;
esac

vars=""
qpid=""
cleanup() {
    if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
        kill "$qpid" 2>/dev/null || true
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$qpid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$qpid" 2>/dev/null || true
        wait "$qpid" 2>/dev/null || true
    fi
    [ -n "$vars" ] && rm -f "$vars"
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

case $MODE in
    bios) ;;
    uefi)
        [ -f "$OVMF_CODE" ] && [ -f "$OVMF_VARS" ] || { echo "qemu-boot: OVMF not found ($OVMF_CODE)" >&2; exit 2; }
        vars=$(mktemp /tmp/kscreate-ovmf-vars.XXXXXX)
        cp "$OVMF_VARS" "$vars"
        args+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
               -drive "if=pflash,format=raw,unit=1,file=$vars");;
    *) usage;;
esac
# shellcheck disable=SC2206
[ -n "${KSCREATE_QEMU_EXTRA:-}" ] && args+=(${KSCREATE_QEMU_EXTRA})

: >"$LOG"
"$QEMU" "${args[@]}" </dev/null >"$LOG.qemu" 2>&1 &
qpid=$!

ere() { printf '%s' "$1" | sed 's/[][\\.*^$+?(){}|]/\\&/g'; }
has_line() { grep -aqE "(^|[[:cntrl:]])$(ere "$1")[[:space:]]*\$" "$LOG" 2>/dev/null; }
start=$SECONDS
result=timeout
while :; do
    if ! kill -0 "$qpid" 2>/dev/null; then result=exited; break; fi
    if has_line "$MARKER" && has_line "$DONE_MARKER"; then
        result=done
        # give the guest a moment to power off by itself
        for _ in $(seq 1 20); do kill -0 "$qpid" 2>/dev/null || break; sleep 0.5; done
        break
    fi
    if [ $((SECONDS - start)) -ge "$TIMEOUT" ]; then break; fi
    sleep 0.5
done
if [ $result = exited ]; then wait "$qpid" 2>/dev/null || true; qpid=""; fi
cleanup; qpid=""

if has_line "$MARKER"; then
    echo "qemu-boot: $MODE/$MEDIA: '$MARKER' seen after $((SECONDS - start))s ($result)"
    exit 0
fi
echo "qemu-boot: $MODE/$MEDIA: '$MARKER' NOT seen ($result after $((SECONDS - start))s); log: $LOG" >&2
grep -a 'FIXTURE-[A-Z]*-ERROR' "$LOG" >&2 || true
exit 1
