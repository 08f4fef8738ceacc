/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef RTE_PMD_NTB_DWEDMA_H
#define RTE_PMD_NTB_DWEDMA_H

/**
 * @file
 * raw_ntb_dwedma: public API beyond the generic rawdev API.
 *
 * The device honours the contract of DPDK's rte_pmd_ntb.h (attribute
 * names queue_size, queue_num, link_status, mw_count, db_count,
 * spad_count, spad_user_N, topo, speed, width; struct ntb_dev_info,
 * ntb_dev_config, ntb_queue_conf; mbufs in rte_rawdev_buf) so that
 * applications written for DPDK's NTB rawdev (examples/ntb) run on it.
 *
 * The functions below are the fast path and events used by the
 * net_ntb_vnet ethdev (and by any application that wants them):
 * configure and start the device with the generic rawdev API first
 * (rte_rawdev_set_attr, rte_rawdev_configure, rte_rawdev_queue_setup,
 * rte_rawdev_start), then call these per queue pair. A queue pair is
 * single-producer (Tx) / single-consumer (Rx): one lcore each.
 *
 * @warning
 * @b EXPERIMENTAL: every function of this file may change without prior
 * notice (symbol version EXPERIMENTAL); define ALLOW_EXPERIMENTAL_API to
 * use them without a deprecation warning.
 */

#include <stdint.h>

#include <rte_compat.h>
#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Driver names: every device's driver_name starts with "raw_ntb". */
#define RTE_PMD_NTB_DWEDMA_DRIVER_PCI	"raw_ntb_dwedma"
#define RTE_PMD_NTB_DWEDMA_DRIVER_VSIM	"raw_ntb_vsim"
/** RC on a QEMU guest's vNTB (kernel peer, pci_epc_ivshmem) */
#define RTE_PMD_NTB_DWEDMA_DRIVER_IVSHMEM	"raw_ntb_ivshmem"

/** Device facts an ethdev needs (valid after rte_rawdev_configure). */
struct rte_pmd_ntb_dwedma_info {
	uint16_t max_queue_pairs;	/**< queue pairs the link allows */
	uint16_t nb_queue_pairs;	/**< configured queue pairs */
	uint32_t max_pkt_len;		/**< largest packet a frame carries */
	uint32_t frame_size;		/**< negotiated frame size (0: no link) */
	uint16_t nb_frames;		/**< frames per ring (0: no link) */
	uint8_t is_ep;			/**< 1: EP role (virtual link), 0: RC */
	uint8_t rx_intr;		/**< 1: Rx interrupts available */
	char intr_mode[16];		/**< resolved backend: poll, doorbell... */
};

/** Link as seen by the transport: up when every queue pair is up. */
struct rte_pmd_ntb_dwedma_link {
	uint8_t up;
	uint8_t pcie_speed;		/**< PCIe generation, 0 if unknown */
	uint8_t pcie_width;		/**< lanes, 0 if unknown */
};

/**
 * Per queue pair counters (monotonic since start). Members in the order
 * of the driver's counter table (NTBT_QP_XSTATS), which names them in
 * xstats and telemetry; the build checks that both agree.
 */
struct rte_pmd_ntb_dwedma_qp_stats {
	uint64_t tx_pkts;
	uint64_t tx_bytes;
	uint64_t tx_errors;	/**< oversize packets dropped */
	uint64_t tx_ring_full;	/**< bursts cut short by a full ring */
	uint64_t rx_pkts;
	uint64_t rx_bytes;
	uint64_t rx_errors;	/**< frames refused: bad len, ver, flags */
	uint64_t rx_nombuf;	/**< receive delayed: no mbuf */
	uint64_t peer_rejects;	/**< peer values refused (spads, indices) */
	/** Rx interrupts for qp acked by the driver (any source; a direct
	 * fd's kicks are read by the application, not counted here) */
	uint64_t intr_rx;
	/** Rx interrupt eventfd writes (armed); direct fd: armed periods
	 * ended by rx_intr_disable */
	uint64_t rx_intr_wakeups;
	/** copy=dma: frames dropped because their DMA copy failed (an
	 * empty frame takes their slot) */
	uint64_t tx_dma_errors;
	/** copy=dma: times the queue pair's DMA channel completed nothing
	 * for 2 s with copies outstanding and was reset (their frames are
	 * dropped, in tx_dma_errors; the queue pair copies with the CPU
	 * until it goes down) */
	uint64_t tx_dma_resets;
};

enum rte_pmd_ntb_dwedma_event {
	RTE_PMD_NTB_DWEDMA_EVENT_LINK_UP,
	RTE_PMD_NTB_DWEDMA_EVENT_LINK_DOWN,
};

/**
 * Event callback; runs in a control thread of the driver. It must not
 * stop or close the device (defer with rte_eal_alarm_set).
 */
typedef void (*rte_pmd_ntb_dwedma_event_cb_t)(uint16_t dev_id,
		enum rte_pmd_ntb_dwedma_event event, void *arg);

/** @return 1 if dev_id is a raw_ntb_dwedma device, else 0. */
__rte_experimental
int rte_pmd_ntb_dwedma_is_ntb_dwedma(uint16_t dev_id);

/** @return 0, -ENODEV (not ours) or -EINVAL. */
__rte_experimental
int rte_pmd_ntb_dwedma_info_get(uint16_t dev_id,
		struct rte_pmd_ntb_dwedma_info *info);

__rte_experimental
int rte_pmd_ntb_dwedma_link_get(uint16_t dev_id,
		struct rte_pmd_ntb_dwedma_link *link);

__rte_experimental
int rte_pmd_ntb_dwedma_qp_stats_get(uint16_t dev_id, uint16_t qp,
		struct rte_pmd_ntb_dwedma_qp_stats *stats);
__rte_experimental
int rte_pmd_ntb_dwedma_qp_stats_reset(uint16_t dev_id, uint16_t qp);

/**
 * Send up to nb packets on queue pair qp. Sent mbufs are freed by the
 * driver (data is copied into the peer's frames). Packets larger than
 * max_pkt_len are dropped, freed and counted in tx_errors.
 * @return number of packets consumed (sent or dropped); the caller
 *   keeps ownership of the rest (ring full or link down).
 */
__rte_experimental
uint16_t rte_pmd_ntb_dwedma_tx_burst(uint16_t dev_id, uint16_t qp,
		struct rte_mbuf **pkts, uint16_t nb);

/**
 * Receive up to nb packets from queue pair qp into mbufs of the mempool
 * given at rte_rawdev_queue_setup (chained when larger than one mbuf).
 */
__rte_experimental
uint16_t rte_pmd_ntb_dwedma_rx_burst(uint16_t dev_id, uint16_t qp,
		struct rte_mbuf **pkts, uint16_t nb);

/**
 * Rx interrupts. The fd is an eventfd that becomes readable when the
 * peer has published frames on qp while the queue is armed; it stays
 * the same from rte_rawdev_start to rte_rawdev_stop.
 * enable arms the queue (the peer is asked to kick it); disable disarms
 * it. Poll the queue once more after enable before sleeping.
 * @return fd >= 0, or -ENOTSUP in poll mode, -EINVAL bad arguments.
 */
__rte_experimental
int rte_pmd_ntb_dwedma_rx_intr_fd(uint16_t dev_id, uint16_t qp);
__rte_experimental
int rte_pmd_ntb_dwedma_rx_intr_enable(uint16_t dev_id, uint16_t qp);
__rte_experimental
int rte_pmd_ntb_dwedma_rx_intr_disable(uint16_t dev_id, uint16_t qp);

/**
 * The dmadev (dma_dwedma) over the DW eDMA channels the EP delegates to
 * this RC (Mar-2026 vNTB DMA export: ctrl v1 DMA locator), named
 * "<rawdev name>_dma". Created at probe, released with the rawdev.
 * @return its rte_dma dev_id, -ENODEV when the EP exports no DMA (or this
 * is the EP side), -EINVAL bad dev_id.
 */
__rte_experimental
int rte_pmd_ntb_dwedma_dma_dev_id(uint16_t dev_id);

__rte_experimental
int rte_pmd_ntb_dwedma_callback_register(uint16_t dev_id,
		rte_pmd_ntb_dwedma_event_cb_t cb, void *arg);
__rte_experimental
int rte_pmd_ntb_dwedma_callback_unregister(uint16_t dev_id,
		rte_pmd_ntb_dwedma_event_cb_t cb, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* RTE_PMD_NTB_DWEDMA_H */
