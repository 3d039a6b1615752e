/* stage.c - see stage.h */
#include "stage.h"
#include "log.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int stage_copy(const char *src, const char *stagedir, const char *rel, mode_t mode)
{
    char *dst = path_join(stagedir, rel);
    char *dir = xstrdup(dst);
    *strrchr(dir, '/') = 0;
    int rc = 0;
    if (mkdir_p(dir, 0755) < 0 || copy_file(src, dst, mode) < 0)
        rc = log_fail("cannot copy %s to %s: %s", src, dst, strerror(errno));
    free(dir);
    free(dst);
    return rc;
}
