#!/bin/bash
# 80-pkg-oracle.sh - dnf as the oracle: for every resolution rule, the NEVRA
# set ksc-resolve gives for a kickstart must equal the set Debian's dnf 4.14
# installs (into a scratch root, read back with rpm -qa) for the same
# repositories and request.  Repositories: tests/fixtures/mkoracle.sh.
# Failure cases compare as "FAIL" (both must refuse).  Skipped without dnf.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
RES=$KSC_BUILD/ksc-resolve
[ -x "$RES" ] || skip_all "ksc-resolve not built"
command -v dnf >/dev/null 2>&1 || skip_all "dnf is not installed (apt-get install dnf)"
command -v rpm >/dev/null 2>&1 || skip_all "rpm is not installed"
O=$KSC_FIXTURES/oracle
tests/fixtures/mkoracle.sh "$O" >&2 || skip_all "cannot build the oracle repositories"

T=$(mktemp -d /tmp/ksc-oracle.XXXXXX)
trap 'rm -rf "$T"' EXIT
printf '[main]\n' > "$T/dnf.conf"
cat > "$T/prio.repo" <<EOF
[main]
name=main
baseurl=file://$O/main
gpgcheck=0

[second]
name=second
baseurl=file://$O/second
priority=10
gpgcheck=0
EOF
set -f   # globs in package specs are for dnf and us, not the shell

QF='%{NAME}-%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}.%{ARCH}\n'
N=0

# oracle NAME "PACKAGES HEADER OPTIONS" "PACKAGES LINES (;-separated)" "DNF ARGS" [REPOMODE]
# REPOMODE: "" main only (kickstart repo command); "prio" the .repo file with
# main and second (priority=10) for both; "excl" main with --excludepkgs=o-glob-two;
# "incl" main with --includepkgs=o-glob-one,o-glob-x.
oracle() {
    local name=$1 hdr=$2 body=$3 dargs=$4 mode=${5:-}
    N=$((N + 1))
    local ks=$T/case$N.ks root=$T/root$N ropts=() dopts=()
    {
        case $mode in
        prio) ;;
        excl) echo "repo --name=main --baseurl=file://$O/main --excludepkgs=o-glob-two" ;;
        incl) echo "repo --name=main --baseurl=file://$O/main --includepkgs=o-glob-one,o-glob-x" ;;
        *) echo "repo --name=main --baseurl=file://$O/main" ;;
        esac
        echo "%packages $hdr"
        tr ';' '\n' <<<"$body"
        echo "%end"
    } > "$ks"
    case $mode in
    prio) ropts=(--repo "$T/prio.repo"); dopts=(--setopt=reposdir="$T" --setopt=main.gpgcheck=0) ;;
    excl) dopts=(--setopt=reposdir=/dev/null --repofrompath=main,file://$O/main
                 --setopt=main.excludepkgs=o-glob-two) ;;
    incl) dopts=(--setopt=reposdir=/dev/null --repofrompath=main,file://$O/main
                 --setopt=main.includepkgs=o-glob-one,o-glob-x) ;;
    *) dopts=(--setopt=reposdir=/dev/null --repofrompath=main,file://$O/main) ;;
    esac
    local ours theirs
    ours=$("$RES" --cache "$T/cache" "${ropts[@]}" "$ks" 2>"$T/ours$N.err") || ours=FAIL
    # shellcheck disable=SC2086
    if dnf -y --installroot="$root" --config="$T/dnf.conf" --setopt=cachedir="$T/dnfcache" \
        "${dopts[@]}" --releasever=1 --nogpgcheck --setopt=best=True \
        --setopt=install_weak_deps=True --setopt=logdir="$T" $dargs >"$T/dnf$N.out" 2>&1; then
        theirs=$(rpm -qa --root "$root" --qf "$QF" | grep -v '^gpg-pubkey' | sort)
    else
        theirs=FAIL
    fi
    rm -rf "$root"
    if [ "$ours" = "$theirs" ]; then
        if [ "$ours" = FAIL ]; then ok 0 "$name: both refuse"; else ok 0 "$name: $(wc -w <<<"$ours" | tr -d ' ') packages, same as dnf"; fi
    else
        ok 1 "$name: differs from dnf"
        diag "kickstart: $(tr '\n' ' ' < "$ks")"
        diag "dnf $dargs"
        diag "$(diff <(tr ' ' '\n' <<<"$theirs") <(tr ' ' '\n' <<<"$ours") | sed 's/^</dnf:/; s/^>/ours:/' | grep -v '^[0-9]')"
        [ "$ours" = FAIL ] && diag "ours: $(tail -n 3 "$T/ours$N.err")"
        [ "$theirs" = FAIL ] && diag "dnf: $(tail -n 3 "$T/dnf$N.out")"
    fi
}

# oracle_api NAME "PACKAGES LINES" PYTHON: cases the dnf CLI cannot express,
# through dnf's Python API as anaconda drives it (PYTHON runs with `base`
# ready: the main repo loaded, comps read); the NEVRA set of the resolved
# install transaction is compared.
oracle_api() {
    local name=$1 body=$2 py=$3
    N=$((N + 1))
    local ks=$T/case$N.ks ours theirs
    { echo "repo --name=main --baseurl=file://$O/main"; echo "%packages --nocore"
      tr ';' '\n' <<<"$body"; echo "%end"; } > "$ks"
    ours=$("$RES" --cache "$T/cache" "$ks" 2>"$T/ours$N.err") || ours=FAIL
    cat > "$T/api$N.py" <<EOF
import sys, dnf
base = dnf.Base()
c = base.conf
c.installroot = sys.argv[2]; c.cachedir = sys.argv[2] + "/cache"; c.reposdir = []
c.best = True; c.install_weak_deps = True; c.gpgcheck = False
c.substitutions["releasever"] = "1"
base.repos.add_new_repo("main", c, baseurl=["file://" + sys.argv[1]])
base.fill_sack(load_system_repo=False)
base.read_comps()
$py
base.resolve()
print("\n".join(sorted(str(p) for p in base.transaction.install_set)))
EOF
    theirs=$(/usr/bin/python3 "$T/api$N.py" "$O/main" "$T/api$N" 2>"$T/dnf$N.out") || theirs=FAIL
    if [ "$ours" = "$theirs" ]; then
        ok 0 "$name: $(wc -w <<<"$ours" | tr -d ' ') packages, same as dnf's API"
    else
        ok 1 "$name: differs from dnf's API"
        diag "$(diff <(echo "$theirs") <(echo "$ours") | sed 's/^</dnf:/; s/^>/ours:/' | grep -v '^[0-9]')"
        diag "dnf: $(tail -n 3 "$T/dnf$N.out")"
    fi
}

W0=--setopt=install_weak_deps=False
oracle "@core added by default"        ""               ""                      "install @core"
oracle "names and a virtual provide"   "--nocore"       "o-base;o-mua"          "install o-base o-mua"
oracle "provide as a request"          "--nocore"       "o-mta"                 "install o-mta"
oracle "best version"                  "--nocore"       "o-lib"                 "install o-lib"
oracle "explicit version"              "--nocore"       "o-lib-1.0"             "install o-lib-1.0"
oracle "epoch beats version"           "--nocore"       "o-epoch"               "install o-epoch"
oracle "best=1 with a broken newest"   "--nocore"       "o-bestfail"            "install o-bestfail"
oracle "group: mandatory+default"      "--nocore"       "@tools"                "install @tools"
oracle "group --optional"              "--nocore"       "@tools --optional"     "--setopt=group_package_types=mandatory,default,optional,conditional install @tools"
oracle "group --nodefaults"            "--nocore"       "@tools --nodefaults"   "--setopt=group_package_types=mandatory,conditional install @tools"
oracle "conditional member triggered"  "--nocore"       "@tools;o-trig"         "install @tools o-trig"
oracle "environment"                   ""               "@^envx"                "install @envx @core"
oracle "globs"                         "--nocore"       "o-glob-*"              "install o-glob-*"
oracle "%packages exclusion"           "--nocore"       "o-glob-*;-o-glob-x"    "--exclude=o-glob-x install o-glob-*"
oracle "repo --excludepkgs"            "--nocore"       "o-glob-*"              "install o-glob-*" excl
oracle "exclusion makes it unsolvable" "--nocore"       "o-exclreq;-o-glob-x"   "--exclude=o-glob-x install o-exclreq"
oracle "weak deps on (Recommends, Supplements)" "--nocore" "o-base;o-weakonly"  "install o-base o-weakonly"
oracle "--exclude-weakdeps"            "--nocore --exclude-weakdeps" "o-base;o-weakonly" "$W0 install o-base o-weakonly"
oracle "multilib best"                 "--nocore"       "o-ml"                  "install o-ml"
oracle "multilib --multilib"           "--nocore --multilib" "o-ml"             "--setopt=multilib_policy=all install o-ml"
oracle "explicit arch i686"            "--nocore"       "o-ml.i686"             "install o-ml.i686"
oracle "installonly: newest kernel"    "--nocore"       "kernel"                "install kernel"
oracle "installonly: two kernels"      "--nocore"       "kernel-1.0-1;kernel-2.0-1" "install kernel-1.0-1 kernel-2.0-1"
oracle "obsoletes: request"            "--nocore"       "o-old"                 "install o-old"
oracle "obsoletes: dependency"         "--nocore"       "o-needold"             "install o-needold"
oracle "file dependency (filelists)"   "--nocore"       "o-filedep"             "install o-filedep"
oracle "file path request"             "--nocore"       "/usr/share/o/data.txt" "install /usr/share/o/data.txt"
oracle "rich dependency: or"           "--nocore"       "o-richor"              "install o-richor"
oracle "rich dependency: if (off)"     "--nocore"       "o-richif"              "install o-richif"
oracle "rich dependency: if (on), rich Supplements" "--nocore" "o-richif;o-trig" "install o-richif o-trig"
oracle "versioned Requires below best" "--nocore"       "o-verreq"              "install o-verreq"
oracle "provider chosen around a Conflicts" "--nocore"  "o-verreq;o-needconf"   "install o-verreq o-needconf"
oracle "repo --includepkgs"            "--nocore"       "o-glob-*"              "install o-glob-*" incl
oracle "repo priority"                 "--nocore"       "o-prio;o-second"       "install o-prio o-second" prio
oracle "missing package fails"         "--nocore"       "o-base;o-nope"         "install o-base o-nope"
oracle "--ignoremissing"               "--nocore --ignoremissing" "o-base;o-nope" "--setopt=strict=False install o-base o-nope"
oracle "--ignorebroken skips what cannot install" "--nocore --ignorebroken" "o-base;o-exclreq;-o-glob-x" "--setopt=strict=False --exclude=o-glob-x install o-base o-exclreq"
oracle "missing group fails"           "--nocore"       "@nogroup"              "install @nogroup"
if /usr/bin/python3 -c 'import dnf' 2>/dev/null; then
    TYPES='("mandatory", "default", "conditional")'
    oracle_api "-@group inside an environment (anaconda's exclude_groups)" "@^envx;-@tools" \
        "base.environment_install('envx', $TYPES, exclude_groups=['tools'])"
    oracle_api "group by display name" "@Oracle Tools" \
        "base.group_install('tools', $TYPES)"
fi
tap_done
