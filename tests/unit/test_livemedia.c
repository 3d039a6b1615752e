/* test_livemedia.c - media check data (core/isomd5.c, against implantisomd5 and
 * checkisomd5), CHECKSUM files, livecd-creator's name rules, SOURCE_DATE_EPOCH
 * helpers, the rpm manifest/SPDX writer and the ISO file manifest. */
#define _GNU_SOURCE
#include "core/base/checksum.h"
#include "core/base/cleanup.h"
#include "core/compose_result.h"
#include "core/iso_write.h"
#include "core/isomd5.h"
#include "core/livename.h"
#include "core/base/log.h"
#include "core/manifest.h"
#include "core/base/reproducible.h"
#include "core/base/run.h"
#include "core/base/util.h"
#include "tap.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool have(const char *tool)
{
    char *out = NULL;
    char *cmd = xasprintf("command -v %s", tool);
    int rc = run_capture(&out, "sh", "-c", cmd, NULL);
    free(cmd);
    free(out);
    return rc == 0;
}

static int cmd(const char *const argv[])
{
    return run_argv(argv, NULL);
}

static char *appdata(const char *iso)
{
    char *buf = xcalloc(1, 513);
    int fd = open(iso, O_RDONLY);
    if (fd >= 0) {
        if (pread(fd, buf, 512, 16 * 2048 + 883) != 512)
            buf[0] = 0;
        close(fd);
    }
    return buf;
}

int main(void)
{
    log_open(getenv("KSC_TEST_DEBUG") ? LOG_DEBUG : LOG_QUIET, NULL);
    char *T = make_tmpdir("/var/tmp", "ksc-test-livemedia");

    /* ---- livecd-creator names */
    unsetenv("SOURCE_DATE_EPOCH");
    char *n = livename_build("/x/fedora-live.ks", "livecd-", "202401011200", 0);
    is_str(n, "livecd-fedora-live-202401011200", "name: prefix + kickstart base + stamp");
    free(n);
    n = livename_build("livecd-foo.ks", "livecd-", "S", 0);
    is_str(n, "livecd-foo-S", "name: the prefix is not doubled");
    free(n);
    n = livename_build("/k/fedora-live-workstation-long-name.ks", "livecd-", "x86_64-202401011200", 32);
    is_str(n, "fedora-live--x86_64-202401011200", "label: prefix dropped, base cut to fit 32 (as upstream)");
    ok(strlen(n) <= 32, "label fits 32 characters");
    free(n);
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    setenv("TZ", "UTC", 1);
    n = livename_stamp();
    is_str(n, "202311142213", "stamp from SOURCE_DATE_EPOCH");
    free(n);
    n = livename_title("livecd-fedora-202401011200");
    is_str(n, "Livecd Fedora", "title: first two fields, title-cased");
    free(n);
    n = livename_title("KOJI-VOL");
    is_str(n, "Koji Vol", "title of a Koji volume id");
    free(n);

    /* ---- reproducible helpers */
    is_int((int)reproducible_epoch(), 1700000000, "SOURCE_DATE_EPOCH read");
    char u1[37], u2[37], u3[37];
    reproducible_uuid(1700000000, "a", u1);
    reproducible_uuid(1700000000, "a", u2);
    reproducible_uuid(1700000000, "b", u3);
    ok(!strcmp(u1, u2) && strcmp(u1, u3), "derived UUIDs: stable per salt, differ across salts");
    ok(strlen(u1) == 36 && u1[14] == '4' && strchr("89ab", u1[19]), "UUID is version 4 form: %s", u1);
    char d[17];
    is_str(reproducible_iso_date(1700000000, d), "2023111422132000", "ISO volume date");
    char *tree = path_join(T, "tree");
    char *f1 = path_join(tree, "sub/new");
    mkdir_p(tree, 0755);
    char *sub = path_join(tree, "sub");
    mkdir_p(sub, 0755);
    write_file(f1, "x", 0644);
    long cl = reproducible_clamp_tree(tree, 1000);
    struct stat st;
    stat(f1, &st);
    ok(cl >= 3 && st.st_mtime == 1000, "clamp: new files get SOURCE_DATE_EPOCH (%ld clamped)", cl);
    stat(sub, &st);
    ok(st.st_mtime == 1000, "clamp: directories after their entries");
    unsetenv("SOURCE_DATE_EPOCH");
    is_int((int)reproducible_epoch(), -1, "unset SOURCE_DATE_EPOCH: -1");
    free(f1), free(sub), free(tree);

    /* ---- checksums */
    char *abc = path_join(T, "abc");
    write_file(abc, "abc", 0644);
    char *hex = NULL;
    is_int(checksum_file(abc, "sha256", &hex), 0, "sha256 of a file");
    is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "sha256(\"abc\")");
    char *csum = path_join(T, "abc-CHECKSUM");
    const char *files[] = { abc, NULL }, *sums[] = { hex, NULL };
    is_int(checksum_write_file(csum, files, sums), 0, "CHECKSUM written");
    char *txt = NULL;
    size_t len;
    read_file(csum, &txt, &len);
    ok(txt && strstr(txt, "# abc: 3 bytes\nSHA256 (abc) = ba7816bf"), "CHECKSUM format");
    free(txt);
    if (have("sha256sum")) {
        char *c = xasprintf("cd %s && sha256sum -c abc-CHECKSUM", T);
        char *out = NULL;
        ok(run_capture(&out, "sh", "-c", c, NULL) == 0, "sha256sum -c accepts it");
        free(out), free(c);
    }
    free(hex), free(csum), free(abc);

    /* ---- media check: a small ISO, ours vs implantisomd5, checkisomd5 */
    char *src = path_join(T, "iso");
    char *big = path_join(src, "data.bin");
    mkdir_p(src, 0755);
    {
        char *buf = xmalloc(3 << 20);
        for (size_t i = 0; i < (3u << 20); i++)
            buf[i] = (char)(i * 2654435761u >> 13);
        int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ok(write(fd, buf, 3 << 20) == 3 << 20, "test data written");
        close(fd);
        free(buf);
    }
    char *iso = path_join(T, "a.iso"), *iso2 = path_join(T, "b.iso");
    struct iso_opts io = { .srcdir = src, .output = iso, .volid = "MD5-TEST", .implant_md5 = false };
    is_int(iso_write(&io), 0, "plain ISO written");
    copy_file(iso, iso2, 0644);
    char md5[33];
    is_int(isomd5_implant(iso, false, md5), 0, "media check data implanted");
    is_int(isomd5_verify(iso), 0, "our verifier accepts it");
    if (have("implantisomd5")) {
        const char *im[] = { "implantisomd5", iso2, NULL };
        is_int(cmd(im), 0, "implantisomd5 on the same ISO");
        char *a = appdata(iso), *b = appdata(iso2);
        is_str(a, b, "application data identical to implantisomd5's");
        free(a), free(b);
    }
    if (have("checkisomd5")) {
        const char *ck[] = { "checkisomd5", iso, NULL };
        is_int(cmd(ck), 0, "checkisomd5 passes");
        int fd = open(iso, O_WRONLY);
        ok(pwrite(fd, "CORRUPT", 7, 100000) == 7, "corrupt a byte range");
        close(fd);
        ok(cmd(ck) != 0, "checkisomd5 fails on the corrupted ISO");
        is_int(isomd5_verify(iso), 1, "our verifier reports the mismatch");
    } else {
        ok(1, "# SKIP checkisomd5 not installed (isomd5sum)");
    }

    /* ---- the same computed while xorriso writes (iso_write's FIFO pass) */
    char *iso3 = path_join(T, "c.iso"), *iso4 = path_join(T, "d.iso");
    char smd5[33] = "";
    struct iso_opts io3 = { .srcdir = src, .output = iso3, .volid = "MD5-STREAM", .implant_md5 = true,
                            .md5_out = smd5 };
    is_int(iso_write(&io3), 0, "ISO written with media check data in the same pass");
    ok(strlen(smd5) == 32, "implanted MD5 reported (%s)", smd5);
    is_int(isomd5_verify(iso3), 0, "our verifier accepts the streamed data");
    char *fifo = xasprintf("%s/c.iso.fifo", T);
    DIR *dd = opendir(T);
    bool leftover = false;
    for (struct dirent *de; dd && (de = readdir(dd));)
        if (strstr(de->d_name, ".fifo") || strstr(de->d_name, ".partial"))
            leftover = true;
    if (dd)
        closedir(dd);
    ok(!leftover, "no FIFO or partial file left next to the ISO");
    free(fifo);
    if (have("implantisomd5")) {
        copy_file(iso3, iso4, 0644);
        const char *im[] = { "implantisomd5", "--force", iso4, NULL };
        run_argv(im, NULL);
        char *a = appdata(iso3), *b = appdata(iso4);
        is_str(a, b, "streamed field identical to implantisomd5 --force");
        free(a), free(b);
    }
    if (have("checkisomd5")) {
        const char *ck[] = { "checkisomd5", iso3, NULL };
        is_int(cmd(ck), 0, "checkisomd5 passes on the streamed ISO");
    }
    free(iso3), free(iso4);

    /* ---- ISO file manifest */
    char *man = NULL;
    is_int(compose_iso_manifest(iso2, &man), 0, "ISO manifest");
    is_str(man, "/data.bin\n", "ISO manifest lists the files");
    free(man);

    /* ---- SPDX from an rpm manifest */
    char *rm = path_join(T, "m.tsv"), *sp = path_join(T, "m.spdx.json");
    write_file(rm, "# name\tepoch\tversion\trelease\tarch\tsize\tsigkeyid\tpayloaddigest\tlicense\n"
                   "bash\t0\t5.2\t1.fc40\tx86_64\t100\t(none)\t"
                   "0000000000000000000000000000000000000000000000000000000000000000\tGPL-3.0-or-later\n"
                   "kernel\t2\t6.1\t1\tx86_64\t5\tabcdef0123456789\t(none)\tGPLv2 and \"odd\"\n", 0644);
    struct rpm_entry *e = NULL;
    size_t ne = 0;
    is_int(manifest_read(rm, &e, &ne), 0, "rpm manifest read");
    is_int((int)ne, 2, "two packages");
    ok(ne == 2 && !strcmp(e[1].sigkey, "abcdef0123456789"), "signature key id field");
    manifest_free(e, ne);
    is_int(manifest_spdx_write(sp, "IMG", "/x/IMG.iso", "ff", rm, 1700000000), 0, "SPDX written");
    if (have("python3")) {
        char *c = xasprintf("python3 -c 'import json,sys; d=json.load(open(\"%s\")); "
                            "assert d[\"spdxVersion\"]==\"SPDX-2.3\"; assert len(d[\"packages\"])==3; "
                            "assert d[\"creationInfo\"][\"created\"]==\"2023-11-14T22:13:20Z\"; "
                            "p=d[\"packages\"][2]; assert p[\"versionInfo\"]==\"2:6.1-1\", p; "
                            "assert p[\"licenseDeclared\"]==\"NOASSERTION\"; "
                            "assert \"epoch=2\" in p[\"externalRefs\"][0][\"referenceLocator\"]; "
                            "assert d[\"packages\"][1][\"licenseDeclared\"]==\"GPL-3.0-or-later\"'", sp);
        char *out = NULL;
        ok(run_capture(&out, "sh", "-c", c, NULL) == 0, "SPDX 2.3 JSON: packages, versions, purls, licenses");
        free(out), free(c);
    }
    free(rm), free(sp);

    free(iso), free(iso2), free(big), free(src);
    cleanup_release_all();
    free(T);
    return tap_done();
}
