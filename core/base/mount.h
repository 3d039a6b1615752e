/* mount.h - loop devices and mounts, each registered with cleanup.
 *
 * Contract: functions return 0 (or a cleanup id >= 1 where stated) on
 * success, -1 after log_fail() on error.  Nothing here uses device-mapper.
 */
#ifndef KSC_MOUNT_H
#define KSC_MOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Attach FILE (from OFFSET, SIZELIMIT bytes, 0 = to the end) to a free loop
 * device; writes its path into dev (>= 32 bytes).  Returns a cleanup id. */
int loop_attach(const char *file, uint64_t offset, uint64_t sizelimit, bool readonly,
                char *dev, size_t devlen);

/* mount(2) SRC on DIR (created if missing).  Returns a cleanup id. */
int mount_fs(const char *src, const char *dir, const char *fstype, unsigned long flags,
             const char *data);
int mount_bind(const char *src, const char *dir, bool readonly);
/* Unmount now and drop the registration (id from mount_fs/mount_bind). */
int mount_release(int id);
bool is_mountpoint(const char *dir);

#endif
