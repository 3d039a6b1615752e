/* ks_version.c - the syntax versions of the tables in ks_table.c by name:
 * "F41", "RHEL9", "DEVEL", or pykickstart's long forms ("Fedora 41"). */
#include "kickstart/ks_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct ks_version *ks_version_get(const char *name)
{
    if (!name)
        name = "DEVEL";
    for (const struct ks_version *v = ks_versions; v->name; v++)
        if (strcasecmp(v->name, name) == 0)
            return v;
    /* "Fedora 41", "Red Hat Enterprise Linux 9.4" (pykickstart's stringToVersion) */
    const char *sp = strrchr(name, ' ');
    if (sp && sp[1] >= '0' && sp[1] <= '9') {
        char buf[32];
        int n = atoi(sp + 1);
        if (!strncasecmp(name, "fedora", 6))
            snprintf(buf, sizeof buf, "F%d", n);
        else if (!strncasecmp(name, "red hat enterprise linux", 24))
            snprintf(buf, sizeof buf, "RHEL%d", n);
        else
            return NULL;
        for (const struct ks_version *v = ks_versions; v->name; v++)
            if (strcasecmp(v->name, buf) == 0)
                return v;
    }
    return NULL;
}

int ks_version_lookup(const char *name, const char **canonical)
{
    const struct ks_version *v = ks_version_get(name);
    if (!v)
        return 0;
    if (canonical)
        *canonical = v->name;
    return v->num;
}

const char *const *ks_version_names(void)
{
    static const char *names[128];
    if (!names[0]) {
        size_t n = 0;
        for (const struct ks_version *v = ks_versions; v->name && n < 127; v++)
            names[n++] = v->name;
        /* sorted like Python's sorted() */
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
                const char *t = names[j];
                names[j] = names[j - 1];
                names[j - 1] = t;
            }
    }
    return names;
}
