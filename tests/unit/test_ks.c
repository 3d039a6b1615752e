/* test_ks.c - kickstart parser unit tests (TAP). */
#define _GNU_SOURCE
#include "kickstart/ks.h"
#include "core/base/strv.h"
#include "core/base/util.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* diagnostics collected as "FILE:LINE: E|W: message" */
static strv_t diags;
static int n_err, n_warn, n_note;

static void collect(void *ctx, enum ks_severity sev, const char *file, int line, const char *msg)
{
    (void)ctx;
    strv_push_take(&diags, xasprintf("%s:%d: %s: %s", file, line,
                                     sev == KS_ERROR ? "E" : sev == KS_WARNING ? "W" : "N", msg));
    if (sev == KS_ERROR)
        n_err++;
    else if (sev == KS_WARNING)
        n_warn++;
    else
        n_note++;
}

static const struct ks_parse_opts opts = { .report = collect };

static void reset(void)
{
    strv_free(&diags);
    n_err = n_warn = n_note = 0;
}

static bool has_diag(const char *s)
{
    for (size_t i = 0; i < diags.n; i++)
        if (strcmp(diags.v[i], s) == 0)
            return true;
    printf("# missing diagnostic: %s\n", s);
    for (size_t i = 0; i < diags.n; i++)
        printf("#   have: %s\n", diags.v[i]);
    return false;
}

static bool has_diag_quiet(const char *prefix)
{
    for (size_t i = 0; i < diags.n; i++)
        if (strstr(diags.v[i], prefix))
            return true;
    return false;
}

static const char *srcdir;
static char *data(const char *name) { return xasprintf("%s/tests/unit/data/ks/%s", srcdir, name); }

static bool has_diag_at(const char *name, int line, const char *msg)
{
    char *f = data(name);
    char *s = xasprintf("%s:%d: %s", f, line, msg);
    bool r = has_diag(s);
    free(f);
    free(s);
    return r;
}

static size_t count(const strv_t *sv, const char *s)
{
    size_t n = 0;
    for (size_t i = 0; i < sv->n; i++)
        n += strcmp(sv->v[i], s) == 0;
    return n;
}

static void test_live(void)
{
    reset();
    char *path = data("live.ks");
    struct kickstart *ks = NULL;
    int r = ks_parse_file(path, &opts, &ks);
    is_int(r, 0, "live.ks parses");
    is_int(n_err, 0, "no errors");
    if (!ks) {
        free(path);
        return;
    }
    is_str(ks->filename, path, "filename");
    ok(ks->lang.seen, "lang seen");
    is_str(ks->lang.lang, "en_US.UTF-8", "lang");
    is_int(ks->lang.addsupport.n, 2, "lang --addsupport count");
    is_str(ks->lang.addsupport.v[1], "fr_FR.UTF-8", "lang --addsupport item");
    is_str(ks->lang.loc.file, path, "lang loc file");
    is_int(ks->lang.loc.line, 2, "lang loc line");
    is_str(ks->timezone.timezone, "Europe/Berlin", "timezone");
    ok(ks->timezone.utc && !ks->timezone.nontp, "timezone --utc");
    is_int(ks->timezone.ntpservers.n, 2, "ntpservers");
    ok(ks->rootpw.seen && ks->rootpw.iscrypted && !ks->rootpw.lock, "rootpw flags");
    is_str(ks->rootpw.password, "$6$salt$hash", "rootpw password, comment stripped");
    ok(ks->bootloader.seen, "bootloader seen");
    is_str(ks->bootloader.append, "console=ttyS0 quiet", "bootloader --append quoted");
    is_int(ks->bootloader.timeout, 1, "bootloader --timeout");
    is_str(ks->bootloader.location, "mbr", "bootloader --location");
    ok(ks->bootloader.password == NULL, "no bootloader password");

    is_int(ks->n_parts, 2, "two parts");
    const struct ks_part *root = ks_find_part(ks, "/");
    ok(root != NULL, "ks_find_part /");
    if (root) {
        is_int(root->size, 4096, "part / --size 4096 (separate value)");
        is_str(root->fstype, "ext4", "part / --fstype");
        is_str(root->label, "Fedora Live", "part / --label");
        is_int(root->maxsize, -1, "maxsize unset");
        ok(!root->grow && !root->asprimary, "part / flags");
        is_int(root->loc.line, 13, "part / line");
    }
    const struct ks_part *boot = ks_find_part(ks, "/boot");
    ok(boot && boot->asprimary, "partition alias, --asprimary");
    if (boot) {
        is_str(boot->ondisk, "sda", "--ondrive alias of --ondisk");
        is_str(boot->fsoptions, "defaults,noatime", "--fsoptions");
        is_int(boot->size, 512, "--size=512");
    }
    ok(ks_find_part(ks, "/home") == NULL, "ks_find_part unknown");

    ok(ks->url.seen, "url seen");
    is_str(ks->url.mirrorlist, "https://mirrors.example.org/mirrorlist?repo=fedora-40&arch=$basearch",
           "url --mirrorlist");
    is_str(ks->url.proxy, "http://proxy:3128", "url --proxy");
    ok(ks->url.url == NULL, "url --url unset");

    is_int(ks->n_repos, 2, "two repos");
    if (ks->n_repos == 2) {
        const struct ks_repo *a = &ks->repos[0], *b = &ks->repos[1];
        is_str(a->name, "fedora", "repo 1 name");
        is_int(a->cost, 10, "repo 1 cost");
        is_int(a->excludepkgs.n, 2, "repo 1 excludepkgs");
        is_str(a->excludepkgs.v[1], "bar*", "repo 1 excludepkgs glob");
        ok(!a->noverifyssl && !a->install && !a->ignoregroups, "repo 1 flags unset");
        ok(a->baseurl == NULL, "repo 1 baseurl unset");
        is_str(b->name, "updates", "repo 2 quoted --name value");
        is_str(b->baseurl, "http://example.org/updates/", "repo 2 baseurl");
        is_int(b->cost, -1, "repo 2 cost unset");
        is_int(b->includepkgs.n, 1, "repeated --includepkgs: the last one wins (pykickstart)");
        ok(b->noverifyssl && b->install && !b->ignoregroups, "repo 2 flags");
        is_str(b->sslcacert, "/etc/ca.pem", "repo 2 sslcacert");
        is_int(b->loc.line, 22, "repo 2 line");
    }

    const struct ks_packages *pk = &ks->packages;
    ok(pk->seen, "%%packages seen");
    ok(pk->loc.file && strstr(pk->loc.file, "live-packages.ks") != NULL, "%%packages loc in included file");
    is_int(pk->loc.line, 1, "%%packages line");
    /* each %packages header sets the options anew (pykickstart); the names add up */
    ok(!pk->excludedocs && !pk->exclude_weakdeps && pk->ignoremissing, "%%packages flags of the last header");
    ok(!pk->nocore && !pk->default_, "%%packages unset flags");
    is_str(pk->inst_langs, "en:de", "--instLangs kept (set only when given)");
    is_int(pk->retries, -1, "--retries reset by the last header");
    is_int(pk->timeout, -1, "--timeout reset by the last header");
    is_int(pk->names.n, 5, "package names");
    if (pk->names.n == 5) {
        is_str(pk->names.v[0], "kernel", "name 0");
        is_str(pk->names.v[1], "kernel-modules-extra", "name with trailing comment");
        is_str(pk->names.v[2], "dracut-*", "glob");
        is_str(pk->names.v[3], "glibc-langpack-en", "indented name");
        is_str(pk->names.v[4], "vim-enhanced", "second %%packages merged");
    }
    is_int(pk->excludes.n, 2, "excludes");
    if (pk->excludes.n == 2)
        is_str(pk->excludes.v[1], "*-debuginfo", "exclude glob");
    is_int(pk->n_groups, 3, "groups");
    if (pk->n_groups == 3) {
        ok(pk->groups[0].environment, "environment");
        is_str(pk->groups[0].name, "workstation-product-environment", "environment name");
        is_str(pk->groups[1].name, "core", "group core");
        is_int(pk->groups[1].include, KS_GROUP_REQUIRED, "--nodefaults");
        is_int(pk->groups[2].include, KS_GROUP_ALL, "--optional");
        ok(!pk->groups[2].environment, "not environment");
    }
    is_int(pk->n_excluded_groups, 1, "excluded groups");
    if (pk->n_excluded_groups)
        is_str(pk->excluded_groups[0].name, "dial-up", "-@group");

    is_int(ks->n_scripts, 3, "three scripts");
    if (ks->n_scripts == 3) {
        const struct ks_script *s0 = &ks->scripts[0], *s1 = &ks->scripts[1], *s2 = &ks->scripts[2];
        is_int(s0->type, KS_SCRIPT_POST, "included %%post first");
        is_str(s0->interpreter, "/bin/sh", "default interpreter");
        is_str(s0->body, "echo \"in chroot\"\n", "included post body");
        ok(s0->loc.file && strstr(s0->loc.file, "common/post.ks"), "included post file");
        is_int(s0->loc.line, 2, "included post line");
        is_int(s1->type, KS_SCRIPT_PRE, "%%pre");
        is_str(s1->interpreter, "/usr/bin/python3", "--interpreter=");
        is_str(s1->log, "/tmp/pre.log", "--log value");
        is_int(s2->type, KS_SCRIPT_POST, "%%post");
        ok(s2->nochroot && s2->erroronfail, "--nochroot --erroronfail");
        is_str(s2->interpreter, "/bin/bash", "--interpreter value");
        is_str(s2->log, "/mnt/sysimage/root/post.log", "--log=");
        is_str(s2->body,
               "# verbatim comment\n"
               "cp -r /etc/resolv.conf $INSTALL_ROOT/etc/   # keep this\n"
               "\n"
               "echo \"%not-a-section\" >> /tmp/x\n",
               "script body verbatim");
        is_int(s2->loc.line, 30, "%%post line");
    }

    is_int(count(&ks->ignored, "keyboard"), 1, "keyboard ignored");
    is_int(count(&ks->ignored, "network"), 1, "network listed once");
    is_int(count(&ks->ignored, "authselect"), 1, "authselect not applied");
    is_int(count(&ks->ignored, "%addon com_redhat_kdump"), 1, "%%addon recorded");
    is_int(count(&ks->ignored, "%anaconda"), 1, "%%anaconda recorded");
    ok(!strv_contains(&ks->ignored, "lang") && !strv_contains(&ks->ignored, "repo"),
       "applied commands not in ignored");
    ok(has_diag_at("live.ks", 4, "W: The option --ntpservers will be deprecated in future releases. Please modify your kickstart file to replace this option with timesource command."),
       "deprecation warning");

    /* writer round trip */
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    is_int(ks_write(ks, m), 0, "ks_write");
    fclose(m);
    reset();
    struct kickstart *ks2 = NULL;
    is_int(ks_parse_string(text, "written", &opts, &ks2), 0, "written kickstart parses");
    if (ks2) {
        is_str(ks2->bootloader.append, "console=ttyS0 quiet", "round trip append");
        is_int(ks2->n_repos, 2, "round trip repos");
        is_int(ks2->repos[1].includepkgs.n, 1, "round trip list");
        is_str(ks2->rootpw.password, "$6$salt$hash", "round trip password");
        is_int(ks2->packages.names.n, 5, "round trip packages");
        is_int(ks2->packages.groups[1].include, KS_GROUP_REQUIRED, "round trip group option");
        ok(ks2->packages.groups[0].environment, "round trip environment");
        is_int(ks2->n_scripts, 3, "round trip scripts");
        if (ks2->n_scripts == 3)
            is_str(ks2->scripts[2].body, ks->scripts[2].body, "round trip body");
        is_str(ks2->scripts[1].interpreter, "/usr/bin/python3", "round trip interpreter");
        ok(ks_find_part(ks2, "/") && ks_find_part(ks2, "/")->size == 4096, "round trip part");
        is_str(ks2->url.mirrorlist, ks->url.mirrorlist, "round trip url");
    }
    ks_free(ks2);
    free(text);
    ks_free(ks);
    free(path);
}

static void test_errors(void)
{
    struct kickstart *ks;
    char *p;

    reset();
    p = data("err-unknown.ks");
    ok(ks_parse_file(p, &opts, &ks) == -1 && ks == NULL, "unknown command fails");
    ok(has_diag_at("err-unknown.ks", 3, "E: Unknown command: frobnicate"), "unknown command at line 3");
    is_int(n_err, 1, "exactly one error");
    free(p);

    reset();
    p = data("err-noend.ks");
    is_int(ks_parse_file(p, &opts, &ks), -1, "missing %%end fails");
    ok(has_diag_at("err-noend.ks", 7, "E: Section %post does not end with %end."),
       "missing %%end reported at the end of input (pykickstart)");
    is_int(n_err, 1, "exactly one error");
    free(p);

    reset();
    p = data("err-missing-include.ks");
    is_int(ks_parse_file(p, &opts, &ks), -1, "missing include fails");
    char *want = xstrdup("E: Unable to open input kickstart file: Error opening file: [Errno 2] No such file or directory: 'does-not-exist.ks'");
    ok(has_diag_at("err-missing-include.ks", 4, want), "missing include at the %%include line");
    free(want);
    free(p);

    reset();
    p = data("cycle-a.ks");
    is_int(ks_parse_file(p, &opts, &ks), -1, "include cycle fails");
    want = xstrdup("E: %include cycle: ./cycle-a.ks is already being read");
    ok(has_diag_at("cycle-b.ks", 3, want), "cycle reported at the %%include line");
    free(want);
    is_int(n_err, 1, "one error for the cycle");
    free(p);

    reset();
    p = data("self-include.ks");
    is_int(ks_parse_file(p, &opts, &ks), -1, "self include fails");
    is_int(n_err, 1, "self include: one error");
    free(p);

    reset();
    p = data("err-multi.ks");
    is_int(ks_parse_file(p, &opts, &ks), -1, "several errors fail");
    ok(has_diag_at("err-multi.ks", 7, "E: No closing quotation"), "unterminated quote ends the parse");
    ok(has_diag_at("err-multi.ks", 1, "E: part: argument --size: invalid int value: 'abc'"), "bad integer");
    ok(has_diag_at("err-multi.ks", 2, "E: repo: the following arguments are required: --name"), "repo without --name");
    ok(!has_diag_quiet("err-multi.ks:3:"), "negative bootloader timeout accepted (pykickstart)");
    ok(has_diag_at("err-multi.ks", 4, "E: part: the following arguments are required: <mntpoint>"),
       "part without mount point");
    ok(has_diag_at("err-multi.ks", 6, "N: A keyboard command was specified more than once; the last one is used."),
       "duplicate single command: a notice");
    is_int(n_err, 4, "all four errors reported");
    free(p);

    reset();
    ok(ks_parse_file("/nonexistent/x.ks", &opts, &ks) == -1, "missing main file fails");
    ok(has_diag("/nonexistent/x.ks:0: E: Unable to open input kickstart file: Error opening file: [Errno 2] No such file or directory: '/nonexistent/x.ks'"),
       "missing main file message");
}

static int parse_str(const char *text, struct kickstart **ks)
{
    reset();
    return ks_parse_string(text, "s", &opts, ks);
}

static void test_strings(void)
{
    struct kickstart *ks = NULL;

    is_int(parse_str("rootpw 'pa ss\\x' --plaintext\nlang \"en\\\"US\"\n", &ks), 0, "quoting");
    if (ks) {
        is_str(ks->rootpw.password, "pa ss\\x", "single quotes literal");
        is_str(ks->lang.lang, "en\"US", "double quote escape");
    }
    ks_free(ks);

    is_int(parse_str("rootpw ab\\ c#d\n", &ks), 0, "backslash and mid-word # (shlex)");
    if (ks)
        is_str(ks->rootpw.password, "ab c", "shlex: # ends the word and starts a comment");
    ks_free(ks);

    is_int(parse_str("rootpw \"a#b\"\ntimezone UTC --nontp\n", &ks), 0, "quoted #");
    if (ks) {
        is_str(ks->rootpw.password, "a#b", "quoted # kept");
        ok(ks->timezone.nontp, "--nontp");
    }
    ks_free(ks);

    is_int(parse_str("part / --si=100 --fst ext4 --gr\n", &ks), 0, "option prefixes");
    if (ks && ks->n_parts == 1) {
        is_int(ks->parts[0].size, 100, "--si prefix");
        is_str(ks->parts[0].fstype, "ext4", "--fst prefix");
        ok(ks->parts[0].grow, "--gr prefix");
    }
    ks_free(ks);

    is_int(parse_str("part / --s=1\n", &ks), 0, "--s: only --size matches (argparse prefix)");
    ks_free(ks);
    is_int(parse_str("part / --p=1\n", &ks), -1, "ambiguous prefix");
    ok(has_diag("s:1: E: part: ambiguous option: --p could match --passphrase, --pbkdf, --pbkdf-memory, --pbkdf-time, --pbkdf-iterations"),
       "ambiguous message");
    is_int(parse_str("part / --bogus\n", &ks), -1, "unknown option");
    ok(has_diag("s:1: E: Unexpected arguments to partition command: ['--bogus']"), "unknown option message");
    is_int(parse_str("part / --grow=yes\n", &ks), -1, "bool with value");
    is_int(parse_str("part / --size\n", &ks), -1, "missing option value");
    ok(has_diag("s:1: E: part: argument --size: expected one argument"), "missing value message");
    is_int(parse_str("lang\n", &ks), -1, "lang without argument");
    is_int(parse_str("url\n", &ks), -1, "url without source");
    is_int(parse_str("repo --name=a --baseurl=x --mirrorlist=y\n", &ks), -1, "repo two sources");
    is_int(parse_str("repo --name=a --baseurl=x --ignoregroups=maybe\n", &ks), -1, "bad ksboolean");
    is_int(parse_str("bootloader extra\n", &ks), -1, "unexpected positional");
    is_int(parse_str("%end\n", &ks), -1, "stray %%end");
    is_int(parse_str("%foo\nbar\n%end\nkeyboard us\n", &ks), -1, "unknown section");
    is_int(n_err, 1, "unknown section: one error");
    is_int(parse_str("%packages\n@a --nodefaults --optional\n%end\n", &ks), -1, "group both options");
    is_int(parse_str("%pre --nochroot\n%end\n", &ks), -1, "--nochroot only for %%post");
    is_int(parse_str("%include http://127.0.0.1:9/x.ks\n", &ks), -1, "unreachable URL include");
    is_int(parse_str("%packages\nfoo\n%post\necho\n%end\n", &ks), -1, "section without %%end before another");
    ok(has_diag("s:3: E: Section %packages does not end with %end."), "reported where the next section starts");

    is_int(parse_str("bootloader --timeout=5\nbootloader --append=x\n", &ks), 0, "repeat replaces");
    if (ks) {
        is_int(ks->bootloader.timeout, 5, "options a later bootloader leaves out are kept (pykickstart)");
        is_str(ks->bootloader.append, "x", "later bootloader value");
    }
    is_int(n_note, 1, "duplicate notice");
    is_int(n_warn, 0, "no warning (pykickstart gives none)");
    ks_free(ks);

    is_int(parse_str("rootpw --lock\n%ksappend /x\n", &ks), 0, "rootpw --lock, %%ksappend skipped");
    ok(ks && ks->rootpw.lock && !ks->rootpw.password, "locked root");
    is_int(n_note, 1, "ksappend notice");
    ks_free(ks);

    is_int(parse_str("", &ks), 0, "empty kickstart");
    ok(ks && !ks->lang.seen && !ks->packages.seen && ks->n_repos == 0 && ks->bootloader.timeout == -1,
       "empty model defaults");
    ks_free(ks);

    is_int(parse_str("lang C\r\n%post\r\necho x\r\n%end\r\n", &ks), 0, "CRLF lines");
    if (ks && ks->n_scripts == 1)
        is_str(ks->scripts[0].body, "echo x\r\n", "CRLF body kept as pykickstart keeps it");
    ks_free(ks);

    /* a very long line */
    size_t big = 1 << 20;
    char *s = xmalloc(big + 64);
    strcpy(s, "rootpw ");
    memset(s + 7, 'x', big);
    strcpy(s + 7 + big, "\n");
    is_int(parse_str(s, &ks), 0, "1 MiB line");
    ok(ks && ks->rootpw.password && strlen(ks->rootpw.password) == big, "long token kept");
    ks_free(ks);
    s[7 + big - 10] = '"';
    is_int(parse_str(s, &ks), -1, "long unterminated quote");
    free(s);

    is_int(parse_str("rootpw a\\", &ks), -1, "trailing backslash");
    ok(has_diag("s:1: E: No escaped character"), "trailing backslash message");
}

static void test_files(void)
{
    char tmpl[] = "/tmp/test_ks.XXXXXX";
    char *dir = mkdtemp(tmpl);
    ok(dir != NULL, "tmpdir");
    if (!dir)
        return;
    struct kickstart *ks;

    /* NUL bytes */
    char *nul = path_join(dir, "nul.ks");
    FILE *f = fopen(nul, "w");
    fwrite("lang C\nroot\0pw x\nkeyboard us\n", 1, 29, f);
    fclose(f);
    reset();
    is_int(ks_parse_file(nul, &opts, &ks), -1, "NUL byte is an error");
    char *want = xasprintf("%s:2: E: Line contains a NUL byte", nul);
    ok(has_diag(want), "NUL byte at line 2");
    free(want);

    /* include chain deeper than 64 */
    for (int i = 0; i <= 70; i++) {
        char *name = xasprintf("%s/d%d.ks", dir, i);
        char *body = i < 70 ? xasprintf("%%include d%d.ks\n", i + 1) : xstrdup("lang C\n");
        write_file(name, body, 0644);
        free(name);
        free(body);
    }
    char *d0 = path_join(dir, "d0.ks");
    reset();
    is_int(ks_parse_file(d0, &opts, &ks), -1, "include depth limit");
    want = xasprintf("%s/d64.ks:1: E: %%include nested more than 64 levels deep (include cycle?): d65.ks", dir);
    ok(has_diag(want), "depth error at the 65th %%include");
    free(want);
    is_int(n_err, 1, "one depth error");
    free(d0);

    char *d20 = path_join(dir, "d30.ks");
    reset();
    is_int(ks_parse_file(d20, &opts, &ks), 0, "40 nested includes are fine");
    ok(ks && ks->lang.seen && ks->lang.loc.line == 1 && strstr(ks->lang.loc.file, "d70.ks"),
       "location in the innermost file");
    ks_free(ks);
    free(d20);

    /* absolute and file:// includes */
    char *abs = path_join(dir, "abs.ks");
    char *body = xasprintf("%%include %s/d70.ks\n%%include file://%s/d70.ks\n", dir, dir);
    write_file(abs, body, 0644);
    reset();
    is_int(ks_parse_file(abs, &opts, &ks), 0, "absolute and file:// include");
    is_int(n_note, 1, "lang twice: a notice");
    ks_free(ks);
    free(body);
    free(abs);
    free(nul);
    rm_rf(dir);
}

int main(void)
{
    srcdir = getenv("KSC_SRCDIR") ? getenv("KSC_SRCDIR") : ".";
    test_live();
    test_errors();
    test_strings();
    test_files();
    reset();
    return tap_done();
}
