/* keyboard.h - the kickstart 'keyboard' command in an image root.
 *
 * Contract: keyboard_apply() writes KEYMAP= into /etc/vconsole.conf (other
 * lines kept) and /etc/X11/xorg.conf.d/00-keyboard.conf (XkbLayout,
 * XkbVariant, XkbOptions) as systemd-localed writes them.  A missing side is
 * derived from the other through the image's
 * /usr/share/systemd/kbd-model-map when present, else taken as the same
 * name.  A console keymap the image's kbd data does not have is a warning
 * naming the kickstart line.  Values are checked (the keymap: no blank,
 * quote, $, `, \ or control character, written shell-quoted when needed;
 * X layouts, variants and options: letters, digits and _-+:.()) and fail
 * with the kickstart file:line.  0, or -1 after log_fail().
 */
#ifndef KSC_KEYBOARD_H
#define KSC_KEYBOARD_H

#include "core/sysconf_model.h"

int keyboard_apply(const char *root, const struct ks_keyboard *kb);

#endif
