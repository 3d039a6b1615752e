/* ks_model.c - releasing, querying and writing the kickstart model. */
#include "kickstart/ks_internal.h"
#include "core/base/strv.h"

#include <stdlib.h>
#include <string.h>

void ks_loc_set(struct ks_loc *loc, const char *file, int line)
{
    free(loc->file);
    loc->file = xstrdup(file);
    loc->line = line;
}

#define FREE_ALL(...)                                                                      \
    do {                                                                                   \
        char **p_[] = { __VA_ARGS__ };                                                     \
        for (size_t i_ = 0; i_ < sizeof p_ / sizeof p_[0]; i_++) {                         \
            free(*p_[i_]);                                                                 \
            *p_[i_] = NULL;                                                                \
        }                                                                                  \
    } while (0)

void ks_repo_clear(struct ks_repo *r)
{
    FREE_ALL(&r->loc.file, &r->name, &r->baseurl, &r->mirrorlist, &r->metalink, &r->proxy,
             &r->sslcacert, &r->sslclientcert, &r->sslclientkey);
    strv_free(&r->excludepkgs);
    strv_free(&r->includepkgs);
    memset(r, 0, sizeof *r);
    r->cost = -1;
}

void ks_part_clear(struct ks_part *p)
{
    FREE_ALL(&p->loc.file, &p->mntpoint, &p->fstype, &p->label, &p->ondisk, &p->fsoptions);
    memset(p, 0, sizeof *p);
    p->size = p->maxsize = -1;
}

void ks_script_clear(struct ks_script *s)
{
    FREE_ALL(&s->loc.file, &s->interpreter, &s->body, &s->log);
    memset(s, 0, sizeof *s);
}

void ks_lang_clear(struct ks_lang *l)
{
    FREE_ALL(&l->loc.file, &l->lang);
    strv_free(&l->addsupport);
    memset(l, 0, sizeof *l);
}

void ks_timezone_clear(struct ks_timezone *t)
{
    FREE_ALL(&t->loc.file, &t->timezone);
    strv_free(&t->ntpservers);
    memset(t, 0, sizeof *t);
}

void ks_rootpw_clear(struct ks_rootpw *r)
{
    FREE_ALL(&r->loc.file, &r->password);
    memset(r, 0, sizeof *r);
}

void ks_bootloader_clear(struct ks_bootloader *b)
{
    FREE_ALL(&b->loc.file, &b->append, &b->location, &b->password, &b->boot_drive);
    memset(b, 0, sizeof *b);
    b->timeout = -1;
}

void ks_url_clear(struct ks_url *u)
{
    FREE_ALL(&u->loc.file, &u->url, &u->mirrorlist, &u->metalink, &u->proxy, &u->sslcacert,
             &u->sslclientcert, &u->sslclientkey);
    memset(u, 0, sizeof *u);
}

static void free_groups(struct ks_group *g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(g[i].name);
    free(g);
}

void ks_packages_clear(struct ks_packages *p)
{
    free(p->loc.file);
    strv_free(&p->names);
    strv_free(&p->excludes);
    free_groups(p->groups, p->n_groups);
    free_groups(p->excluded_groups, p->n_excluded_groups);
    free(p->inst_langs);
    free(p->multilib);
    memset(p, 0, sizeof *p);
    p->retries = p->timeout = -1;
}

void ks_init(struct kickstart *ks)
{
    memset(ks, 0, sizeof *ks);
    ks_bootloader_clear(&ks->bootloader);
    ks_packages_clear(&ks->packages);
}

void ks_free(struct kickstart *ks)
{
    if (!ks)
        return;
    free(ks->filename);
    ks_lang_clear(&ks->lang);
    ks_timezone_clear(&ks->timezone);
    ks_rootpw_clear(&ks->rootpw);
    ks_bootloader_clear(&ks->bootloader);
    ks_url_clear(&ks->url);
    for (size_t i = 0; i < ks->n_repos; i++)
        ks_repo_clear(&ks->repos[i]);
    free(ks->repos);
    for (size_t i = 0; i < ks->n_parts; i++)
        ks_part_clear(&ks->parts[i]);
    free(ks->parts);
    for (size_t i = 0; i < ks->n_scripts; i++)
        ks_script_clear(&ks->scripts[i]);
    free(ks->scripts);
    ks_packages_clear(&ks->packages);
    strv_free(&ks->ignored);
    for (size_t i = 0; i < ks->n_cmds; i++)
        ks_cmdrec_free(ks->cmds[i]);
    free(ks->cmds);
    for (size_t i = 0; i < ks->n_certs; i++) {
        free(ks->certs[i].loc.file);
        free(ks->certs[i].filename);
        free(ks->certs[i].dir);
        free(ks->certs[i].type);
        free(ks->certs[i].cert);
    }
    free(ks->certs);
    strv_free(&ks->null_sections);
    free(ks->platform);
    free(ks->reqpart.loc.file);
    free(ks->clearpart.loc.file);
    free(ks->clearpart.disklabel);
    strv_free(&ks->clearpart.drives);
    strv_free(&ks->clearpart.list);
    free(ks->zerombr.loc.file);
    free(ks);
}

const struct ks_part *ks_find_part(const struct kickstart *ks, const char *mntpoint)
{
    if (!ks || !mntpoint)
        return NULL;
    for (size_t i = 0; i < ks->n_parts; i++)
        if (ks->parts[i].mntpoint && strcmp(ks->parts[i].mntpoint, mntpoint) == 0)
            return &ks->parts[i];
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* writer: pykickstart's ksflatten format                                   */

void ks_cmdrec_free(struct ks_cmdrec *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        ks_value_free(&r->vals[i]);
    free(r->vals);
    free(r->dests);
    free(r->name);
    free(r->text);
    free(r->loc.file);
    free(r);
}

const struct ks_value *ks_rec_get(const struct ks_cmdrec *r, const char *dest)
{
    if (!r)
        return NULL;
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->dests[i], dest) == 0)
            return &r->vals[i];
    return NULL;
}

const char *ks_rec_str(const struct ks_cmdrec *r, const char *dest)
{
    const struct ks_value *v = ks_rec_get(r, dest);
    return v && v->kind == KS_V_STR ? v->s : NULL;
}

long long ks_rec_int(const struct ks_cmdrec *r, const char *dest, long long dflt)
{
    const struct ks_value *v = ks_rec_get(r, dest);
    return v && (v->kind == KS_V_INT || v->kind == KS_V_BOOL) ? v->i : dflt;
}

bool ks_rec_bool(const struct ks_cmdrec *r, const char *dest)
{
    const struct ks_value *v = ks_rec_get(r, dest);
    return v && ks_value_truthy(v);
}
