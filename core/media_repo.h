/* media_repo.h - the on-media package repository of DVD-style installer media:
 * the resolved package set copied to Packages/<first letter>/ (as pungi lays
 * out Fedora's DVD) and repodata/ generated with libcreaterepo_c (primary,
 * filelists, other, comps as group + group_gz, sha256, hashed file names).
 *
 * Comps come from the source repositories (located with cr_locate_metadata),
 * merged and filtered to the packages on the media with libxml2: package
 * requests naming packages that are not on the media are dropped, and
 * groups left empty too (environments and categories lose references to
 * dropped groups).
 *
 * Contract: 0, or -1 after log_fail().  Built without libcreaterepo_c
 * (no createrepo_c/libxml-2.0 in the build flags) every call fails with that
 * reason.
 */
#ifndef KSC_MEDIA_REPO_H
#define KSC_MEDIA_REPO_H

#include <stddef.h>

struct media_repo_opts {
    const char *root;               /* the media tree; Packages/ and repodata/ go here */
    const char *const *rpms;        /* local rpm files, n_rpms of them */
    size_t n_rpms;
    const char *const *comps_urls;  /* source repository base URLs whose comps are merged */
    size_t n_comps_urls;
    const char *revision;           /* repomd revision, NULL: time */
};

/* True when this build can make repositories. */
int media_repo_available(void);
int media_repo_create(const struct media_repo_opts *o);

/* Filter comps XML text to the package NAMES (n of them); malloc'd result or
 * NULL + log_fail().  Several documents are merged (texts, n_texts). */
char *media_repo_filter_comps(const char *const *texts, size_t n_texts,
                              const char *const *names, size_t n);

#endif
