/* firewall_cfg.h - the kickstart 'firewall' command in an image root.
 *
 * Contract: firewall_apply() checks the values (--port as PORT[-PORT][:PROTO]
 * with PROTO tcp/udp/sctp/dccp, ports 1-65535 with any number of leading
 * zeros, written without them; service and interface names of letters,
 * digits and -_.+; an error names the kickstart line), then
 * runs the image's own firewall-offline-cmd chrooted with anaconda's
 * arguments when it is installed; otherwise it writes firewalld's
 * configuration files directly: /etc/firewalld/zones/ZONE.xml for the
 * default zone (from /etc/firewalld/firewalld.conf, else "public"; services
 * of the shipped zone kept unless removed, plus --service/--port) and
 * trusted.xml for --trust interfaces, and enables or disables
 * firewalld.service.  The zone files are read and written as XML (values
 * escaped).  Without firewalld in the image the files are still
 * written and a warning says so.  --use-system-defaults changes nothing.
 * 0, or -1 after log_fail().
 */
#ifndef KSC_FIREWALL_CFG_H
#define KSC_FIREWALL_CFG_H

#include "core/sysconf_model.h"

int firewall_apply(const char *root, const struct ks_firewall *fw);

#endif
