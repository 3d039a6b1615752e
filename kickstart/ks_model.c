/* ks_model.c - releasing, querying and writing the kickstart model. */
#include "ks_internal.h"

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

static const char *script_name(enum ks_script_type t)
{
    switch (t) {
    case KS_SCRIPT_PRE: return "%pre";
    case KS_SCRIPT_PRE_INSTALL: return "%pre-install";
    case KS_SCRIPT_POST: return "%post";
    case KS_SCRIPT_ONERROR: return "%onerror";
    default: return "%traceback";
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *ks_flatten(const struct kickstart *ks)
{
    struct sb o = { 0 };
    sb_add(&o, "# Generated by kscreate ksflatten (pykickstart 3.74 format)\n");
    if (ks->platform && *ks->platform)
        sb_printf(&o, "#platform=%s\n", ks->platform);
    sb_printf(&o, "#version=%s\n", ks->version ? (ks->version_num == 45000 ? "DEVEL" : ks->version) : "DEVEL");
    ks_write_commands(ks, &o);
    for (size_t i = 0; i < ks->n_scripts; i++) {
        const struct ks_script *s = &ks->scripts[i];
        sb_printf(&o, "\n%s", script_name(s->type));
        if (s->interpreter && *s->interpreter && strcmp(s->interpreter, "/bin/sh") != 0)
            sb_printf(&o, " --interpreter=%s", s->interpreter);
        if (s->type == KS_SCRIPT_POST && s->nochroot)
            sb_add(&o, " --nochroot");
        if (s->log)
            sb_printf(&o, " --logfile=%s", s->log);
        if (s->erroronfail)
            sb_add(&o, " --erroronfail");
        const char *body = s->body ? s->body : "";
        size_t bl = strlen(body);
        if (bl && body[bl - 1] == '\n')
            sb_printf(&o, "\n%s%%end\n", body);
        else
            sb_printf(&o, "\n%s\n%%end\n", body);
    }
    if (ks->null_sections.n) {
        sb_add(&o, "\n");
        for (size_t i = 0; i < ks->null_sections.n; i++)
            sb_add(&o, ks->null_sections.v[i]);
    }
    const struct ks_packages *p = &ks->packages;
    struct sb h = { 0 }, body = { 0 };
    if (p->default_) sb_add(&h, " --default");
    if (p->excludedocs) sb_add(&h, " --excludedocs");
    if (p->nocore) sb_add(&h, " --nocore");
    if (p->ignoremissing) sb_add(&h, " --ignoremissing");
    if (p->ignorebroken) sb_add(&h, " --ignorebroken");
    bool old = ks->version_num < 32000;
    if (p->inst_langs) sb_printf(&h, " --%s=%s", old ? "instLangs" : "inst-langs", p->inst_langs);
    if (p->multilib) sb_add(&h, " --multilib");
    if (p->exclude_weakdeps) sb_add(&h, old ? " --excludeWeakdeps" : " --exclude-weakdeps");
    if (p->timeout >= 0) sb_printf(&h, " --timeout=%d", p->timeout);
    if (p->retries >= 0) sb_printf(&h, " --retries=%d", p->retries);
    for (size_t i = 0; i < p->n_groups; i++) {
        const struct ks_group *g = &p->groups[i];
        sb_printf(&body, "@%s%s%s\n", g->environment ? "^" : "", g->name,
                  g->include == KS_GROUP_ALL ? " --optional"
                  : g->include == KS_GROUP_REQUIRED ? " --nodefaults" : "");
    }
    char **names = xcalloc(p->names.n + 1, sizeof *names);
    if (p->names.n) {
        memcpy(names, p->names.v, p->names.n * sizeof *names);
        qsort(names, p->names.n, sizeof *names, cmp_str);
    }
    for (size_t i = 0; i < p->names.n; i++)
        sb_printf(&body, "%s\n", names[i]);
    free(names);
    for (size_t i = 0; i < p->n_excluded_groups; i++)
        sb_printf(&body, "-@%s\n", p->excluded_groups[i].name);
    names = xcalloc(p->excludes.n + 1, sizeof *names);
    if (p->excludes.n) {
        memcpy(names, p->excludes.v, p->excludes.n * sizeof *names);
        qsort(names, p->excludes.n, sizeof *names, cmp_str);
    }
    for (size_t i = 0; i < p->excludes.n; i++)
        sb_printf(&body, "-%s\n", names[i]);
    free(names);
    if (h.n || body.n || p->seen)
        sb_printf(&o, "\n%%packages%s\n%s\n%%end\n", h.p ? h.p : "", body.p ? body.p : "");
    free(h.p);
    free(body.p);
    for (size_t i = 0; i < ks->n_certs; i++) {
        const struct ks_cert *c = &ks->certs[i];
        if (!c->cert || !*c->cert)
            continue;
        sb_printf(&o, "\n%%certificate --filename=\"%s\"", c->filename ? c->filename : "None");
        if (c->type)
            sb_printf(&o, " --type=\"%s\"", c->type);
        if (c->dir)
            sb_printf(&o, " --dir=\"%s\"", c->dir);
        sb_printf(&o, "\n%s\n%%end\n", c->cert);
    }
    return o.p ? o.p : xstrdup("");
}

int ks_write(const struct kickstart *ks, FILE *out)
{
    char *s = ks_flatten(ks);
    fputs(s, out);
    free(s);
    fflush(out);
    return ferror(out) ? -1 : 0;
}
