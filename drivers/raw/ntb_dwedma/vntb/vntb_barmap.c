/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#include <stddef.h>
#include <string.h>

#include "vntb_barmap.h"

const struct vntb_barmap vntb_barmap_j721e = {
	.name = "j721e",
	.bar = {
		[VNTB_BAR_CONFIG] = 0,
		[VNTB_BAR_PEER_SPAD] = 1,
		/* DB and MW1 share BAR2; MW1 starts at ctrl mw1_offset */
		[VNTB_BAR_DB] = 2,
		[VNTB_BAR_MW1] = 2,
		[VNTB_BAR_MW2] = 3,
		[VNTB_BAR_MW3] = 4,
		[VNTB_BAR_MW4] = 5,
	},
};

const struct vntb_barmap vntb_barmap_mx8 = {
	.name = "mx8",
	.bar = {
		[VNTB_BAR_CONFIG] = 0,
		[VNTB_BAR_PEER_SPAD] = 0,
		[VNTB_BAR_DB] = 2,
		[VNTB_BAR_MW1] = 4,
		[VNTB_BAR_MW2] = 5,
		[VNTB_BAR_MW3] = VNTB_NO_BAR,
		[VNTB_BAR_MW4] = VNTB_NO_BAR,
	},
};

const struct vntb_barmap vntb_barmap_rcar = {
	.name = "rcar",
	.bar = {
		[VNTB_BAR_CONFIG] = 0,
		[VNTB_BAR_PEER_SPAD] = 0,
		/* BAR4 is a fixed 256-byte BAR on R-Car Gen4: doorbells only */
		[VNTB_BAR_DB] = 4,
		[VNTB_BAR_MW1] = 2,
		[VNTB_BAR_MW2] = VNTB_NO_BAR,
		[VNTB_BAR_MW3] = VNTB_NO_BAR,
		[VNTB_BAR_MW4] = VNTB_NO_BAR,
	},
};

const struct vntb_barmap vntb_barmap_rcar_s4 = {
	.name = "rcar-s4",
	.bar = {
		[VNTB_BAR_CONFIG] = 0,
		[VNTB_BAR_PEER_SPAD] = 0,
		[VNTB_BAR_DB] = 4,
		[VNTB_BAR_MW1] = 2,
		/* interrupt window in BAR2 after MW1 (mw2_offset) */
		[VNTB_BAR_MW2] = 2,
		[VNTB_BAR_MW3] = VNTB_NO_BAR,
		[VNTB_BAR_MW4] = VNTB_NO_BAR,
	},
};

static const struct vntb_barmap *const vntb_barmaps[] = {
	&vntb_barmap_j721e,
	&vntb_barmap_mx8,
	&vntb_barmap_rcar,
	&vntb_barmap_rcar_s4,
};

const struct vntb_barmap *
vntb_barmap_by_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < sizeof(vntb_barmaps) / sizeof(vntb_barmaps[0]); i++)
		if (strcmp(vntb_barmaps[i]->name, name) == 0)
			return vntb_barmaps[i];
	return NULL;
}

int
vntb_barmap_mw_bar(const struct vntb_barmap *map, unsigned int idx)
{
	if (map == NULL || idx >= VNTB_BAR_ROLE_NUM - VNTB_BAR_MW1)
		return VNTB_NO_BAR;
	return map->bar[VNTB_BAR_MW1 + idx];
}

/*
 * R-Car points at the seed-series map: it is the mainline map plus MW2 in
 * BAR2, so a mainline EP (one MW) sees no difference and an EP with the
 * shared interrupt window works too.
 */
const struct vntb_pci_id vntb_pci_ids[] = {
	{ 0x104c, 0xb00d, VNTB_PCI_CLASS_MEMORY_RAM, VNTB_PCI_CLASS_MASK,
	  "TI J721E", &vntb_barmap_j721e },
	{ 0x1957, 0x0809, VNTB_PCI_CLASS_MEMORY_RAM, VNTB_PCI_CLASS_MASK,
	  "NXP i.MX8", &vntb_barmap_mx8 },
	{ 0x1912, 0x0030, VNTB_PCI_CLASS_MEMORY_RAM, VNTB_PCI_CLASS_MASK,
	  "Renesas R-Car", &vntb_barmap_rcar_s4 },
	{ 0, 0, 0, 0, NULL, NULL },
};

const struct vntb_pci_id *
vntb_pci_id_match(uint16_t vendor_id, uint16_t device_id, uint32_t class_id)
{
	const struct vntb_pci_id *id;

	for (id = vntb_pci_ids; id->map != NULL; id++) {
		if (id->vendor_id == vendor_id && id->device_id == device_id &&
		    (class_id & id->class_mask) ==
		    (id->class_id & id->class_mask))
			return id;
	}
	return NULL;
}
