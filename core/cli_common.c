/* cli_common.c - see cli_common.h */
#define _GNU_SOURCE
#include "core/cli_common.h"
#include "core/base/cleanup.h"
#include "core/base/util.h"
#include "core/creator.h"

#include <stdarg.h>
#include <stdlib.h>

void cli_common_init(struct cli_common *cc, const char *prog, void (*usage)(FILE *, const char *))
{
    *cc = (struct cli_common){ .prog = prog, .usage = usage, .level = LOG_INFO };
}

static void set_str(char **field, const char *arg)
{
    free(*field);
    *field = xstrdup(arg);
}

int cli_common_option(struct creator *cr, struct cli_common *cc, int opt, const char *arg)
{
    switch (opt) {
    case 't': cr->tmpdir_parent = arg; break;
    case 'o': cr->outdir = arg; break;
    case CLI_OPT_CACHE: cr->cachedir = arg; break;
    case CLI_OPT_CACHEONLY: cr->cacheonly = true; break;
    case CLI_OPT_NOCLEANUP: cr->nocleanup = true; break;
    case CLI_OPT_TITLE: set_str(&cr->title, arg); break;
    case CLI_OPT_RELEASEVER: set_str(&cr->releasever, arg); break;
    case CLI_OPT_REPO: cr->repo_path = arg; break;
    case 'd': cc->level = LOG_DEBUG; break;
    case 'v':
        if (cc->level > LOG_VERBOSE)
            cc->level = LOG_VERBOSE;
        break;
    case 'q': cc->quiet = true; break;
    case CLI_OPT_LOGFILE: cc->logfile = arg; break;
    case 'h':
        cc->usage(stdout, cc->prog);
        return 0;
    case CLI_OPT_VERSION:
        printf("%s (kscreate) %s\n", cc->prog, KSC_VERSION);
        return 0;
    default:
        cc->usage(stderr, cc->prog);
        return 2;
    }
    return CLI_CONTINUE;
}

int cli_common_start(const struct cli_common *cc)
{
    if (log_open(cc->quiet ? LOG_QUIET : cc->level, cc->logfile) < 0)
        return -1;
    cleanup_handle_signals();
    return 0;
}

int cli_usage_error(const struct cli_common *cc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", cc->prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}
