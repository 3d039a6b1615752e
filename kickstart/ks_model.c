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
/* writer                                                                   */

static void w_str(FILE *out, const char *opt, const char *val)
{
    if (!val)
        return;
    char *q = ks_quote(val);
    fprintf(out, " %s=%s", opt, q);
    free(q);
}

static void w_flag(FILE *out, const char *opt, bool on)
{
    if (on)
        fprintf(out, " %s", opt);
}

static void w_list(FILE *out, const char *opt, const strv_t *l)
{
    if (!l->n)
        return;
    size_t len = 0;
    for (size_t i = 0; i < l->n; i++)
        len += strlen(l->v[i]) + 1;
    char *s = xmalloc(len + 1), *p = s;
    for (size_t i = 0; i < l->n; i++)
        p += sprintf(p, "%s%s", i ? "," : "", l->v[i]);
    w_str(out, opt, s);
    free(s);
}

static void w_pos(FILE *out, const char *val)
{
    if (!val)
        return;
    char *q = ks_quote(val);
    fprintf(out, " %s", q);
    free(q);
}

static void w_group(FILE *out, const char *prefix, const struct ks_group *g)
{
    char *q = ks_quote(g->name);
    fprintf(out, "%s%s%s%s\n", prefix, g->environment ? "^" : "", q,
            g->include == KS_GROUP_ALL ? " --optional"
            : g->include == KS_GROUP_REQUIRED ? " --nodefaults" : "");
    free(q);
}

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

int ks_write(const struct kickstart *ks, FILE *out)
{
    if (ks->lang.seen) {
        fputs("lang", out);
        w_pos(out, ks->lang.lang);
        w_list(out, "--addsupport", &ks->lang.addsupport);
        fputc('\n', out);
    }
    if (ks->timezone.seen) {
        fputs("timezone", out);
        w_pos(out, ks->timezone.timezone);
        w_flag(out, "--utc", ks->timezone.utc);
        w_flag(out, "--nontp", ks->timezone.nontp);
        w_list(out, "--ntpservers", &ks->timezone.ntpservers);
        fputc('\n', out);
    }
    if (ks->rootpw.seen) {
        fputs("rootpw", out);
        w_flag(out, "--iscrypted", ks->rootpw.iscrypted);
        w_flag(out, "--plaintext", ks->rootpw.plaintext);
        w_flag(out, "--lock", ks->rootpw.lock);
        w_flag(out, "--allow-ssh", ks->rootpw.allow_ssh);
        w_pos(out, ks->rootpw.password);
        fputc('\n', out);
    }
    if (ks->bootloader.seen) {
        const struct ks_bootloader *b = &ks->bootloader;
        fputs("bootloader", out);
        w_str(out, "--append", b->append);
        w_str(out, "--location", b->location);
        w_str(out, "--boot-drive", b->boot_drive);
        if (b->timeout >= 0)
            fprintf(out, " --timeout=%d", b->timeout);
        w_flag(out, "--iscrypted", b->iscrypted && b->password);
        w_str(out, "--password", b->password);
        fputc('\n', out);
    }
    if (ks->url.seen) {
        const struct ks_url *u = &ks->url;
        fputs("url", out);
        w_str(out, "--url", u->url);
        w_str(out, "--mirrorlist", u->mirrorlist);
        w_str(out, "--metalink", u->metalink);
        w_str(out, "--proxy", u->proxy);
        w_flag(out, "--noverifyssl", u->noverifyssl);
        w_str(out, "--sslcacert", u->sslcacert);
        w_str(out, "--sslclientcert", u->sslclientcert);
        w_str(out, "--sslclientkey", u->sslclientkey);
        fputc('\n', out);
    }
    for (size_t i = 0; i < ks->n_repos; i++) {
        const struct ks_repo *r = &ks->repos[i];
        fputs("repo", out);
        w_str(out, "--name", r->name);
        w_str(out, "--baseurl", r->baseurl);
        w_str(out, "--mirrorlist", r->mirrorlist);
        w_str(out, "--metalink", r->metalink);
        if (r->cost >= 0)
            fprintf(out, " --cost=%d", r->cost);
        w_list(out, "--excludepkgs", &r->excludepkgs);
        w_list(out, "--includepkgs", &r->includepkgs);
        w_str(out, "--proxy", r->proxy);
        w_flag(out, "--noverifyssl", r->noverifyssl);
        w_str(out, "--sslcacert", r->sslcacert);
        w_str(out, "--sslclientcert", r->sslclientcert);
        w_str(out, "--sslclientkey", r->sslclientkey);
        if (r->ignoregroups)
            fputs(" --ignoregroups=true", out);
        w_flag(out, "--install", r->install);
        fputc('\n', out);
    }
    for (size_t i = 0; i < ks->n_parts; i++) {
        const struct ks_part *p = &ks->parts[i];
        fputs("part", out);
        w_pos(out, p->mntpoint);
        if (p->size >= 0)
            fprintf(out, " --size=%ld", p->size);
        if (p->maxsize >= 0)
            fprintf(out, " --maxsize=%ld", p->maxsize);
        w_flag(out, "--grow", p->grow);
        w_str(out, "--fstype", p->fstype);
        w_str(out, "--label", p->label);
        w_str(out, "--ondisk", p->ondisk);
        w_str(out, "--fsoptions", p->fsoptions);
        w_flag(out, "--asprimary", p->asprimary);
        fputc('\n', out);
    }
    if (ks->packages.seen) {
        const struct ks_packages *p = &ks->packages;
        fputs("\n%packages", out);
        w_flag(out, "--default", p->default_);
        w_flag(out, "--excludedocs", p->excludedocs);
        w_flag(out, "--ignoremissing", p->ignoremissing);
        w_flag(out, "--nocore", p->nocore);
        w_flag(out, "--exclude-weakdeps", p->exclude_weakdeps);
        w_str(out, "--inst-langs", p->inst_langs);
        w_flag(out, "--multilib", p->multilib != NULL);
        if (p->retries >= 0)
            fprintf(out, " --retries=%d", p->retries);
        if (p->timeout >= 0)
            fprintf(out, " --timeout=%d", p->timeout);
        fputc('\n', out);
        for (size_t i = 0; i < p->n_groups; i++)
            w_group(out, "@", &p->groups[i]);
        for (size_t i = 0; i < p->names.n; i++)
            fprintf(out, "%s\n", p->names.v[i]);
        for (size_t i = 0; i < p->n_excluded_groups; i++)
            w_group(out, "-@", &p->excluded_groups[i]);
        for (size_t i = 0; i < p->excludes.n; i++)
            fprintf(out, "-%s\n", p->excludes.v[i]);
        fputs("%end\n", out);
    }
    for (size_t i = 0; i < ks->n_scripts; i++) {
        const struct ks_script *s = &ks->scripts[i];
        fprintf(out, "\n%s", script_name(s->type));
        w_flag(out, "--nochroot", s->nochroot);
        w_flag(out, "--erroronfail", s->erroronfail);
        if (s->interpreter && strcmp(s->interpreter, "/bin/sh") != 0)
            w_str(out, "--interpreter", s->interpreter);
        w_str(out, "--log", s->log);
        fputc('\n', out);
        const char *body = s->body ? s->body : "";
        fputs(body, out);
        if (*body && body[strlen(body) - 1] != '\n')
            fputc('\n', out);
        fputs("%end\n", out);
    }
    fflush(out);
    return ferror(out) ? -1 : 0;
}
