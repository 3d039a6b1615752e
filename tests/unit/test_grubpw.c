/* test_grubpw.c - bootloader --password hashing (grub2-mkpasswd-pbkdf2 format),
 * checked against Python's hashlib as an independent implementation. */
#define _GNU_SOURCE
#include "core/base/log.h"
#include "core/base/run.h"
#include "core/sysconfig.h"
#include "core/base/util.h"
#include "core/passwd_hash.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

#define PREFIX "grub.pbkdf2.sha512.10000."

static void case_grub_pbkdf2_format(void)
{
    char *h = passwd_grub_pbkdf2("s3cret pass");
    ok(h && str_startswith(h, PREFIX), "grub.pbkdf2.sha512.10000 prefix");
    const char *salt = h ? h + strlen(PREFIX) : "";
    const char *dot = strchr(salt, '.');
    ok(dot && dot - salt == 128 && strlen(dot + 1) == 128, "64-byte salt and hash in hex");
    free(h);
}

static void case_grub_pbkdf2_new_salt_each_time(void)
{
    char *h = passwd_grub_pbkdf2("s3cret pass"), *h2 = passwd_grub_pbkdf2("s3cret pass");
    ok(h2 && h && strcmp(h, h2) != 0, "a new salt each time");
    free(h);
    free(h2);
}

static void case_grub_pbkdf2_agrees_with_python_hashlib(void)
{
    char *h = passwd_grub_pbkdf2("s3cret pass");
    const char *salt = h ? h + strlen(PREFIX) : "";
    const char *dot = strchr(salt, '.');
    if (dot) {
        char *saltx = xstrndup(salt, (size_t)(dot - salt));
        char *py = xasprintf("import hashlib;print(hashlib.pbkdf2_hmac('sha512', b's3cret pass', "
                             "bytes.fromhex('%s'), 10000, 64).hex().upper())", saltx);
        char *out = NULL;
        int rc = run_capture(&out, "python3", "-c", py, NULL);
        if (rc == 0 && out) {
            out[strcspn(out, "\n")] = 0;
            is_str(out, dot + 1, "hash agrees with Python's hashlib.pbkdf2_hmac");
        } else {
            ok(1, "# SKIP python3 not available");
        }
        free(out);
        free(py);
        free(saltx);
    }
    free(h);
}

/* SOURCE_DATE_EPOCH: the same input gives the same hashes (reproducible) */
static void case_grub_hash_reproducible_with_source_date_epoch(void)
{
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    char *a = passwd_grub_pbkdf2("pw"), *b = passwd_grub_pbkdf2("pw");
    ok(a && b && !strcmp(a, b), "grub hash is reproducible with SOURCE_DATE_EPOCH");
    free(a), free(b);
    unsetenv("SOURCE_DATE_EPOCH");
}

static void case_crypt_hash_reproducible_salt_per_password(void)
{
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    char *c = passwd_sha512_crypt("pw"), *d = passwd_sha512_crypt("pw");
    ok(c && d && !strcmp(c, d) && str_startswith(c, "$6$"), "crypt hash is reproducible with SOURCE_DATE_EPOCH");
    char *e = passwd_sha512_crypt("other");
    ok(e && c && strncmp(e, c, 20) != 0, "another password gets another salt");
    free(c), free(d), free(e);
    unsetenv("SOURCE_DATE_EPOCH");
}

static const struct tap_case cases[] = {
    TAP_CASE(case_grub_pbkdf2_format),
    TAP_CASE(case_grub_pbkdf2_new_salt_each_time),
    TAP_CASE(case_grub_pbkdf2_agrees_with_python_hashlib),
    TAP_CASE(case_grub_hash_reproducible_with_source_date_epoch),
    TAP_CASE(case_crypt_hash_reproducible_salt_per_password),
    { 0 },
};

int main(int argc, char **argv)
{
    log_open(LOG_QUIET, NULL);
    return tap_run(cases, argc, argv);
}
