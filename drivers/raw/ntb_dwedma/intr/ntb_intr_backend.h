/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_INTR_BACKEND_H
#define NTB_INTR_BACKEND_H

/**
 * How a backend plugs in (intr/ only; the transport and the device see
 * ntb_intr.h). A backend is one file that defines a const struct
 * ntb_intr_ops, plus one entry in ntb_intr_backends[] (ntb_intr.c), as
 * the kernel's dw-edma core lets a register generation plug in through
 * struct dw_edma_core_ops (dw_edma_v0_core_register beside
 * dw_hdma_v0_core_register, drivers/dma/dw-edma/dw-edma-core.h). The
 * generic code picks the entry (the table order is intr=auto's order),
 * allocates priv_size zeroed bytes as it->priv, calls init, and calls
 * fini then frees priv at destroy. The backend's state is its own struct
 * behind it->priv: no other file knows its layout.
 *
 * What the ops must do is the contract in ntb_intr.h; the comments below
 * say only what each op adds to it.
 */

#include <stddef.h>

#include <rte_bitops.h>

#include "ntb_intr.h"

/** Which side a backend serves. */
enum ntb_intr_side {
	NTB_INTR_SIDE_ANY = 0,
	NTB_INTR_SIDE_EP,
	NTB_INTR_SIDE_RC,
};

struct ntb_intr_ops {
	const char *name;		/**< the devarg value of mode */
	enum ntb_intr_mode mode;
	enum ntb_intr_side side;
	size_t priv_size;		/**< bytes of it->priv, 0: none */
	bool rx_fd_shared;		/**< see struct ntb_intr */
	/**
	 * Can this backend run here? If not, write what is missing to why.
	 * it->nd, it->is_ep and it->nb_qp are set; nothing is allocated.
	 */
	bool (*possible)(const struct ntb_intr *it,
			 const struct ntb_intr_res *res, char *why,
			 size_t why_len);
	/**
	 * Set up on it->priv (zeroed). res is what possible() accepted. On
	 * failure undo what it did and return <0 (auto tries the next one).
	 * May be NULL.
	 */
	int (*init)(struct ntb_intr *it, const struct ntb_intr_res *res);
	/** Undo init (priv is freed after). May be NULL. */
	void (*fini)(struct ntb_intr *it);

	void (*local_desc)(struct ntb_intr *it, uint16_t qp,
			   struct ntb_intr_desc *d);
	int (*set_peer_desc)(struct ntb_intr *it, uint16_t qp,
			     const struct ntb_intr_desc *d);
	void (*kick)(struct ntb_intr *it, uint16_t qp);
	int (*rx_fd)(struct ntb_intr *it, uint16_t qp);
	void (*rx_ack)(struct ntb_intr *it, uint16_t qp);
	/**
	 * Shared rx_fd only, optional: the "direct, re-armed" path of the
	 * contract (drain, clear transfer status (counted), de-assert, in
	 * this order). The drained count is not counted: the application's
	 * epoll already read the fd. Never called concurrently with rx_ack
	 * on the same fd.
	 */
	void (*rx_rearm)(struct ntb_intr *it, uint16_t qp);
	/**
	 * Doorbell eventfd of qp when the backend receives on another
	 * source, else NULL: the EP's dw_edma/msi, where the RC kicks a QP
	 * whose descriptor it refused with the doorbell (slot qp + 2).
	 * Acked with ntb_intr_db_rx_ack.
	 */
	int (*rx_db_fd)(struct ntb_intr *it, uint16_t qp);
};

/* intr=msi: MSI vector of QP q (vector 0 unused, see ntb_intr_msi.c). */
#define NTB_INTR_MSI_VECTOR(q)	((q) + 1u)

/* The backends (one file each) */
extern const struct ntb_intr_ops ntb_intr_poll_ops;
extern const struct ntb_intr_ops ntb_intr_doorbell_ops;
extern const struct ntb_intr_ops ntb_intr_dw_edma_ep_ops;
extern const struct ntb_intr_ops ntb_intr_msi_ep_ops;
extern const struct ntb_intr_ops ntb_intr_dw_edma_rc_ops;
extern const struct ntb_intr_ops ntb_intr_msi_rc_ops;

/* Pieces the backends share (ntb_intr_common.c) */

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
/** res names a usable interrupt window of it->nd. */
bool ntb_intr_mw_ok(const struct ntb_intr *it, const struct ntb_intr_res *res,
		    char *why, size_t why_len);
/** One doorbell bit per QP and a way to ring the peer's. */
bool ntb_intr_doorbells_ok(const struct ntb_intr *it, char *why,
			   size_t why_len);
void ntb_intr_desc_none(struct ntb_intr *it, uint16_t qp,
			struct ntb_intr_desc *d);
int ntb_intr_no_peer_desc(struct ntb_intr *it, uint16_t qp,
			  const struct ntb_intr_desc *d);

/* Doorbell bit qp both ways (ntb_intr_doorbell.c) */
void ntb_intr_db_kick(struct ntb_intr *it, uint16_t qp);
int ntb_intr_db_rx_fd(struct ntb_intr *it, uint16_t qp);
void ntb_intr_db_rx_ack(struct ntb_intr *it, uint16_t qp);

/* Backend features the delivery uses (ntb_intr.c) */
bool ntb_intr_can_rearm(const struct ntb_intr *it);
void ntb_intr_rx_rearm(struct ntb_intr *it, uint16_t qp);
/** Second eventfd of qp (rx_db_fd), never the rx_fd; -1: none. */
int ntb_intr_rx_db_fd(struct ntb_intr *it, uint16_t qp);

/**
 * EP: the local interrupt window pointed at a target page (the eDMA
 * registers, the MSI page), ntb_intr_ep_win.c. Embedded in the state of
 * the backends that use one.
 */
struct ntb_intr_ep_win {
	int mw;				/**< the local window, -1: none */
	bool mapped;
	uint32_t target_off;		/**< target page start in the window */
};

/**
 * Point window w->mw at iova (aligned down as the window needs) and make
 * sure [reach, reach + 4) of the target fits; sets target_off.
 */
int ntb_intr_ep_map(struct ntb_intr *it, struct ntb_intr_ep_win *w,
		    rte_iova_t iova, uint64_t reach, const char *what);
void ntb_intr_ep_unmap(struct ntb_intr *it, struct ntb_intr_ep_win *w);

#endif /* NTB_INTR_BACKEND_H */
