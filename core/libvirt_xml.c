/* libvirt_xml.c - see libvirt_xml.h */
#define _GNU_SOURCE
#include "core/libvirt_xml.h"
#include "core/base/escape.h"
#include "core/base/log.h"
#include "core/base/strbuf.h"
#include "core/base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "<TAG>TEXT</TAG>\n" after INDENT; -1 when TEXT cannot be written */
static int text_element(struct strbuf *b, const char *indent, const char *tag, const char *text)
{
    strbuf_printf(b, "%s<%s>", indent, tag);
    if (esc_xml_text(b, text) < 0)
        return -1;
    strbuf_printf(b, "</%s>\n", tag);
    return 0;
}

static int disk_xml(struct strbuf *b, const struct vm_disk *d, size_t i)
{
    strbuf_add(b, "    <disk type='file' device='disk'>\n      <driver name='qemu' type='");
    if (esc_xml_attr(b, d->format) < 0)
        return -1;
    strbuf_add(b, "'/>\n      <source file='");
    if (esc_xml_attr(b, d->path) < 0)
        return -1;
    strbuf_printf(b, "'/>\n      <target dev='vd%c' bus='virtio'/>\n    </disk>\n", (char)('a' + (i % 26)));
    return 0;
}

static int domain_xml(struct strbuf *b, const char *name, const char *description, long mem_mib, int vcpus,
                      bool uefi, const struct vm_disk *disks, size_t ndisks)
{
    strbuf_add(b, "<domain type='kvm'>\n");
    if (text_element(b, "  ", "name", name) < 0 ||
        (description && text_element(b, "  ", "description", description) < 0))
        return -1;
    strbuf_printf(b,
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
                  mem_mib, mem_mib, vcpus, uefi ? " firmware='efi'" : "");
    for (size_t i = 0; i < ndisks; i++)
        if (disk_xml(b, &disks[i], i) < 0)
            return -1;
    strbuf_add(b, "    <interface type='network'>\n"
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
                  "</domain>\n");
    return 0;
}

char *libvirt_domain_xml(const char *name, const char *description, long mem_mib, int vcpus, bool uefi,
                         const struct vm_disk *disks, size_t ndisks)
{
    struct strbuf b = { 0 };
    if (domain_xml(&b, name, description, mem_mib, vcpus, uefi, disks, ndisks) < 0) {
        strbuf_free(&b);
        log_fail("libvirt XML for %s: a name, description, disk path or format has characters XML cannot carry "
                 "(control characters, or not UTF-8)", name);
        return NULL;
    }
    return strbuf_take(&b);
}

int libvirt_write_xml(const char *path, const char *name, const char *description, long mem_mib, int vcpus,
                      bool uefi, const struct vm_disk *disks, size_t ndisks)
{
    char *x = libvirt_domain_xml(name, description, mem_mib, vcpus, uefi, disks, ndisks);
    if (!x)
        return -1;
    int rc = 0;
    if (write_file(path, x, 0644) < 0)
        rc = log_fail("cannot write %s: %s", path, strerror(errno));
    free(x);
    return rc;
}
