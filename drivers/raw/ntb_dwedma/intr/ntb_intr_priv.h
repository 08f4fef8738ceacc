/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_INTR_PRIV_H
#define NTB_INTR_PRIV_H

/* State shared by the backends; nothing here is seen by the transport. */

#include <stdbool.h>
#include <stdint.h>

#include <rte_bitops.h>

#include "ntb_intr.h"

/* intr=msi: MSI vector of QP q (vector 0 unused, see ntb_intr_msi.c). */
#define NTB_INTR_MSI_VECTOR(q)	((q) + 1u)

struct ntb_intr_peer_desc {
	uint32_t addr_offset;
	uint32_t data;
	bool valid;		/**< atomic: kick reads it without a lock */
};

struct ntb_intr_priv {
	bool is_ep;
	int intr_mw;			/**< -1: none */
	/* EP: the local interrupt window and what it points at */
	bool mw_mapped;
	uint32_t target_off;		/**< target page start in the window */
	struct ntb_bar edma_regs;
	int edma_irq_fd;
	int msi_fds[NTB_MAX_DB];	/**< per QP: vector NTB_INTR_MSI_VECTOR(q) */
	/* RC: the peer's interrupt window and the peer's descriptors */
	struct ntb_bar peer_win;
	struct ntb_intr_peer_desc peer[NTB_MAX_DB];
};

static inline struct ntb_intr_priv *
ntb_intr_priv(struct ntb_intr *it)
{
	return it->priv;
}

extern const struct ntb_intr_ops ntb_intr_poll_ops;
extern const struct ntb_intr_ops ntb_intr_doorbell_ops;
extern const struct ntb_intr_ops ntb_intr_dw_edma_ep_ops;
extern const struct ntb_intr_ops ntb_intr_msi_ep_ops;
extern const struct ntb_intr_ops ntb_intr_dw_edma_rc_ops;
extern const struct ntb_intr_ops ntb_intr_msi_rc_ops;

/* Common pieces (ntb_intr.c) */
/** Read and reset eventfd fd: the count, 0 when none was pending. */
uint64_t ntb_intr_fd_drain(int fd);
/** Count a drained count n in *counter, or a spurious event when 0. */
static inline void
ntb_intr_count(struct ntb_intr *it, uint64_t *counter, uint64_t n)
{
	if (n != 0)
		*counter += n;
	else
		it->stats.spurious++;
}
void ntb_intr_fd_set_nonblock(int fd);
void ntb_intr_desc_none(struct ntb_intr *it, uint16_t qp,
			struct ntb_intr_desc *d);
int ntb_intr_no_peer_desc(struct ntb_intr *it, uint16_t qp,
			  const struct ntb_intr_desc *d);
void ntb_intr_db_kick(struct ntb_intr *it, uint16_t qp);
int ntb_intr_db_rx_fd(struct ntb_intr *it, uint16_t qp);
void ntb_intr_db_rx_ack(struct ntb_intr *it, uint16_t qp);
void ntb_intr_ep_unmap(struct ntb_intr *it);
/**
 * EP: point local window intr_mw at iova (aligned down as the window
 * needs) and make sure [reach, reach + 4) of the target fits; sets
 * target_off.
 */
int ntb_intr_ep_map(struct ntb_intr *it, rte_iova_t iova, uint64_t reach,
		    const char *what);

#endif /* NTB_INTR_PRIV_H */
