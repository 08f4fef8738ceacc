/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_VNET_H
#define NTB_VNET_H

/*
 * net_ntb_vnet: an Ethernet port on top of the queue pairs of a
 * raw_ntb_dwedma rawdev. The rawdev copies the data and owns the wire
 * format; this driver maps ethdev calls onto the rawdev's public API
 * (rte_pmd_ntb_dwedma.h) and keeps the ethdev-side state: queues,
 * counters, link, MAC, Rx interrupt handle.
 *
 * Everything below lives in dev_private / rte_zmalloc memory so that a
 * secondary process can read the counters. The rawdev itself is only
 * reachable from the primary (rawdev devices are process-local).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mempool.h>
#include <rte_rawdev.h>

#include <rte_pmd_ntb_dwedma.h>

#include "ntb_compat.h"

struct rte_eth_dev;

#define NTB_VNET_DRIVER_NAME	net_ntb_vnet

/* Upper bound of queues=; the rawdev may allow fewer (max_queue_pairs). */
#define NTB_VNET_MAX_QUEUES	64

/* NTB rawdev ring limits (rte_pmd_ntb.h NTB_MIN/MAX_DESC_SIZE). */
#define NTB_VNET_MIN_DESC	64
#define NTB_VNET_MAX_DESC	1024
#define NTB_VNET_DEFAULT_DESC	256

/*
 * The frame carries the Ethernet header and data, no CRC. Sized as Linux
 * ntb_netdev sizes it: MTU = largest frame payload - ETH_HLEN, and its
 * Rx buffers hold MTU + ETH_HLEN bytes (no VLAN allowance: a tag eats
 * into the MTU). So Tx sends frames of at most MTU + 14 bytes, and an
 * Rx buffer of MTU + 14 bytes holds what such a peer sends.
 */
#define NTB_VNET_ETH_OVERHEAD	RTE_ETHER_HDR_LEN

/* max_pkt_len before the rawdev reports one (no link yet). */
#define NTB_VNET_FALLBACK_PKT_LEN	RTE_ETHER_MAX_LEN

/* Chunk of a Tx burst whose lengths are recorded before the rawdev frees
 * the mbufs.
 */
#define NTB_VNET_TX_CHUNK	32

enum ntb_vnet_mode {
	NTB_VNET_MODE_POLL,
	NTB_VNET_MODE_INTR,
};

/* Devargs of one port (ntb_vnet_devargs.c). */
struct ntb_vnet_args {
	char rawdev[RTE_RAWDEV_NAME_MAX_LEN];
	enum ntb_vnet_mode mode;
	uint16_t queues;		/* queue pairs, rx == tx count */
	bool mac_given;
	struct rte_ether_addr mac;
};

/* Counters kept by this driver (one writer: the queue's lcore). */
struct ntb_vnet_queue_stats {
	uint64_t pkts;
	uint64_t bytes;
	uint64_t errors;	/* Tx: oversize; Rx: chained without scatter */
	uint64_t mtu_drops;	/* Tx: longer than MTU + 14, dropped */
};

struct ntb_vnet_rxq {
	uint16_t rawdev_id;
	uint16_t qid;
	uint16_t port_id;
	uint16_t nb_desc;
	bool scatter;		/* chained mbufs allowed (Rx offload) */
	struct rte_mempool *mp;
	struct ntb_vnet_queue_stats stats;
};

struct ntb_vnet_txq {
	uint16_t rawdev_id;
	uint16_t qid;
	uint16_t nb_desc;
	uint16_t tx_free_thresh;
	const uint32_t *max_pkt_len;	/* points into the port's private data */
	const uint16_t *mtu;		/* the port's MTU (dev->data->mtu) */
	struct ntb_vnet_queue_stats stats;
};

struct ntb_vnet_private {
	struct ntb_vnet_args args;
	uint16_t rawdev_id;
	uint16_t port_id;
	uint32_t max_pkt_len;		/* from the rawdev; fallback until known */
	uint8_t rx_intr;		/* rawdev offers Rx interrupts */
	bool rawdev_configured;		/* rte_rawdev_configure done, close owed */
	bool rawdev_started;
	bool event_cb_registered;
	/*
	 * Rawdev counters of queue pairs that were closed (port stop closes
	 * the rawdev): the port's counters survive stop/start like a NIC's.
	 */
	struct rte_pmd_ntb_dwedma_qp_stats qp_base[NTB_VNET_MAX_QUEUES];
};

/* ntb_vnet_devargs.c */
int ntb_vnet_args_parse(const char *name, const char *params,
		struct ntb_vnet_args *args);
const char *ntb_vnet_mode_name(enum ntb_vnet_mode mode);

/* ntb_vnet_rxtx.c */
uint16_t ntb_vnet_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb);
uint16_t ntb_vnet_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb);

/* ntb_vnet_intr.c */
int ntb_vnet_rx_intr_install(struct rte_eth_dev *dev);
void ntb_vnet_rx_intr_uninstall(struct rte_eth_dev *dev);
int ntb_vnet_rx_intr_enable(struct rte_eth_dev *dev, uint16_t qid);
int ntb_vnet_rx_intr_disable(struct rte_eth_dev *dev, uint16_t qid);

/* ntb_vnet_stats.c */
int ntb_vnet_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats
		       NTB_ETH_STATS_QSTATS_PARAM);
int ntb_vnet_stats_reset(struct rte_eth_dev *dev);
int ntb_vnet_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats,
		unsigned int n);
int ntb_vnet_xstats_get_names(struct rte_eth_dev *dev,
		struct rte_eth_xstat_name *names, unsigned int size);
int ntb_vnet_xstats_reset(struct rte_eth_dev *dev);

void ntb_vnet_stats_save(struct rte_eth_dev *dev);

/* ntb_vnet_ethdev.c: true when this process can reach the rawdev. */
bool ntb_vnet_rawdev_reachable(const struct ntb_vnet_private *priv);

/* ntb_vnet_ops.c: the ops of a port in the primary and in a secondary. */
extern const struct eth_dev_ops ntb_vnet_ops;
extern const struct eth_dev_ops ntb_vnet_secondary_ops;

/* ntb_vnet_start_stop.c */
int ntb_vnet_dev_configure(struct rte_eth_dev *dev);
int ntb_vnet_dev_start(struct rte_eth_dev *dev);
int ntb_vnet_dev_stop(struct rte_eth_dev *dev);
int ntb_vnet_dev_close(struct rte_eth_dev *dev);
int ntb_vnet_dev_reset(struct rte_eth_dev *dev);

/* ntb_vnet_queue.c */
int ntb_vnet_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
		uint16_t nb_desc, unsigned int socket_id,
		const struct rte_eth_rxconf *conf, struct rte_mempool *mp);
int ntb_vnet_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
		uint16_t nb_desc, unsigned int socket_id,
		const struct rte_eth_txconf *conf);
void ntb_vnet_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid);
void ntb_vnet_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid);

/* ntb_vnet_link.c */
void ntb_vnet_link_read(struct rte_eth_dev *dev, struct rte_eth_link *link);
void ntb_vnet_refresh_info(struct ntb_vnet_private *priv);
int ntb_vnet_link_update(struct rte_eth_dev *dev, int wait_to_complete);
void ntb_vnet_rawdev_event(uint16_t rawdev_id,
		enum rte_pmd_ntb_dwedma_event event, void *arg);

#endif /* NTB_VNET_H */
