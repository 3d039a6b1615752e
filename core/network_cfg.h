/* network_cfg.h - the kickstart 'network' commands in an image root.
 *
 * Contract: network_apply() writes /etc/hostname from the last --hostname,
 * and one connection per --device in the format the image's packages call
 * for: NetworkManager keyfiles (/etc/NetworkManager/system-connections/
 * DEV.nmconnection, mode 0600) when NetworkManager is installed, else ifcfg
 * files (/etc/sysconfig/network-scripts/ifcfg-DEV) when network-scripts are,
 * else systemd-networkd (/etc/systemd/network/20-DEV.network) when it is;
 * with none of them a warning.  Entries without --device (or "link",
 * "bootif") only set the hostname: no device name is known at build time.
 * Invalid values (hostname, addresses, netmask, bootproto, a newline or
 * control character in --device/--essid/--wpakey) fail with the kickstart
 * file:line; free text is escaped for the file it goes to (keyfile strings,
 * shell quoting in ifcfg).  0, or -1 after log_fail().
 */
#ifndef KSC_NETWORK_CFG_H
#define KSC_NETWORK_CFG_H

#include "core/sysconf_model.h"

enum net_backend { NET_NONE, NET_NM, NET_IFCFG, NET_NETWORKD };

enum net_backend network_backend(const char *root);
int network_apply(const char *root, const struct ks_network *nets, size_t n);

#endif
