# tap.sh - TAP helpers and host-state checks for the integration tests.
# Source it; call tap_plan N or end with tap_done.

T_N=0
T_FAIL=0
KSC_BUILD=${KSC_BUILD:-$PWD/build}
KSC_FIXTURES=${KSC_FIXTURES:-/var/cache/kscreate-fixtures}
KSC_SRCDIR=${KSC_SRCDIR:-$PWD}
export KSC_DATADIR=${KSC_DATADIR:-$KSC_SRCDIR/config}

ok() {   # ok CONDITION_STATUS NAME
    local st=$1; shift
    T_N=$((T_N + 1))
    if [ "$st" -eq 0 ]; then echo "ok $T_N - $*"; else echo "not ok $T_N - $*"; T_FAIL=$((T_FAIL + 1)); fi
}
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
diag() { sed 's/^/# /' <<<"$*"; }
tap_done() { echo "1..$T_N"; [ "$T_FAIL" -eq 0 ]; }

# A snapshot of what a build may leave behind: our mounts, loop devices
# backed by our files, temp dirs, and processes.
host_state() {   # host_state DIR: everything of ours lives under DIR (-t DIR)
    {
        grep -F "$1" /proc/self/mountinfo | awk '{print "mount", $5}'
        losetup -a -O NAME,BACK-FILE -n 2>/dev/null | grep -F "$1" | awk '{print "loop", $0}'
        ls -d "$1"/kscreate-* 2>/dev/null | sed 's/^/tmpdir /'
        pgrep -a -f "$1" 2>/dev/null | grep -v -e pgrep -e grep | sed 's/^/proc /'
    } | sort
}

need_root() { [ "$(id -u)" -eq 0 ] || skip_all "needs root"; }

fixture_distro() {
    "$KSC_SRCDIR/tests/fixtures/mkdistro.sh" "$KSC_FIXTURES/distro" >&2 || return 1
    echo "$KSC_FIXTURES/distro"
}
# fixture_live_ks REPO [LINE...]: a small bootable live kickstart of the fixture
# distribution on stdout (256 MiB root, serial console); each LINE (a package,
# or "%end" and then script sections) is added to %packages before its %end
fixture_live_ks() {
    local repo=$1; shift
    printf '%s\n' "lang en_US.UTF-8" "timezone UTC --utc" "rootpw --plaintext kscreate-test" \
        'bootloader --timeout=1 --append="console=ttyS0 quiet"' "part / --size 256 --fstype ext4" \
        "repo --name=fixture --baseurl=file://$repo" "" "%packages" "@core" kernel dracut grub2-efi-x64 \
        grub2-efi-x64-cdboot grub2-pc "$@"
    case " $* " in *" %end "*) ;; *) echo "%end";; esac
}
