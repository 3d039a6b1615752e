#!/bin/bash
# 81-pkg-gpg.sh - .repo files with gpgcheck/gpgkey and --pkgverify-level:
# a key made here (gpg --quick-gen-key), packages signed with rpmsign, the
# key imported into the target rpmdb; unsigned or unknown-key packages are
# refused where a signature is required.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
need_root
RES=$KSC_BUILD/ksc-resolve
[ -x "$RES" ] || skip_all "ksc-resolve not built"
for t in gpg rpmsign createrepo_c rpm; do
    command -v $t >/dev/null 2>&1 || skip_all "$t is not installed"
done
O=$KSC_FIXTURES/oracle
tests/fixtures/mkoracle.sh "$O" >&2 || skip_all "cannot build the oracle repositories"

T=$(mktemp -d /tmp/ksc-gpg.XXXXXX)
trap 'gpgconf --homedir "$T/gnupg" --kill all >/dev/null 2>&1; rm -rf "$T"' EXIT
export GNUPGHOME=$T/gnupg
mkdir -m 700 "$GNUPGHOME"
gpg --batch -q --passphrase '' --quick-gen-key "kscreate test <ksc@example.invalid>" rsa2048 sign never 2>/dev/null
ok $? "gpg key generated"
gpg --batch -q --armor --export ksc@example.invalid > "$T/key.asc"
mkdir -p "$T/signed" "$T/unsigned"
cp "$O"/main/Packages/o-rec-1.0-1.noarch.rpm "$O"/main/Packages/o-sug-1.0-1.noarch.rpm "$T/signed/"
cp "$O"/main/Packages/o-rec-1.0-1.noarch.rpm "$T/unsigned/"
rpmsign --addsign --define "_gpg_name ksc@example.invalid" --define "__gpg $(command -v gpg)" \
    "$T"/signed/*.rpm >/dev/null 2>&1
ok $? "packages signed with rpmsign"
createrepo_c -q "$T/signed" >/dev/null && createrepo_c -q "$T/unsigned" >/dev/null

repofile() {  # repofile NAME DIR GPGCHECK [KEY]
    printf '[%s]\nname=%s\nbaseurl=file://%s\ngpgcheck=%s\n%s\n' "$1" "$1" "$2" "$3" \
        "${4:+gpgkey=file://$4}" > "$T/$1.repo"
}
printf '%%packages --nocore\no-rec\n%%end\n' > "$T/ks.ks"
run() {  # run REPOFILE LEVEL -> $st, $out; installs into $T/root
    rm -rf "$T/root"; mkdir -p "$T/root"
    out=$("$RES" --cache "$T/cache" --repo "$1" --pkgverify-level "$2" --install "$T/root" "$T/ks.ks" 2>&1)
    st=$?
}
DB=(--root "$T/root" --dbpath /usr/lib/sysimage/rpm)

repofile signed "$T/signed" 1 "$T/key.asc"
run "$T/signed.repo" signature
ok $st "gpgcheck=1 + gpgkey, --pkgverify-level signature: installed"
ok $(rpm -q "${DB[@]}" o-rec >/dev/null 2>&1; echo $?) "o-rec is in the target rpmdb"
ok $(rpm -q "${DB[@]}" gpg-pubkey 2>/dev/null | grep -q gpg-pubkey; echo $?) "the key is imported into the target rpmdb"
run "$T/signed.repo" all
ok $st "--pkgverify-level all: installed"

repofile unsigned "$T/unsigned" 1 "$T/key.asc"
run "$T/unsigned.repo" digest
ok $([ $st -ne 0 ] && grep -q "o-rec-1.0-1.noarch.rpm: the package is not signed, but repository unsigned has gpgcheck=1" <<<"$out"; echo $?) \
    "gpgcheck=1 refuses an unsigned package, naming it"
diag "$(tail -n 1 <<<"$out")"
repofile unsigned "$T/unsigned" 0
run "$T/unsigned.repo" signature
ok $([ $st -ne 0 ]; echo $?) "--pkgverify-level signature refuses an unsigned package"
diag "$(tail -n 1 <<<"$out")"
run "$T/unsigned.repo" digest
ok $st "--pkgverify-level digest accepts an unsigned package"
run "$T/unsigned.repo" none
ok $st "--pkgverify-level none accepts it"

repofile nokey "$T/signed" 0
run "$T/nokey.repo" signature
ok $([ $st -ne 0 ]; echo $?) "signed, key not imported, level signature: refused"
diag "$(tail -n 1 <<<"$out")"
run "$T/nokey.repo" digest
ok $st "signed, key not imported, level digest: installed"
tap_done
