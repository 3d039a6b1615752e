/* ks_table.h - the kickstart syntax tables (ks_table.c, generated).
 *
 * One entry per command implementation ("class"): its option definitions
 * with argparse-like kinds, the family it belongs to (what the writer and
 * the validation code key on), its write priority, whether it is a data
 * command (every use kept) and whether it is removed or deprecated.  Each
 * syntax version maps command names (with aliases) to classes.
 */
#ifndef KSC_KS_TABLE_H
#define KSC_KS_TABLE_H

#include <stdbool.h>
#include <stddef.h>

enum ks_act { A_STORE, A_TRUE, A_FALSE, A_CONST, A_APPEND, A_APPCONST, A_EXTEND, A_EXTCONST };
enum ks_type { T_STR, T_INT, T_COMMA, T_MNT, T_KSBOOL, T_FLOAT, T_CB };
enum ks_nargs { N_ONE, N_OPT, N_STAR, N_PLUS, N_LIST1, N_ZERO };
enum { OF_DEPRECATED = 1, OF_REQUIRED = 2 };
enum ks_cmdkind { CK_NORMAL, CK_DEPRECATED, CK_REMOVED };

/* Values (const, default) are encoded: NULL none, "b0"/"b1" bool, "i<n>"
 * int, "f<x>" float, "s<text>" string, "l<a,b>" list. */
struct ks_optdef {
    const char *names[6];         /* option strings, NULL terminated; none = positional */
    const char *dest;
    unsigned char act, type, nargs, flags;
    const char *cnst, *dflt;
    const char *cb;               /* T_CB: name of the value check */
    const char *init;             /* the attribute's value before any use (a None
                                     from the parser keeps it) */
};

struct ks_cmdclass {
    const char *name;             /* e.g. "F41_Partition" */
    const char *family;           /* e.g. "Partition": write order key */
    int kind;                     /* enum ks_cmdkind */
    int prio;                     /* write priority, -1: not written */
    bool multi;                   /* data command: every use is kept */
    const struct ks_optdef *opts;
    int n_opts;
    const char *conflicts;        /* commands it cannot be used with, comma separated */
};

struct ks_cmdmap { const char *name; int cls; };
struct ks_version { const char *name; int num; const struct ks_cmdmap *map; };

extern const struct ks_cmdclass ks_classes[];
extern const size_t ks_n_classes;
extern const struct ks_version ks_versions[];

#endif
