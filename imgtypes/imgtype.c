/* imgtype.c - the table of image type backends. */
#include "imgtype.h"

#include <string.h>

static const struct imgtype *const types[] = { &imgtype_livecd, &imgtype_loop };

const struct imgtype *imgtype_find(const char *name)
{
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(types[i]->name, name))
            return types[i];
    if (!strcmp(name, "iso") || !strcmp(name, "live"))
        return &imgtype_livecd;
    return NULL;
}
