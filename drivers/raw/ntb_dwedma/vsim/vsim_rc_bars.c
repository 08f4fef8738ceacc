/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The RC's view of the EP's BARs, what VFIO gives the RC-side vNTB code
 * on hardware: each BAR is a reserved VA range; each window is mapped at
 * its offset onto the EP memory the hardware would reach (ctrl region,
 * doorbell page, the EP's inbound translation of a MW, the eDMA register
 * page). Traps on the DB and MW BARs do what the hardware does on writes
 * with side effects.
 */

#include <errno.h>
#include <string.h>

#include "ntb_dwedma_log.h"
#include "vntb_ctrl.h"
#include "vsim_priv.h"

static bool
trap_window(struct vsim *vs, const struct vsim_win *w, uint8_t *a,
	    uint64_t woff, uint64_t val, unsigned int width)
{
	uint64_t t;

	if (w->kind == VSIM_WIN_DB) {
		uint64_t slot = woff / vs->ep.db_entry_size;

		if (width != 4 || woff % vs->ep.db_entry_size != 0 ||
		    slot >= vs->ep.db_count)
			return false;
		/* the slot holds the value for the EP's polling ... */
		rte_write32((uint32_t)val, a);
		/* ... and the EP learns of it at once, as if trapped */
		vsim_eventfd_signal(vs->ep.slot_fds[slot]);
		return true;
	}
	/* an MW (the interrupt window) or a part of the exported DMA slice */
	if ((w->kind != VSIM_WIN_MW && w->kind != VSIM_WIN_DMA) ||
	    woff >= w->target_size)
		return false;
	t = w->target + woff;
	/*
	 * The eDMA page: interrupt emulation acts here; a doorbell wakes
	 * the EP's engine, which runs the transfer in the EP process (the
	 * EP, or the RC's dmadev, programmed it), never in this thread.
	 */
	if (t >= vs->ep.edma_iova && t < vs->ep.edma_iova + DW_EDMA_V0_REG_SIZE) {
		bool kick, done;

		done = dw_edma_model_remote_write(&vs->edma,
						  t - vs->ep.edma_iova, val,
						  width, &kick);
		if (kick)
			vsim_eventfd_signal(vs->ep.engine_fd);
		return done;
	}
	if (t >= vs->ep.msi_iova && t < vs->ep.msi_iova + VSIM_PAGE_SIZE) {
		uint64_t v = (t - vs->ep.msi_iova) / 4;

		if (width != 4 || t % 4 != 0 || v >= vs->ep.nb_msi ||
		    val != v)
			return false;
		vsim_eventfd_signal(vs->ep.msi_fds[v]);
		return true;
	}
	return false;
}

static bool
rc_trap(const struct ntb_bar *bar, size_t off, uint64_t val,
	unsigned int width)
{
	struct vsim *vs = bar->trap_ctx;
	uint8_t *a = bar->va + off;
	bool done = false;
	unsigned int b, i;

	rte_rwlock_read_lock(&vs->peer_lock);
	for (b = 0; b < VNTB_PCI_BARS; b++)
		if (vs->bars.va[b] != NULL && a >= vs->bars.va[b] &&
		    a < vs->bars.va[b] + vs->bars.map_len[b])
			break;
	if (b < VNTB_PCI_BARS && vsim_state(vs) == VSIM_LINK_CONNECTED) {
		uint64_t boff = a - vs->bars.va[b];

		for (i = 0; i < vs->nb_wins; i++) {
			const struct vsim_win *w = &vs->wins[i];

			if (w->bar == b && boff >= w->offset &&
			    boff - w->offset < w->size) {
				done = trap_window(vs, w, a, boff - w->offset,
						   val, width);
				break;
			}
		}
	}
	rte_rwlock_read_unlock(&vs->peer_lock);
	return done;
}

int
vsim_rc_bars_map_window(struct vsim *vs, const struct vsim_win *w)
{
	uint8_t *va = vs->bars.va[w->bar] + w->offset;
	size_t len = w->kind == VSIM_WIN_DB ?
		RTE_ALIGN_CEIL(w->size, VSIM_PAGE_SIZE) : w->size;

	return vsim_va_map_iova(&vs->peer, va, len, w->target,
				w->target_size);
}

/* Peer gone: every BAR becomes staging memory; nothing faults. */
void
vsim_rc_bars_unmap(struct vsim *vs)
{
	unsigned int b;

	for (b = 0; b < VNTB_PCI_BARS; b++)
		if (vs->bars.va[b] != NULL)
			vsim_va_map(vs->bars.va[b], vs->bars.map_len[b], -1, 0);
}

int
vsim_rc_bars_reserve(struct vsim *vs, const struct vsim_msg_ep_hello *h)
{
	unsigned int b, i;

	for (b = 0; b < VNTB_PCI_BARS; b++) {
		bool trapped = false;

		if (h->bar_len[b] == 0 || vs->bars.va[b] != NULL)
			continue;
		vs->bars.map_len[b] = RTE_ALIGN_CEIL(h->bar_len[b],
						    VSIM_PAGE_SIZE);
		vs->bars.va[b] = vsim_va_reserve(vs->bars.map_len[b]);
		if (vs->bars.va[b] == NULL)
			return -ENOMEM;
		for (i = 0; i < h->nb_wins; i++)
			if (h->wins[i].bar == b &&
			    h->wins[i].kind != VSIM_WIN_CTRL)
				trapped = true;
		vs->rc.bars[b] = (struct ntb_bar){
			.va = vs->bars.va[b], .len = h->bar_len[b],
			.bus_addr = VSIM_BUS_BASE + ((uint64_t)b << 32),
			.trap = trapped ? rc_trap : NULL, .trap_ctx = vs,
		};
	}
	return 0;
}

/*
 * No EP yet: the BARs its params describe, as staging memory, with the
 * ctrl region the EP of these params will show (the RC code reads its
 * layout from it and waits, link down, for the EP to answer). The first
 * connect maps the EP's windows into these BARs (their sizes must match).
 */
int
vsim_rc_bars_staging(struct vsim *vs)
{
	const struct vsim_params *p = &vs->p;
	struct vntb_ep_config layout;
	unsigned int b, i;

	for (b = 0; b < VNTB_PCI_BARS; b++) {
		bool trapped = (int)b == p->db_bar;

		if (p->bar_len[b] == 0)
			continue;
		for (i = 0; i < p->num_mws; i++)
			if (p->mw_bar[i] == (int)b)
				trapped = true;
		vs->bars.map_len[b] = RTE_ALIGN_CEIL(p->bar_len[b],
						    VSIM_PAGE_SIZE);
		vs->bars.va[b] = vsim_va_reserve(vs->bars.map_len[b]);
		if (vs->bars.va[b] == NULL ||
		    vsim_va_map(vs->bars.va[b], vs->bars.map_len[b], -1, 0) < 0)
			return -ENOMEM;
		vs->rc.bars[b] = (struct ntb_bar){
			.va = vs->bars.va[b], .len = p->bar_len[b],
			.bus_addr = VSIM_BUS_BASE + ((uint64_t)b << 32),
			.trap = trapped ? rc_trap : NULL, .trap_ctx = vs,
		};
	}
	if (p->bar_len[p->ctrl_bar] < VNTB_CTRL_V1_SIZE)
		return -EINVAL;
	vsim_params_ep_layout(p, &layout);
	vntb_ep_ctrl_image(&layout, vs->bars.va[p->ctrl_bar]);
	vs->rc.vendor_id = p->platform->vendor_id;
	vs->rc.device_id = p->platform->device_id;
	vs->rc.platform = vsim_rc_platform(vs, vs->rc.vendor_id,
					   vs->rc.device_id, NULL);
	if (vs->rc.platform == NULL)
		return -EINVAL;
	NTB_LOG(NOTICE, "%s: no EP answers at %s yet: waiting for it, link down",
		vs->name, p->link);
	return 0;
}
