/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The board table: one VNTB_PLATFORM() row per board. Adding a board is
 * adding a row here; nothing else lists boards.
 *
 *   VNTB_PLATFORM(TAG, vendor_id, device_id, class_id,
 *                 <the other struct vntb_platform fields, designated>)
 *
 * No include guard: an X-macro list. Each includer defines
 * VNTB_PLATFORM(tag, vendor, device, class, ...) to take what it needs
 * and #undefs it after the #include:
 *   - vntb_platform.h: enum vntb_platform_index (VNTB_PLATFORM_<TAG>);
 *   - vntb_platform.c: the rows, vntb_platforms[];
 *   - rawdev/ntb_dwedma_pci.c: the PCI driver's static rte_pci_id table.
 * A macro argument may span lines; the fields after the class are passed
 * through as written (__VA_ARGS__).
 *
 * IDs and BAR maps are ntb_hw_epf's (kernel-facts 2.1, 2.2), all with
 * class PCI_CLASS_MEMORY_RAM; BAR limits are the EPC features; defaults
 * are the configfs examples (1.9) and, for R-Car S4, the layout of the
 * design (interrupt window MW2 in BAR2 after MW1).
 */

#ifndef VNTB_PLATFORM
#error "define VNTB_PLATFORM(tag, vendor, device, class, ...) before including vntb_platform_rows.h"
#endif

VNTB_PLATFORM(J721E, 0x104c, 0xb00d, VNTB_PCI_CLASS_MEMORY_RAM,
	.label = "TI J721E",
	.map = { .name = "j721e", .bar = {
		[VNTB_BAR_CONFIG] = 0,
		[VNTB_BAR_PEER_SPAD] = 1,
		/* DB and MW1 share BAR2; MW1 starts at ctrl mw1_offset */
		[VNTB_BAR_DB] = 2,
		[VNTB_BAR_MW1] = 2,
		[VNTB_BAR_MW2] = 3,
		[VNTB_BAR_MW3] = 4,
		[VNTB_BAR_MW4] = 5,
	} },
	/* MW1 after a one-page doorbell area */
	.def = { .num_mws = 1, .mw_size = { 0xFF000 },
		 .mw_offset = { 0x1000 },
		 .spad_count = 128, .db_count = 4, .msi_interrupts = 16 })

VNTB_PLATFORM(MX8, 0x1957, 0x0809, VNTB_PCI_CLASS_MEMORY_RAM,
	.label = "NXP i.MX8",
	.map = { .name = "mx8", .bar = {
		[VNTB_BAR_CONFIG] = 0,
		[VNTB_BAR_PEER_SPAD] = 0,
		[VNTB_BAR_DB] = 2,
		[VNTB_BAR_MW1] = 4,
		[VNTB_BAR_MW2] = 5,
		[VNTB_BAR_MW3] = VNTB_NO_BAR,
		[VNTB_BAR_MW4] = VNTB_NO_BAR,
	} },
	.def = { .num_mws = 1, .mw_size = { 0x100000 },
		 .spad_count = 128, .db_count = 4, .msi_interrupts = 16 })

/*
 * R-Car S4 (r8a779f0). The map is the seed series' one: mainline's
 * (MW1 only, in BAR2) plus MW2 sharing BAR2 at an offset, the interrupt
 * window, which needs the v1 ctrl layout (mw_offset/mw_size). A mainline
 * EP (one MW) sees no difference. R-Car Gen4 EPC: BAR4 is fixed at 256
 * bytes (doorbells only), BAR1/3/5 are the upper halves of 64-bit BARs.
 */
VNTB_PLATFORM(RCAR_S4, 0x1912, 0x0030, VNTB_PCI_CLASS_MEMORY_RAM,
	.label = "Renesas R-Car",
	.map = { .name = "rcar-s4", .bar = {
		[VNTB_BAR_CONFIG] = 0,
		[VNTB_BAR_PEER_SPAD] = 0,
		[VNTB_BAR_DB] = 4,
		[VNTB_BAR_MW1] = 2,
		[VNTB_BAR_MW2] = 2,
		[VNTB_BAR_MW3] = VNTB_NO_BAR,
		[VNTB_BAR_MW4] = VNTB_NO_BAR,
	} },
	.fixed_bar_size = { [4] = 256 },
	.unusable_bars = (1u << 1) | (1u << 3) | (1u << 5),
	/* BAR2: MW1 [0, 0xF0000) data, MW2 [0xF0000, 0xF8000) interrupts */
	.def = { .num_mws = 2, .mw_size = { 0xF0000, 0x8000 },
		 .mw_offset = { 0, 0xF0000 },
		 .spad_count = 128, .db_count = 16, .msi_interrupts = 16 })
