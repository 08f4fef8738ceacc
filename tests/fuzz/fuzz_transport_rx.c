/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * libFuzzer harness: the transport's Rx path against a hostile peer.
 * Two transports (A, B) are brought up over the loopback fake NTB of the
 * unit tests; the input is then a script of what the peer B writes into
 * A's memory: frame headers (flags, len, ver) in any slot, payload bytes,
 * raw words anywhere in the Rx buffer, and the rx_info word A's Tx side
 * reads. Between writes A runs Rx and Tx bursts. Every mbuf A hands out
 * must be a valid chain no longer than a frame's payload; ASan catches a
 * read or write outside the ring, and every memzone is freed at the end.
 *
 * Input: byte 0 picks the MTU and the Rx pool (2 KiB or 128 B segments,
 * for chains); then 12-byte ops: kind, slot, n, pad, a, b (u32 each).
 */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>

#include "fake_ntb.h"
#include "fuzz_common.h"
#include "ntb_test_usage.h"
#include "ntb_transport.h"
#include "ntb_transport_priv.h"

#define WIN_LEN		(256 * 1024)
#define OP_LEN		12
#define MAX_BURST	32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct rte_mempool *pool_big, *pool_small;
static uint64_t nb_inputs, nb_up, nb_rx, nb_tx;
static const uint32_t mtus[4] = { 2048, 0, 1500 + NTBT_HDR_SIZE, 256 };

static void
report(void)
{
	printf("fuzz_transport_rx: %" PRIu64 " inputs, %" PRIu64
	       " links up, %" PRIu64 " packets received, %" PRIu64 " sent\n",
	       nb_inputs, nb_up, nb_rx, nb_tx);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	RTE_SET_USED(argc);
	fuzz_eal_init((*argv)[0], "fuzz_ntbt_rx", "128");
	pool_big = rte_pktmbuf_pool_create("fz_big", 511, 0, 0,
					   RTE_MBUF_DEFAULT_BUF_SIZE,
					   SOCKET_ID_ANY);
	pool_small = rte_pktmbuf_pool_create("fz_small", 2047, 0, 0,
					     128 + RTE_PKTMBUF_HEADROOM,
					     SOCKET_ID_ANY);
	if (pool_big == NULL || pool_small == NULL)
		abort();
	atexit(report);
	return 0;
}


static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Every mbuf handed out is a sane chain within one frame's payload. */
static void
check_rx(struct ntbt_qp *a, struct rte_mbuf **rx, uint16_t n)
{
	const char *why;
	uint16_t i;

	for (i = 0; i < n; i++) {
		if (rte_mbuf_check(rx[i], 1, &why) != 0 ||
		    rx[i]->pkt_len == 0 ||
		    rx[i]->pkt_len > a->rx_max_frame - NTBT_HDR_SIZE)
			abort();
		rte_pktmbuf_free(rx[i]);
	}
	nb_rx += n;
}

static void
tx_some(struct ntbt_qp *a, unsigned int n, uint32_t len)
{
	struct rte_mbuf *tx[4];
	unsigned int i, k;
	uint16_t sent;

	n = 1 + n % RTE_DIM(tx);
	len = 1 + len % 4096;
	for (k = 0; k < n; k++) {
		tx[k] = rte_pktmbuf_alloc(pool_big);
		if (tx[k] == NULL)
			break;
		i = RTE_MIN(len, (uint32_t)rte_pktmbuf_tailroom(tx[k]));
		memset(rte_pktmbuf_append(tx[k], i), 0x5a, i);
	}
	sent = ntbt_tx_burst(a, tx, k);
	nb_tx += sent;
	for (i = sent; i < k; i++)
		rte_pktmbuf_free(tx[i]);
}

static void
run_ops(struct ntbt *ta, struct ntbt_qp *a, struct ntbt_qp *bq,
	struct rte_mempool *mp, const uint8_t *d, size_t size)
{
	struct rte_mbuf *rx[MAX_BURST];
	size_t ring = (size_t)a->rx_max_entry * a->rx_max_frame;

	for (; size >= OP_LEN; d += OP_LEN, size -= OP_LEN) {
		uint32_t slot = d[1] % a->rx_max_entry;
		uint32_t x = get32(d + 4), y = get32(d + 8);
		/* every mtus[] value keeps the headers 4-byte aligned */
		struct ntbt_payload_header *h = (struct ntbt_payload_header *)
			ntbt_hdr(bq->tx_base, bq->tx_max_frame, slot);

		switch (d[0] % 6) {
		case 0:	/* a header: flags, len, ver = slot's lap guess */
			h->len = y;
			h->ver = x >> 8 ? a->rx_seq + (d[2] & 3) : x;
			rte_wmb();
			h->flags = (x & 0xff) | (d[3] << 8);
			break;
		case 1:	/* payload bytes */
			memset(bq->tx_base + (size_t)slot * bq->tx_max_frame,
			       (int)x, RTE_MIN(y % bq->tx_max_frame,
					       bq->tx_max_frame -
					       NTBT_HDR_SIZE));
			break;
		case 2:	/* any word of our Rx memory */
			*(volatile uint32_t *)(uintptr_t)(bq->tx_base +
				((size_t)x % (ring / 4)) * 4) = y;
			break;
		case 3:	/* Rx burst */
			check_rx(a, rx, ntbt_rx_burst(a, rx,
					1 + d[2] % MAX_BURST, mp));
			break;
		case 4:	/* rx_info then Tx */
			*(volatile uint32_t *)(uintptr_t)a->tx_remote_entry =
				d[3] & 1 ? x : x % a->tx_max_entry;
			tx_some(a, d[2], y);
			break;
		case 5:
			ntbt_link_work(ta);
			break;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake_pair pair;
	struct fake_intr fi[2];
	struct ntbt *t[2] = { NULL, NULL };
	struct ntbt_conf c;
	struct rte_mempool *mp;
	int k, i;

	if (size < 1)
		return 0;
	nb_inputs++;
	memset(&c, 0, sizeof(c));
	c.transport_mtu = mtus[data[0] & 3];
	mp = data[0] & 4 ? pool_small : pool_big;
	if (fake_pair_init(&pair, 1, WIN_LEN, 4) != 0)
		abort();
	for (k = 0; k < 2; k++) {
		fake_intr_init(&fi[k], &pair.s[k].nd, NTB_INTR_POLL,
			       FAKE_MAX_QP);
		if (ntbt_create(&t[k], &pair.s[k].nd, &fi[k].it, &c,
				SOCKET_ID_ANY) != 0 || ntbt_start(t[k]) != 0)
			abort();
	}
	for (i = 0; i < 20; i++) {
		ntbt_link_work(t[0]);
		ntbt_link_work(t[1]);
		if (ntbt_qp_link_up(ntbt_qp(t[0], 0)) &&
		    ntbt_qp_link_up(ntbt_qp(t[1], 0)))
			break;
	}
	if (i == 20)
		abort();	/* the fake link must come up */
	nb_up++;
	run_ops(t[0], ntbt_qp(t[0], 0), ntbt_qp(t[1], 0), mp, data + 1,
		size - 1);
	ntbt_destroy(t[0]);
	ntbt_destroy(t[1]);
	fake_pair_fini(&pair);
	if (ntb_test_count_memzones("ntbt") != 0 ||
	    rte_mempool_avail_count(pool_big) != 511 ||
	    rte_mempool_avail_count(pool_small) != 2047)
		abort();	/* a leak */
	return 0;
}
