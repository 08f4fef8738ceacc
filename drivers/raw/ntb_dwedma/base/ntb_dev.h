/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_DEV_H
#define NTB_DEV_H

/**
 * The NTB device as the transport (layer 6) sees it: the same operations
 * as Linux's struct ntb_dev_ops, implemented by
 *  - the RC side (vntb/vntb_rc.c, what ntb_hw_epf does), over BARs that
 *    come from VFIO on hardware or from the virtual link;
 *  - the EP side (vsim/, what pci-epf-vntb does), emulation only.
 * The transport never touches registers or knows which side it is on.
 *
 * Memory windows: "mw" is local inbound (the peer's writes to its peer MW
 * idx land in our memory at the IOVA given to mw_set_trans); "peer mw" is
 * outbound (our CPU writes to the returned window land in the peer's
 * memory).
 * Scratchpads: spad_* are ours (the peer writes them, we read them);
 * peer_spad_* are the peer's. Doorbell bit k is what the transport calls
 * a doorbell; the kernel's slot/vector k + 2 numbering is the device's
 * business.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

#include "ntb_bar.h"

#define NTB_MAX_MW		4
#define NTB_MAX_DB		32

struct ntb_dev;

/**
 * A DMA engine the peer exports to us (vNTB ctrl v1 DMA locator,
 * Mar-2026 series): a slice of one of the device's BARs. The values are
 * the peer's, copied once and not checked: the user (dma_dwedma) bounds
 * them against bars[] before use.
 */
struct ntb_dma_locator {
	uint32_t abi;			/**< exported DMA ABI (1), never 0 */
	uint32_t bar;			/**< BAR of the slice */
	uint32_t offset;		/**< slice offset in the BAR */
	uint32_t size;			/**< slice size */
	uint32_t num_chans;		/**< delegated channels */
	/** The device's six BARs (len 0: absent), valid while it lives. */
	const struct ntb_bar *bars;
};

struct ntb_dev_ops {
	/* link: the NTB link (RC: LINK_UP/LINK_DOWN commands) */
	int (*link_enable)(struct ntb_dev *nd);
	int (*link_disable)(struct ntb_dev *nd);
	bool (*link_is_up)(struct ntb_dev *nd);

	/* local inbound windows */
	int (*mw_get_align)(struct ntb_dev *nd, unsigned int idx,
			    uint64_t *addr_align, uint64_t *size_max);
	int (*mw_set_trans)(struct ntb_dev *nd, unsigned int idx,
			    rte_iova_t addr, uint64_t size);
	int (*mw_clear_trans)(struct ntb_dev *nd, unsigned int idx);

	/*
	 * Outbound windows: a CPU mapping reaching the peer's memory, as a
	 * BAR-like window (va = start of the window, len = its size; trap
	 * set where writes have side effects, e.g. a window onto the EP's
	 * eDMA registers). Bulk copies use win->va directly.
	 */
	int (*peer_mw_get_bar)(struct ntb_dev *nd, unsigned int idx,
			       struct ntb_bar *win);

	/* scratchpads; idx < spad_count (the device checks and logs) */
	uint32_t (*spad_read)(struct ntb_dev *nd, unsigned int idx);
	int (*spad_write)(struct ntb_dev *nd, unsigned int idx, uint32_t v);
	uint32_t (*peer_spad_read)(struct ntb_dev *nd, unsigned int idx);
	int (*peer_spad_write)(struct ntb_dev *nd, unsigned int idx,
			       uint32_t v);

	/* doorbells */
	int (*peer_db_set)(struct ntb_dev *nd, uint64_t bits);
	uint64_t (*db_read)(struct ntb_dev *nd);
	void (*db_clear)(struct ntb_dev *nd, uint64_t bits);

	/*
	 * Optional (NULL: nothing to do). Teardown begins (closing) or
	 * ends: while closing, a device that drives its peer by commands
	 * (the vNTB RC) gives up on a peer that stopped answering after one
	 * timeout, not one per teardown command.
	 */
	void (*set_closing)(struct ntb_dev *nd, bool closing);

	/*
	 * Optional (NULL: none). The DMA engine the peer exports: 0 and
	 * *loc filled, or -ENOENT when the peer exports none.
	 */
	int (*dma_locator)(struct ntb_dev *nd, struct ntb_dma_locator *loc);

	/**
	 * Optional: the platform's periodic control work, run by the
	 * rawdev's control thread on every pass (the vNTB RC: heartbeat and
	 * the bring-up of an EP that answers late). True when the link may
	 * have changed: the caller runs the transport's link work at once.
	 */
	bool (*ctrl_tick)(struct ntb_dev *nd);
	/**
	 * Optional: the peer liveness counters (heartbeats answered, and
	 * not answered in time).
	 */
	void (*liveness_stats)(struct ntb_dev *nd, uint64_t *answered,
			       uint64_t *missed);
};

struct ntb_dev {
	const struct ntb_dev_ops *ops;
	const char *name;		/**< for logs */
	unsigned int mw_count;		/**< windows each way */
	unsigned int spad_count;	/**< scratchpads per side */
	unsigned int db_count;		/**< usable doorbell bits */
	uint64_t db_valid_mask;		/**< RTE_GENMASK64(db_count - 1, 0) */
	/**
	 * Interrupts as eventfds (-1 where not wired): db_fd[k] becomes
	 * readable when the peer rings doorbell bit k (RC: MSI vector k + 2;
	 * EP: doorbell slot k + 2). link_fd: RC MSI vector 0.
	 */
	int db_fd[NTB_MAX_DB];
	int link_fd;
	void *priv;			/**< the implementation's state */
};

static inline void
ntb_dev_set_closing(struct ntb_dev *nd, bool closing)
{
	if (nd->ops->set_closing != NULL)
		nd->ops->set_closing(nd, closing);
}

/** ops->dma_locator, or -ENOTSUP when the device has no such op. */
static inline int
ntb_dev_dma_locator(struct ntb_dev *nd, struct ntb_dma_locator *loc)
{
	if (nd->ops->dma_locator == NULL)
		return -ENOTSUP;
	return nd->ops->dma_locator(nd, loc);
}

static inline bool
ntb_dev_ctrl_tick(struct ntb_dev *nd)
{
	return nd->ops->ctrl_tick != NULL && nd->ops->ctrl_tick(nd);
}

static inline void
ntb_dev_liveness_stats(struct ntb_dev *nd, uint64_t *answered,
		       uint64_t *missed)
{
	*answered = 0;
	*missed = 0;
	if (nd->ops->liveness_stats != NULL)
		nd->ops->liveness_stats(nd, answered, missed);
}

#endif /* NTB_DEV_H */
