/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef VNTB_CTRL_H
#define VNTB_CTRL_H

/**
 * Wire format of the Linux pci-epf-vntb control ("ctrl") region, as the
 * RC-side ntb_hw_epf driver and the EP-side vNTB function see it. Nothing
 * but the format lives here. Sources: struct epf_ntb_ctrl in
 * drivers/pci/endpoint/functions/pci-epf-vntb.c and the NTB_EPF_* offsets
 * in drivers/ntb/hw/epf/ntb_hw_epf.c (see shared/reference/kernel-facts.md
 * sections 1.3-1.7). All fields are little-endian.
 *
 * Who writes what (single-writer rule, except command/status handover):
 *  - RC writes: command, argument, addr, size; writes 0 to command_status
 *    after reading it; rings doorbell slots (in the DB BAR, not here).
 *  - EP writes: command_status, link_status, version, num_mws, mw1_offset,
 *    spad_offset, spad_count, db_entry_size, db_data[], db_offset[],
 *    mw_offset[], mw_size[]; zeroes command and argument when it latches
 *    a command.
 *  - Scratchpads (at spad_offset): first half written by the RC (RC "self",
 *    EP "peer"), second half written by the EP (EP "self", RC "peer").
 */

#include <stdint.h>

/* Legacy layout (version 0): packed, 0x134 bytes. */
#define VNTB_CTRL_COMMAND		0x00	/* u32: command code, RC writes */
#define VNTB_CTRL_ARGUMENT		0x04	/* u32: command argument */
#define VNTB_CTRL_CMD_STATUS		0x08	/* u16: 1 OK, 2 ERROR, EP writes */
#define VNTB_CTRL_LINK_STATUS		0x0A	/* u16: bit0 link up, EP writes */
#define VNTB_CTRL_VERSION		0x0C	/* u32: "topology"; 0 legacy, 1 v1 */
#define VNTB_CTRL_ADDR_LO		0x10	/* u32: CONFIGURE_MW bus address */
#define VNTB_CTRL_ADDR_HI		0x14
#define VNTB_CTRL_SIZE_LO		0x18	/* u32: CONFIGURE_MW size */
#define VNTB_CTRL_SIZE_HI		0x1C
#define VNTB_CTRL_NUM_MWS		0x20	/* u32: number of memory windows */
#define VNTB_CTRL_MW1_OFFSET		0x24	/* u32: MW1 offset in its BAR */
#define VNTB_CTRL_SPAD_OFFSET		0x28	/* u32: scratchpads, from ctrl base */
#define VNTB_CTRL_SPAD_COUNT		0x2C	/* u32: scratchpads per side */
#define VNTB_CTRL_DB_ENTRY_SIZE		0x30	/* u32: doorbell slot stride */
#define VNTB_CTRL_DB_DATA(n)		(0x34 + 4 * (n))	/* u32 [32] */
#define VNTB_CTRL_DB_OFFSET(n)		(0xB4 + 4 * (n))	/* u32 [32] */
#define VNTB_CTRL_LEGACY_SIZE		0x134

/*
 * Scratchpads either side offers its clients (struct ntb_dev spad_count;
 * the emulated EP uses the same cap, so spad_user_<N> match). The
 * EP may announce more (pci-epf-vntb bounds spad_count only by the ctrl
 * BAR), but ntb_transport on vNTB uses at most 4 + 2 * 4 MWs + 2 * 31
 * QPs (MSI descriptors) = 74, and the vNTB how-to sets 128. More would
 * only make every transport teardown (which zeroes all of its spads, as
 * ntb_transport_link_cleanup does) write thousands of registers.
 */
#define VNTB_MAX_SPADS_USED		128u

/* Version 1 extension, appended after the legacy block. */
#define VNTB_CTRL_MW_OFFSET(i)		(0x134 + 4 * (i))	/* u32 [4] */
#define VNTB_CTRL_MW_SIZE(i)		(0x144 + 4 * (i))	/* u32 [4] */
#define VNTB_CTRL_V1_SIZE		0x154

/*
 * DMA locator of the v1 block ("PCI: endpoint: Remote DMA support via
 * vNTB", Mar-2026 series, patches 10/15 and 11/15; kernel-facts 1.4):
 * where the EP exports its DMA slice (format in pci_ep_dma_abi.h). The
 * EP's scratchpads then start at or after VNTB_CTRL_V1_DMA_SIZE; an EP
 * whose spad_offset is lower has no locator (those words are spads).
 */
#define VNTB_CTRL_DMA_ABI		0x154	/* u32: 0 none, 1 ABI v1 */
#define VNTB_CTRL_DMA_BAR		0x158	/* u32: BAR, ~0 (NO_BAR) none */
#define VNTB_CTRL_DMA_OFFSET		0x15C	/* u32: slice offset in BAR */
#define VNTB_CTRL_DMA_SIZE		0x160	/* u32: slice size */
#define VNTB_CTRL_DMA_NUM_CHANS		0x164	/* u32: delegated channels */
#define VNTB_CTRL_V1_DMA_SIZE		0x168
#define VNTB_DMA_ABI_NONE		0
#define VNTB_DMA_ABI_V1			1
#define VNTB_DMA_NO_BAR			0xFFFFFFFFu

#define VNTB_CTRL_VERSION_LEGACY	0
#define VNTB_CTRL_VERSION_V1		1

/* Commands (code is authoritative over pci-ntb-function.rst numbering). */
#define VNTB_CMD_CONFIGURE_DOORBELL	1
#define VNTB_CMD_TEARDOWN_DOORBELL	2
#define VNTB_CMD_CONFIGURE_MW		3	/* argument: MW index */
#define VNTB_CMD_TEARDOWN_MW		4	/* argument: MW index */
#define VNTB_CMD_LINK_UP		5
#define VNTB_CMD_LINK_DOWN		6

#define VNTB_CMD_STATUS_OK		1
#define VNTB_CMD_STATUS_ERROR		2

#define VNTB_LINK_STATUS_UP		0x1
#define VNTB_MSIX_ENABLE		(1u << 16)	/* CONFIGURE_DOORBELL arg */

/*
 * Doorbells: NTB_MAX_DB (ntb_dev.h), the kernel's MAX_DB_COUNT (32); MWs:
 * NTB_MAX_MW (ntb_dev.h), the 4 entries of mw_offset[]/mw_size[]
 */

/* Timing of the kernel implementations. */
#define VNTB_CMD_TIMEOUT_US		1000000	/* ntb_hw_epf: 1 s */
#define VNTB_CMD_POLL_US		5	/* ntb_hw_epf: 5-10 us */
#define VNTB_EP_CMD_PERIOD_US		5000	/* vNTB work: every 5 ms */

/*
 * Doorbells keep the kernel's legacy offset in both directions:
 * doorbell bit k uses slot (RC -> EP) and MSI vector (EP -> RC) k + 2;
 * vector 0 is the link event, slot/vector 1 is unused.
 */
#define VNTB_DB_SLOT_OFFSET		2
#define VNTB_MSI_LINK_VECTOR		0

#endif /* VNTB_CTRL_H */
