/* passwd_hash.h - password hashes written into images.
 *
 * Salts are random, or with SOURCE_DATE_EPOCH set derived from the epoch, a
 * purpose tag and the password, so that two builds of one kickstart write
 * the same hashes.  Results are malloc'd; NULL when hashing failed.
 */
#ifndef KSC_PASSWD_HASH_H
#define KSC_PASSWD_HASH_H

/* SHA-512 crypt(3) ($6$) of a plain password. */
char *passwd_sha512_crypt(const char *plain);
/* grub2-mkpasswd-pbkdf2's form: grub.pbkdf2.sha512.10000.SALT.HASH */
char *passwd_grub_pbkdf2(const char *plain);
/* Validate a crypt(3) string with libcrypt: 0 valid (also empty or locked
 * with '!'/'*'), 1 usable but suspicious, -1 invalid; *why says why. */
int  passwd_crypt_check(const char *hash, const char **why);

#endif
