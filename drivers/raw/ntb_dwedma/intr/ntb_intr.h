/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_INTR_H
#define NTB_INTR_H

/**
 * Layer 5: interrupts. One interface, several backends picked by the
 * devarg intr=auto|poll|doorbell|dw_edma|msi (ntb_intr_backend.h says how
 * a backend plugs in). Two users:
 *
 * - the transport, per queue pair: it kicks the peer after publishing
 *   frames (ntb_intr_kick), exchanges interrupt descriptors, and reads
 *   the receive fd (ntb_intr_rx_fd / ntb_intr_rx_ack);
 * - the device (rawdev), which hands one fd per queue to the application
 *   (ntb_intr_deliver_*, the delivery contract below).
 *
 * Descriptors (dw_edma, msi): the receiving side tells the sender where
 * to write ({addr_offset in the peer's interrupt MW, data}); the
 * transport carries them in scratchpads (kernel ntb_transport layout:
 * msi_spad_offset + 2q, + 2q + 1). Between the transport and a backend
 * UINT32_MAX in either field means "none": the sender then rings the
 * doorbell bit of the queue pair (on the wire the transport writes and
 * reads "none" in a form mainline kernels understand too, see
 * ntb_transport_wire.h). A peer is untrusted: ntb_intr_set_peer_desc
 * checks the values and refuses (and logs) anything that does not fall
 * inside the window.
 *
 * Receive rule for every backend and user: ack (ntb_intr_rx_ack) BEFORE
 * scanning the ring of the queue, so that a kick arriving during the
 * scan leaves the fd readable.
 *
 * Delivery contract (the only statement of it; the reasoning why no
 * wake-up is lost is in doc/guides/rawdevs/ntb_dwedma_intr.rst, section
 * "Why no wake-up is lost"). ntb_intr_deliver_start gives every queue
 * one fd, by one of three paths:
 *
 * - direct: the queue's own backend fd, when its source belongs to that
 *   queue alone and a read of the eventfd is its whole ack (RC MSI vector
 *   q + 2; EP doorbell slot q + 2 or MSI vector q + 1). The application's
 *   epoll reads it; the control thread never watches it.
 * - direct, re-armed: a shared source (EP eDMA IRQ) serving ONE queue,
 *   when the backend can re-arm it from that queue's thread: enable
 *   drains, clears transfer status and de-asserts, in this order, then
 *   arms. No other thread acks that fd then.
 * - fan-out: a private eventfd per queue; the control thread waits on
 *   the backend fd, acks it once (drain, de-assert, count by source) and
 *   writes the eventfds of the armed queues it serves.
 *
 * An EP in dw_edma/msi mode also waits on the doorbell slot of each
 * queue (the RC's fall-back for a descriptor it refused): the control
 * thread acks the slot and writes the queue's fd (private, or the direct
 * backend fd). Enable consumes what is pending, then arms; the caller
 * polls the queue once more before it sleeps. Start drains and
 * de-asserts a shared source before anyone waits on it (a previous run
 * may have left it asserted with its event read). Stop waits for a
 * fan-out in flight, so that no private eventfd is written after it was
 * closed; a direct fd belongs to the backend and stays open.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_spinlock.h>

#include "ntb_dev.h"
#include "ntb_intr_res.h"

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
 * only the thread that acks writes them (the rawdev's control thread;
 * for a direct re-armed queue, that queue's thread, which then is the
 * only writer); a reader elsewhere may see a slightly old value. An
 * eventfd count of n (n kicks coalesced) adds n.
 */
struct ntb_intr_stats {
	uint64_t doorbell;	/**< doorbells: EP slot, RC MSI vector 2 + k */
	uint64_t msi;		/**< EP MSI-controller vectors (intr=msi) */
	uint64_t dw_edma;	/**< EP eDMA IRQs (interrupt emulation) */
	uint64_t dw_edma_done;	/**< eDMA DONE status bits seen and cleared */
	uint64_t dw_edma_abort;	/**< eDMA ABORT status bits seen and cleared */
	uint64_t spurious;	/**< an ack found no event pending */
};

struct ntb_intr_ops;

/**
 * A backend instance. The caller owns the struct (the rawdev embeds it);
 * the backend's own state hangs off priv, which only the backend's file
 * knows (ntb_intr_backend.h).
 */
struct ntb_intr {
	const struct ntb_intr_ops *ops;	/**< backend's; callers use ntb_intr_* */
	struct ntb_dev *nd;
	enum ntb_intr_mode mode;	/**< resolved mode, never AUTO */
	bool is_ep;
	uint16_t nb_qp;
	/**
	 * rx_fd is one eventfd for every QP (EP dw_edma: the eDMA IRQ):
	 * wait on it once; when it fires, ack once and service all QPs.
	 */
	bool rx_fd_shared;
	struct ntb_intr_stats stats;
	void *priv;			/**< the backend's state */
};

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

/* The transport's calls (never it->ops directly). */

/** Descriptor the peer must use to kick us for qp (or invalid). */
void ntb_intr_local_desc(struct ntb_intr *it, uint16_t qp,
			 struct ntb_intr_desc *d);
/** Accept the peer's descriptor for qp; <0: kick qp by doorbell. */
int ntb_intr_set_peer_desc(struct ntb_intr *it, uint16_t qp,
			   const struct ntb_intr_desc *d);
/** Kick the peer for qp (hot path: no logging, no allocation). */
void ntb_intr_kick(struct ntb_intr *it, uint16_t qp);
/** Eventfd that becomes readable when the peer kicks qp; -1: poll. */
int ntb_intr_rx_fd(struct ntb_intr *it, uint16_t qp);
/**
 * Consume the event of qp (drain the fd, de-assert the source) and
 * count it in stats. One thread only (see ntb_intr_stats).
 */
void ntb_intr_rx_ack(struct ntb_intr *it, uint16_t qp);

/* Delivery to the application (see the contract above). */

/** The control thread's epoll, as the device offers it. */
struct ntb_intr_watch {
	int (*watch)(void *arg, int fd);
	void (*unwatch)(void *arg, int fd);
	void *arg;
};

/** Per queue; read through ntb_intr_deliver_* only. */
struct ntb_intr_rxq {
	int fd;			/**< handed to the application, -1: none */
	bool fd_owned;		/**< a private eventfd (fan-out) */
	bool direct;		/**< fd is the backend's own (direct path) */
	bool armed;		/**< atomic: the application sleeps on fd */
	uint64_t rx;		/**< backend interrupts acked for this queue */
	/**
	 * Fan-out: writes to fd while armed (control thread only). Direct:
	 * armed periods ended by ntb_intr_deliver_disable (queue's thread).
	 */
	uint64_t wakeups;
};

struct ntb_intr_deliver {
	/**
	 * Start/stop against the control thread's fan-out: stop closes the
	 * eventfds the fan-out writes. Never taken on the data path.
	 */
	rte_spinlock_t lock;
	bool started;			/**< under lock */
	struct ntb_intr *it;
	uint16_t nb_q;
	struct ntb_intr_watch w;
	struct ntb_intr_rxq q[NTB_MAX_DB];
};

/** Once, before any other call (no fds yet). */
void ntb_intr_deliver_init(struct ntb_intr_deliver *dl);
/**
 * Give queues 0..nb_q-1 of it their fds and watch what the control
 * thread serves. 0, or -errno (nothing left set up).
 */
int ntb_intr_deliver_start(struct ntb_intr_deliver *dl, struct ntb_intr *it,
			   uint16_t nb_q, const struct ntb_intr_watch *w);
/** Unwatch and close what start set up; no fan-out runs once it returns. */
void ntb_intr_deliver_stop(struct ntb_intr_deliver *dl);
/** Control thread: fd fired. True when it was one of ours (handled). */
bool ntb_intr_deliver_event(struct ntb_intr_deliver *dl, int fd);
/** The application's fd of queue q, or -ENOTSUP (poll, not started). */
int ntb_intr_deliver_fd(const struct ntb_intr_deliver *dl, uint16_t q);
/**
 * Arm queue q: consume what is pending (direct shared source: re-arm it),
 * then arm. The caller tells the peer to kick, then polls once more
 * before it sleeps. -ENOTSUP without an fd.
 */
int ntb_intr_deliver_enable(struct ntb_intr_deliver *dl, uint16_t q);
/** Disarm queue q. -ENOTSUP without an fd. */
int ntb_intr_deliver_disable(struct ntb_intr_deliver *dl, uint16_t q);
/** Counters of queue q (see struct ntb_intr_rxq). */
void ntb_intr_deliver_counts(const struct ntb_intr_deliver *dl, uint16_t q,
			     uint64_t *rx, uint64_t *wakeups);

#endif /* NTB_INTR_H */
