/* test_bootcfg.c - boot loader template substitution (core/bootcfg.c) */
#define _GNU_SOURCE
#include "core/bootcfg.h"
#include "core/base/cleanup.h"
#include "core/base/log.h"
#include "core/base/util.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct bootcfg_vars V = {
    .title = "Test Live", .label = "Test-Live-1", .kernel = "/images/pxeboot/vmlinuz",
    .initrd = "/images/pxeboot/initrd.img", .kargs = "root=live:CDLABEL=Test-Live-1 rd.live.image quiet",
    .timeout = 7,
};

static bool has_placeholder(const char *s)
{
    for (const char *p = strchr(s, '@'); p; p = strchr(p + 1, '@')) {
        const char *e = p + 1;
        if (!(*e >= 'A' && *e <= 'Z'))
            continue;
        while ((*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9') || *e == '_')
            e++;
        if (*e == '@')
            return true;
    }
    return false;
}

static void check_template(const char *tmpl)
{
    if (!path_exists(tmpl)) {
        ok(1, "# SKIP %s not present yet", tmpl);
        return;
    }
    char *dir = make_tmpdir("/tmp", "ksc-bootcfg");
    char *out = path_join(dir, "out.cfg");
    int rc = bootcfg_write(tmpl, out, &V);
    is_int(rc, 0, "%s fills without error%s%s", tmpl, rc ? ": " : "", rc ? log_failure() : "");
    char *text = NULL;
    size_t len = 0;
    if (rc == 0 && read_file(out, &text, &len) == 0) {
        ok(!has_placeholder(text), "%s: no placeholder left", tmpl);
        ok(strstr(text, V.kargs) != NULL, "%s: kernel args present", tmpl);
        ok(strstr(text, V.kernel) != NULL || strstr(text, "vmlinuz"), "%s: kernel present", tmpl);
    } else {
        ok(0, "%s: output readable", tmpl);
    }
    free(text);
    free(out);
    free(dir);
}

int main(void)
{
    log_open(LOG_QUIET, NULL);
    char *out = NULL;

    is_int(bootcfg_subst("t=@TITLE@ l=@LABEL@ k=@KERNEL@ i=@INITRD@ a=@KARGS@ s=@TIMEOUT@ d=@TIMEOUT10@\n",
                         &V, "x", &out), 0, "all placeholders substitute");
    is_str(out, "t=Test Live l=Test-Live-1 k=/images/pxeboot/vmlinuz i=/images/pxeboot/initrd.img "
                "a=root=live:CDLABEL=Test-Live-1 rd.live.image quiet s=7 d=70\n", "substituted text");
    free(out);
    out = NULL;

    is_int(bootcfg_subst("@LABEL@@LABEL@", &V, "x", &out), 0, "adjacent placeholders");
    is_str(out, "Test-Live-1Test-Live-1", "adjacent placeholders text");
    free(out);
    out = NULL;

    is_int(bootcfg_subst("mail a@b.c, @lower@, @ alone, x@@y, @TITLE", &V, "x", &out), 0,
           "other '@' uses are kept");
    is_str(out, "mail a@b.c, @lower@, @ alone, x@@y, @TITLE", "other '@' text unchanged");
    free(out);
    out = NULL;

    is_int(bootcfg_subst("line1\nmenu @TITLE@\nkernel @KERNL@\n", &V, "isolinux.cfg.in", &out), -1,
           "unknown placeholder is an error");
    ok(out == NULL, "no output on error");
    ok(log_failure() && strstr(log_failure(), "@KERNL@"), "error names the placeholder: %s",
       log_failure() ? log_failure() : "(none)");
    ok(log_failure() && strstr(log_failure(), "isolinux.cfg.in:3"), "error names file and line");

    struct bootcfg_vars nv = V;
    nv.kargs = NULL;
    is_int(bootcfg_subst("x @KARGS@", &nv, "x", &out), -1, "missing value is an error");

    nv = V;
    nv.timeout = 0;
    is_int(bootcfg_subst("@TIMEOUT@/@TIMEOUT10@", &nv, "x", &out), 0, "timeout 0");
    is_str(out, "0/0", "timeout 0 text");
    free(out);
    out = NULL;

    char *k = bootcfg_live_kargs("My Live", "  quiet rhgb");
    is_str(k, "root=live:CDLABEL=My\\x20Live ro rd.live.image quiet rhgb", "live kargs, label blank encoded");
    free(k);
    k = bootcfg_live_kargs("F-Live", NULL);
    is_str(k, "root=live:CDLABEL=F-Live ro rd.live.image", "live kargs without extra");
    free(k);

    /* file round trip */
    char *dir = make_tmpdir("/tmp", "ksc-bootcfg");
    char *tmpl = path_join(dir, "t.in"), *res = path_join(dir, "t.cfg");
    write_file(tmpl, "timeout @TIMEOUT10@\nlabel linux\n  kernel @KERNEL@\n  append initrd=@INITRD@ @KARGS@\n", 0644);
    is_int(bootcfg_write(tmpl, res, &V), 0, "bootcfg_write");
    char *text = NULL;
    size_t len;
    ok(read_file(res, &text, &len) == 0 && !strcmp(text, "timeout 70\nlabel linux\n  kernel /images/pxeboot/vmlinuz\n"
       "  append initrd=/images/pxeboot/initrd.img root=live:CDLABEL=Test-Live-1 rd.live.image quiet\n"),
       "written file content");
    free(text);
    is_int(bootcfg_write("/nonexistent/t.in", res, &V), -1, "missing template is an error");
    write_file(tmpl, "@BOGUS@\n", 0644);
    unlink(res);
    is_int(bootcfg_write(tmpl, res, &V), -1, "bad template fails");
    ok(!path_exists(res), "no output file for a bad template");
    free(tmpl), free(res), free(dir);

    /* the shipped templates, when present */
    const char *src = getenv("KSC_SRCDIR") ? getenv("KSC_SRCDIR") : ".";
    char *t1 = xasprintf("%s/config/isolinux.cfg.in", src), *t2 = xasprintf("%s/config/grub.cfg.in", src);
    check_template(t1);
    check_template(t2);
    free(t1), free(t2);

    cleanup_release_all();
    return tap_done();
}
