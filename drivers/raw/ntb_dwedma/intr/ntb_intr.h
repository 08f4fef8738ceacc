/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_INTR_H
#define NTB_INTR_H

/**
 * Layer 5: interrupt backends. One interface, picked by the devarg
 * intr=auto|poll|doorbell|dw_edma|msi. The transport calls it per queue
 * pair to kick the peer after publishing frames and to learn of the
 * peer's kicks; every interrupt ends as an eventfd.
 *
 * Descriptors (dw_edma, msi): the receiving side tells the sender where
 * to write ({addr_offset in the peer's interrupt MW, data}); the
 * transport carries them in scratchpads (kernel ntb_transport layout:
 * msi_spad_offset + 2q, + 2q + 1). UINT32_MAX in either field means
 * "none": the sender then rings the doorbell bit of the queue pair.
 * A peer is untrusted: set_peer_desc checks the values and refuses (and
 * logs) anything that does not fall inside the window.
 */

#include <stdint.h>

#include "ntb_dev.h"

#define NTB_INTR_DESC_INVALID	UINT32_MAX

enum ntb_intr_mode {
	NTB_INTR_AUTO = 0,
	NTB_INTR_POLL,
	NTB_INTR_DOORBELL,
	NTB_INTR_DW_EDMA,
	NTB_INTR_MSI,
};

struct ntb_intr_desc {
	uint32_t addr_offset;	/**< byte offset in the interrupt MW */
	uint32_t data;		/**< 32-bit value to write there */
};

struct ntb_intr;

struct ntb_intr_ops {
	const char *name;
	/** Descriptor the peer must use to kick us for qp (or invalid). */
	void (*local_desc)(struct ntb_intr *it, uint16_t qp,
			   struct ntb_intr_desc *d);
	/** Accept the peer's descriptor for qp; <0: use the doorbell. */
	int (*set_peer_desc)(struct ntb_intr *it, uint16_t qp,
			     const struct ntb_intr_desc *d);
	/** Kick the peer for qp (hot path: no logging, no allocation). */
	void (*kick)(struct ntb_intr *it, uint16_t qp);
	/** Eventfd that becomes readable when the peer kicks qp; -1 poll. */
	int (*rx_fd)(struct ntb_intr *it, uint16_t qp);
	/** Consume the event of qp (drain the fd, de-assert the source). */
	void (*rx_ack)(struct ntb_intr *it, uint16_t qp);
	void (*fini)(struct ntb_intr *it);
};

/**
 * What the local device offers the backends (zeroed / -1 where absent).
 * On the EP: the DW eDMA register block (interrupt emulation target,
 * reached by the RC through the interrupt MW) and its IRQ as an eventfd;
 * an MSI-controller doorbell page (one eventfd per vector) for msi.
 */
struct ntb_intr_res {
	const struct ntb_bar *edma_regs;	/**< EP eDMA registers, or NULL */
	rte_iova_t edma_regs_iova;		/**< inbound target for the MW */
	int edma_irq_fd;			/**< EP eDMA IRQ, or -1 */
	const struct ntb_bar *msi_page;		/**< MSI target page, or NULL */
	rte_iova_t msi_page_iova;
	unsigned int msi_nb_vectors;
	const int *msi_fds;			/**< msi_nb_vectors eventfds */
	int intr_mw;	/**< window that carries interrupts, -1: none */
};

struct ntb_intr {
	const struct ntb_intr_ops *ops;
	struct ntb_dev *nd;
	enum ntb_intr_mode mode;	/**< resolved mode, never AUTO */
	uint16_t nb_qp;
	void *priv;
};

#endif /* NTB_INTR_H */
