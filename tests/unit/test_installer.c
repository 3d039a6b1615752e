/* test_installer.c - installer media helpers: kernel arguments, the media
 * kickstart rewrite, volume ids, .treeinfo/.discinfo/.buildstamp, comps filter. */
#include "tap.h"
#include "core/media_repo.h"
#include "core/treeinfo.h"
#include "core/base/util.h"
#include "imgtypes/installer.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    char *s = installer_kargs("Fedora-S-dvd-x86_64-39", false, "console=ttyS0");
    is_str(s, "inst.stage2=hd:LABEL=Fedora-S-dvd-x86_64-39 console=ttyS0", "kargs without ks");
    free(s);
    s = installer_kargs("My Disc", true, NULL);
    is_str(s, "inst.stage2=hd:LABEL=My\\x20Disc inst.ks=hd:LABEL=My\\x20Disc:/ks.cfg",
           "kargs with ks, blank escaped as udev does");
    free(s);

    s = installer_default_volid("Fedora Server", "39", NULL);
    is_str(s, "Fedora-Server-39-x86_64", "default volid");
    free(s);
    s = installer_default_volid("A Very Long Product Name Indeed", "1234", NULL);
    ok(strlen(s) == 32, "default volid cut to 32 characters (%s)", s);
    free(s);

    const char *ks = "# target\nlang en_US.UTF-8\nurl --url=http://x/os\nrepo --name=a --baseurl=http://y\n"
                     "%post\nrepo --name=inside-post\n%end\n%packages\n@core\n%end\n";
    s = installer_media_ks(ks, "VOL");
    ok(strstr(s, "harddrive --partition=LABEL=VOL --dir=/\nlang en_US.UTF-8\n") != NULL,
       "media source added before the first command");
    ok(strstr(s, "# url --url=http://x/os") && strstr(s, "# repo --name=a"), "network sources commented out");
    ok(strstr(s, "\nrepo --name=inside-post\n") != NULL, "script bodies untouched");
    ok(strstr(s, "%packages\n@core\n%end\n") != NULL, "%%packages kept");
    free(s);

    /* .treeinfo */
    char dir[] = "/tmp/test_installer.XXXXXX";
    ok(mkdtemp(dir) != NULL, "temp dir");
    char *p = path_join(dir, "images/pxeboot");
    mkdir_p(p, 0755);
    free(p);
    p = path_join(dir, "images/pxeboot/vmlinuz");
    write_file(p, "abc", 0644);
    free(p);
    p = path_join(dir, "images/pxeboot/initrd.img");
    write_file(p, "", 0644);
    free(p);
    p = path_join(dir, "images/install.img");
    write_file(p, "abc", 0644);
    free(p);
    struct treeinfo ti = { .root = dir, .product = "Fixture Linux", .version = "1", .arch = "x86_64",
                           .variant = NULL, .timestamp = 1700000000, .kernel = "images/pxeboot/vmlinuz",
                           .initrd = "images/pxeboot/initrd.img", .stage2 = "images/install.img" };
    s = treeinfo_text(&ti);
    ok(s != NULL, "treeinfo text");
    ok(strstr(s, "images/pxeboot/vmlinuz = sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n") != NULL,
       "sha256 of a kernel");
    ok(strstr(s, "images/pxeboot/initrd.img = sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n") != NULL,
       "sha256 of an empty file");
    ok(strstr(s, "[checksums]\nimages/install.img") != NULL, "checksums sorted by path");
    ok(strstr(s, "[release]\nname = Fixture Linux\nshort = FixtureLinux\nversion = 1\n") != NULL, "[release]");
    ok(strstr(s, "[stage2]\nmainimage = images/install.img\n") != NULL, "[stage2]");
    ok(strstr(s, "[header]\ntype = productmd.treeinfo\nversion = 1.2\n") != NULL, "[header]");
    ok(!strstr(s, "variant") && !strstr(s, "packagedir") && !strstr(s, "efiboot"), "no variant, packages, efiboot");
    ok(strstr(s, "[tree]\narch = x86_64\nbuild_timestamp = 1700000000\nplatforms = x86_64,xen\n") != NULL, "[tree]");
    free(s);
    ti.variant = "Everything";
    ti.packages = true;
    ti.efiboot = "images/efiboot.img";
    s = treeinfo_text(&ti);
    ok(s == NULL, "a missing checksummed file fails");
    ti.efiboot = NULL;
    s = treeinfo_text(&ti);
    ok(s && strstr(s, "[variant-Everything]\nid = Everything\nname = Everything\npackages = Packages\n"
                      "repository = .\ntype = variant\nuid = Everything\n"),
       "[variant-Everything] with the repository");
    free(s);

    s = discinfo_text(1700000000.5, "Fixture", "1", "x86_64");
    is_str(s, "1700000000.500000\nFixture 1\nx86_64\n", ".discinfo");
    free(s);
    s = buildstamp_text("Fixture", "1", "x86_64", NULL, NULL, 1700000000);
    ok(strstr(s, "[Main]\nProduct=Fixture\nVersion=1\n") && strstr(s, "UUID=202311142213.x86_64\n") &&
           strstr(s, "[Compose]\n"),
       ".buildstamp");
    free(s);

    if (media_repo_available()) {
        const char *comps = "<?xml version=\"1.0\"?><comps>"
                            "<group><id>core</id><packagelist><packagereq>a</packagereq>"
                            "<packagereq>gone</packagereq></packagelist></group>"
                            "<group><id>empty</id><packagelist><packagereq>gone</packagereq></packagelist></group>"
                            "<environment><id>env</id><grouplist><groupid>core</groupid><groupid>empty</groupid>"
                            "</grouplist></environment></comps>";
        const char *texts[] = { comps, comps };
        const char *names[] = { "a" };
        s = media_repo_filter_comps(texts, 2, names, 1);
        ok(s && strstr(s, "<packagereq>a</packagereq>") && !strstr(s, "gone"), "comps: missing packages dropped");
        ok(s && !strstr(s, "<id>empty</id>") && !strstr(s, "<groupid>empty</groupid>"),
           "comps: empty groups and references to them dropped");
        ok(s && strstr(s, "<id>core</id>") && !strstr(strstr(s, "<id>core</id>") + 1, "<id>core</id>"),
           "comps: merged without duplicates");
        ok(s && strstr(s, "<!DOCTYPE comps"), "comps: doctype");
        free(s);
    } else {
        ok(1, "# SKIP built without libcreaterepo_c");
    }
    char *cmd = xasprintf("rm -rf %s", dir);
    ok(system(cmd) == 0, "cleanup");
    free(cmd);
    return tap_done();
}
