#!/bin/bash
# demo.sh BUILD_DIR REPO_DIR - build the example live ISO and boot it once.
set -euo pipefail
BUILD=$1
REPO=$2
cd "$(dirname "$0")/.."
OUT=${KSC_DEMO_OUT:-$PWD/demo-output}
mkdir -p "$OUT"
rm -f "$OUT"/KSCREATE-DEMO.iso
ks=config/demo-live.ks
if [ "$REPO" != /var/cache/kscreate-fixtures/distro ]; then
    ks=$OUT/demo-live.ks
    sed "s|file:///var/cache/kscreate-fixtures/distro|file://$REPO|" config/demo-live.ks > "$ks"
fi
echo "==> livecd-creator -c $ks -f KSCREATE-DEMO -o $OUT"
KSC_DATADIR=$PWD/config "$BUILD"/livecd-creator -c "$ks" -f KSCREATE-DEMO -o "$OUT" \
    --cache "$OUT/cache" --logfile "$OUT/build.log" ${KSC_DEMO_ARGS:-}
echo "==> booting $OUT/KSCREATE-DEMO.iso in QEMU (TCG, BIOS, CD-ROM)"
if tests/lib/qemu-boot.sh "$OUT/KSCREATE-DEMO.iso" bios cdrom 300 "$OUT/boot.log"; then
    grep -a -e KSCREATE-BOOT-OK -e 'Built by kscreate' "$OUT/boot.log" | sed 's/^/    /'
    echo "==> The live ISO boots: $OUT/KSCREATE-DEMO.iso"
else
    echo "==> The ISO was written to $OUT/KSCREATE-DEMO.iso but did not boot; see $OUT/boot.log" >&2
    exit 1
fi
