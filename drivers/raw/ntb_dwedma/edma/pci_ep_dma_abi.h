/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef PCI_EP_DMA_ABI_H
#define PCI_EP_DMA_ABI_H

/**
 * Exported DMA ABI v1: the header at the start of the DMA slice that a
 * vNTB EP locates with the ctrl v1 DMA locator (vntb_ctrl.h). Nothing but
 * the format lives here. Source: struct pci_ep_dma_hdr_v1 and
 * pci_epf_alloc_dma() in include/linux/pci-ep-dma.h and
 * drivers/pci/endpoint/pci-ep-dma.c of "[PATCH 09/15] PCI: endpoint: Add
 * pci-ep-dma helper for exported DMA ABI v1" (Koichiro Den, 2026-03-13,
 * series "PCI: endpoint: Remote DMA support via vNTB"), and its reader
 * dw-edma-aux.c (patch 13/15). Little-endian, natural alignment (the
 * kernel struct is not packed: 4 bytes of padding before desc_phys_addr).
 *
 * Slice layout written by the EP (pci_epf_alloc_dma):
 *   [header, one EPC-aligned page][eDMA register block, when it is not
 *   already BAR-backed, page rounded][descriptor (LL) window of READ
 *   channel 0]...[LL window of READ channel N-1]
 * ABI v1 delegates READ channels only (RC memory -> EP memory), a dense
 * prefix of the hardware READ channels: chans[i] is READ channel i.
 * desc_phys_addr is the LL window's address as the eDMA sees it (what
 * LLP and link elements hold); desc_offset is where the RC writes it.
 */

#define PCI_EP_DMA_MAGIC		0x4d445045u	/* "EPDM" */
#define PCI_EP_DMA_VERSION_1		1
#define PCI_EP_DMA_MAX_CHANS		8

#define PCI_EP_DMA_HDR_MAGIC		0x00	/* u32 */
#define PCI_EP_DMA_HDR_VERSION		0x04	/* u16 */
#define PCI_EP_DMA_HDR_HDR_SIZE		0x06	/* u16: sizeof header */
#define PCI_EP_DMA_HDR_TOTAL_SIZE	0x08	/* u32: == locator size */
#define PCI_EP_DMA_HDR_CTRL_BAR		0x0C	/* u32 */
#define PCI_EP_DMA_HDR_CTRL_OFFSET	0x10	/* u32: BAR offset of regs */
#define PCI_EP_DMA_HDR_CTRL_SIZE	0x14	/* u32 */
#define PCI_EP_DMA_HDR_IRQ_COUNT	0x18	/* u32: RC vectors reserved */
#define PCI_EP_DMA_HDR_NUM_CHANS	0x1C	/* u32: valid chans[] */
#define PCI_EP_DMA_HDR_CHAN(i)		(0x20 + 24 * (i))
#define PCI_EP_DMA_CHAN_DESC_BAR	0x00	/* u32 */
#define PCI_EP_DMA_CHAN_DESC_OFFSET	0x04	/* u32: BAR offset */
#define PCI_EP_DMA_CHAN_DESC_SIZE	0x08	/* u32 */
#define PCI_EP_DMA_CHAN_DESC_PHYS	0x10	/* u64: eDMA's address */
#define PCI_EP_DMA_HDR_SIZE_V1		PCI_EP_DMA_HDR_CHAN(PCI_EP_DMA_MAX_CHANS)

#endif /* PCI_EP_DMA_ABI_H */
