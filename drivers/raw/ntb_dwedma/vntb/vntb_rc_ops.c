/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * struct ntb_dev_ops of the RC: ntb_hw_epf's operations over the checked
 * layout in struct vntb_rc. Spad/doorbell errors are caller bugs and are
 * logged like ntb_hw_epf does; the doorbell path does not log otherwise.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <unistd.h>

#include <rte_bitops.h>

#include "ntb_dwedma_log.h"
#include "vntb_rc_internal.h"

static inline struct vntb_rc *
vntb_rc_of(struct ntb_dev *nd)
{
	return nd->priv;
}

/*
 * No EP (not there yet, or gone): the link stays down and LINK_UP goes
 * to the EP when it answers (the platform's reconnect sends it after
 * vntb_rc_reinit), so starting the device does not fail meanwhile.
 */
static int
vntb_rc_link_enable(struct ntb_dev *nd)
{
	struct vntb_rc *rc = vntb_rc_of(nd);
	int ret;

	rc->link_wanted = true;
	ret = vntb_rc_send_command(rc, VNTB_CMD_LINK_UP, 0);
	/* an EP that does not answer yet gets LINK_UP when it does */
	if (ret == -ETIMEDOUT && rc->wait_ep)
		ret = 0;
	return ret == -ENOTCONN ? 0 : ret;
}

static int
vntb_rc_link_disable(struct ntb_dev *nd)
{
	struct vntb_rc *rc = vntb_rc_of(nd);

	rc->link_wanted = false;
	return vntb_rc_send_command(rc, VNTB_CMD_LINK_DOWN, 0);
}

static bool
vntb_rc_link_is_up(struct ntb_dev *nd)
{
	struct vntb_rc *rc = vntb_rc_of(nd);

	if (__atomic_load_n(&rc->peer_gone, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&rc->unresponsive, __ATOMIC_ACQUIRE))
		return false;
	return (ntb_bar_read16(rc->ctrl, VNTB_CTRL_LINK_STATUS) &
		VNTB_LINK_STATUS_UP) != 0;
}

static const struct vntb_rc_mw *
vntb_rc_mw_checked(struct vntb_rc *rc, unsigned int idx)
{
	if (idx >= rc->num_mws) {
		NTB_LOG(ERR, "%s: memory window index %u, EP has %u",
			rc->name, idx, rc->num_mws);
		return NULL;
	}
	return &rc->mw[idx];
}

static int
vntb_rc_mw_get_align(struct ntb_dev *nd, unsigned int idx,
		     uint64_t *addr_align, uint64_t *size_max)
{
	const struct vntb_rc_mw *mw = vntb_rc_mw_checked(vntb_rc_of(nd), idx);

	if (mw == NULL)
		return -EINVAL;
	if (addr_align != NULL)
		*addr_align = VNTB_MW_ALIGN;
	if (size_max != NULL)
		*size_max = mw->size;
	return 0;
}

static int
vntb_rc_mw_set_trans(struct ntb_dev *nd, unsigned int idx, rte_iova_t addr,
		     uint64_t size)
{
	struct vntb_rc *rc = vntb_rc_of(nd);
	const struct vntb_rc_mw *mw = vntb_rc_mw_checked(rc, idx);
	const struct ntb_bar *ctrl = rc->ctrl;

	if (mw == NULL)
		return -EINVAL;
	if (size == 0 || size > mw->size) {
		NTB_LOG(ERR, "%s: MW%u translation size %#" PRIx64 " must be 1..%#" PRIx64,
			rc->name, idx + 1, size, mw->size);
		return -EINVAL;
	}
	if (addr % VNTB_MW_ALIGN != 0) {
		NTB_LOG(ERR, "%s: MW%u translation address %#" PRIx64 " is not %u-byte aligned",
			rc->name, idx + 1, (uint64_t)addr, VNTB_MW_ALIGN);
		return -EINVAL;
	}
	/*
	 * addr/size are not covered by cmd_lock in ntb_hw_epf either; the
	 * transport sets windows from one thread.
	 */
	ntb_bar_write32(ctrl, VNTB_CTRL_ADDR_LO, (uint32_t)addr);
	ntb_bar_write32(ctrl, VNTB_CTRL_ADDR_HI, (uint32_t)(addr >> 32));
	ntb_bar_write32(ctrl, VNTB_CTRL_SIZE_LO, (uint32_t)size);
	ntb_bar_write32(ctrl, VNTB_CTRL_SIZE_HI, (uint32_t)(size >> 32));
	/* ntb_hw_epf ignores the answer; we report it (data would not flow) */
	return vntb_rc_send_command(rc, VNTB_CMD_CONFIGURE_MW, idx);
}

static int
vntb_rc_mw_clear_trans(struct ntb_dev *nd, unsigned int idx)
{
	struct vntb_rc *rc = vntb_rc_of(nd);

	if (vntb_rc_mw_checked(rc, idx) == NULL)
		return -EINVAL;
	return vntb_rc_send_command(rc, VNTB_CMD_TEARDOWN_MW, idx);
}

static int
vntb_rc_peer_mw_get_bar(struct ntb_dev *nd, unsigned int idx,
			struct ntb_bar *win)
{
	struct vntb_rc *rc = vntb_rc_of(nd);
	const struct vntb_rc_mw *mw = vntb_rc_mw_checked(rc, idx);
	const struct ntb_bar *bar;

	if (mw == NULL || win == NULL)
		return -EINVAL;
	bar = &rc->bars[mw->bar];
	/* the BAR's trap comes along: it locates writes from win->va */
	*win = *bar;
	win->va = bar->va + mw->offset;
	win->len = (size_t)mw->size;
	win->bus_addr = bar->bus_addr != 0 ? bar->bus_addr + mw->offset : 0;
	return 0;
}

static bool
vntb_rc_spad_idx_ok(struct vntb_rc *rc, unsigned int idx, const char *what)
{
	if (idx < rc->spad_count)
		return true;
	NTB_LOG(ERR, "%s: %s scratchpad index %u, spad_count is %u",
		rc->name, what, idx, rc->spad_count);
	return false;
}

static uint32_t
vntb_rc_spad_read(struct ntb_dev *nd, unsigned int idx)
{
	struct vntb_rc *rc = vntb_rc_of(nd);

	if (!vntb_rc_spad_idx_ok(rc, idx, "own"))
		return 0;
	return ntb_bar_read32(rc->ctrl, rc->spad_offset + 4 * (size_t)idx);
}

static int
vntb_rc_spad_write(struct ntb_dev *nd, unsigned int idx, uint32_t v)
{
	struct vntb_rc *rc = vntb_rc_of(nd);

	if (!vntb_rc_spad_idx_ok(rc, idx, "own"))
		return -EINVAL;
	ntb_bar_write32(rc->ctrl, rc->spad_offset + 4 * (size_t)idx, v);
	return 0;
}

static uint32_t
vntb_rc_peer_spad_read(struct ntb_dev *nd, unsigned int idx)
{
	struct vntb_rc *rc = vntb_rc_of(nd);

	if (!vntb_rc_spad_idx_ok(rc, idx, "peer"))
		return 0;
	return ntb_bar_read32(&rc->peer_spad, 4 * (size_t)idx);
}

static int
vntb_rc_peer_spad_write(struct ntb_dev *nd, unsigned int idx, uint32_t v)
{
	struct vntb_rc *rc = vntb_rc_of(nd);

	if (!vntb_rc_spad_idx_ok(rc, idx, "peer"))
		return -EINVAL;
	ntb_bar_write32(&rc->peer_spad, 4 * (size_t)idx, v);
	return 0;
}

/*
 * Like ntb_hw_epf: only the lowest set bit is rung per call, at slot
 * k + 2 (the legacy offset both kernels keep).
 */
static int
vntb_rc_peer_db_set(struct ntb_dev *nd, uint64_t bits)
{
	struct vntb_rc *rc = vntb_rc_of(nd);
	unsigned int k, n;

	if (unlikely(bits == 0 ||
		     (unsigned int)__builtin_ctzll(bits) >= nd->db_count)) {
		NTB_LOG(ERR, "%s: doorbell bits %#" PRIx64 " outside the %u usable doorbells",
			rc->name, bits, nd->db_count);
		return -EINVAL;
	}
	k = (unsigned int)__builtin_ctzll(bits);
	n = k + VNTB_DB_SLOT_OFFSET;
	ntb_bar_write32(rc->db, rc->db_slot_off[n], rc->db_slot_data[n]);
	return 0;
}

/*
 * Doorbell bits whose vector fired. The fds are polled, not read: the
 * Rx interrupt fan-out waits on the same fds, and a read here (the
 * transport's link work looks for its "descriptors changed" bit every
 * 10 ms) would swallow a queue's kick and lose its wake-up. db_clear
 * consumes what it clears, as a doorbell register is cleared.
 */
static uint64_t
vntb_rc_pending_vectors(struct vntb_rc *rc)
{
	struct pollfd pfd[NTB_MAX_DB];
	unsigned int k, n = RTE_MIN(rc->nd.db_count, (unsigned int)NTB_MAX_DB);
	uint64_t bits = 0;

	for (k = 0; k < n; k++)
		pfd[k] = (struct pollfd){ .fd = rc->nd.db_fd[k],
					  .events = POLLIN };
	if (poll(pfd, n, 0) <= 0)
		return 0;
	for (k = 0; k < n; k++)
		if (pfd[k].revents & POLLIN)
			bits |= RTE_BIT64(k);
	return bits;
}

static uint64_t
vntb_rc_db_read(struct ntb_dev *nd)
{
	struct vntb_rc *rc = vntb_rc_of(nd);

	return vntb_rc_pending_vectors(rc) |
		__atomic_load_n(&rc->db_val, __ATOMIC_ACQUIRE);
}

static void
vntb_rc_db_clear(struct ntb_dev *nd, uint64_t bits)
{
	struct vntb_rc *rc = vntb_rc_of(nd);
	unsigned int k;
	uint64_t cnt;

	for (k = 0; k < nd->db_count && k < NTB_MAX_DB; k++) {
		if (!(bits & RTE_BIT64(k)) || nd->db_fd[k] < 0)
			continue;
		/* EAGAIN: nothing pending (the fds are non-blocking) */
		if (read(nd->db_fd[k], &cnt, sizeof(cnt)) < 0)
			cnt = 0;
	}
	__atomic_fetch_and(&rc->db_val, ~bits, __ATOMIC_RELEASE);
}

int
vntb_rc_vector_event(struct vntb_rc *rc, unsigned int vector)
{
	unsigned int k;

	if (vector == VNTB_MSI_LINK_VECTOR)
		return 1;
	if (vector == VNTB_DB_SLOT_OFFSET - 1) {
		/* slot 1 is never used by a conforming EP */
		if (rc->reserved_vector_events++ == 0)
			NTB_LOG(WARNING, "%s: MSI vector 1 (reserved doorbell slot) fired; ignored",
				rc->name);
		return 0;
	}
	k = vector - VNTB_DB_SLOT_OFFSET;
	if (vector >= rc->nb_msi || k >= rc->nd.db_count) {
		NTB_LOG(WARNING, "%s: unexpected MSI vector %u (%u doorbells)",
			rc->name, vector, rc->nd.db_count);
		return -EINVAL;
	}
	__atomic_fetch_or(&rc->db_val, RTE_BIT64(k), __ATOMIC_RELEASE);
	return 0;
}

static bool
vntb_rc_op_ctrl_tick(struct ntb_dev *nd)
{
	return vntb_rc_live_tick(vntb_rc_of(nd));
}

static void
vntb_rc_op_liveness_stats(struct ntb_dev *nd, uint64_t *answered,
			  uint64_t *missed)
{
	const struct vntb_rc *rc = vntb_rc_of(nd);

	*answered = __atomic_load_n(&rc->heartbeats, __ATOMIC_RELAXED);
	*missed = __atomic_load_n(&rc->liveness_timeouts, __ATOMIC_RELAXED);
}

static void
vntb_rc_op_set_closing(struct ntb_dev *nd, bool closing)
{
	vntb_rc_set_closing(vntb_rc_of(nd), closing);
}

static int
vntb_rc_dma_locator(struct ntb_dev *nd, struct ntb_dma_locator *loc)
{
	const struct vntb_rc *rc = vntb_rc_of(nd);

	if (rc->dma.abi == VNTB_DMA_ABI_NONE)
		return -ENOENT;
	*loc = (struct ntb_dma_locator){ .abi = rc->dma.abi,
		.bar = rc->dma.bar, .offset = rc->dma.offset,
		.size = rc->dma.size, .num_chans = rc->dma.num_chans,
		.bars = rc->bars };
	return 0;
}

const struct ntb_dev_ops vntb_rc_ops = {
	.link_enable = vntb_rc_link_enable,
	.link_disable = vntb_rc_link_disable,
	.link_is_up = vntb_rc_link_is_up,
	.mw_get_align = vntb_rc_mw_get_align,
	.mw_set_trans = vntb_rc_mw_set_trans,
	.mw_clear_trans = vntb_rc_mw_clear_trans,
	.peer_mw_get_bar = vntb_rc_peer_mw_get_bar,
	.spad_read = vntb_rc_spad_read,
	.spad_write = vntb_rc_spad_write,
	.peer_spad_read = vntb_rc_peer_spad_read,
	.peer_spad_write = vntb_rc_peer_spad_write,
	.peer_db_set = vntb_rc_peer_db_set,
	.db_read = vntb_rc_db_read,
	.db_clear = vntb_rc_db_clear,
	.set_closing = vntb_rc_op_set_closing,
	.dma_locator = vntb_rc_dma_locator,
	.ctrl_tick = vntb_rc_op_ctrl_tick,
	.liveness_stats = vntb_rc_op_liveness_stats,
};
