/* media_repo.c - see media_repo.h */
#define _GNU_SOURCE
#include "core/media_repo.h"
#include "core/base/strbuf.h"
#include "core/base/strv.h"
#include "core/base/log.h"
#include "core/base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if __has_include(<glib.h>) && __has_include(<libxml/parser.h>) && \
    __has_include(<createrepo_c/createrepo_c.h>)
#define HAVE_CREATEREPO_C 1
#include <createrepo_c/createrepo_c.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#endif

#ifndef HAVE_CREATEREPO_C

int media_repo_available(void) { return 0; }

int media_repo_create(const struct media_repo_opts *o)
{
    (void)o;
    return log_fail("this build has no libcreaterepo_c: cannot make the media repository "
                    "(build with pkg-config createrepo_c and libxml-2.0)");
}

char *media_repo_filter_comps(const char *const *texts, size_t n_texts, const char *const *names, size_t n)
{
    (void)texts, (void)n_texts, (void)names, (void)n;
    log_fail("this build has no libxml2/libcreaterepo_c");
    return NULL;
}

#else

int media_repo_available(void) { return 1; }

/* ------------------------------------------------------------------ comps */

static bool name_in(const char *name, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return true;
    return false;
}

static xmlNodePtr child_elem(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !xmlStrcmp(c->name, BAD_CAST name))
            return c;
    return NULL;
}

static char *elem_text(xmlNodePtr parent, const char *name)
{
    xmlNodePtr c = child_elem(parent, name);
    if (!c)
        return NULL;
    xmlChar *t = xmlNodeGetContent(c);
    char *s = xstrdup(t ? (const char *)t : "");
    xmlFree(t);
    return s;
}

/* Remove <groupid> children of every LISTNAME of NODE not naming a kept group. */
static void prune_groupids(xmlNodePtr node, const char *listname, const strv_t *kept)
{
    for (xmlNodePtr l = node->children; l; l = l->next) {
        if (l->type != XML_ELEMENT_NODE || xmlStrcmp(l->name, BAD_CAST listname))
            continue;
        for (xmlNodePtr g = l->children, next; g; g = next) {
            next = g->next;
            if (g->type != XML_ELEMENT_NODE || xmlStrcmp(g->name, BAD_CAST "groupid"))
                continue;
            xmlChar *id = xmlNodeGetContent(g);
            if (!id || !strv_contains(kept, (const char *)id)) {
                xmlUnlinkNode(g);
                xmlFreeNode(g);
            }
            xmlFree(id);
        }
    }
}

char *media_repo_filter_comps(const char *const *texts, size_t n_texts, const char *const *names, size_t n)
{
    xmlDocPtr out = xmlNewDoc(BAD_CAST "1.0");
    xmlCreateIntSubset(out, BAD_CAST "comps", BAD_CAST "-//Red Hat, Inc.//DTD Comps info//EN",
                       BAD_CAST "comps.dtd");
    xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "comps");
    xmlDocSetRootElement(out, root);
    strv_t seen = { 0 }, kept = { 0 };
    for (size_t t = 0; t < n_texts; t++) {
        xmlDocPtr doc = xmlReadMemory(texts[t], (int)strlen(texts[t]), "comps.xml", NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOWARNING);
        if (!doc) {
            const xmlError *e = xmlGetLastError();
            log_fail("cannot parse comps of source repository %zu: %s", t + 1,
                     e && e->message ? e->message : "invalid XML");
            xmlFreeDoc(out);
            strv_free(&seen);
            strv_free(&kept);
            return NULL;
        }
        xmlNodePtr r = xmlDocGetRootElement(doc);
        for (xmlNodePtr c = r ? r->children : NULL; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            /* the first repository defining an id wins, as dnf merges */
            char *id = elem_text(c, "id");
            char *key = xasprintf("%s:%s", (const char *)c->name, id ? id : "");
            free(id);
            if (strv_contains(&seen, key) && strcmp((const char *)c->name, "langpacks")) {
                free(key);
                continue;
            }
            strv_push_take(&seen, key);
            xmlAddChild(root, xmlDocCopyNode(c, out, 1));
        }
        xmlFreeDoc(doc);
    }
    /* groups: keep package requests for packages on the media */
    for (xmlNodePtr g = root->children, next; g; g = next) {
        next = g->next;
        if (g->type != XML_ELEMENT_NODE || xmlStrcmp(g->name, BAD_CAST "group"))
            continue;
        xmlNodePtr pl = child_elem(g, "packagelist");
        size_t left = 0;
        for (xmlNodePtr p = pl ? pl->children : NULL, pn; p; p = pn) {
            pn = p->next;
            if (p->type != XML_ELEMENT_NODE)
                continue;
            xmlChar *name = xmlNodeGetContent(p);
            if (name && name_in((const char *)name, names, n)) {
                left++;
            } else {
                xmlUnlinkNode(p);
                xmlFreeNode(p);
            }
            xmlFree(name);
        }
        char *id = elem_text(g, "id");
        if (left && id) {
            strv_push(&kept, id);
        } else {
            xmlUnlinkNode(g);
            xmlFreeNode(g);
        }
        free(id);
    }
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!xmlStrcmp(c->name, BAD_CAST "environment")) {
            prune_groupids(c, "grouplist", &kept);
            prune_groupids(c, "optionlist", &kept);
        } else if (!xmlStrcmp(c->name, BAD_CAST "category")) {
            prune_groupids(c, "grouplist", &kept);
        }
    }
    xmlChar *mem = NULL;
    int len = 0;
    xmlDocDumpFormatMemoryEnc(out, &mem, &len, "UTF-8", 1);
    char *res = xstrndup((const char *)mem, (size_t)len);
    xmlFree(mem);
    xmlFreeDoc(out);
    strv_free(&seen);
    strv_free(&kept);
    return res;
}

/* Comps text of the repository at URL (base URL or directory), or NULL (none). */
static char *load_comps(const char *url)
{
    const char *path = str_startswith(url, "file://") ? url + 7 : url;
    GError *err = NULL;
    struct cr_MetadataLocation *ml = cr_locate_metadata(path, TRUE, &err);
    if (!ml) {
        log_warn("cannot read the metadata of %s for comps: %s", url, err ? err->message : "unknown error");
        g_clear_error(&err);
        return NULL;
    }
    const char *group = NULL, *group_gz = NULL;
    for (GSList *l = ml->additional_metadata; l; l = l->next) {
        cr_Metadatum *m = l->data;
        if (!strcmp(m->type, "group"))
            group = m->name;
        else if (!strcmp(m->type, "group_gz"))
            group_gz = m->name;
    }
    const char *file = group ? group : group_gz;
    char *text = NULL;
    if (file) {
        CR_FILE *f = cr_open(file, CR_CW_MODE_READ, CR_CW_AUTO_DETECT_COMPRESSION, &err);
        if (f) {
            struct strbuf b = { 0 };
            char chunk[1 << 14];
            int r;
            while ((r = cr_read(f, chunk, sizeof chunk, &err)) > 0)
                strbuf_addn(&b, chunk, (size_t)r);
            cr_close(f, NULL);
            if (r < 0)
                strbuf_free(&b);
            else
                text = strbuf_take(&b);
        }
        if (!text)
            log_warn("cannot read comps %s: %s", file, err ? err->message : "unknown error");
        g_clear_error(&err);
    }
    cr_metadatalocation_free(ml);
    return text;
}

/* ------------------------------------------------------------- repodata */

/* libcreaterepo_c's GLib messages go to our log, not to stderr */
static void glib_to_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
    (void)data;
    if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
        log_warn("%s: %s", domain ? domain : "glib", msg);
    else
        log_debug("%s: %s", domain ? domain : "glib", msg);
}

static int gfail(const char *what, GError **err)
{
    int rc = log_fail("%s: %s", what, err && *err ? (*err)->message : "unknown error");
    g_clear_error(err);
    return rc;
}

static cr_RepomdRecord *finish_record(const char *type, const char *path, cr_ContentStat *st, GError **err)
{
    cr_RepomdRecord *r = cr_repomd_record_new(type, path);
    if (st)
        cr_repomd_record_load_contentstat(r, st);
    if (cr_repomd_record_fill(r, CR_CHECKSUM_SHA256, err) != CRE_OK ||
        cr_repomd_record_rename_file(r, err) != CRE_OK) {
        cr_repomd_record_free(r);
        return NULL;
    }
    return r;
}

/* Packages/<lowercase first letter>/<file name> */
static char *media_href(const char *rpm)
{
    const char *base = strrchr(rpm, '/');
    base = base ? base + 1 : rpm;
    char c = base[0] >= 'A' && base[0] <= 'Z' ? (char)(base[0] - 'A' + 'a') : base[0];
    return xasprintf("Packages/%c/%s", c, base);
}

static int compare_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int media_repo_create(const struct media_repo_opts *o)
{
    int rc = -1;
    GError *err = NULL;
    char *repodata = path_join(o->root, "repodata");
    char *pri = path_join(repodata, "primary.xml.gz");
    char *fil = path_join(repodata, "filelists.xml.gz");
    char *oth = path_join(repodata, "other.xml.gz");
    char *comps_path = path_join(repodata, "comps.xml");
    char *comps_gz = path_join(repodata, "comps.xml.gz");
    cr_ContentStat *pst = NULL, *fst = NULL, *ost = NULL;
    cr_XmlFile *pf = NULL, *ff = NULL, *of = NULL;
    cr_Repomd *md = cr_repomd_new();
    strv_t names = { 0 };
    char *comps = NULL, *xml = NULL;
    double t0 = now_seconds();

    /* pungi's order: by file name */
    const char **rpms = xmalloc(sizeof(char *) * (o->n_rpms + 1));
    for (size_t i = 0; i < o->n_rpms; i++)
        rpms[i] = o->rpms[i];
    qsort(rpms, o->n_rpms, sizeof *rpms, compare_str);

    if (mkdir_p(repodata, 0755) < 0) {
        log_fail("cannot create %s: %s", repodata, strerror(errno));
        goto out;
    }
    g_log_set_handler("C_CREATEREPOLIB", G_LOG_LEVEL_MASK, glib_to_log, NULL);
    cr_xml_dump_init();
    cr_package_parser_init();
    if (!(pst = cr_contentstat_new(CR_CHECKSUM_SHA256, &err)) ||
        !(fst = cr_contentstat_new(CR_CHECKSUM_SHA256, &err)) ||
        !(ost = cr_contentstat_new(CR_CHECKSUM_SHA256, &err))) {
        gfail("createrepo_c", &err);
        goto out;
    }
    if (!(pf = cr_xmlfile_sopen_primary(pri, CR_CW_GZ_COMPRESSION, pst, &err)) ||
        !(ff = cr_xmlfile_sopen_filelists(fil, CR_CW_GZ_COMPRESSION, fst, &err)) ||
        !(of = cr_xmlfile_sopen_other(oth, CR_CW_GZ_COMPRESSION, ost, &err))) {
        gfail("cannot create the repository metadata files", &err);
        goto out;
    }
    if (cr_xmlfile_set_num_of_pkgs(pf, (long)o->n_rpms, &err) != CRE_OK ||
        cr_xmlfile_set_num_of_pkgs(ff, (long)o->n_rpms, &err) != CRE_OK ||
        cr_xmlfile_set_num_of_pkgs(of, (long)o->n_rpms, &err) != CRE_OK) {
        gfail("createrepo_c", &err);
        goto out;
    }
    for (size_t i = 0; i < o->n_rpms; i++) {
        char *href = media_href(rpms[i]);
        char *dst = path_join(o->root, href);
        char *dir = xstrdup(dst);
        *strrchr(dir, '/') = 0;
        if (mkdir_p(dir, 0755) < 0 || copy_file(rpms[i], dst, 0644) < 0) {
            log_fail("cannot copy %s to %s: %s", rpms[i], dst, strerror(errno));
            free(dir), free(dst), free(href);
            goto out;
        }
        free(dir);
        struct stat st;
        cr_Package *pkg = stat(dst, &st) == 0
                              ? cr_package_from_rpm(dst, CR_CHECKSUM_SHA256, href, NULL, 10, &st,
                                                    CR_HDRR_NONE, &err)
                              : NULL;
        free(dst);
        if (!pkg) {
            char *what = xasprintf("cannot read package %s", rpms[i]);
            gfail(what, &err);
            free(what), free(href);
            goto out;
        }
        strv_push(&names, pkg->name);
        int r = cr_xmlfile_add_pkg(pf, pkg, &err);
        if (r == CRE_OK)
            r = cr_xmlfile_add_pkg(ff, pkg, &err);
        if (r == CRE_OK)
            r = cr_xmlfile_add_pkg(of, pkg, &err);
        cr_package_free(pkg);
        free(href);
        if (r != CRE_OK) {
            gfail("cannot write the repository metadata", &err);
            goto out;
        }
    }
    int r1 = cr_xmlfile_close(pf, &err);
    pf = NULL;
    int r2 = r1 == CRE_OK ? cr_xmlfile_close(ff, &err) : r1;
    ff = NULL;
    int r3 = r2 == CRE_OK ? cr_xmlfile_close(of, &err) : r2;
    of = NULL;
    if (r3 != CRE_OK) {
        gfail("cannot finish the repository metadata", &err);
        goto out;
    }
    struct { const char *type, *path; cr_ContentStat *st; } recs[] = {
        { "primary", pri, pst }, { "filelists", fil, fst }, { "other", oth, ost },
    };
    for (size_t i = 0; i < 3; i++) {
        cr_RepomdRecord *r = finish_record(recs[i].type, recs[i].path, recs[i].st, &err);
        if (!r) {
            gfail(recs[i].type, &err);
            goto out;
        }
        cr_repomd_set_record(md, r);
    }

    /* comps of the source repositories, filtered to what is on the media */
    strv_t texts = { 0 };
    for (size_t i = 0; i < o->n_comps_urls; i++) {
        char *t = load_comps(o->comps_urls[i]);
        if (t)
            strv_push_take(&texts, t);
    }
    if (texts.n) {
        comps = media_repo_filter_comps((const char *const *)texts.v, texts.n,
                                        (const char *const *)names.v, names.n);
        strv_free(&texts);
        if (!comps)
            goto out;
        if (write_file(comps_path, comps, 0644) < 0) {
            log_fail("cannot write %s: %s", comps_path, strerror(errno));
            goto out;
        }
        cr_RepomdRecord *g = cr_repomd_record_new("group", comps_path);
        cr_RepomdRecord *gz = cr_repomd_record_new("group_gz", comps_gz);
        if (cr_repomd_record_compress_and_fill(g, gz, CR_CHECKSUM_SHA256, CR_CW_GZ_COMPRESSION, NULL,
                                               &err) != CRE_OK ||
            cr_repomd_record_fill(g, CR_CHECKSUM_SHA256, &err) != CRE_OK ||
            cr_repomd_record_rename_file(g, &err) != CRE_OK ||
            cr_repomd_record_rename_file(gz, &err) != CRE_OK) {
            cr_repomd_record_free(g);
            cr_repomd_record_free(gz);
            gfail("cannot add comps to the repository", &err);
            goto out;
        }
        cr_repomd_set_record(md, g);
        cr_repomd_set_record(md, gz);
    } else {
        strv_free(&texts);
        log_warn("the source repositories have no comps: the media repository has no groups");
    }

    char rev[32];
    snprintf(rev, sizeof rev, "%lld", (long long)time(NULL));
    cr_repomd_set_revision(md, o->revision ? o->revision : rev);
    cr_repomd_sort_records(md);
    xml = cr_xml_dump_repomd(md, &err);
    if (!xml) {
        gfail("cannot write repomd.xml", &err);
        goto out;
    }
    char *repomd = path_join(repodata, "repomd.xml");
    int w = write_file(repomd, xml, 0644);
    if (w < 0)
        log_fail("cannot write %s: %s", repomd, strerror(errno));
    free(repomd);
    if (w < 0)
        goto out;
    log_info("media repository: %zu packages%s (%.1f s)", o->n_rpms, comps ? " with comps" : "",
             now_seconds() - t0);
    rc = 0;
out:
    if (pf)
        cr_xmlfile_close(pf, NULL);
    if (ff)
        cr_xmlfile_close(ff, NULL);
    if (of)
        cr_xmlfile_close(of, NULL);
    if (pst)
        cr_contentstat_free(pst, NULL);
    if (fst)
        cr_contentstat_free(fst, NULL);
    if (ost)
        cr_contentstat_free(ost, NULL);
    cr_repomd_free(md);
    g_free(xml);
    free(comps);
    strv_free(&names);
    free(rpms);
    free(pri), free(fil), free(oth), free(comps_path), free(comps_gz), free(repodata);
    return rc;
}

#endif
