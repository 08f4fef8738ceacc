/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_TRANSPORT_H
#define NTB_TRANSPORT_H

/**
 * Layer 6: the Linux ntb_transport (version 4) protocol over a struct
 * ntb_dev, so that this side interoperates with a kernel ntb_transport /
 * ntb_netdev peer. Wire format: ntb_transport_wire.h.
 *
 * Threads:
 *  - control: ntbt_create, ntbt_start, ntbt_link_work, ntbt_stop,
 *    ntbt_destroy, from one thread (EAL alarm or control thread);
 *    ntbt_link_work every NTBT_LINK_RETRY_MS (10 ms) and on link or
 *    doorbell events. Link changes are reported through conf.event_cb,
 *    called from inside ntbt_link_work/ntbt_stop.
 *  - data path, per queue pair: one thread calls ntbt_tx_burst and one
 *    (possibly another) calls ntbt_rx_burst. Lock-free; the control
 *    thread waits for a running burst to return before it reuses or
 *    frees ring memory.
 *
 * Queue pair count (kernel rules; both sides must get the same number):
 *  db bits = floor(log2(db_valid_mask)), minus 1 with an interrupt MW
 *  (intr mode dw_edma or msi, which also reserves the last MW);
 *  then conf.nb_qp if set and smaller (kernel max_num_clients), else
 *  capped by the MW count. With conf.intr_auto the interrupt MW is
 *  used only if the peer's NUM_MWS says it uses one too, so the count
 *  is the peer's. ntbt_qp_count() gives the most queue pairs before
 *  creation so the interrupt backend can be sized; ntbt_nb_qp() the
 *  same afterwards (queue pairs beyond the negotiated count never come
 *  up).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "ntb_dev.h"
#include "ntb_intr.h"
#include "ntb_transport_counters.h"

struct ntbt;
struct ntbt_qp;

/** Called on the control thread when queue pair qp goes up or down. */
typedef void (*ntbt_event_cb_t)(struct ntbt *t, uint16_t qp, bool up,
				void *arg);

/**
 * Default max_mw_size: 64 times the 1 MiB windows of the vNTB how-to and
 * of R-Car S4 (960 KiB + 32 KiB in a 1 MiB BAR). A peer cannot make us
 * allocate more per window unless max_mw_size says so.
 */
#define NTBT_DEFAULT_MAX_MW_SIZE	(64u << 20)

/** Who copies Tx payloads into the peer's frames (devarg copy=). */
enum ntbt_copy {
	NTBT_COPY_CPU = 0,	/**< the CPU, through the outbound window */
	NTBT_COPY_DMA,		/**< the dmadev; a QP without it stays down */
	NTBT_COPY_AUTO,		/**< the dmadev where possible, else the CPU */
};

struct ntbt_conf {
	uint16_t nb_qp;		/**< 0: kernel default; else max_num_clients */
	uint32_t transport_mtu;	/**< max frame incl. 12 B header; 0: 0x10000 */
	/**
	 * Cap on MW sizes (kernel max_mw_size): ours is announced capped,
	 * a larger peer size is refused. 0: NTBT_DEFAULT_MAX_MW_SIZE.
	 */
	uint64_t max_mw_size;
	/**
	 * The interrupt MW of an intr mode that uses one (dw_edma, msi) was
	 * not asked for (intr=auto): it is used only when the peer uses one
	 * too (its NUM_MWS says so); against a stock kernel peer every MW
	 * carries data and kicks are doorbells.
	 */
	bool intr_auto;
	/**
	 * Tx copies (ntb_transport_dma.h). DMA: queue pair q < dma_nb_vchan
	 * copies with vchan q of the started dmadev dma_dev_id (MEM_TO_DEV:
	 * our IOVA to the address the peer publishes, NTBT_RX_ADDR_*); the
	 * others with the CPU. dma_nb_vchan 0: no dmadev.
	 */
	enum ntbt_copy copy;
	int16_t dma_dev_id;
	uint16_t dma_nb_vchan;
	/**
	 * Forget every op of one vchan and re-arm it (dma_dwedma_vchan_reset),
	 * for a channel whose copies stopped completing; NULL: the dmadev
	 * has none (such a queue pair then copies with the CPU for good).
	 * Returns >= 0, or < 0 when the vchan could not be reset.
	 */
	int (*dma_vchan_reset)(int16_t dev_id, uint16_t vchan);
	/** Publish our receive buffers' addresses (NTBT_RX_ADDR_*): an EP. */
	bool publish_rx_addr;
	ntbt_event_cb_t event_cb;	/**< may be NULL */
	void *event_arg;
};

/**
 * Per queue pair counters (cumulative; written by the data path), one
 * member per row of NTBT_QP_STATS (ntb_transport_counters.h).
 */
struct ntbt_qp_stats {
#define NTBT_QP_STATS_MEMBER(field, side) uint64_t field;
	NTBT_QP_STATS(NTBT_QP_STATS_MEMBER)
#undef NTBT_QP_STATS_MEMBER
};

/** Queue pairs ntbt_create will use, or -errno (logged). */
int ntbt_qp_count(const struct ntb_dev *nd, enum ntb_intr_mode mode,
		  const struct ntbt_conf *conf);

/**
 * Allocate the transport (no device access yet). it->nb_qp must be at
 * least ntbt_qp_count(). Returns 0 or -errno (bad parameter logged).
 */
int ntbt_create(struct ntbt **t, struct ntb_dev *nd, struct ntb_intr *it,
		const struct ntbt_conf *conf, int socket_id);
/** Enable the NTB link; the next ntbt_link_work begins the handshake. */
int ntbt_start(struct ntbt *t);
/**
 * Drive the link state machine (kernel ntb_transport_link_work and
 * ntb_qp_link_work). Returns 1 while the transport handshake is done,
 * 0 while it is not, <0 on a local failure (allocation).
 */
int ntbt_link_work(struct ntbt *t);
/** Local stop: LINK_DOWN frames, QP_LINKS cleared, spads zeroed, link disabled. */
void ntbt_stop(struct ntbt *t);
/** Stop if started and free everything. NULL is accepted. */
void ntbt_destroy(struct ntbt *t);

uint16_t ntbt_nb_qp(const struct ntbt *t);
struct ntbt_qp *ntbt_qp(struct ntbt *t, uint16_t q);
bool ntbt_qp_link_up(const struct ntbt_qp *qp);
/** Largest payload a frame carries now (0 while the QP is down). */
uint32_t ntbt_qp_max_payload(const struct ntbt_qp *qp);
void ntbt_qp_stats_get(const struct ntbt_qp *qp, struct ntbt_qp_stats *s);

/**
 * Copy up to n packets into frames and free the mbufs; one kick for
 * the burst, unless the peer's receiver said it polls (ntbt_qp_rx_arm).
 * Packets longer than the max payload are freed and counted
 * (tx_err_oversize), never truncated. Returns the number of packets
 * consumed (sent or dropped); the rest stays with the caller (ring full
 * or QP down).
 */
uint16_t ntbt_tx_burst(struct ntbt_qp *qp, struct rte_mbuf **pkts,
		       uint16_t n);
/**
 * Receive up to n packets into mbufs from mp (chained when a frame is
 * larger than the data room). Consumes at most n frames (dropped ones
 * count) and at most one ring's worth. Returns the number received.
 */
uint16_t ntbt_rx_burst(struct ntbt_qp *qp, struct rte_mbuf **pkts,
		       uint16_t n, struct rte_mempool *mp);

/**
 * Ask the peer to kick qp after it publishes frames (on), or to stop
 * kicking because we poll (off, the state after ntbt_create). Call from
 * the thread that polls qp, and poll once more after arming before
 * sleeping. A Linux peer ignores this and always kicks.
 */
void ntbt_qp_rx_arm(struct ntbt_qp *qp, bool on);

/* The peer's kicks arrive through the interrupt layer (ntb_intr.h). */

#endif /* NTB_TRANSPORT_H */
