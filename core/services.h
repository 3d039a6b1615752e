/* services.h - systemd unit enablement in an image root, as
 * `systemctl --root=ROOT enable/disable` does it, without running systemd.
 *
 * Contract:
 *  - Units are looked up in ROOT/etc/systemd/system, ROOT/usr/lib/systemd/system
 *    and ROOT/lib/systemd/system; a name without a unit suffix gets
 *    ".service"; templates (a@.service) take the instance from the name or
 *    DefaultInstance=.
 *  - services_enable() follows the unit's [Install] section: WantedBy=,
 *    RequiredBy=, UpheldBy= make ROOT/etc/systemd/system/T.wants|.requires|
 *    .upholds/UNIT symlinks to the unit file's absolute path in the image,
 *    Alias= makes ROOT/etc/systemd/system/ALIAS links, Also= enables those
 *    units too.  Enabling an alias name enables the unit it points to.
 *  - services_disable() removes every link that enabling made (and any
 *    other link in /etc/systemd/system to the unit), also for Also= units.
 *  - Both return 0 when done, 1 when the unit exists but there is nothing
 *    to do (static, masked or template without instance: a warning is
 *    logged), -1 when the unit does not exist (nothing logged: the caller
 *    names the kickstart line), -2 on a file system error (logged).
 *  - services_preset() gives the preset policy of a unit (1 enable, 0
 *    disable) from system-preset/NAME.preset (first match wins, /etc overrides
 *    files of the same name; no match: enable).
 *  - services_preset_all() enables every installable unit whose preset
 *    says enable (systemd's first-boot "enable-only" mode); returns the
 *    number of units enabled.
 *  - services_set_default_target() points /etc/systemd/system/default.target
 *    at the target's unit file; -1 when the target does not exist, -2 on error.
 */
#ifndef KSC_SERVICES_H
#define KSC_SERVICES_H

#include <stdbool.h>

int  services_enable(const char *root, const char *unit);
int  services_disable(const char *root, const char *unit);
bool services_unit_exists(const char *root, const char *unit);
int  services_preset(const char *root, const char *unit);
int  services_preset_all(const char *root);
int  services_set_default_target(const char *root, const char *target);

#endif
