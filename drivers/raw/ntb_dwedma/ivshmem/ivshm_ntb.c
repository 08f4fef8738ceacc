/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The platform's struct ntb_dev: every op is the RC's (vntb_rc, what a
 * board runs); the platform adds what a board's hardware does by itself:
 *  - mw_set_trans: after CONFIGURE_MW succeeded, the EP's outbound
 *    window is mapped over the receive buffer (ivshm_ob.c);
 *  - mw_clear_trans: the buffer gets its memory back before TEARDOWN_MW;
 *  - spad_read: the EP's ntb_transport moves its MW BAR before it
 *    publishes its scratchpads, so after each read the BAR mappings are
 *    brought up to date: a value read is never newer than the BARs.
 * vntb/ knows nothing of this.
 */

#include <errno.h>
#include <inttypes.h>

#include "ivshm.h"
#include "ntb_dwedma_log.h"

static inline struct ivshm_ntb *
ivshm_ntb_of(struct ntb_dev *nd)
{
	return nd->priv;
}

static int
ivshm_link_enable(struct ntb_dev *nd)
{
	struct ntb_dev *in = ivshm_ntb_of(nd)->inner;

	return in->ops->link_enable(in);
}

static int
ivshm_link_disable(struct ntb_dev *nd)
{
	struct ntb_dev *in = ivshm_ntb_of(nd)->inner;

	return in->ops->link_disable(in);
}

static bool
ivshm_link_is_up(struct ntb_dev *nd)
{
	struct ntb_dev *in = ivshm_ntb_of(nd)->inner;

	return in->ops->link_is_up(in);
}

static int
ivshm_mw_get_align(struct ntb_dev *nd, unsigned int idx, uint64_t *addr_align,
		   uint64_t *size_max)
{
	struct ntb_dev *in = ivshm_ntb_of(nd)->inner;

	return in->ops->mw_get_align(in, idx, addr_align, size_max);
}

static int
ivshm_mw_set_trans(struct ntb_dev *nd, unsigned int idx, rte_iova_t addr,
		   uint64_t size)
{
	struct ivshm_ntb *w = ivshm_ntb_of(nd);
	struct ntb_dev *in = w->inner;
	int ret;

	if (addr % w->s->page_sz != 0 || size % w->s->page_sz != 0) {
		NTB_LOG(ERR, "%s: MW%u receive buffer %#" PRIx64 " (+%#" PRIx64 ") is not page aligned: the EP's window cannot be mapped over it",
			nd->name, idx + 1, (uint64_t)addr, size);
		return -EINVAL;
	}
	ret = in->ops->mw_set_trans(in, idx, addr, size);
	if (ret != 0)
		return ret;
	ret = ivshm_ob_attach(w->s, idx, addr, size);
	if (ret != 0)
		in->ops->mw_clear_trans(in, idx);
	return ret;
}

static int
ivshm_mw_clear_trans(struct ntb_dev *nd, unsigned int idx)
{
	struct ivshm_ntb *w = ivshm_ntb_of(nd);

	ivshm_ob_detach(w->s, idx);
	return w->inner->ops->mw_clear_trans(w->inner, idx);
}

static int
ivshm_peer_mw_get_bar(struct ntb_dev *nd, unsigned int idx,
		      struct ntb_bar *win)
{
	struct ntb_dev *in = ivshm_ntb_of(nd)->inner;

	return in->ops->peer_mw_get_bar(in, idx, win);
}

static uint32_t
ivshm_spad_read(struct ntb_dev *nd, unsigned int idx)
{
	struct ivshm_ntb *w = ivshm_ntb_of(nd);
	uint32_t v = w->inner->ops->spad_read(w->inner, idx);

	ivshm_sync(w->s);
	return v;
}

static int
ivshm_spad_write(struct ntb_dev *nd, unsigned int idx, uint32_t v)
{
	struct ntb_dev *in = ivshm_ntb_of(nd)->inner;

	return in->ops->spad_write(in, idx, v);
}

static uint32_t
ivshm_peer_spad_read(struct ntb_dev *nd, unsigned int idx)
{
	struct ntb_dev *in = ivshm_ntb_of(nd)->inner;

	return in->ops->peer_spad_read(in, idx);
}

static int
ivshm_peer_spad_write(struct ntb_dev *nd, unsigned int idx, uint32_t v)
{
	struct ntb_dev *in = ivshm_ntb_of(nd)->inner;

	return in->ops->peer_spad_write(in, idx, v);
}

static int
ivshm_peer_db_set(struct ntb_dev *nd, uint64_t bits)
{
	struct ntb_dev *in = ivshm_ntb_of(nd)->inner;

	return in->ops->peer_db_set(in, bits);
}

static uint64_t
ivshm_db_read(struct ntb_dev *nd)
{
	struct ntb_dev *in = ivshm_ntb_of(nd)->inner;

	return in->ops->db_read(in);
}

static void
ivshm_db_clear(struct ntb_dev *nd, uint64_t bits)
{
	struct ntb_dev *in = ivshm_ntb_of(nd)->inner;

	in->ops->db_clear(in, bits);
}

static bool
ivshm_ctrl_tick(struct ntb_dev *nd)
{
	return ntb_dev_ctrl_tick(ivshm_ntb_of(nd)->inner);
}

static void
ivshm_liveness_stats(struct ntb_dev *nd, uint64_t *answered, uint64_t *missed)
{
	ntb_dev_liveness_stats(ivshm_ntb_of(nd)->inner, answered, missed);
}

static void
ivshm_set_closing(struct ntb_dev *nd, bool closing)
{
	ntb_dev_set_closing(ivshm_ntb_of(nd)->inner, closing);
}

static int
ivshm_dma_locator(struct ntb_dev *nd, struct ntb_dma_locator *loc)
{
	return ntb_dev_dma_locator(ivshm_ntb_of(nd)->inner, loc);
}

static const struct ntb_dev_ops ivshm_ntb_ops = {
	.link_enable = ivshm_link_enable,
	.link_disable = ivshm_link_disable,
	.link_is_up = ivshm_link_is_up,
	.mw_get_align = ivshm_mw_get_align,
	.mw_set_trans = ivshm_mw_set_trans,
	.mw_clear_trans = ivshm_mw_clear_trans,
	.peer_mw_get_bar = ivshm_peer_mw_get_bar,
	.spad_read = ivshm_spad_read,
	.spad_write = ivshm_spad_write,
	.peer_spad_read = ivshm_peer_spad_read,
	.peer_spad_write = ivshm_peer_spad_write,
	.peer_db_set = ivshm_peer_db_set,
	.db_read = ivshm_db_read,
	.db_clear = ivshm_db_clear,
	.set_closing = ivshm_set_closing,
	.dma_locator = ivshm_dma_locator,
	.ctrl_tick = ivshm_ctrl_tick,
	.liveness_stats = ivshm_liveness_stats,
};

struct ntb_dev *
ivshm_ntb_wrap(struct ivshm_ntb *w, struct ntb_dev *inner, struct ivshm *s)
{
	w->nd = *inner;		/* counts, masks, fds */
	w->nd.ops = &ivshm_ntb_ops;
	w->nd.priv = w;
	w->inner = inner;
	w->s = s;
	return &w->nd;
}
