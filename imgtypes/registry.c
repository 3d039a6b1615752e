/* registry.c - the table of image type backends (see registry.h). */
#include "imgtypes/registry.h"

#include <string.h>

static const struct imgtype *const types[] = { &imgtype_livecd, &imgtype_loop, &imgtype_raw,
                                               &imgtype_installer };

const struct imgtype *imgtype_find(const char *name)
{
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(types[i]->name, name))
            return types[i];
    if (!strcmp(name, "iso") || !strcmp(name, "live"))
        return &imgtype_livecd;
    if (!strcmp(name, "image"))
        return &imgtype_loop;
    if (!strcmp(name, "disk") || !strcmp(name, "appliance"))
        return &imgtype_raw;
    return NULL;
}
