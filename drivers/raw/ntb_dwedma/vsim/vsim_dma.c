/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Exported DMA of the emulated EP, as the Mar-2026 "PCI: endpoint: Remote
 * DMA support via vNTB" series has it: the ctrl v1 DMA locator
 * (vntb_ctrl.h) points at a slice in dma_bar holding the ABI v1 header
 * (pci_ep_dma_abi.h), the DW eDMA register block and one LL window per
 * delegated READ channel. The RC drives those channels through the BAR.
 * A doorbell it writes there is posted like one written through the
 * interrupt window (vsim_rc.c, dw_edma_model_remote_write) and run by the
 * EP's engine thread (vsim_ep_engine.c): the payload bytes are moved by the EP,
 * never by the RC's CPU, as on hardware.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_io.h>
#include <rte_memzone.h>

#include "ntb_dwedma_log.h"
#include "pci_ep_dma_abi.h"
#include "vntb_ctrl.h"
#include "vsim_priv.h"

static void
put32(uint8_t *base, size_t off, uint32_t v)
{
	rte_write32(rte_cpu_to_le_32(v), base + off);
}

/*
 * Delegated channels interrupt the RC, not the EP: the Mar-2026 series
 * masks their local DONE/ABORT (per-channel irq routing), so the EP's own
 * handler leaves their status to the RC.
 */
static void
mask_delegated(struct vsim *vs)
{
	uint32_t bits = RTE_LEN2MASK(vs->p.dma_num_chans, uint32_t);

	rte_write32(rte_cpu_to_le_32(bits | bits << 16),
		    vs->epc.edma_regs + DW_EDMA_V0_RD_INT_MASK);
}

/*
 * Locator in the ctrl region, header, zeroed LL windows; the delegated
 * channels masked. After the model's reset (which clears the mask).
 */
int
vsim_dma_ep_init(struct vsim *vs)
{
	const struct vsim_params *p = &vs->p;
	char name[RTE_MEMZONE_NAMESIZE];
	uint32_t slice = (uint32_t)p->dma_offset;
	uint8_t *h, *ctrl = vs->epc.ctrl;
	unsigned int i;

	if (p->dma_num_chans == 0) {
		if (p->spad_offset >= VNTB_CTRL_V1_DMA_SIZE)
			put32(ctrl, VNTB_CTRL_DMA_BAR, VNTB_DMA_NO_BAR);
		return 0;
	}
	snprintf(name, sizeof(name), "%s_dma", vs->name);
	vs->epc.dma_mz = rte_memzone_reserve_aligned(name, VSIM_DMA_HDR_SIZE +
		p->dma_num_chans * VSIM_DMA_LL_SIZE, SOCKET_ID_ANY,
		RTE_MEMZONE_IOVA_CONTIG, VSIM_PAGE_SIZE);
	if (vs->epc.dma_mz == NULL) {
		NTB_LOG(ERR, "%s: cannot reserve the DMA slice memory",
			vs->name);
		return -ENOMEM;
	}
	memset(vs->epc.dma_mz->addr, 0, vs->epc.dma_mz->len);

	put32(ctrl, VNTB_CTRL_DMA_ABI, VNTB_DMA_ABI_V1);
	put32(ctrl, VNTB_CTRL_DMA_BAR, (uint32_t)p->dma_bar);
	put32(ctrl, VNTB_CTRL_DMA_OFFSET, slice);
	put32(ctrl, VNTB_CTRL_DMA_SIZE, (uint32_t)p->dma_size);
	put32(ctrl, VNTB_CTRL_DMA_NUM_CHANS, p->dma_num_chans);

	h = vs->epc.dma_mz->addr;
	put32(h, PCI_EP_DMA_HDR_MAGIC, PCI_EP_DMA_MAGIC);
	rte_write16(rte_cpu_to_le_16(PCI_EP_DMA_VERSION_1),
		    h + PCI_EP_DMA_HDR_VERSION);
	rte_write16(rte_cpu_to_le_16(PCI_EP_DMA_HDR_SIZE_V1),
		    h + PCI_EP_DMA_HDR_HDR_SIZE);
	put32(h, PCI_EP_DMA_HDR_TOTAL_SIZE, (uint32_t)p->dma_size);
	put32(h, PCI_EP_DMA_HDR_CTRL_BAR, (uint32_t)p->dma_bar);
	put32(h, PCI_EP_DMA_HDR_CTRL_OFFSET, slice + VSIM_DMA_HDR_SIZE);
	put32(h, PCI_EP_DMA_HDR_CTRL_SIZE, DW_EDMA_V0_REG_SIZE);
	put32(h, PCI_EP_DMA_HDR_IRQ_COUNT, p->dma_num_chans);
	put32(h, PCI_EP_DMA_HDR_NUM_CHANS, p->dma_num_chans);
	for (i = 0; i < p->dma_num_chans; i++) {
		size_t c = PCI_EP_DMA_HDR_CHAN(i);
		uint64_t phys = vs->epc.dma_mz->iova + VSIM_DMA_HDR_SIZE +
			(uint64_t)i * VSIM_DMA_LL_SIZE;

		put32(h, c + PCI_EP_DMA_CHAN_DESC_BAR, (uint32_t)p->dma_bar);
		put32(h, c + PCI_EP_DMA_CHAN_DESC_OFFSET, slice +
		      VSIM_DMA_HDR_SIZE + VSIM_DMA_REGS_SIZE +
		      i * VSIM_DMA_LL_SIZE);
		put32(h, c + PCI_EP_DMA_CHAN_DESC_SIZE, VSIM_DMA_LL_SIZE);
		rte_write64(rte_cpu_to_le_64(phys),
			    h + c + PCI_EP_DMA_CHAN_DESC_PHYS);
	}
	mask_delegated(vs);
	NTB_LOG(INFO, "%s: exports %u eDMA READ channel(s) in BAR%d at 0x%" PRIx64 " (0x%" PRIx64 " bytes)",
		vs->name, p->dma_num_chans, p->dma_bar, p->dma_offset,
		p->dma_size);
	return 0;
}

static void
add_dma_win(struct vsim *vs, unsigned int idx, uint64_t off, uint64_t size,
	    uint64_t target)
{
	struct vsim_win *w = &vs->wins[vs->nb_wins++];

	*w = (struct vsim_win){ .kind = VSIM_WIN_DMA, .bar = vs->p.dma_bar,
		.idx = idx, .offset = off, .size = size, .target = target,
		.target_size = size };
}

void
vsim_dma_ep_add_windows(struct vsim *vs)
{
	const struct vsim_params *p = &vs->p;
	uint64_t off = p->dma_offset;

	if (p->dma_num_chans == 0 || vs->epc.dma_mz == NULL ||
	    vs->nb_wins + 3 > VSIM_PROTO_MAX_WINS)
		return;
	add_dma_win(vs, 0, off, VSIM_DMA_HDR_SIZE, vs->epc.dma_mz->iova);
	add_dma_win(vs, 1, off + VSIM_DMA_HDR_SIZE, VSIM_DMA_REGS_SIZE,
		    vs->ep.edma_iova);
	add_dma_win(vs, 2, off + VSIM_DMA_HDR_SIZE + VSIM_DMA_REGS_SIZE,
		    (uint64_t)p->dma_num_chans * VSIM_DMA_LL_SIZE,
		    vs->epc.dma_mz->iova + VSIM_DMA_HDR_SIZE);
}

void
vsim_dma_ep_fini(struct vsim *vs)
{
	rte_memzone_free(vs->epc.dma_mz);
	vs->epc.dma_mz = NULL;
}
