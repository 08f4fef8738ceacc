/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The EP's exported DMA slice (pci_ep_dma_abi.h, ABI v1): the locator
 * from the vNTB ctrl region and the header the EP wrote are copied once
 * and checked as dw-edma-aux checks them (magic, version, sizes, the
 * register block and each channel's LL window inside their BARs), then
 * the channels are set up from the copies. The EP is a peer: nothing it
 * wrote is used unchecked.
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_common.h>
#include <rte_malloc.h>

#include "dwedma_priv.h"

static uint32_t
hdr32(const struct ntb_bar *s, size_t off)
{
	return rte_le_to_cpu_32(ntb_bar_read32(s, off));
}

/* [off, off + len) inside [0, bar_len)? */
static bool
fits(uint64_t off, uint64_t len, uint64_t bar_len)
{
	return len != 0 && off <= bar_len && len <= bar_len - off;
}

/* Copy and check the locator and the ABI v1 header (dw-edma-aux rules). */
int
dwedma_parse_slice(struct dwedma_dev *dev, const char *name,
		   const struct ntb_bar bars[6],
		   const struct dma_dwedma_locator *loc)
{
	const struct ntb_bar *b;
	uint32_t v, n, cbar, coff, csz, i;

	if (loc->abi != 1) {
		DWEDMA_LOG(ERR, "%s: dma_abi %u (ctrl 0x154) not supported (1)",
			   name, loc->abi);
		return -ENOTSUP;
	}
	if (loc->bar >= 6 || bars[loc->bar].len == 0 ||
	    !fits(loc->offset, loc->size, bars[loc->bar].len) ||
	    loc->size < PCI_EP_DMA_HDR_SIZE_V1) {
		DWEDMA_LOG(ERR, "%s: DMA locator BAR%u offset 0x%x size 0x%x (ctrl 0x158-0x160) outside the BAR or below the header size",
			   name, loc->bar, loc->offset, loc->size);
		return -EINVAL;
	}
	b = &bars[loc->bar];
	dev->loc = *loc;
	dev->slice = (struct ntb_bar){ .va = b->va + loc->offset,
		.len = loc->size, .bus_addr = b->bus_addr + loc->offset,
		.trap = b->trap, .trap_ctx = b->trap_ctx };
	v = hdr32(&dev->slice, PCI_EP_DMA_HDR_MAGIC);
	if (v != PCI_EP_DMA_MAGIC) {
		DWEDMA_LOG(ERR, "%s: DMA header magic 0x%08x, expected 0x%08x (\"EPDM\")",
			   name, v, PCI_EP_DMA_MAGIC);
		return -EINVAL;
	}
	v = rte_le_to_cpu_16(ntb_bar_read16(&dev->slice,
					    PCI_EP_DMA_HDR_VERSION));
	n = rte_le_to_cpu_16(ntb_bar_read16(&dev->slice,
					    PCI_EP_DMA_HDR_HDR_SIZE));
	if (v != PCI_EP_DMA_VERSION_1 || n != PCI_EP_DMA_HDR_SIZE_V1) {
		DWEDMA_LOG(ERR, "%s: DMA header version %u size %u, expected 1 and %u",
			   name, v, n, PCI_EP_DMA_HDR_SIZE_V1);
		return -EINVAL;
	}
	v = hdr32(&dev->slice, PCI_EP_DMA_HDR_TOTAL_SIZE);
	if (v != loc->size) {
		DWEDMA_LOG(ERR, "%s: DMA header total_size 0x%x differs from the locator's 0x%x",
			   name, v, loc->size);
		return -EINVAL;
	}
	n = hdr32(&dev->slice, PCI_EP_DMA_HDR_NUM_CHANS);
	if (n == 0 || n > PCI_EP_DMA_MAX_CHANS || n > DW_EDMA_V0_MAX_CH) {
		DWEDMA_LOG(ERR, "%s: DMA header num_chans %u out of 1..%u",
			   name, n, PCI_EP_DMA_MAX_CHANS);
		return -EINVAL;
	}
	if (n != RTE_MAX(loc->num_chans, 1u))
		DWEDMA_LOG(WARNING, "%s: locator delegates %u channel(s), header %u: using the header",
			   name, loc->num_chans, n);
	cbar = hdr32(&dev->slice, PCI_EP_DMA_HDR_CTRL_BAR);
	coff = hdr32(&dev->slice, PCI_EP_DMA_HDR_CTRL_OFFSET);
	csz = hdr32(&dev->slice, PCI_EP_DMA_HDR_CTRL_SIZE);
	if (cbar >= 6 || bars[cbar].len == 0 || csz < DW_EDMA_V0_REG_SIZE ||
	    !fits(coff, csz, bars[cbar].len)) {
		DWEDMA_LOG(ERR, "%s: DMA header ctrl BAR%u offset 0x%x size 0x%x: not a DW eDMA v0 register block (0x%x bytes) inside the BAR",
			   name, cbar, coff, csz, DW_EDMA_V0_REG_SIZE);
		return -EINVAL;
	}
	dev->regs = (struct ntb_bar){ .va = bars[cbar].va + coff, .len = csz,
		.bus_addr = bars[cbar].bus_addr + coff,
		.trap = bars[cbar].trap, .trap_ctx = bars[cbar].trap_ctx };
	v = rte_le_to_cpu_32(ntb_bar_read32(&dev->regs, DW_EDMA_V0_CTRL));
	if (((v >> 16) & 0xF) < n) {
		DWEDMA_LOG(ERR, "%s: eDMA ctrl register 0x%08x reports %u READ channel(s), %u delegated",
			   name, v, (v >> 16) & 0xF, n);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		struct dwedma_chan *c = &dev->ch[i];
		size_t e = PCI_EP_DMA_HDR_CHAN(i);
		uint32_t dbar = hdr32(&dev->slice, e + PCI_EP_DMA_CHAN_DESC_BAR);
		uint32_t doff = hdr32(&dev->slice,
				      e + PCI_EP_DMA_CHAN_DESC_OFFSET);
		uint32_t dsz = hdr32(&dev->slice, e + PCI_EP_DMA_CHAN_DESC_SIZE);
		uint64_t phys = rte_le_to_cpu_64(ntb_bar_read64(&dev->slice,
					e + PCI_EP_DMA_CHAN_DESC_PHYS));

		/*
		 * dw-edma-aux: the LL windows lie inside the slice; ours
		 * also 8-byte aligned on both sides (64-bit SAR/DAR stores)
		 */
		if (dbar != loc->bar || doff < loc->offset ||
		    !fits(doff - loc->offset, dsz, loc->size) ||
		    dsz < 3 * DW_EDMA_V0_LL_ELEM_SIZE || phys == 0 ||
		    phys % 8 != 0 || doff % 8 != 0 ||
		    (uintptr_t)(b->va + doff) % 8 != 0) {
			DWEDMA_LOG(ERR, "%s: DMA header chans[%u]: BAR%u offset 0x%x size 0x%x phys 0x%" PRIx64 " is not an 8-byte aligned LL window inside the slice",
				   name, i, dbar, doff, dsz, phys);
			return -EINVAL;
		}
		c->ll = (struct ntb_bar){ .va = b->va + doff, .len = dsz,
			.bus_addr = b->bus_addr + doff, .trap = b->trap,
			.trap_ctx = b->trap_ctx };
		c->ll_phys = phys;
		c->hw_ch = (uint8_t)i;
		c->read = true;
		c->regs_ch = DW_EDMA_V0_RD_CH_BASE(i);
		/*
		 * one element kept for the link, as dw-edma's ll_max; a
		 * larger window than max_desc can use is used in part
		 */
		c->n_slots = RTE_MIN(dsz / DW_EDMA_V0_LL_ELEM_SIZE - 1,
				     (uint32_t)UINT16_MAX);
		c->job_end = rte_zmalloc(NULL, c->n_slots, 0);
		c->job_status = rte_zmalloc(NULL, c->n_slots *
					    sizeof(*c->job_status), 0);
		if (c->job_end == NULL || c->job_status == NULL)
			return -ENOMEM;
	}
	dev->nb_chans = (uint16_t)n;
	return 0;
}
