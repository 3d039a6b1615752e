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

static void case_subst_all_placeholders(void)
{
    char *out = NULL;
    is_int(bootcfg_subst("t=@TITLE@ l=@LABEL@ k=@KERNEL@ i=@INITRD@ a=@KARGS@ s=@TIMEOUT@ d=@TIMEOUT10@\n",
                         &V, "x", &out), 0, "all placeholders substitute");
    is_str(out, "t=Test Live l=Test-Live-1 k=/images/pxeboot/vmlinuz i=/images/pxeboot/initrd.img "
                "a=root=live:CDLABEL=Test-Live-1 rd.live.image quiet s=7 d=70\n", "substituted text");
    free(out);
}

static void case_subst_adjacent_placeholders(void)
{
    char *out = NULL;
    is_int(bootcfg_subst("@LABEL@@LABEL@", &V, "x", &out), 0, "adjacent placeholders");
    is_str(out, "Test-Live-1Test-Live-1", "adjacent placeholders text");
    free(out);
}

static void case_subst_keeps_other_at_signs(void)
{
    char *out = NULL;
    is_int(bootcfg_subst("mail a@b.c, @lower@, @ alone, x@@y, @TITLE", &V, "x", &out), 0,
           "other '@' uses are kept");
    is_str(out, "mail a@b.c, @lower@, @ alone, x@@y, @TITLE", "other '@' text unchanged");
    free(out);
}

static void case_subst_unknown_placeholder_names_file_line(void)
{
    char *out = NULL;
    is_int(bootcfg_subst("line1\nmenu @TITLE@\nkernel @KERNL@\n", &V, "isolinux.cfg.in", &out), -1,
           "unknown placeholder is an error");
    ok(out == NULL, "no output on error");
    ok(log_failure() && strstr(log_failure(), "@KERNL@"), "error names the placeholder: %s",
       log_failure() ? log_failure() : "(none)");
    ok(log_failure() && strstr(log_failure(), "isolinux.cfg.in:3"), "error names file and line");
}

static void case_subst_missing_value_is_error(void)
{
    char *out = NULL;
    struct bootcfg_vars nv = V;
    nv.kargs = NULL;
    is_int(bootcfg_subst("x @KARGS@", &nv, "x", &out), -1, "missing value is an error");
    free(out);
}

static void case_subst_timeout_zero(void)
{
    char *out = NULL;
    struct bootcfg_vars nv = V;
    nv.timeout = 0;
    is_int(bootcfg_subst("@TIMEOUT@/@TIMEOUT10@", &nv, "x", &out), 0, "timeout 0");
    is_str(out, "0/0", "timeout 0 text");
    free(out);
}

static void case_live_kargs_encode_label(void)
{
    char *k = bootcfg_live_kargs("My Live", "  quiet rhgb");
    is_str(k, "root=live:CDLABEL=My\\x20Live ro rd.live.image quiet rhgb", "live kargs, label blank encoded");
    free(k);
    k = bootcfg_live_kargs("F-Live", NULL);
    is_str(k, "root=live:CDLABEL=F-Live ro rd.live.image", "live kargs without extra");
    free(k);
}

static void case_write_file_round_trip_and_errors(void)
{
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
}

/* the shipped templates, when present */
static void case_shipped_templates_fill(void)
{
    const char *src = getenv("KSC_SRCDIR") ? getenv("KSC_SRCDIR") : ".";
    char *t1 = xasprintf("%s/config/isolinux.cfg.in", src), *t2 = xasprintf("%s/config/grub.cfg.in", src);
    check_template(t1);
    check_template(t2);
    free(t1), free(t2);
}

static const struct tap_case cases[] = {
    TAP_CASE(case_subst_all_placeholders),
    TAP_CASE(case_subst_adjacent_placeholders),
    TAP_CASE(case_subst_keeps_other_at_signs),
    TAP_CASE(case_subst_unknown_placeholder_names_file_line),
    TAP_CASE(case_subst_missing_value_is_error),
    TAP_CASE(case_subst_timeout_zero),
    TAP_CASE(case_live_kargs_encode_label),
    TAP_CASE(case_write_file_round_trip_and_errors),
    TAP_CASE(case_shipped_templates_fill),
    { 0 },
};

int main(int argc, char **argv)
{
    log_open(LOG_QUIET, NULL);
    int rc = tap_run(cases, argc, argv);
    cleanup_release_all();
    return rc;
}
