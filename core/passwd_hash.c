/* passwd_hash.c - see passwd_hash.h */
#define _GNU_SOURCE
#include "core/passwd_hash.h"
#include "core/base/util.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/evp.h>

/* Salt bytes: random, or with SOURCE_DATE_EPOCH set (reproducible builds)
 * derived from the epoch, a purpose tag and the password, so two builds of
 * the same kickstart write the same hashes. */
static int salt_bytes(unsigned char *out, size_t n, const char *tag, const char *plain)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (!epoch || !*epoch)
        return getrandom(out, n, 0) == (ssize_t)n ? 0 : -1;
    unsigned char md[64];
    unsigned int mdlen = 0;
    char *seed = xasprintf("kscreate-salt:%s:%s:%s", tag, epoch, plain);
    int ok = EVP_Digest(seed, strlen(seed), md, &mdlen, EVP_sha512(), NULL);
    free(seed);
    if (!ok || mdlen < n)
        return -1;
    memcpy(out, md, n);
    return 0;
}

char *passwd_grub_pbkdf2(const char *plain)
{
    enum { ITER = 10000, SALT = 64, KEY = 64 };
    unsigned char salt[SALT], key[KEY];
    if (salt_bytes(salt, sizeof salt, "grub", plain) < 0)
        return NULL;
    if (!PKCS5_PBKDF2_HMAC(plain, (int)strlen(plain), salt, SALT, ITER, EVP_sha512(), KEY, key))
        return NULL;
    static const char hex[] = "0123456789ABCDEF";
    char salthex[2 * SALT + 1], keyhex[2 * KEY + 1];
    for (int i = 0; i < SALT; i++)
        salthex[2 * i] = hex[salt[i] >> 4], salthex[2 * i + 1] = hex[salt[i] & 15];
    for (int i = 0; i < KEY; i++)
        keyhex[2 * i] = hex[key[i] >> 4], keyhex[2 * i + 1] = hex[key[i] & 15];
    salthex[2 * SALT] = keyhex[2 * KEY] = 0;
    return xasprintf("grub.pbkdf2.sha512.%d.%s.%s", ITER, salthex, keyhex);
}

char *passwd_sha512_crypt(const char *plain)
{
    static const char b64[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    unsigned char rnd[16];
    if (salt_bytes(rnd, sizeof rnd, "crypt", plain) < 0)
        return NULL;
    char salt[40] = "$6$";
    for (int i = 0; i < 16; i++)
        salt[3 + i] = b64[rnd[i] % 64];
    salt[19] = '$';
    salt[20] = 0;
    struct crypt_data cd;
    memset(&cd, 0, sizeof cd);
    const char *h = crypt_r(plain, salt, &cd);
    if (!h || h[0] == '*')
        return NULL;
    return xstrdup(h);
}

int passwd_crypt_check(const char *hash, const char **why)
{
    static char reason[160];
    const char *h = hash;
    if (why)
        *why = NULL;
    while (*h == '!')
        h++;
    if (!*h || !strcmp(h, "*"))
        return 0;   /* empty or locked */
    if (strpbrk(hash, ":\n \t")) {
        if (why) *why = "it contains ':' or white space";
        return -1;
    }
    if (h[0] != '$') {
        /* traditional DES: 13 characters of the crypt alphabet */
        if (strlen(h) != 13 || strspn(h, "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != 13) {
            if (why) *why = "it is neither a $id$salt$hash string nor a 13-character DES hash";
            return -1;
        }
        return 0;
    }
    struct crypt_data cd;
    memset(&cd, 0, sizeof cd);
    const char *r = crypt_r("kscreate", h, &cd);
    if (!r || r[0] == '*') {
        if (why) *why = "libcrypt does not know its method or parameters";
        return -1;
    }
    /* the setting (everything up to the last '$' of a hash made with it)
     * must be the hash's own, followed by the hash part */
    const char *last = strrchr(r, '$');
    size_t pre = last ? (size_t)(last - r) + 1 : 2;
    if (strncmp(r, h, pre) != 0 || strchr(h + pre, '$')) {
        if (why) *why = "it has no hash part after the salt";
        return -1;
    }
    if (strlen(r) != strlen(h)) {
        snprintf(reason, sizeof reason, "its hash part has %zu characters where %zu are expected",
                 strlen(h) - pre, strlen(r) - pre);
        if (why) *why = reason;
        return 1;
    }
    return 0;
}
