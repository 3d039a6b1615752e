/* pkg_solve.c - dependency resolution with libsolv.  See pkg.h.
 *
 * How a %packages section becomes a libsolv job, following dnf 4.14 (the
 * code paths named are dnf's; tests/integration/80-pkg-oracle.sh compares
 * the results with dnf itself):
 *  - excludes: %packages "-glob" and the repositories' excludepkgs (and the
 *    complement of includepkgs) clear bits in pool->considered; excluded
 *    packages stay in whatprovides (POOL_FLAG_WHATPROVIDESWITHDISABLED, as
 *    libdnf) so problems name them "filtered out by exclude filtering";
 *  - a package spec (Base.install/_get_best_selectors): the first form that
 *    matches among name, name.arch, name-[e:]v[-r][.arch] with globs, then
 *    provides, a '/' spec as a file; a glob or provide gives one job per
 *    name, an arch in the spec or multilib "all" one job per name.arch
 *    (SETARCH), a plain name also accepts the packages obsoleting it;
 *  - groups (comps solvables "group:<id>": requires = mandatory, recommends
 *    = default and conditional "(name if req)", suggests = optional) by id
 *    or name; members as _finalize_comps_trans(): a job per existing name
 *    (with obsoleters), conditional ones as a rich-dependency job, missing
 *    ones only warn; an environment installs its mandatory groups;
 *  - @core unless --nocore; installonlypkgs get SOLVER_MULTIVERSION;
 *  - every job carries SOLVER_FORCEBEST (best=1), SOLVER_WEAK with
 *    --ignorebroken; weak dependencies unless --exclude-weakdeps;
 *  - file lists: see resolve_once()/closure_hits();
 *  - an installed set (pkg_load_installed, --base-on) as `dnf --installroot
 *    ROOT install`: installed packages match specs and group members like
 *    available ones (dnf's selectors hold both), so a request an installed
 *    package satisfies keeps it, and with SOLVER_FORCEBEST (best=1) a named
 *    package with a better version in the repositories is upgraded, as dnf
 *    install does; dependencies that are installed stay at their version.
 *    Installed packages are always considered (excludes do not hide them:
 *    we never erase), the result holds only what rpm installs, with
 *    e->replaces telling which entries replace installed packages.
 */
#define _GNU_SOURCE
#define KSC_PKG_INTERNAL
#include "core/pkg.h"
#include "core/base/strv.h"
#include "core/base/strbuf.h"
#include "core/base/log.h"
#include "core/base/util.h"
#include "kickstart/ks.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <solv/bitmap.h>
#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/problems.h>
#include <solv/repo.h>
#include <solv/rules.h>
#include <solv/selection.h>
#include <solv/solvable.h>
#include <solv/solver.h>
#include <solv/transaction.h>

static bool is_comps_name(const char *n)
{
    return str_startswith(n, "group:") || str_startswith(n, "environment:") ||
           str_startswith(n, "category:") || str_startswith(n, "pattern:") ||
           str_startswith(n, "product:") || str_startswith(n, "application:");
}

static bool spec_matches(const strv_t *globs, Pool *pool, Solvable *s)
{
    if (!globs->n)
        return false;
    const char *name = pool_id2str(pool, s->name);
    char *na = xasprintf("%s.%s", name, pool_id2str(pool, s->arch));
    const char *nevra = pool_solvable2str(pool, s);
    bool hit = false;
    for (size_t i = 0; i < globs->n && !hit; i++)
        hit = !fnmatch(globs->v[i], name, 0) || !fnmatch(globs->v[i], na, 0) ||
              !fnmatch(globs->v[i], nevra, 0);
    free(na);
    return hit;
}

static void setup_considered(struct pkg_engine *e, const struct ks_packages *req)
{
    Pool *pool = e->pool;
    if (e->have_considered)
        map_free(&e->considered);
    map_init(&e->considered, pool->nsolvables);
    e->have_considered = true;
    size_t n_excl = 0;
    Id p;
    Solvable *s;
    FOR_POOL_SOLVABLES(p) {
        s = pool_id2solvable(pool, p);
        struct pkg_repo *r = s->repo ? s->repo->appdata : NULL;
        bool ok = true;
        if (r && !is_comps_name(pool_id2str(pool, s->name))) {
            if (r->includepkgs.n && !spec_matches(&r->includepkgs, pool, s))
                ok = false;
            else if (spec_matches(&r->excludepkgs, pool, s))
                ok = false;
            else if (req && spec_matches(&req->excludes, pool, s))
                ok = false;
        }
        if (ok)
            MAPSET(&e->considered, p);
        else
            n_excl++;
    }
    /* the system solvable must stay */
    MAPSET(&e->considered, SYSTEMSOLVABLE);
    pool->considered = &e->considered;
    pool_createwhatprovides(pool);
    if (n_excl)
        log_verbose("%zu packages excluded", n_excl);
}

/* Mark in U the considered packages requiring a file nothing provides
 * with the file lists loaded so far; returns how many. */
static int unresolved_filedeps(Pool *pool, Map *u)
{
    Id p;
    Solvable *s;
    int n = 0;
    FOR_POOL_SOLVABLES(p) {
        s = pool_id2solvable(pool, p);
        if (!s->requires || !pool_installable(pool, s))
            continue;
        Id d, *dp = s->repo->idarraydata + s->requires;
        while ((d = *dp++)) {
            if (ISRELDEP(d) || d == SOLVABLE_PREREQMARKER)
                continue;
            const char *str = pool_id2str(pool, d);
            if (str[0] == '/' && !pool->whatprovidesdata[pool_whatprovides(pool, d)]) {
                log_debug("file dependency %s of %s is not in primary metadata", str,
                          pool_solvable2str(pool, s));
                MAPSET(u, p);
                n++;
                break;
            }
        }
    }
    return n;
}

/* Could the solver have looked at a package of U?  Walks every candidate
 * reachable from the install jobs (and, with weak deps, from every package
 * with Supplements) through all providers of Requires (and Recommends).
 * When none is in U, the answer without file lists is dnf's answer. */
static bool closure_hits(Pool *pool, const Queue *job, const Map *u, bool weak)
{
    Map seen;
    map_init(&seen, pool->nsolvables);
    Queue todo, q;
    queue_init(&todo);
    queue_init(&q);
    for (int i = 0; i < job->count; i += 2) {
        if ((job->elements[i] & SOLVER_JOBMASK) != SOLVER_INSTALL)
            continue;
        queue_empty(&q);
        pool_job2solvables(pool, &q, job->elements[i], job->elements[i + 1]);
        for (int k = 0; k < q.count; k++)
            if (!MAPTST(&seen, q.elements[k])) {
                MAPSET(&seen, q.elements[k]);
                queue_push(&todo, q.elements[k]);
            }
    }
    Id p, pp;
    Solvable *s;
    if (weak) {
        FOR_POOL_SOLVABLES(p) {
            s = pool_id2solvable(pool, p);
            if ((s->supplements || s->enhances) && pool_installable(pool, s) && !MAPTST(&seen, p)) {
                MAPSET(&seen, p);
                queue_push(&todo, p);
            }
        }
    }
    bool hit = false;
    while (todo.count && !hit) {
        p = queue_pop(&todo);
        if (MAPTST(u, p)) {
            hit = true;
            break;
        }
        s = pool_id2solvable(pool, p);
        Offset offs[2] = { s->requires, weak ? s->recommends : 0 };
        for (int k = 0; k < 2; k++) {
            if (!offs[k])
                continue;
            Id d, *dp = s->repo->idarraydata + offs[k];
            while ((d = *dp++)) {
                if (d == SOLVABLE_PREREQMARKER)
                    continue;
                Id p2;
                FOR_PROVIDES(p2, pp, d) {
                    if (!MAPTST(&seen, p2)) {
                        MAPSET(&seen, p2);
                        queue_push(&todo, p2);
                    }
                }
            }
        }
    }
    queue_free(&todo);
    queue_free(&q);
    map_free(&seen);
    return hit;
}

/* Message accumulator */
/* LINE appended to the lines of M */
static void msg_add(struct strbuf *m, const char *line)
{
    if (m->n)
        strbuf_addc(m, '\n');
    strbuf_add(m, line);
}

/* Add to Q the considered packages obsoleting any package of Q (dnf's
 * obsoletes=True: a request for an obsoleted name gets the obsoleter). */
static Queue obsoleters;          /* considered packages with Obsoletes */
static bool have_obsoleters;

static void find_obsoleters(Pool *pool)
{
    if (!have_obsoleters)
        queue_init(&obsoleters);
    queue_empty(&obsoleters);
    have_obsoleters = true;
    Id p;
    Solvable *s;
    FOR_POOL_SOLVABLES(p) {
        s = pool_id2solvable(pool, p);
        if (s->obsoletes && pool_installable(pool, s))
            queue_push(&obsoleters, p);
    }
}

static void add_obsoleters(Pool *pool, Queue *q)
{
    int n = q->count;
    for (int k = 0; k < obsoleters.count; k++) {
        Id p = obsoleters.elements[k];
        Solvable *s = pool_id2solvable(pool, p);
        Id obs, *obsp = s->repo->idarraydata + s->obsoletes;
        bool hit = false;
        while (!hit && (obs = *obsp++))
            for (int i = 0; i < n && !hit; i++)
                hit = pool_match_nevr(pool, pool_id2solvable(pool, q->elements[i]), obs);
        if (hit)
            queue_pushunique(q, p);
    }
}

static void push_oneof(Pool *pool, Queue *job, Queue *q, Id how)
{
    queue_push2(job, SOLVER_INSTALL | SOLVER_SOLVABLE_ONE_OF | how, pool_queuetowhatprovides(pool, q));
}

/* dnf's _install_multiarch: one job per name.arch, each with its obsoleters */
static void push_multiarch(Pool *pool, Queue *job, const Queue *pk, Id how)
{
    Queue done, q;
    queue_init(&done);
    queue_init(&q);
    for (int i = 0; i < pk->count; i++) {
        Solvable *a = pool_id2solvable(pool, pk->elements[i]);
        bool seen = false;
        for (int j = 0; j < done.count && !seen; j++) {
            Solvable *b = pool_id2solvable(pool, done.elements[j]);
            seen = a->name == b->name && a->arch == b->arch;
        }
        if (seen)
            continue;
        queue_push(&done, pk->elements[i]);
        queue_empty(&q);
        for (int j = i; j < pk->count; j++) {
            Solvable *b = pool_id2solvable(pool, pk->elements[j]);
            if (a->name == b->name && a->arch == b->arch)
                queue_push(&q, pk->elements[j]);
        }
        add_obsoleters(pool, &q);
        /* SETARCH: the arch is chosen, no "inferior architecture" rule */
        push_oneof(pool, job, &q, how | SOLVER_SETARCH);
    }
    queue_free(&done);
    queue_free(&q);
}

/* One %packages spec as dnf's Base.install() does it: the first form that
 * matches (name, name.arch, name-[e:]v[-r][.arch], globs; then provides; a
 * path: files), then
 *  - multilib "all" or an arch in the spec: one job per name.arch;
 *  - a glob or a provide: one job per matching name;
 *  - otherwise one job choosing among the matches;
 * a spec that is just a name (or name glob) also accepts the packages that
 * obsolete the matches.  Returns 1 when nothing matches. */
static int add_spec(struct pkg_engine *e, Queue *job, const char *spec, Id how, bool multilib_all)
{
    Pool *pool = e->pool;
    Queue sel, pk;
    queue_init(&sel);
    queue_init(&pk);
    bool by_name = false;
    if (spec[0] == '/') {
        if (!pkg__has_filelists(e) && pkg__load_filelists(e) < 0) {
            queue_free(&sel);
            queue_free(&pk);
            return -1;
        }
        selection_make(pool, &sel, spec, SELECTION_FILELIST | SELECTION_PROVIDES | SELECTION_GLOB);
    } else {
        selection_make(pool, &sel, spec,
                       SELECTION_NAME | SELECTION_CANON | SELECTION_DOTARCH | SELECTION_REL |
                           SELECTION_GLOB);
        by_name = sel.count > 0;
        if (!sel.count)
            selection_make(pool, &sel, spec, SELECTION_PROVIDES | SELECTION_REL | SELECTION_GLOB);
    }
    Queue all;
    queue_init(&all);
    selection_solvables(pool, &sel, &all);
    queue_free(&sel);
    for (int i = 0; i < all.count; i++) {
        Solvable *s = pool_id2solvable(pool, all.elements[i]);
        if (pool_installable(pool, s) && !is_comps_name(pool_id2str(pool, s->name)))
            queue_push(&pk, all.elements[i]);
    }
    queue_free(&all);
    if (!pk.count) {
        queue_free(&pk);
        return 1;
    }
    bool just_name = by_name, arch_given = false;
    for (int i = 0; by_name && i < pk.count; i++) {
        Solvable *s = pool_id2solvable(pool, pk.elements[i]);
        const char *name = pool_id2str(pool, s->name);
        if (!fnmatch(spec, name, 0))
            continue;
        just_name = false;
        char *na = xasprintf("%s.%s", name, pool_id2str(pool, s->arch));
        if (!fnmatch(spec, na, 0) || !fnmatch(spec, pool_solvable2str(pool, s), 0))
            arch_given = true;
        free(na);
    }
    bool glob = strpbrk(spec, "*?[") != NULL;
    if (multilib_all || arch_given) {
        push_multiarch(pool, job, &pk, how);
    } else if (glob || !by_name) {
        /* one job per name (a provide: one job for all, as dnf's selector) */
        Queue q;
        queue_init(&q);
        Queue names;
        queue_init(&names);
        for (int i = 0; i < pk.count; i++) {
            Solvable *a = pool_id2solvable(pool, pk.elements[i]);
            if (!glob) {
                queue_push(&q, pk.elements[i]);
                continue;
            }
            bool seen = false;
            for (int j = 0; j < names.count && !seen; j++)
                seen = names.elements[j] == a->name;
            if (seen)
                continue;
            queue_push(&names, a->name);
            queue_empty(&q);
            for (int j = i; j < pk.count; j++)
                if (pool_id2solvable(pool, pk.elements[j])->name == a->name)
                    queue_push(&q, pk.elements[j]);
            if (just_name)
                add_obsoleters(pool, &q);
            push_oneof(pool, job, &q, how);
        }
        if (!glob)
            push_oneof(pool, job, &q, how);
        queue_free(&q);
        queue_free(&names);
    } else {
        if (just_name)
            add_obsoleters(pool, &pk);
        push_oneof(pool, job, &pk, how);
    }
    queue_free(&pk);
    return 0;
}

static Id find_comps(Pool *pool, const char *prefix, const char *name)
{
    char *full = xasprintf("%s%s", prefix, name);
    Id p, found = 0;
    Solvable *s;
    FOR_POOL_SOLVABLES(p) {
        s = pool_id2solvable(pool, p);
        if (!strcmp(pool_id2str(pool, s->name), full)) {
            found = p;
            break;
        }
    }
    if (!found) {
        size_t pl = strlen(prefix);
        FOR_POOL_SOLVABLES(p) {
            s = pool_id2solvable(pool, p);
            const char *n = pool_id2str(pool, s->name);
            if (strncmp(n, prefix, pl))
                continue;
            const char *summary = solvable_lookup_str(s, SOLVABLE_SUMMARY);
            if (!strcasecmp(n + pl, name) || (summary && !strcasecmp(summary, name))) {
                found = p;
                break;
            }
        }
    }
    free(full);
    return found;
}

struct expand {
    struct pkg_engine *e;
    const struct ks_packages *req;
    Queue *job;
    Id how;
    bool multilib_all;
    strv_t warnings;              /* printed once the result is final */
    strv_t done_groups, done_names;
    struct strbuf missing;
};

static bool group_excluded(const struct ks_packages *req, const char *id, const char *summary)
{
    for (size_t i = 0; req && i < req->n_excluded_groups; i++) {
        const char *x = req->excluded_groups[i].name;
        if (!strcasecmp(x, id) || (summary && !strcasecmp(x, summary)))
            return true;
    }
    return false;
}

/* Group members as dnf's _finalize_comps_trans(): each name that exists
 * becomes a job choosing among its packages and their obsoleters (one per
 * arch with multilib "all"); a conditional member "(name if req)" becomes an
 * install job of that rich dependency; missing names only warn. */
static void add_members(struct expand *x, Solvable *g, Id key, bool plain, bool conditional)
{
    Pool *pool = x->e->pool;
    Queue q, pk;
    queue_init(&q);
    queue_init(&pk);
    solvable_lookup_deparray(g, key, &q, 0);
    for (int i = 0; i < q.count; i++) {
        Id d = q.elements[i], nameid = d;
        if (d == SOLVABLE_PREREQMARKER)
            continue;
        bool cond = false;
        if (ISRELDEP(d)) {
            Reldep *rd = GETRELDEP(pool, d);
            if (rd->flags != REL_COND || ISRELDEP(rd->name))
                continue;
            nameid = rd->name;
            cond = true;
        }
        if (cond ? !conditional : !plain)
            continue;
        const char *name = pool_id2str(pool, nameid);
        char *key_s = cond ? xasprintf("%s", pool_dep2str(pool, d)) : xstrdup(name);
        if (strv_contains(&x->done_names, key_s)) {
            free(key_s);
            continue;
        }
        strv_push_take(&x->done_names, key_s);
        queue_empty(&pk);
        Id p, pp;
        FOR_PROVIDES(p, pp, nameid) {
            Solvable *s = pool_id2solvable(pool, p);
            if (s->name == nameid && pool_installable(pool, s))
                queue_push(&pk, p);
        }
        if (!pk.count) {
            strv_push_take(&x->warnings, xasprintf("No match for group package \"%s\"", name));
            continue;
        }
        if (cond)
            queue_push2(x->job, SOLVER_INSTALL | SOLVER_SOLVABLE_PROVIDES | x->how, d);
        else if (x->multilib_all)
            push_multiarch(pool, x->job, &pk, x->how);
        else {
            add_obsoleters(pool, &pk);
            push_oneof(pool, x->job, &pk, x->how);
        }
    }
    queue_free(&q);
    queue_free(&pk);
}

static int add_group(struct expand *x, const char *name, enum ks_group_include inc, bool env,
                     bool quiet_missing)
{
    Pool *pool = x->e->pool;
    Id p = env ? find_comps(pool, "environment:", name) : 0;
    if (!p)
        p = find_comps(pool, "group:", name);
    if (!p && !env)
        p = find_comps(pool, "environment:", name);
    if (!p) {
        if (quiet_missing)
            return 1;
        char *line = xasprintf("Module or Group '%s' is not available.", name);
        msg_add(&x->missing, line);
        free(line);
        return 1;
    }
    Solvable *g = pool_id2solvable(pool, p);
    const char *gid = pool_id2str(pool, g->name);
    if (strv_contains(&x->done_groups, gid))
        return 0;
    strv_push(&x->done_groups, gid);
    const char *colon = strchr(gid, ':');
    if (group_excluded(x->req, colon + 1, solvable_lookup_str(g, SOLVABLE_SUMMARY)))
        return 0;
    if (str_startswith(gid, "environment:")) {
        /* dnf's _environment_install: the mandatory groups (requires), each
         * with the package types asked for; optional groups (suggests) are
         * only recorded by dnf, never installed */
        Queue q;
        queue_init(&q);
        solvable_lookup_deparray(g, SOLVABLE_REQUIRES, &q, 0);
        for (int i = 0; i < q.count; i++) {
            if (ISRELDEP(q.elements[i]) || q.elements[i] == SOLVABLE_PREREQMARKER)
                continue;
            const char *dn = pool_id2str(pool, q.elements[i]);
            if (str_startswith(dn, "group:"))
                add_group(x, dn + 6, inc, false, false);
        }
        queue_free(&q);
        log_verbose("Environment %s", gid + 12);
        return 0;
    }
    /* comps types: mandatory = requires, default = recommends, optional =
     * suggests, conditional = recommends "(name if req)"; conditional ones
     * come with every choice, as in dnf's group_package_types default */
    add_members(x, g, SOLVABLE_REQUIRES, true, false);
    add_members(x, g, SOLVABLE_RECOMMENDS, inc != KS_GROUP_REQUIRED, true);
    if (inc == KS_GROUP_ALL)
        add_members(x, g, SOLVABLE_SUGGESTS, true, false);
    log_verbose("Group %s", gid + 6);
    return 0;
}

/* Unsolvable problems as dnf prints them, in libsolv's words: for each
 * problem its rules, the first on the "Problem:" line, the others below it;
 * an excluded package is "filtered out by exclude filtering" (libdnf). */
static void report_problems(struct pkg_engine *e, Solver *solv, int np)
{
    Pool *pool = solv->pool;
    struct strbuf m = { 0 };
    Queue rq;
    queue_init(&rq);
    for (Id pid = 1; pid <= np; pid++) {
        solver_findallproblemrules(solv, pid, &rq);
        strv_t seen = { 0 };
        for (int i = 0; i < rq.count; i++) {
            Id source, target, dep;
            SolverRuleinfo type = solver_ruleinfo(solv, rq.elements[i], &source, &target, &dep);
            char *str;
            if (type == SOLVER_RULE_PKG_NOT_INSTALLABLE && source > 0 && e->have_considered &&
                !MAPTST(&e->considered, source))
                str = xasprintf("package %s is filtered out by exclude filtering",
                                pool_solvid2str(pool, source));
            else
                str = xstrdup(solver_problemruleinfo2str(solv, type, source, target, dep));
            if (strv_contains(&seen, str)) {
                free(str);
                continue;
            }
            strv_push_take(&seen, str);
        }
        if (!seen.n)
            strv_push(&seen, solver_problem2str(solv, pid));
        char *line = np == 1 ? xasprintf(" Problem: %s", seen.v[0])
                             : xasprintf(" Problem %d: %s", pid, seen.v[0]);
        msg_add(&m, line);
        free(line);
        for (size_t i = 1; i < seen.n; i++) {
            line = xasprintf("  - %s", seen.v[i]);
            msg_add(&m, line);
            free(line);
        }
        strv_free(&seen);
    }
    queue_free(&rq);
    log_fail("Dependency resolution failed:\n%s", strbuf_str(&m));
    strbuf_free(&m);
}

struct nevra_id {
    char *nevra;
    Id p;
    bool replaces;
};

/* Does installing P replace installed packages (upgrade, downgrade, change,
 * reinstall, obsoletes)?  Then rpm must get it as an upgrade so it removes
 * them.  Installonly packages (multiversion) are installed beside. */
static bool replaces_installed(Transaction *trans, Id p)
{
    Pool *pool = trans->pool;
    if (!pool->installed || !pool->installed->nsolvables)
        return false;
    Id t = transaction_type(trans, p, SOLVER_TRANSACTION_SHOW_ACTIVE |
                                          SOLVER_TRANSACTION_SHOW_OBSOLETES |
                                          SOLVER_TRANSACTION_SHOW_MULTIINSTALL);
    return t != SOLVER_TRANSACTION_INSTALL && t != SOLVER_TRANSACTION_MULTIINSTALL &&
           t != SOLVER_TRANSACTION_MULTIREINSTALL && t != SOLVER_TRANSACTION_IGNORE;
}

/* An installed package the transaction erases without a replacement: we
 * only install, so it stays (libsolv never proposes this without
 * SOLVER_FLAG_ALLOW_UNINSTALL; said in case it does). */
static void warn_if_erased(Transaction *trans, Id p)
{
    if (transaction_type(trans, p, SOLVER_TRANSACTION_SHOW_OBSOLETES) == SOLVER_TRANSACTION_ERASE)
        log_warn("%s would be removed; kscreate only installs: it stays",
                 pool_solvid2str(trans->pool, p));
}

static int cmp_nevra(const void *a, const void *b)
{
    return strcmp(((const struct nevra_id *)a)->nevra, ((const struct nevra_id *)b)->nevra);
}

/* One resolution.  With U (packages whose file dependencies need the file
 * lists, not loaded yet): when the solve fails or could have involved a
 * package of U, sets *retry and returns 0 without output, so the caller
 * loads the file lists and resolves again. */
static int resolve_once(struct pkg_engine *e, const struct ks_packages *req, const Map *u,
                        bool *retry, double t0)
{
    Pool *pool = e->pool;
    Queue job;
    queue_init(&job);
    bool multilib_all = req && req->multilib && !strcmp(req->multilib, "all");
    /* --ignorebroken: uninstallable requests are skipped (dnf strict=False) */
    Id how = SOLVER_FORCEBEST | (req && req->ignorebroken ? SOLVER_WEAK : 0);
    struct expand x = { .e = e, .req = req, .job = &job, .how = how, .multilib_all = multilib_all };
    strv_t *warnings = &x.warnings;
    strv_t missing = { 0 };
    /* dnf's default installonlypkgs: every version may be installed */
    static const char *const installonly[] = {
        "kernel", "kernel-PAE", "installonlypkg(kernel)", "installonlypkg(kernel-module)",
        "installonlypkg(vm)", "multiversion(kernel)", NULL,
    };
    for (int i = 0; installonly[i]; i++)
        queue_push2(&job, SOLVER_MULTIVERSION | SOLVER_SOLVABLE_PROVIDES,
                    pool_str2id(pool, installonly[i], 1));
    int base_jobs = job.count;
    int rc = 0;
    if (req) {
        for (size_t i = 0; i < e->n_repos; i++) {
            if (req->retries >= 0)
                e->repos[i]->dl.retries = req->retries;
            if (req->timeout > 0)
                e->repos[i]->dl.timeout = req->timeout;
        }
        if (req->default_)
            strv_push(warnings, "%packages --default is not supported; ignored");
        if (req->nobase)
            strv_push(warnings, "%packages --nobase is deprecated and has no effect");
        for (size_t i = 0; i < req->names.n; i++) {
            int r = add_spec(e, &job, req->names.v[i], how, multilib_all);
            if (r < 0) {
                rc = -1;
                goto out;
            }
            if (r > 0) {
                char *line = xasprintf("No match for argument: %s", req->names.v[i]);
                msg_add(&x.missing, line);
                free(line);
                strv_push(&missing, req->names.v[i]);
            }
        }
        for (size_t i = 0; i < req->n_groups; i++)
            if (add_group(&x, req->groups[i].name, req->groups[i].include,
                          req->groups[i].environment, false) > 0) {
                char *g = xasprintf("@%s%s", req->groups[i].environment ? "^" : "",
                                    req->groups[i].name);
                strv_push_take(&missing, g);
            }
    }
    if (!req || !req->nocore) {
        if (add_group(&x, "core", KS_GROUP_DEFAULT, false, true) > 0)
            strv_push(warnings, "There is no core group in the repositories (use %packages --nocore)");
    }
    if (x.missing.n) {
        if (req && req->ignoremissing) {
            char *save = NULL;
            for (char *l = strtok_r(x.missing.p, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
                strv_push_take(warnings, xasprintf("%s (ignored: --ignoremissing)", l));
        } else {
            /* dnf: the reasons, then one line naming all of them */
            char *all = strv_join(&missing, " ");
            log_fail("%s\nUnable to find a match: %s", x.missing.p, all);
            free(all);
            rc = -1;
            goto out;
        }
    }
    if (job.count == base_jobs) {
        strv_push(warnings, "Nothing to install");
        goto out;
    }

    /* before solving: could a package needing the file lists matter? */
    if (u && closure_hits(pool, &job, u, !(req && req->exclude_weakdeps))) {
        log_verbose("Loading file lists: a file dependency outside primary metadata may matter");
        *retry = true;
        goto out;
    }
    Solver *solv = solver_create(pool);
    solver_set_flag(solv, SOLVER_FLAG_IGNORE_RECOMMENDED, req && req->exclude_weakdeps);
    /* libdnf's solver flags (Goal initSolver) */
    solver_set_flag(solv, SOLVER_FLAG_BEST_OBEY_POLICY, 1);
    solver_set_flag(solv, SOLVER_FLAG_ALLOW_VENDORCHANGE, 1);
    solver_set_flag(solv, SOLVER_FLAG_KEEP_ORPHANS, 1);
    solver_set_flag(solv, SOLVER_FLAG_YUM_OBSOLETES, 1);
    int np = solver_solve(solv, &job);
    if (u && np) {
        log_verbose("Loading file lists: the solve failed while file dependencies outside "
                    "primary metadata are unresolved");
        *retry = true;
        solver_free(solv);
        goto out;
    }
    if (np) {
        report_problems(e, solv, np);
        solver_free(solv);
        rc = -1;
        goto out;
    }
    Transaction *trans = solver_create_transaction(solv);
    struct nevra_id *v = xcalloc((size_t)trans->steps.count + 1, sizeof *v);
    size_t n = 0, n_repl = 0;
    for (int i = 0; i < trans->steps.count; i++) {
        Id p = trans->steps.elements[i];
        Solvable *s = pool_id2solvable(pool, p);
        if (s->repo == pool->installed) {
            warn_if_erased(trans, p);
            continue;
        }
        if (is_comps_name(pool_id2str(pool, s->name)))
            continue;
        v[n].nevra = xstrdup(pool_solvable2str(pool, s));
        v[n].p = p;
        v[n].replaces = replaces_installed(trans, p);
        if (v[n].replaces) {
            Id old = transaction_obs_pkg(trans, p);
            log_verbose("%s replaces the installed %s", v[n].nevra,
                        old ? pool_solvid2str(pool, old) : "packages");
            n_repl++;
        }
        n++;
    }
    qsort(v, n, sizeof *v, cmp_nevra);
    for (size_t i = 0; i < n; i++) {
        queue_push(&e->result, v[i].p);
        queue_push(&e->replaces, v[i].replaces);
        strv_push_take(&e->nevras, v[i].nevra);
    }
    free(v);
    transaction_free(trans);
    solver_free(solv);
    if (pool->installed && pool->installed->nsolvables)
        log_verbose("Resolved %zu packages in %.2fs (%zu replace installed ones; %d installed)",
                    n, now_seconds() - t0, n_repl, pool->installed->nsolvables);
    else
        log_verbose("Resolved %zu packages in %.2fs", n, now_seconds() - t0);
out:
    if (!*retry)
        for (size_t i = 0; i < warnings->n; i++)
            log_warn("%s", warnings->v[i]);
    strv_free(warnings);
    queue_free(&job);
    strv_free(&x.done_groups);
    strv_free(&x.done_names);
    strbuf_free(&x.missing);
    strv_free(&missing);
    return rc;
}

int pkg_resolve(struct pkg_engine *e, const struct ks_packages *req)
{
    Pool *pool = e->pool;
    if (!e->loaded)
        return log_fail("pkg_resolve: metadata not loaded (pkg_load)");
    pkg__clear_result(e);
    double t0 = now_seconds();
    setup_considered(e, req);
    find_obsoleters(pool);
    /* file lists only when a file dependency outside primary.xml can matter */
    Map u;
    map_init(&u, 0);
    bool lazy = !pkg__has_filelists(e);
    if (lazy) {
        map_init(&u, pool->nsolvables);
        lazy = unresolved_filedeps(pool, &u) > 0;
    }
    bool retry = false;
    int rc = resolve_once(e, req, lazy ? &u : NULL, &retry, t0);
    if (rc == 0 && retry) {
        retry = false;
        if (pkg__load_filelists(e) < 0)
            rc = -1;
        else
            rc = resolve_once(e, req, NULL, &retry, t0);
    }
    map_free(&u);
    if (have_obsoleters) {
        queue_free(&obsoleters);
        have_obsoleters = false;
    }
    return rc;
}
