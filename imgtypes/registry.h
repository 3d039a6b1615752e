/* registry.h - the image type backends, by name.
 *
 * imgtype_find() maps a name (livecd, loop, raw, installer, and the aliases
 * iso/live, image, disk/appliance) to its backend, or NULL.
 */
#ifndef KSC_IMGTYPES_REGISTRY_H
#define KSC_IMGTYPES_REGISTRY_H

#include "core/imgtype.h"
#include "imgtypes/installer.h"
#include "imgtypes/livecd.h"
#include "imgtypes/loop.h"
#include "imgtypes/raw.h"

const struct imgtype *imgtype_find(const char *name);

#endif
