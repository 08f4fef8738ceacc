/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef VNTB_BARMAP_H
#define VNTB_BARMAP_H

/**
 * Which PCI BAR of the vNTB function holds what, per platform. The RC
 * cannot discover this: like ntb_hw_epf it has one compiled-in map per
 * PCI ID, and the EP's configfs (ctrl_bar, db_bar, mwN_bar) must agree.
 * Source: the *_map / rcar_barno tables of drivers/ntb/hw/epf/ntb_hw_epf.c
 * (kernel-facts 2.1, 2.2); the role order is the kernel's enum epf_ntb_bar.
 */

#include <stdint.h>

#define VNTB_PCI_BARS		6
#define VNTB_NO_BAR		(-1)

enum vntb_bar_role {
	VNTB_BAR_CONFIG = 0,	/**< ctrl region + scratchpads */
	VNTB_BAR_PEER_SPAD,	/**< peer scratchpads (== CONFIG: inside ctrl) */
	VNTB_BAR_DB,		/**< doorbell slots */
	VNTB_BAR_MW1,
	VNTB_BAR_MW2,
	VNTB_BAR_MW3,
	VNTB_BAR_MW4,
	VNTB_BAR_ROLE_NUM,
};

struct vntb_barmap {
	const char *name;			/**< "j721e", "mx8", ... */
	int8_t bar[VNTB_BAR_ROLE_NUM];		/**< BAR number or VNTB_NO_BAR */
};

/* ntb_hw_epf maps */
extern const struct vntb_barmap vntb_barmap_j721e;
extern const struct vntb_barmap vntb_barmap_mx8;
/** R-Car, mainline: MW1 only (BAR2). */
extern const struct vntb_barmap vntb_barmap_rcar;
/**
 * R-Car S4 as in the seed series: MW2 shares BAR2 with MW1 at an offset
 * (interrupt window), which needs the v1 ctrl layout (mw_offset/mw_size).
 * A superset of vntb_barmap_rcar: with num_mws = 1 both behave the same.
 */
extern const struct vntb_barmap vntb_barmap_rcar_s4;

/** Map by name ("j721e", "mx8", "rcar", "rcar-s4"); NULL if unknown. */
const struct vntb_barmap *vntb_barmap_by_name(const char *name);

/** BAR of memory window idx (0-based), or VNTB_NO_BAR. */
int vntb_barmap_mw_bar(const struct vntb_barmap *map, unsigned int idx);

/** PCI class "memory controller / RAM" as ntb_hw_epf matches it. */
#define VNTB_PCI_CLASS_MEMORY_RAM	0x050000u	/* class << 16 | sub << 8 */
#define VNTB_PCI_CLASS_MASK		0xffff00u	/* ignore prog-if */

struct vntb_pci_id {
	uint16_t vendor_id;
	uint16_t device_id;
	uint32_t class_id;		/**< 24-bit class code */
	uint32_t class_mask;
	const char *platform;		/**< for logs */
	const struct vntb_barmap *map;
};

/** ntb_hw_epf's ID table; ends with an all-zero entry. */
extern const struct vntb_pci_id vntb_pci_ids[];

/**
 * Entry matching vendor/device and class (24-bit class code, masked),
 * or NULL.
 */
const struct vntb_pci_id *vntb_pci_id_match(uint16_t vendor_id,
					    uint16_t device_id,
					    uint32_t class_id);

#endif /* VNTB_BARMAP_H */
