/* pkgtest.h - the set-up the package engine tests share (test_pkg.c,
 * test_pkg_repo.c): the synthetic repository, a scratch directory, an HTTP
 * server for it on 127.0.0.1, loaded engines, resolutions as text.
 *
 * Contract:
 *   pkgtest_setup(NAME) first: opens the log (debug with KSC_DEBUG), builds
 *     KSC_FIXTURES/synth (default /var/cache/kscreate-fixtures/synth) with
 *     tests/fixtures/mksynth.sh (run from the source tree), makes the scratch
 *     directory /tmp/NAME.XXXXXX.  0; or -1 after printing the TAP skip plan,
 *     and the program then exits 0.  pkgtest_teardown() last: stops the
 *     server, removes the scratch directory, frees what G() kept.
 *   Nothing here prints a test point; failures print '#' lines only.
 *   Strings returned as char * are the caller's to free, unless kept by G().
 */
#ifndef KSC_PKGTEST_H
#define KSC_PKGTEST_H

#include <stdbool.h>

struct ks_packages;
struct ks_repo;
struct pkg_engine;

extern const char *pkgtest_fixdir; /* the synthetic repository (a directory) */
extern const char *pkgtest_tmp;    /* the scratch directory */

int  pkgtest_setup(const char *name);
void pkgtest_teardown(void);

char *G(char *s);           /* kept until pkgtest_teardown; returns s */
char *T(const char *rel);   /* G(path_join(pkgtest_tmp, rel)) */

/* log_failure() contains S; if not, both are printed as diagnostics. */
bool failure_has(const char *s);

/* CMD's standard output ("" when it cannot run). */
char *pkgtest_cmd_output(const char *cmd);

/* python3 -m http.server serving the repository at the URL
 * "http://127.0.0.1:PORT/", its port chosen once: a restarted server has the
 * same URL (and so the same cache directory).  _start: true when it runs
 * (started now or before). */
const char *pkgtest_http_url(void);
bool pkgtest_http_start(void);
void pkgtest_http_stop(void);

/* Loaded engines (releasever 1), NULL on failure (log_failure() says why):
 * one repository "synth" at URL (a URL or a plain path), one ks_repo, or a
 * .repo file or directory. */
struct pkg_engine *pkgtest_engine(const char *url, const char *cachedir, bool cacheonly);
struct pkg_engine *pkgtest_engine_repo(const struct ks_repo *r, const char *cachedir, bool cacheonly);
struct pkg_engine *pkgtest_engine_repofile(const char *path, const char *cachedir,
                                           const char *pkgverify_level);

/* pkg_resolve as text: the sorted NEVRAs separated by blanks ("" for none),
 * or "FAIL".  _names: NAMES separated by blanks, --nocore. */
char *pkgtest_resolve(struct pkg_engine *e, const struct ks_packages *req);
char *pkgtest_resolve_names(struct pkg_engine *e, const char *names);

#endif
