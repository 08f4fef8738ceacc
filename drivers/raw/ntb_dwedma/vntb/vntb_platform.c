/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#include <stddef.h>

#include "vntb_platform.h"

const struct vntb_platform vntb_platforms[VNTB_PLATFORM_COUNT] = {
#define VNTB_PLATFORM(tag, vid, did, cls, ...)			\
	[VNTB_PLATFORM_##tag] = { .vendor_id = (vid), .device_id = (did), \
				  .class_id = (cls), __VA_ARGS__ },
#include "vntb_platform_rows.h"
#undef VNTB_PLATFORM
};

int
vntb_barmap_mw_bar(const struct vntb_barmap *map, unsigned int idx)
{
	if (map == NULL || idx >= NTB_MAX_MW)
		return VNTB_NO_BAR;
	return map->bar[VNTB_BAR_MW1 + idx];
}

const struct vntb_platform *
vntb_pci_id_match(uint16_t vendor_id, uint16_t device_id, uint32_t class_id)
{
	const struct vntb_platform *p;

	for (p = vntb_platforms; p < vntb_platforms + VNTB_PLATFORM_COUNT; p++)
		if (p->vendor_id == vendor_id && p->device_id == device_id &&
		    (class_id & VNTB_PCI_CLASS_MASK) ==
		    (p->class_id & VNTB_PCI_CLASS_MASK))
			return p;
	return NULL;
}
