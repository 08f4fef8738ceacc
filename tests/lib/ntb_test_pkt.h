/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_TEST_PKT_H
#define NTB_TEST_PKT_H

/**
 * Numbered test packets that can be checked byte for byte: packet seq of
 * round round is ntb_test_pkt_len(seq) bytes, starts with seq and round
 * (host order) and goes on with a pattern of both, so that a packet of
 * another round, another number, a shifted byte or a wrong length fails
 * ntb_test_pkt_ok().
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

/** Length of packet seq: 64 to 1463 bytes. */
uint32_t ntb_test_pkt_len(uint32_t seq);

/** A new packet from mp (one segment), or NULL when mp is empty. */
struct rte_mbuf *ntb_test_pkt_make(struct rte_mempool *mp, uint32_t round,
				   uint32_t seq);

/** Is m packet seq of round, every byte? (chained mbufs too) */
bool ntb_test_pkt_ok(const struct rte_mbuf *m, uint32_t round, uint32_t seq);

/**
 * A packet of len bytes from mp whose byte i is seed + 7 i (one
 * segment), or NULL.
 */
struct rte_mbuf *ntb_test_pkt_fill(struct rte_mempool *mp, uint32_t len,
				   uint8_t seed);

/** Is m (chained or not) the packet ntb_test_pkt_fill(len, seed) made? */
bool ntb_test_pkt_fill_ok(const struct rte_mbuf *m, uint32_t len,
			  uint8_t seed);

#endif /* NTB_TEST_PKT_H */
