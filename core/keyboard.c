/* keyboard.c - see keyboard.h */
#define _GNU_SOURCE
#include "core/keyboard.h"
#include "core/base/strv.h"
#include "core/base/log.h"
#include "core/base/rootfile.h"
#include "core/base/util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XKB_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+:.()"

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
        char f[5][128];
        if (sscanf(l, "%127s %127s %127s %127s %127s", f[0], f[1], f[2], f[3], f[4]) != 5)
            continue;
        if (!strcmp(f[col], key)) {
            for (int i = 0; i < 5; i++)
                out[i] = strcmp(f[i], "-") ? xstrdup(f[i]) : xstrdup("");
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
    if (strpbrk(keymap, " \t\n\"'$`\\")) {
        rc = log_fail("%s:%d: keyboard: invalid keymap '%s'", file, kb->loc.line, keymap);
        goto out;
    }
    for (size_t i = 0; i < layouts.n; i++)
        if (!*layouts.v[i] || strspn(layouts.v[i], XKB_CHARS) != strlen(layouts.v[i]) ||
            strspn(variants.v[i], XKB_CHARS) != strlen(variants.v[i])) {
            rc = log_fail("%s:%d: keyboard: invalid X layout '%s'", file, kb->loc.line, kb->xlayouts.n > i ? kb->xlayouts.v[i] : layouts.v[i]);
            goto out;
        }
    for (size_t i = 0; i < kb->switch_options.n; i++)
        if (strspn(kb->switch_options.v[i], XKB_CHARS) != strlen(kb->switch_options.v[i])) {
            rc = log_fail("%s:%d: keyboard: invalid --switch option '%s'", file, kb->loc.line, kb->switch_options.v[i]);
            goto out;
        }
    char *kbdir = path_join(root, "usr/lib/kbd/keymaps");
    if (is_dir(kbdir) && !find_keymap(kbdir, keymap, 0))
        log_warn("%s:%d: keyboard: the image has no console keymap '%s' (kbd data)", file, kb->loc.line,
                 keymap);
    free(kbdir);
    rc = root_set_var(root, "etc/vconsole.conf", "KEYMAP", keymap, 0644);
    if (rc < 0)
        goto out;
    if (kb->switch_options.n) {
        size_t len = 1;
        for (size_t i = 0; i < kb->switch_options.n; i++)
            len += strlen(kb->switch_options.v[i]) + 1;
        free(options);
        options = xmalloc(len);
        options[0] = 0;
        for (size_t i = 0; i < kb->switch_options.n; i++)
            strcat(strcat(options, i ? "," : ""), kb->switch_options.v[i]);
    }
    size_t len = 1;
    bool any_variant = false;
    for (size_t i = 0; i < layouts.n; i++) {
        len += strlen(layouts.v[i]) + strlen(variants.v[i]) + 2;
        any_variant |= *variants.v[i] != 0;
    }
    char *lay = xmalloc(len), *var = xmalloc(len);
    lay[0] = var[0] = 0;
    for (size_t i = 0; i < layouts.n; i++) {
        strcat(strcat(lay, i ? "," : ""), layouts.v[i]);
        strcat(strcat(var, i ? "," : ""), variants.v[i]);
    }
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
