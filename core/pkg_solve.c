/* pkg_solve.c - dependency resolution with libsolv.  See pkg.h.
 *
 * How a %packages section becomes a libsolv job (following dnf/anaconda):
 *  - excludes: %packages "-glob" and the repositories' excludepkgs (and the
 *    complement of includepkgs) clear bits in pool->considered, so an
 *    excluded package is neither matched by a request nor pulled in as a
 *    dependency;
 *  - a package spec is matched as name / name.arch / name-[e:]v-r[.arch] /
 *    "name op evr" with globs, then as a provide, and a spec starting with
 *    '/' as a file (file lists are loaded for that);
 *  - a group is found by id or name (comps solvables "group:<id>": requires =
 *    mandatory, recommends = default, suggests = optional members); an
 *    environment ("environment:<id>") expands to its mandatory groups;
 *    group members are installed by name, missing members only warn;
 *  - @core is added unless --nocore (warning when there is no core group);
 *  - every install job carries SOLVER_FORCEBEST (dnf best=True); weak
 *    dependencies are followed unless --exclude-weakdeps.
 *  - file lists: before solving, if any considered package has a file
 *    dependency that nothing provides with primary.xml's partial file lists,
 *    filelists.xml of every repository is loaded (once) and the providers are
 *    recomputed.
 */
#define _GNU_SOURCE
#define KSC_PKG_INTERNAL
#include "pkg.h"
#include "log.h"
#include "util.h"
#include "../kickstart/ks.h"

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

void pkg__clear_result(struct pkg_engine *e)
{
    queue_empty(&e->result);
    strv_free(&e->nevras);
    strv_free(&e->paths);
    e->downloaded = false;
}

size_t pkg_count(struct pkg_engine *e) { return (size_t)e->result.count; }

const char *pkg_nevra(struct pkg_engine *e, size_t i)
{
    return i < e->nevras.n ? e->nevras.v[i] : NULL;
}

const char *pkg_path(struct pkg_engine *e, size_t i)
{
    return e->downloaded && i < e->paths.n ? e->paths.v[i] : NULL;
}

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

/* true when some considered package requires a file nothing provides */
static bool unresolved_filedeps(Pool *pool)
{
    Id p;
    Solvable *s;
    Queue q;
    queue_init(&q);
    bool found = false;
    FOR_POOL_SOLVABLES(p) {
        s = pool_id2solvable(pool, p);
        if (!pool_installable(pool, s) || !s->requires)
            continue;
        solvable_lookup_deparray(s, SOLVABLE_REQUIRES, &q, 0);
        for (int i = 0; i < q.count && !found; i++) {
            Id d = q.elements[i];
            if (ISRELDEP(d) || d == SOLVABLE_PREREQMARKER)
                continue;
            const char *str = pool_id2str(pool, d);
            if (str[0] == '/' && !pool->whatprovidesdata[pool_whatprovides(pool, d)]) {
                log_debug("file dependency %s of %s needs filelists", str, pool_solvable2str(pool, s));
                found = true;
            }
        }
        if (found)
            break;
    }
    queue_free(&q);
    return found;
}

/* Message accumulator */
struct msgbuf {
    char *s;
    size_t len, cap;
};

static void msg_add(struct msgbuf *m, const char *line)
{
    size_t l = strlen(line);
    if (m->len + l + 2 > m->cap) {
        m->cap = (m->len + l + 2) * 2;
        m->s = xrealloc(m->s, m->cap);
    }
    if (m->len)
        m->s[m->len++] = '\n';
    memcpy(m->s + m->len, line, l + 1);
    m->len += l;
}

static int add_spec(struct pkg_engine *e, Queue *job, const char *spec, Id how)
{
    Pool *pool = e->pool;
    Queue sel;
    queue_init(&sel);
    if (spec[0] == '/') {
        if (!pkg__has_filelists(e) && pkg__load_filelists(e) < 0) {
            queue_free(&sel);
            return -1;
        }
        selection_make(pool, &sel, spec, SELECTION_FILELIST | SELECTION_PROVIDES | SELECTION_GLOB);
    } else {
        selection_make(pool, &sel, spec,
                       SELECTION_NAME | SELECTION_CANON | SELECTION_DOTARCH | SELECTION_REL |
                           SELECTION_GLOB);
        if (!sel.count)
            selection_make(pool, &sel, spec, SELECTION_PROVIDES | SELECTION_REL | SELECTION_GLOB);
    }
    /* keep only selections that have a considered, non-comps package */
    Queue pk;
    queue_init(&pk);
    selection_solvables(pool, &sel, &pk);
    int usable = 0;
    for (int i = 0; i < pk.count; i++) {
        Solvable *s = pool_id2solvable(pool, pk.elements[i]);
        if (pool_installable(pool, s) && !is_comps_name(pool_id2str(pool, s->name)))
            usable++;
    }
    queue_free(&pk);
    if (!usable) {
        queue_free(&sel);
        return 1;
    }
    for (int i = 0; i < sel.count; i += 2)
        queue_push2(job, sel.elements[i] | how, sel.elements[i + 1]);
    queue_free(&sel);
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
    strv_t done_groups, done_names;
    struct msgbuf missing;
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

static void add_members(struct expand *x, Solvable *g, Id key)
{
    Pool *pool = x->e->pool;
    Queue q;
    queue_init(&q);
    solvable_lookup_deparray(g, key, &q, 0);
    for (int i = 0; i < q.count; i++) {
        Id d = q.elements[i];
        if (ISRELDEP(d) || d == SOLVABLE_PREREQMARKER)
            continue;
        const char *name = pool_id2str(pool, d);
        if (strv_contains(&x->done_names, name))
            continue;
        strv_push(&x->done_names, name);
        bool have = false;
        Id p, pp;
        FOR_PROVIDES(p, pp, d) {
            if (pool_id2solvable(pool, p)->name == d) {
                have = true;
                break;
            }
        }
        if (!have) {
            log_warn("No match for group package \"%s\"", name);
            continue;
        }
        queue_push2(x->job, SOLVER_INSTALL | SOLVER_SOLVABLE_NAME | x->how, d);
    }
    queue_free(&q);
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
        char *line = xasprintf("No match for group: %s", name);
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
        /* mandatory groups (requires); optional ones (suggests) with --optional */
        Queue q;
        queue_init(&q);
        solvable_lookup_deparray(g, SOLVABLE_REQUIRES, &q, 0);
        if (inc == KS_GROUP_ALL) {
            Queue q2;
            queue_init(&q2);
            solvable_lookup_deparray(g, SOLVABLE_SUGGESTS, &q2, 0);
            queue_insertn(&q, q.count, q2.count, q2.elements);
            queue_free(&q2);
        }
        for (int i = 0; i < q.count; i++) {
            if (ISRELDEP(q.elements[i]) || q.elements[i] == SOLVABLE_PREREQMARKER)
                continue;
            const char *dn = pool_id2str(pool, q.elements[i]);
            if (str_startswith(dn, "group:"))
                add_group(x, dn + 6, KS_GROUP_DEFAULT, false, false);
        }
        queue_free(&q);
        log_verbose("Environment %s", gid + 12);
        return 0;
    }
    add_members(x, g, SOLVABLE_REQUIRES);
    if (inc != KS_GROUP_REQUIRED)
        add_members(x, g, SOLVABLE_RECOMMENDS);
    if (inc == KS_GROUP_ALL)
        add_members(x, g, SOLVABLE_SUGGESTS);
    log_verbose("Group %s", gid + 6);
    return 0;
}

static void report_problems(Solver *solv, int np)
{
    Pool *pool = solv->pool;
    struct msgbuf m = { 0 };
    Queue rq;
    queue_init(&rq);
    for (Id pid = 1; pid <= np; pid++) {
        char *line = xasprintf("Problem %d: %s", pid, solver_problem2str(solv, pid));
        msg_add(&m, line);
        free(line);
        solver_findallproblemrules(solv, pid, &rq);
        strv_t seen = { 0 };
        for (int i = 0; i < rq.count; i++) {
            Id source, target, dep;
            SolverRuleinfo type = solver_ruleinfo(solv, rq.elements[i], &source, &target, &dep);
            const char *str = solver_problemruleinfo2str(solv, type, source, target, dep);
            if (strv_contains(&seen, str))
                continue;
            strv_push(&seen, str);
            line = xasprintf("  - %s", str);
            msg_add(&m, line);
            free(line);
        }
        strv_free(&seen);
    }
    queue_free(&rq);
    (void)pool;
    log_fail("Dependency resolution failed:\n%s", m.s ? m.s : "");
    free(m.s);
}

struct nevra_id {
    char *nevra;
    Id p;
};

static int cmp_nevra(const void *a, const void *b)
{
    return strcmp(((const struct nevra_id *)a)->nevra, ((const struct nevra_id *)b)->nevra);
}

int pkg_resolve(struct pkg_engine *e, const struct ks_packages *req)
{
    Pool *pool = e->pool;
    if (!e->loaded)
        return log_fail("pkg_resolve: metadata not loaded (pkg_load)");
    pkg__clear_result(e);
    double t0 = now_seconds();
    setup_considered(e, req);
    if (!pkg__has_filelists(e) && unresolved_filedeps(pool)) {
        log_verbose("Loading file lists: some file dependencies are not in primary metadata");
        if (pkg__load_filelists(e) < 0)
            return -1;
    }

    Queue job;
    queue_init(&job);
    struct expand x = { .e = e, .req = req, .job = &job, .how = SOLVER_FORCEBEST };
    int rc = 0;
    if (req) {
        for (size_t i = 0; i < e->n_repos; i++) {
            if (req->retries >= 0)
                e->repos[i]->dl.retries = req->retries;
            if (req->timeout > 0)
                e->repos[i]->dl.timeout = req->timeout;
        }
        if (req->default_)
            log_warn("%%packages --default is not supported; ignored");
        for (size_t i = 0; i < req->names.n; i++) {
            int r = add_spec(e, &job, req->names.v[i], SOLVER_INSTALL | SOLVER_FORCEBEST);
            if (r < 0) {
                rc = -1;
                goto out;
            }
            if (r > 0) {
                char *line = xasprintf("No match for package: %s", req->names.v[i]);
                msg_add(&x.missing, line);
                free(line);
            }
        }
        for (size_t i = 0; i < req->n_groups; i++)
            add_group(&x, req->groups[i].name, req->groups[i].include, req->groups[i].environment,
                      false);
    }
    if (!req || !req->nocore) {
        if (add_group(&x, "core", KS_GROUP_DEFAULT, false, true) > 0)
            log_warn("There is no core group in the repositories (use %%packages --nocore)");
    }
    if (x.missing.len) {
        if (req && req->ignoremissing) {
            char *save = NULL;
            for (char *l = strtok_r(x.missing.s, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
                log_warn("%s (ignored: --ignoremissing)", l);
        } else {
            log_fail("%s", x.missing.s);
            rc = -1;
            goto out;
        }
    }
    if (!job.count) {
        log_warn("Nothing to install");
        goto out;
    }

    Solver *solv = solver_create(pool);
    solver_set_flag(solv, SOLVER_FLAG_IGNORE_RECOMMENDED, req && req->exclude_weakdeps);
    solver_set_flag(solv, SOLVER_FLAG_BEST_OBEY_POLICY, 1);
    solver_set_flag(solv, SOLVER_FLAG_ALLOW_VENDORCHANGE, 1);
    int np = solver_solve(solv, &job);
    if (np) {
        report_problems(solv, np);
        solver_free(solv);
        rc = -1;
        goto out;
    }
    Transaction *trans = solver_create_transaction(solv);
    struct nevra_id *v = xcalloc((size_t)trans->steps.count + 1, sizeof *v);
    size_t n = 0;
    for (int i = 0; i < trans->steps.count; i++) {
        Id p = trans->steps.elements[i];
        Solvable *s = pool_id2solvable(pool, p);
        if (s->repo == pool->installed || is_comps_name(pool_id2str(pool, s->name)))
            continue;
        v[n].nevra = xstrdup(pool_solvable2str(pool, s));
        v[n].p = p;
        n++;
    }
    qsort(v, n, sizeof *v, cmp_nevra);
    for (size_t i = 0; i < n; i++) {
        queue_push(&e->result, v[i].p);
        strv_push_take(&e->nevras, v[i].nevra);
    }
    free(v);
    transaction_free(trans);
    solver_free(solv);
    log_verbose("Resolved %zu packages in %.2fs", n, now_seconds() - t0);
out:
    queue_free(&job);
    strv_free(&x.done_groups);
    strv_free(&x.done_names);
    free(x.missing.s);
    return rc;
}
