/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef VNTB_PLATFORM_H
#define VNTB_PLATFORM_H

/**
 * The boards: one row each, in vntb_platform_rows.h. A row holds what
 * the RC cannot discover and every platform needs: the PCI IDs and class
 * the vNTB function shows, the BAR map (like ntb_hw_epf, one compiled-in
 * map per PCI ID; the EP's configfs ctrl_bar, db_bar, mwN_bar must
 * agree), the endpoint controller's BAR limits, and the configfs values
 * the board's kernel setup uses (num_mws, window sizes and offsets:
 * where the interrupt window sits).
 *
 * Everything else derives from the rows: vntb_platforms[] here, the PCI
 * driver's rte_pci_id table (rawdev/ntb_dwedma_pci.c) and the virtual
 * link's profiles (vsim/vsim_profile.c). Every platform - a board
 * (vfio-pci), the virtual link's RC, the kernel peer (ivshmem) - finds
 * its row with vntb_pci_id_match() from the IDs its function shows.
 *
 * Sources: the *_map / rcar_barno tables and the ID table of
 * drivers/ntb/hw/epf/ntb_hw_epf.c (kernel-facts 2.1, 2.2; the role order
 * is the kernel's enum epf_ntb_bar), the configfs examples (1.9).
 */

#include <stdint.h>

#include "ntb_dev.h"

#define VNTB_PCI_BARS		6
#define VNTB_NO_BAR		(-1)

/** PCI class "memory controller / RAM" as ntb_hw_epf matches it. */
#define VNTB_PCI_CLASS_MEMORY_RAM	0x050000u	/* class << 16 | sub << 8 */
#define VNTB_PCI_CLASS_MASK		0xffff00u	/* ignore prog-if */

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

_Static_assert(VNTB_BAR_ROLE_NUM - VNTB_BAR_MW1 == NTB_MAX_MW,
	       "one BAR map role per memory window");

struct vntb_barmap {
	const char *name;			/**< "j721e", "mx8", ... */
	int8_t bar[VNTB_BAR_ROLE_NUM];		/**< BAR number or VNTB_NO_BAR */
};

/** BAR of memory window idx (0-based), or VNTB_NO_BAR. */
int vntb_barmap_mw_bar(const struct vntb_barmap *map, unsigned int idx);

/**
 * The board's kernel setup: pci-epf-vntb configfs values (same names).
 * The emulated EP uses them as its defaults; mwN_offset > 0 puts a
 * window behind another in the same BAR (the interrupt window).
 */
struct vntb_platform_defaults {
	unsigned int num_mws;
	uint64_t mw_size[NTB_MAX_MW];		/**< mw1 .. mw4 */
	uint64_t mw_offset[NTB_MAX_MW];		/**< mw1_offset .. mw4_offset */
	unsigned int spad_count;
	unsigned int db_count;
	unsigned int msi_interrupts;
};

/** One board. */
struct vntb_platform {
	uint16_t vendor_id;
	uint16_t device_id;
	uint32_t class_id;		/**< 24-bit class code */
	const char *label;		/**< for logs: "Renesas R-Car" */
	struct vntb_barmap map;		/**< map.name names the row */
	/** Endpoint controller limits: fixed BAR sizes (0: sizeable) ... */
	uint64_t fixed_bar_size[VNTB_PCI_BARS];
	/** ... and BARs it cannot use (upper halves of 64-bit BARs). */
	uint32_t unusable_bars;
	struct vntb_platform_defaults def;
};

/* VNTB_PLATFORM_<TAG>: index of each row, in row order. */
enum vntb_platform_index {
#define VNTB_PLATFORM(tag, ...) VNTB_PLATFORM_##tag,
#include "vntb_platform_rows.h"
#undef VNTB_PLATFORM
	VNTB_PLATFORM_COUNT,
};

/** The rows, indexed by enum vntb_platform_index. */
extern const struct vntb_platform vntb_platforms[VNTB_PLATFORM_COUNT];

/**
 * Row matching vendor/device and class (24-bit class code, masked with
 * VNTB_PCI_CLASS_MASK as ntb_hw_epf does), or NULL.
 */
const struct vntb_platform *vntb_pci_id_match(uint16_t vendor_id,
					      uint16_t device_id,
					      uint32_t class_id);

#endif /* VNTB_PLATFORM_H */
