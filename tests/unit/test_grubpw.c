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

int main(void)
{
    log_open(LOG_QUIET, NULL);
    char *h = passwd_grub_pbkdf2("s3cret pass");
    ok(h && str_startswith(h, "grub.pbkdf2.sha512.10000."), "grub.pbkdf2.sha512.10000 prefix");
    const char *salt = h ? h + strlen("grub.pbkdf2.sha512.10000.") : "";
    const char *dot = strchr(salt, '.');
    ok(dot && dot - salt == 128 && strlen(dot + 1) == 128, "64-byte salt and hash in hex");
    char *h2 = passwd_grub_pbkdf2("s3cret pass");
    ok(h2 && h && strcmp(h, h2) != 0, "a new salt each time");
    free(h2);
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

    /* SOURCE_DATE_EPOCH: the same input gives the same hashes (reproducible) */
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    char *a = passwd_grub_pbkdf2("pw"), *b = passwd_grub_pbkdf2("pw");
    ok(a && b && !strcmp(a, b), "grub hash is reproducible with SOURCE_DATE_EPOCH");
    char *c = passwd_sha512_crypt("pw"), *d = passwd_sha512_crypt("pw");
    ok(c && d && !strcmp(c, d) && str_startswith(c, "$6$"), "crypt hash is reproducible with SOURCE_DATE_EPOCH");
    char *e = passwd_sha512_crypt("other");
    ok(e && c && strncmp(e, c, 20) != 0, "another password gets another salt");
    free(a), free(b), free(c), free(d), free(e);
    unsetenv("SOURCE_DATE_EPOCH");
    return tap_done();
}
