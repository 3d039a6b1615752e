/* keyboard.c - see keyboard.h */
#define _GNU_SOURCE
#include "core/keyboard.h"
#include "core/base/escape.h"
#include "core/base/log.h"
#include "core/base/strbuf.h"
#include "core/base/strv.h"
#include "core/base/rootfile.h"
#include "core/base/util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XKB_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+:.()"

/* a name that goes between double quotes in xorg.conf as it is */
static bool xkb_word(const char *s) { return strspn(s, XKB_CHARS) == strlen(s); }

/* kbd-model-map: console-keymap x11-layout x11-model x11-variant x11-options */
static bool model_map_lookup(const char *root, const char *key, int col, char *out[5])
{
    char *p = path_join(root, "usr/share/systemd/kbd-model-map"), *buf;
    int r = read_file(p, &buf, NULL);
    free(p);
    if (r < 0)
        return false;
    bool found = false;
    for (char *save, *l = strtok_r(buf, "\n", &save); l && !found; l = strtok_r(NULL, "\n", &save)) {
        if (*l == '#')
            continue;
        char *f[5], *fsave;
        int nf = 0;
        for (char *w = strtok_r(l, " \t\r\v\f", &fsave); w && nf < 5; w = strtok_r(NULL, " \t\r\v\f", &fsave))
            f[nf++] = w;
        if (nf == 5 && !strcmp(f[col], key)) {
            for (int i = 0; i < 5; i++)
                out[i] = xstrdup(strcmp(f[i], "-") ? f[i] : "");
            found = true;
        }
    }
    free(buf);
    return found;
}

static bool find_keymap(const char *dir, const char *name, int depth)
{
    if (depth > 6)
        return false;
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool found = false;
    struct dirent *e;
    size_t n = strlen(name);
    while (!found && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (!strncmp(e->d_name, name, n) && (!strcmp(e->d_name + n, ".map") || !strcmp(e->d_name + n, ".map.gz")))
            found = true;
        else if (e->d_type == DT_DIR || e->d_type == DT_UNKNOWN) {
            char *sub = path_join(dir, e->d_name);
            if (is_dir(sub))
                found = find_keymap(sub, name, depth + 1);
            free(sub);
        }
    }
    closedir(d);
    return found;
}

/* "cz (qwerty)" -> layout "cz", variant "qwerty" */
static void split_layout(const char *s, char **layout, char **variant)
{
    const char *p = strchr(s, '(');
    if (!p) {
        *layout = xstrdup(s);
        *variant = xstrdup("");
        return;
    }
    const char *e = p;
    while (e > s && e[-1] == ' ')
        e--;
    *layout = xstrndup(s, (size_t)(e - s));
    const char *q = strchr(p, ')');
    *variant = xstrndup(p + 1, q ? (size_t)(q - p - 1) : strlen(p + 1));
}

int keyboard_apply(const char *root, const struct ks_keyboard *kb)
{
    if (!kb->seen)
        return 0;
    const char *file = kb->loc.file ? kb->loc.file : "kickstart";
    char *keymap = xstrdup(kb->vckeymap ? kb->vckeymap : kb->keyboard ? kb->keyboard : "");
    strv_t layouts = { 0 }, variants = { 0 };
    char *options = NULL;
    for (size_t i = 0; i < kb->xlayouts.n; i++) {
        char *l, *v;
        split_layout(kb->xlayouts.v[i], &l, &v);
        strv_push_take(&layouts, l);
        strv_push_take(&variants, v);
    }
    char *m[5] = { 0 };
    if (!*keymap && layouts.n) {
        /* derive the console keymap from the first X layout */
        free(keymap);
        keymap = xstrdup(layouts.v[0]);
        if (model_map_lookup(root, layouts.v[0], 1, m)) {
            free(keymap);
            keymap = xstrdup(m[0]);
        }
    } else if (*keymap && !layouts.n) {
        if (model_map_lookup(root, keymap, 0, m)) {
            strv_push(&layouts, m[1]);
            strv_push(&variants, m[3]);
            if (*m[4])
                options = xstrdup(m[4]);
        } else {
            strv_push(&layouts, keymap);
            strv_push(&variants, "");
        }
    }
    for (int i = 0; i < 5; i++)
        free(m[i]);
    int rc = 0;
    if (!*keymap && !layouts.n) {
        rc = log_fail("%s:%d: keyboard: give a keymap (--vckeymap, --xlayouts or a layout name)", file,
                      kb->loc.line);
        goto out;
    }
    if (strpbrk(keymap, " \t\n\"'$`\\") || !esc_value_ok(keymap)) {
        rc = log_fail("%s:%d: keyboard: invalid keymap '%s'", file, kb->loc.line, keymap);
        goto out;
    }
    for (size_t i = 0; i < layouts.n; i++)
        if (!*layouts.v[i] || !xkb_word(layouts.v[i]) || !xkb_word(variants.v[i])) {
            rc = log_fail("%s:%d: keyboard: invalid X layout '%s'", file, kb->loc.line, kb->xlayouts.n > i ? kb->xlayouts.v[i] : layouts.v[i]);
            goto out;
        }
    for (size_t i = 0; i < kb->switch_options.n; i++)
        if (!xkb_word(kb->switch_options.v[i])) {
            rc = log_fail("%s:%d: keyboard: invalid --switch option '%s'", file, kb->loc.line, kb->switch_options.v[i]);
            goto out;
        }
    if (options && !kb->switch_options.n && !xkb_word(options)) {
        rc = log_fail("%s:%d: keyboard: the image's kbd-model-map gives invalid X options '%s' for '%s'", file,
                      kb->loc.line, options, keymap);
        goto out;
    }
    char *kbdir = path_join(root, "usr/lib/kbd/keymaps");
    if (is_dir(kbdir) && !find_keymap(kbdir, keymap, 0))
        log_warn("%s:%d: keyboard: the image has no console keymap '%s' (kbd data)", file, kb->loc.line,
                 keymap);
    free(kbdir);
    struct strbuf km = { 0 };
    esc_sh_word(&km, keymap);   /* vconsole.conf is read as shell (dracut sources it) */
    rc = root_set_var(root, "etc/vconsole.conf", "KEYMAP", strbuf_str(&km), 0644);
    strbuf_free(&km);
    if (rc < 0)
        goto out;
    if (kb->switch_options.n) {
        free(options);
        options = strv_join(&kb->switch_options, ",");
    }
    bool any_variant = false;
    for (size_t i = 0; i < layouts.n; i++)
        any_variant |= *variants.v[i] != 0;
    char *lay = strv_join(&layouts, ","), *var = strv_join(&variants, ",");
    char *conf = xasprintf("# Written by kscreate from the kickstart 'keyboard' command.\n"
                           "# Use localectl(1) to instruct systemd-localed to update it.\n"
                           "Section \"InputClass\"\n"
                           "        Identifier \"system-keyboard\"\n"
                           "        MatchIsKeyboard \"on\"\n"
                           "        Option \"XkbLayout\" \"%s\"\n"
                           "%s%s%s"
                           "%s%s%s"
                           "EndSection\n",
                           lay, any_variant ? "        Option \"XkbVariant\" \"" : "", any_variant ? var : "",
                           any_variant ? "\"\n" : "", options ? "        Option \"XkbOptions\" \"" : "",
                           options ? options : "", options ? "\"\n" : "");
    rc = root_write(root, "etc/X11/xorg.conf.d/00-keyboard.conf", conf, 0644);
    if (rc == 0)
        log_verbose("keyboard: console %s, X11 %s", keymap, lay);
    free(conf);
    free(lay);
    free(var);
out:
    free(keymap);
    free(options);
    strv_free(&layouts);
    strv_free(&variants);
    return rc;
}
