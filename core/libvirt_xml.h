/* libvirt_xml.h - a libvirt domain XML for built disk images.
 *
 * Contract: libvirt_domain_xml() returns a malloc'd document that `virsh
 * define` accepts (validated in the tests with virt-xml-validate): KVM domain,
 * machine "pc", memory/vcpus, the disks in order (virtio, their formats),
 * BIOS or UEFI (firmware='efi') boot, an optional <description>, serial console, a virtio NIC on the
 * "default" network.  Values are escaped with core/base/escape.h; one XML
 * cannot carry (a control character, not UTF-8) gives NULL after log_fail().
 * libvirt_write_xml(): 0, or -1 after log_fail().
 */
#ifndef KSC_LIBVIRT_XML_H
#define KSC_LIBVIRT_XML_H

#include <stdbool.h>
#include <stddef.h>

struct vm_disk {
    const char *path;     /* absolute path of the image */
    const char *format;   /* raw, qcow2, vmdk, vdi, vhdx */
};

char *libvirt_domain_xml(const char *name, const char *description, long mem_mib, int vcpus, bool uefi,
                         const struct vm_disk *disks, size_t ndisks);
int libvirt_write_xml(const char *path, const char *name, const char *description, long mem_mib, int vcpus,
                      bool uefi, const struct vm_disk *disks, size_t ndisks);

#endif
