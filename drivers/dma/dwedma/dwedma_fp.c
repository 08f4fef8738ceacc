/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Data path of dma_dwedma: LL elements written through the BAR, the
 * channel's doorbell, and completions read back from the engine's LLP
 * register (its position in the LL window) and ABORT bits. The RC never
 * touches the payload. Element programming follows dw-edma-v0-core.c
 * (kernel-facts 4.3-4.5): data elements carry the producer cycle bit, a
 * link element (LLP | TCB) closes the window and toggles the cycle; no
 * LIE/RIE, completions are polled.
 */

#include <errno.h>

#include <rte_common.h>
#include <rte_io.h>

#include "dwedma_priv.h"

static inline size_t
elem_off(uint32_t slot)
{
	return (size_t)slot * DW_EDMA_V0_LL_ELEM_SIZE;
}

static uint32_t
ll_free(const struct dwedma_chan *c)
{
	uint64_t used = c->elem_prod - c->elem_hw;
	uint64_t jobs = c->job_prod - c->job_ret;
	uint64_t e = used < c->capacity ? c->capacity - used : 0;
	uint64_t j = jobs < c->capacity ? c->capacity - jobs : 0;

	return (uint32_t)RTE_MIN(e, j);
}

/* Write data element at the producer slot; the control word goes last. */
static void
put_elem(struct dwedma_chan *c, uint64_t src, uint64_t dst, uint32_t len,
	 bool last)
{
	uint32_t slot = c->elem_prod % c->n_slots;
	size_t o = elem_off(slot);

	/* SAR and DAR are 8-byte aligned in the window: one store each */
	ntb_bar_write32(&c->ll, o + 4, rte_cpu_to_le_32(len));
	ntb_bar_write64(&c->ll, o + 8, rte_cpu_to_le_64(src));
	ntb_bar_write64(&c->ll, o + 16, rte_cpu_to_le_64(dst));
	ntb_bar_write32(&c->ll, o, rte_cpu_to_le_32(c->pcs ? DW_EDMA_V0_CB :
						      0));
	c->job_end[slot] = last;
	c->elem_prod++;
	if (slot == c->n_slots - 1) {
		/* close the lap: link back to the start, toggle the cycle */
		o = elem_off(c->n_slots);
		ntb_bar_write32(&c->ll, o + 4, 0);
		ntb_bar_write64(&c->ll, o + 8, rte_cpu_to_le_64(c->ll_phys));
		ntb_bar_write32(&c->ll, o, rte_cpu_to_le_32(DW_EDMA_V0_LLP |
			DW_EDMA_V0_TCB | (c->pcs ? DW_EDMA_V0_CB : 0)));
		c->pcs ^= 1;
	}
}

static int
enqueued(struct dwedma_dev *dev, uint16_t vchan, uint64_t flags)
{
	struct dwedma_chan *c = &dev->ch[vchan];
	uint16_t idx = (uint16_t)c->job_prod++;

	c->stats.submitted++;
	if (flags & RTE_DMA_OP_FLAG_SUBMIT)
		dwedma_submit(dev, vchan);
	return idx;
}

int
dwedma_copy(void *priv, uint16_t vchan, rte_iova_t src, rte_iova_t dst,
	    uint32_t length, uint64_t flags)
{
	struct dwedma_dev *dev = priv;
	struct dwedma_chan *c = &dev->ch[vchan];

	if (unlikely(length == 0))
		return -EINVAL;
	if (ll_free(c) < 1) {
		dwedma_chan_poll(c, &dev->regs);
		if (ll_free(c) < 1)
			return -ENOSPC;
	}
	put_elem(c, src, dst, length, true);
	return enqueued(dev, vchan, flags);
}

/*
 * One op made of as many elements as there are pieces contiguous on both
 * sides (a merge walk over the two lists; the totals must match).
 */
int
dwedma_copy_sg(void *priv, uint16_t vchan, const struct rte_dma_sge *src,
	       const struct rte_dma_sge *dst, uint16_t nb_src, uint16_t nb_dst,
	       uint64_t flags)
{
	struct dwedma_dev *dev = priv;
	struct dwedma_chan *c = &dev->ch[vchan];
	uint64_t ts = 0, td = 0, so = 0, d_o = 0;
	uint32_t need, i = 0, j = 0;

	if (unlikely(nb_src == 0 || nb_dst == 0 || nb_src > DWEDMA_MAX_SGES ||
		     nb_dst > DWEDMA_MAX_SGES))
		return -EINVAL;
	for (i = 0; i < nb_src; i++) {
		if (src[i].length == 0)
			return -EINVAL;
		ts += src[i].length;
	}
	for (j = 0; j < nb_dst; j++) {
		if (dst[j].length == 0)
			return -EINVAL;
		td += dst[j].length;
	}
	if (ts != td)
		return -EINVAL;
	need = nb_src + nb_dst - 1;
	if (ll_free(c) < need) {
		dwedma_chan_poll(c, &dev->regs);
		if (ll_free(c) < need)
			return -ENOSPC;
	}
	i = j = 0;
	while (i < nb_src) {
		uint32_t len = (uint32_t)RTE_MIN(src[i].length - so,
						 dst[j].length - d_o);
		bool last;

		ts -= len;
		last = ts == 0;
		put_elem(c, src[i].addr + so, dst[j].addr + d_o, len, last);
		so += len;
		d_o += len;
		if (so == src[i].length) {
			i++;
			so = 0;
		}
		if (d_o == dst[j].length && j + 1 < nb_dst) {
			j++;
			d_o = 0;
		}
	}
	return enqueued(dev, vchan, flags);
}

int
dwedma_submit(void *priv, uint16_t vchan)
{
	struct dwedma_dev *dev = priv;
	struct dwedma_chan *c = &dev->ch[vchan];
	uint32_t last;

	if (c->elem_sub == c->elem_prod)
		return 0;
	/*
	 * Posted writes to the LL window must land before the doorbell:
	 * read one back (dw_edma_v0_sync_ll_data does the same).
	 */
	last = (uint32_t)((c->elem_prod - 1) % c->n_slots);
	(void)ntb_bar_read32(&c->ll, elem_off(last));
	c->elem_sub = c->elem_prod;
	c->job_sub = c->job_prod;
	ntb_bar_write32(&dev->regs, c->read ? DW_EDMA_V0_RD_DOORBELL :
			DW_EDMA_V0_WR_DOORBELL, c->hw_ch);
	return 0;
}

/* The op whose last element is at elem_hw - 1 is final. */
static void
retire_elem(struct dwedma_chan *c)
{
	uint32_t slot = c->elem_hw % c->n_slots;

	c->elem_hw++;
	if (!c->job_end[slot])
		return;
	c->job_status[c->job_done % c->n_slots] = c->cur_failed ?
		RTE_DMA_STATUS_ERROR_UNKNOWN : RTE_DMA_STATUS_SUCCESSFUL;
	c->job_done++;
	c->cur_failed = false;
}

static uint32_t
reg_rd(const struct ntb_bar *regs, size_t off)
{
	return rte_le_to_cpu_32(ntb_bar_read32(regs, off));
}

/*
 * Elements the engine consumed since elem_hw, from its LLP; UINT32_MAX
 * when the value is not a position between elem_hw and elem_sub (the
 * engine is the peer's: never trusted).
 */
static uint32_t
hw_progress(struct dwedma_chan *c, const struct ntb_bar *regs)
{
	uint64_t llp = (uint64_t)reg_rd(regs, c->regs_ch +
					DW_EDMA_V0_CH_LLP_HI) << 32 |
		reg_rd(regs, c->regs_ch + DW_EDMA_V0_CH_LLP_LO);
	uint64_t rel = llp - c->ll_phys;
	uint32_t pos, cons, delta;

	if (llp < c->ll_phys || rel % DW_EDMA_V0_LL_ELEM_SIZE != 0 ||
	    rel / DW_EDMA_V0_LL_ELEM_SIZE > c->n_slots) {
		c->bad_llp++;
		return UINT32_MAX;
	}
	pos = (uint32_t)(rel / DW_EDMA_V0_LL_ELEM_SIZE);
	if (pos == c->n_slots)
		pos = 0;	/* at the link element: the next lap's start */
	cons = c->elem_hw % c->n_slots;
	delta = (pos + c->n_slots - cons) % c->n_slots;
	if (delta > c->elem_sub - c->elem_hw) {
		c->bad_llp++;
		return UINT32_MAX;
	}
	return delta;
}

static void
set_llp(struct dwedma_chan *c, const struct ntb_bar *regs, uint64_t at)
{
	ntb_bar_write32(regs, c->regs_ch + DW_EDMA_V0_CH_LLP_LO,
			rte_cpu_to_le_32((uint32_t)at));
	ntb_bar_write32(regs, c->regs_ch + DW_EDMA_V0_CH_LLP_HI,
			rte_cpu_to_le_32(at >> 32));
}

/*
 * Retire what the engine finished. An ABORT halts the channel on the
 * failing element (LLP): read the status first, so that the LLP read
 * after it is where the engine stopped. The failing op gets an error
 * status, its remaining elements are skipped, and the channel resumes
 * at the next op (through the link element when the op ended a lap).
 */
void
dwedma_chan_poll(struct dwedma_chan *c, const struct ntb_bar *regs)
{
	uint32_t abort_bit = DW_EDMA_V0_INT_ABORT(c->hw_ch);
	size_t st = c->read ? DW_EDMA_V0_RD_INT_STATUS :
		DW_EDMA_V0_WR_INT_STATUS;
	size_t clr = c->read ? DW_EDMA_V0_RD_INT_CLEAR :
		DW_EDMA_V0_WR_INT_CLEAR;
	uint32_t n, k, slot;
	bool aborted;

	if (c->elem_hw == c->elem_sub)
		return;
	aborted = (reg_rd(regs, st) & abort_bit) != 0;
	n = hw_progress(c, regs);
	for (k = 0; n != UINT32_MAX && k < n; k++)
		retire_elem(c);
	if (!aborted)
		return;
	c->aborts++;
	if (n == UINT32_MAX) {
		/* no trustworthy position: resume where we know we are */
		slot = c->elem_hw % c->n_slots;
		set_llp(c, regs, c->ll_phys + elem_off(slot));
	} else if (c->elem_hw < c->elem_sub) {
		/* the element at elem_hw failed: fail its op, skip the rest */
		c->cur_failed = true;
		do {
			slot = c->elem_hw % c->n_slots;
			retire_elem(c);
		} while (!c->job_end[slot] && c->elem_hw < c->elem_sub);
		set_llp(c, regs, c->ll_phys + elem_off(slot + 1));
	}
	ntb_bar_write32(regs, clr, rte_cpu_to_le_32(abort_bit));
	if (c->elem_hw < c->elem_sub)
		ntb_bar_write32(regs, c->read ? DW_EDMA_V0_RD_DOORBELL :
				DW_EDMA_V0_WR_DOORBELL, c->hw_ch);
}

uint16_t
dwedma_completed(void *priv, uint16_t vchan, uint16_t nb_cpls,
		 uint16_t *last_idx, bool *has_error)
{
	struct dwedma_dev *dev = priv;
	struct dwedma_chan *c = &dev->ch[vchan];
	uint16_t n = 0;

	dwedma_chan_poll(c, &dev->regs);
	*has_error = false;
	while (n < nb_cpls && c->job_ret < c->job_done) {
		if (c->job_status[c->job_ret % c->n_slots] !=
		    RTE_DMA_STATUS_SUCCESSFUL) {
			*has_error = true;
			break;
		}
		c->job_ret++;
		n++;
	}
	c->stats.completed += n;
	*last_idx = (uint16_t)(c->job_ret - 1);
	return n;
}

uint16_t
dwedma_completed_status(void *priv, uint16_t vchan, uint16_t nb_cpls,
			uint16_t *last_idx, enum rte_dma_status_code *status)
{
	struct dwedma_dev *dev = priv;
	struct dwedma_chan *c = &dev->ch[vchan];
	uint16_t n = 0;

	dwedma_chan_poll(c, &dev->regs);
	while (n < nb_cpls && c->job_ret < c->job_done) {
		status[n] = c->job_status[c->job_ret % c->n_slots];
		/* as dmadev_autotest expects: errors are completions too */
		if (status[n] != RTE_DMA_STATUS_SUCCESSFUL)
			c->stats.errors++;
		c->stats.completed++;
		c->job_ret++;
		n++;
	}
	*last_idx = (uint16_t)(c->job_ret - 1);
	return n;
}

uint16_t
dwedma_burst_capacity(const void *priv, uint16_t vchan)
{
	const struct dwedma_dev *dev = priv;

	return (uint16_t)RTE_MIN(ll_free(&dev->ch[vchan]), (uint32_t)UINT16_MAX);
}

/* (Re)start a channel on an empty LL window, as dw_edma_v0_core_start. */
int
dwedma_chan_start(struct dwedma_chan *c, const struct ntb_bar *regs)
{
	size_t en = c->read ? DW_EDMA_V0_RD_ENGINE_EN : DW_EDMA_V0_WR_ENGINE_EN;
	size_t lle = c->read ? DW_EDMA_V0_RD_LL_ERR_EN : DW_EDMA_V0_WR_LL_ERR_EN;
	uint32_t i;

	for (i = 0; i <= c->n_slots; i++)
		ntb_bar_write32(&c->ll, elem_off(i), 0);
	c->elem_prod = c->elem_sub = c->elem_hw = 0;
	c->job_prod = c->job_sub = c->job_done = c->job_ret = 0;
	c->cur_failed = false;
	c->pcs = 1;
	ntb_bar_write32(regs, en, rte_cpu_to_le_32(1));
	ntb_bar_write32(regs, lle, rte_cpu_to_le_32(reg_rd(regs, lle) |
						   RTE_BIT32(c->hw_ch)));
	ntb_bar_write32(regs, c->read ? DW_EDMA_V0_RD_INT_CLEAR :
			DW_EDMA_V0_WR_INT_CLEAR,
			rte_cpu_to_le_32(DW_EDMA_V0_INT_DONE(c->hw_ch) |
					 DW_EDMA_V0_INT_ABORT(c->hw_ch)));
	ntb_bar_write32(regs, c->regs_ch + DW_EDMA_V0_CH_CONTROL1,
			rte_cpu_to_le_32(DW_EDMA_V0_CCS | DW_EDMA_V0_LLE));
	set_llp(c, regs, c->ll_phys);
	return 0;
}
