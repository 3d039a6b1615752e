/* fuzz_ks.c - libFuzzer target over the kickstart parser and writer.
 *
 * The input is written to main.ks in a private directory that also holds
 * a.ks and b.ks (which include each other and main.ks), so %include with
 * relative names, cycles and nesting are reached.  The first byte chooses
 * the options: syntax version, ksflatten/ksvalidator mode, %ksappend.
 * Every successful parse is flattened, and the flattened text parsed again.
 *
 *   clang -fsanitize=fuzzer,address,undefined -DKS_NO_FETCH ... (mk/kickstart.mk)
 */
#define _GNU_SOURCE
#include "kickstart/ks.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static void quiet(void *ctx, enum ks_severity sev, const char *file, int line, const char *msg)
{
    (void)ctx; (void)sev; (void)file; (void)line; (void)msg;
}

static void put(const char *name, const void *data, size_t len)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (len && fwrite(data, 1, len, f) != len)
        abort();
    fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/fuzz_ks.XXXXXX");
    if (!mkdtemp(dir))
        abort();
    if (chdir(dir) < 0)
        abort();
    static const char a[] = "lang C\n%include b.ks\n%post\necho a\n";
    static const char b[] = "%end\npart / --size=1\n%include a.ks\n";
    put("a.ks", a, sizeof a - 1);
    put("b.ks", b, sizeof b - 1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const versions[] = { "DEVEL", "RHEL8", "RHEL9", "RHEL10", "F30", "F40" };
    unsigned mode = size ? data[0] : 0;
    if (size) {
        data++;
        size--;
    }
    put("main.ks", data, size);
    struct ks_parse_opts o;
    ks_parse_opts_init(&o);
    o.report = quiet;
    o.version = versions[(mode >> 4) % 6];
    o.errors_fatal = mode & 1;
    o.warnings_are_errors = mode & 2;
    o.ksappend = mode & 4;
    o.skip_includes = mode & 8;
    o.includes_regular_only = true;
    int nerr = 0;
    o.n_errors = &nerr;
    struct kickstart *ks = NULL;
    if (ks_parse_file("main.ks", &o, &ks) == 0 && ks) {
        char *text = ks_flatten(ks);
        struct kickstart *ks2 = NULL;
        ks_parse_string(text, "flat", &o, &ks2);
        ks_free(ks2);
        free(text);
        ks_free(ks);
    }
    return 0;
}
