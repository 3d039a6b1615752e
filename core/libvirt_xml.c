/* libvirt_xml.c - see libvirt_xml.h */
#define _GNU_SOURCE
#include "core/libvirt_xml.h"
#include "core/base/log.h"
#include "core/base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *xml_escape(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += *p == '&' ? 5 : (*p == '<' || *p == '>') ? 4 : (*p == '"' || *p == '\'') ? 6 : 1;
    char *o = xmalloc(n + 1), *q = o;
    for (const char *p = s; *p; p++) {
        const char *r = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;"
                      : *p == '"' ? "&quot;" : *p == '\'' ? "&apos;" : NULL;
        if (r) {
            memcpy(q, r, strlen(r));
            q += strlen(r);
        } else {
            *q++ = *p;
        }
    }
    *q = 0;
    return o;
}

char *libvirt_domain_xml(const char *name, const char *description, long mem_mib, int vcpus, bool uefi,
                         const struct vm_disk *disks, size_t ndisks)
{
    char *ename = xml_escape(name);
    char *edesc = description ? xml_escape(description) : NULL;
    char *dline = edesc ? xasprintf("  <description>%s</description>\n", edesc) : xstrdup("");
    char *s = xasprintf("<domain type='kvm'>\n"
                        "  <name>%s</name>\n"
                        "%s"
                        "  <memory unit='MiB'>%ld</memory>\n"
                        "  <currentMemory unit='MiB'>%ld</currentMemory>\n"
                        "  <vcpu placement='static'>%d</vcpu>\n"
                        "  <os%s>\n"
                        "    <type arch='x86_64' machine='pc'>hvm</type>\n"
                        "    <boot dev='hd'/>\n"
                        "  </os>\n"
                        "  <features>\n"
                        "    <acpi/>\n"
                        "    <apic/>\n"
                        "  </features>\n"
                        "  <clock offset='utc'/>\n"
                        "  <on_poweroff>destroy</on_poweroff>\n"
                        "  <on_reboot>restart</on_reboot>\n"
                        "  <on_crash>destroy</on_crash>\n"
                        "  <devices>\n",
                        ename, dline, mem_mib, mem_mib, vcpus, uefi ? " firmware='efi'" : "");
    free(ename);
    free(edesc);
    free(dline);
    for (size_t i = 0; i < ndisks; i++) {
        char *ep = xml_escape(disks[i].path);
        char *t = xasprintf("%s    <disk type='file' device='disk'>\n"
                            "      <driver name='qemu' type='%s'/>\n"
                            "      <source file='%s'/>\n"
                            "      <target dev='vd%c' bus='virtio'/>\n"
                            "    </disk>\n",
                            s, disks[i].format, ep, (char)('a' + (i % 26)));
        free(ep);
        free(s);
        s = t;
    }
    char *t = xasprintf("%s    <interface type='network'>\n"
                        "      <source network='default'/>\n"
                        "      <model type='virtio'/>\n"
                        "    </interface>\n"
                        "    <serial type='pty'>\n"
                        "      <target port='0'/>\n"
                        "    </serial>\n"
                        "    <console type='pty'>\n"
                        "      <target type='serial' port='0'/>\n"
                        "    </console>\n"
                        "    <input type='keyboard' bus='ps2'/>\n"
                        "    <graphics type='vnc' port='-1' autoport='yes'/>\n"
                        "    <video>\n"
                        "      <model type='vga'/>\n"
                        "    </video>\n"
                        "  </devices>\n"
                        "</domain>\n",
                        s);
    free(s);
    return t;
}

int libvirt_write_xml(const char *path, const char *name, const char *description, long mem_mib, int vcpus,
                      bool uefi, const struct vm_disk *disks, size_t ndisks)
{
    char *x = libvirt_domain_xml(name, description, mem_mib, vcpus, uefi, disks, ndisks);
    int rc = 0;
    if (write_file(path, x, 0644) < 0)
        rc = log_fail("cannot write %s: %s", path, strerror(errno));
    free(x);
    return rc;
}
