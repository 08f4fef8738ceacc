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
 * msi_spad_offset + 2q, + 2q + 1). Between the transport and a backend
 * UINT32_MAX in either field means "none": the sender then rings the
 * doorbell bit of the queue pair (on the wire the transport writes and
 * reads "none" in a form mainline kernels understand too, see
 * ntb_transport_wire.h).
 * A peer is untrusted: set_peer_desc checks the values and refuses (and
 * logs) anything that does not fall inside the window.
 */

#include <stdbool.h>
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

/**
 * Interrupts received, by the path that carried them. Plain counters:
 * only the thread that calls rx_ack writes them (the rawdev's control
 * thread); a reader elsewhere may see a slightly old value. An eventfd
 * count of n (n kicks coalesced) adds n.
 */
struct ntb_intr_stats {
	uint64_t doorbell;	/**< doorbells: EP slot, RC MSI vector 2 + k */
	uint64_t msi;		/**< EP MSI-controller vectors (intr=msi) */
	uint64_t dw_edma;	/**< EP eDMA IRQs (interrupt emulation) */
	uint64_t dw_edma_done;	/**< eDMA DONE status bits seen and cleared */
	uint64_t dw_edma_abort;	/**< eDMA ABORT status bits seen and cleared */
	uint64_t spurious;	/**< rx_ack found no event pending */
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
	/**
	 * Consume the event of qp (drain the fd, de-assert the source) and
	 * count it in stats. One thread only (see ntb_intr_stats).
	 */
	void (*rx_ack)(struct ntb_intr *it, uint16_t qp);
	/**
	 * Optional, shared rx_fd only. Make the shared rx_fd usable as the
	 * only queue's own fd (direct path, nb of served queues == 1):
	 * called by that queue's thread before it arms, it drains the fd,
	 * clears transfer status (counted) and de-asserts the source so
	 * that the next kick raises a new event. The drained count is not
	 * counted (the application's epoll already read the fd). Never
	 * called concurrently with rx_ack on the same fd.
	 */
	void (*rx_rearm)(struct ntb_intr *it, uint16_t qp);
	/**
	 * Doorbell eventfd of qp when the backend receives on another
	 * source, else NULL (-1). EP dw_edma/msi: the RC kicks a QP whose
	 * descriptor it refused with the doorbell (slot qp + 2), so the EP
	 * must wait on that slot too. Acked with ntb_intr_rx_db_ack().
	 */
	int (*rx_db_fd)(struct ntb_intr *it, uint16_t qp);
	void (*fini)(struct ntb_intr *it);
};

/**
 * What the local device offers the backends (zeroed / -1 where absent).
 * On the EP: the DW eDMA register block (interrupt emulation target,
 * reached by the RC through the interrupt MW) and its IRQ as an eventfd;
 * an MSI-controller doorbell page (one eventfd per vector) for msi.
 */
struct ntb_intr_res {
	/**
	 * EP eDMA registers, or NULL. The RC kicks by writing 0 to
	 * rd_int_status (interrupt emulation); rx_ack writes 0 to both
	 * int_clear registers to de-assert.
	 */
	const struct ntb_bar *edma_regs;
	rte_iova_t edma_regs_iova;		/**< inbound target for the MW */
	int edma_irq_fd;			/**< EP eDMA IRQ, or -1 */
	/**
	 * MSI target page, or NULL: vector v is raised by a 32-bit write of
	 * the value v at byte offset 4 * v (QP q gets vector q + 1: the
	 * page needs nb_qp + 1 vectors).
	 */
	const struct ntb_bar *msi_page;
	rte_iova_t msi_page_iova;
	unsigned int msi_nb_vectors;
	const int *msi_fds;			/**< msi_nb_vectors eventfds */
	/**
	 * Window that carries interrupts, -1: none. EP: the local inbound
	 * window pointed at the eDMA registers / MSI page. RC: the peer
	 * window the peer's descriptors are offsets into (R-Car S4: MW2,
	 * 1; ntb_msi: the last MW). The transport must not put data in it.
	 */
	int intr_mw;
};

struct ntb_intr {
	const struct ntb_intr_ops *ops;
	struct ntb_dev *nd;
	enum ntb_intr_mode mode;	/**< resolved mode, never AUTO */
	uint16_t nb_qp;
	/**
	 * rx_fd is one eventfd for every QP (EP dw_edma: the eDMA IRQ):
	 * wait on it once; when it fires, rx_ack once and service all QPs.
	 */
	bool rx_fd_shared;
	struct ntb_intr_stats stats;
	void *priv;
};

/*
 * Receive rule for every backend: rx_ack(qp) BEFORE scanning the ring of
 * qp, so that a kick arriving during the scan leaves the fd readable.
 */

/**
 * Pick the backend (AUTO resolves from the resources, logged once at
 * INFO) and set it up. is_ep: we are the EP (local eDMA / MSI page);
 * res may be NULL (nothing offered). nb_qp: 1..NTB_MAX_DB.
 * Returns 0, or -EINVAL when an explicitly requested mode lacks what it
 * needs (logged, naming it), -ENOMEM.
 */
int ntb_intr_create(struct ntb_intr *it, struct ntb_dev *nd,
		    enum ntb_intr_mode mode, bool is_ep,
		    const struct ntb_intr_res *res, uint16_t nb_qp);

/** Undo ntb_intr_create (EP: tear the interrupt window down). */
void ntb_intr_destroy(struct ntb_intr *it);

/** Devarg value ("auto", "poll", "doorbell", "dw_edma", "msi"). */
int ntb_intr_mode_parse(const char *name, enum ntb_intr_mode *mode);
const char *ntb_intr_mode_name(enum ntb_intr_mode mode);

/* Convenience wrappers (the transport's calls). */
static inline void
ntb_intr_kick(struct ntb_intr *it, uint16_t qp)
{
	it->ops->kick(it, qp);
}

static inline int
ntb_intr_rx_fd(struct ntb_intr *it, uint16_t qp)
{
	return it->ops->rx_fd(it, qp);
}

static inline void
ntb_intr_rx_ack(struct ntb_intr *it, uint16_t qp)
{
	it->ops->rx_ack(it, qp);
}

/** True when the backend can re-arm its shared rx_fd for one queue. */
static inline bool
ntb_intr_can_rearm(const struct ntb_intr *it)
{
	return it->ops != NULL && it->ops->rx_rearm != NULL;
}

/** See rx_rearm in struct ntb_intr_ops; no-op when absent. */
static inline void
ntb_intr_rx_rearm(struct ntb_intr *it, uint16_t qp)
{
	if (it->ops->rx_rearm != NULL)
		it->ops->rx_rearm(it, qp);
}

/**
 * Second eventfd of qp (see rx_db_fd in struct ntb_intr_ops), or -1.
 * Never the fd ntb_intr_rx_fd() returns.
 */
int ntb_intr_rx_db_fd(struct ntb_intr *it, uint16_t qp);

/**
 * Consume a doorbell event of qp on the fd of ntb_intr_rx_db_fd (drain,
 * clear the bit, count it in stats.doorbell). Same thread as rx_ack.
 */
void ntb_intr_rx_db_ack(struct ntb_intr *it, uint16_t qp);

#endif /* NTB_INTR_H */
