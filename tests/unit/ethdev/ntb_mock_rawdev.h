/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_MOCK_RAWDEV_H
#define NTB_MOCK_RAWDEV_H

/*
 * Test-only stand-in for raw_ntb_dwedma: a rawdev registered with
 * rte_rawdev_pmd_allocate plus the rte_pmd_ntb_dwedma_* functions. Tx of
 * queue pair q loops back to Rx of queue pair q through an rte_ring; Rx
 * copies into the queue's rx_mp (chained when larger than one mbuf), as
 * the real device copies frames; an armed queue gets its eventfd written.
 */

#include <stdbool.h>
#include <stdint.h>

struct rte_mbuf;

#define MOCK_DRIVER_OURS	"raw_ntb_mock"
#define MOCK_DRIVER_OTHER	"raw_other_mock"
#define MOCK_MAX_QP		8

struct mock_rawdev_conf {
	bool ours;		/* driver raw_ntb_mock (else not ours) */
	uint16_t max_qp;
	uint8_t rx_intr;
	uint32_t max_pkt_len;
	const char *intr_mode;
};

/* What the ethdev did to the device, for leak/lifecycle checks. */
struct mock_rawdev_counts {
	unsigned int configure;
	unsigned int queue_setup;
	unsigned int start;
	unsigned int stop;
	unsigned int close;
	bool configured;	/* queue pairs exist */
	bool started;
	uint16_t nb_qp;
	uint16_t queue_size;
	unsigned int callbacks;	/* registered event callbacks */
};

int mock_rawdev_create(const char *name, const struct mock_rawdev_conf *c);
int mock_rawdev_destroy(const char *name);
/* Set the transport link; fires LINK_UP/LINK_DOWN when it changes. */
void mock_rawdev_link(uint16_t id, bool up);
/* Count a refused frame on queue pair q (peer sent garbage). */
void mock_rawdev_rx_error(uint16_t id, uint16_t q);
bool mock_rawdev_armed(uint16_t id, uint16_t q);
/* The peer sends m on queue pair q (not through the port's Tx). */
uint16_t mock_rawdev_peer_send(uint16_t id, uint16_t q, struct rte_mbuf *m);
void mock_rawdev_counts_get(uint16_t id, struct mock_rawdev_counts *c);

#endif /* NTB_MOCK_RAWDEV_H */
