/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * libFuzzer harness: the transport handshake against a hostile peer.
 * Transport A runs over the loopback fake NTB of the unit tests; there is
 * no transport B: the input is what the peer writes into A's scratchpads,
 * round after round (a peer that changes them during the handshake, after
 * the link came up, or wipes them as on a restart), with the peer's link
 * enable bit. After each round A runs its link work; when a queue pair is
 * up, A sends and receives a burst through the windows it derived from
 * those values (ASan catches one reaching outside the window). Every
 * memzone is freed when A is destroyed.
 *
 * Input: byte 0: interrupt mode and MTU; then rounds of 1 + 16 * 4
 * bytes: flags (bit 0: peer link enabled, bit 1: keep the previous
 * spads, bit 2: NUM_MWS/VERSION/NUM_QPS kept sane so the fuzzer reaches
 * the size checks), 16 spad values.
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
#include "ntb_transport_wire.h"

#define WIN_LEN		(256 * 1024)
#define ROUND_LEN	(1 + 4 * FAKE_SPADS)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct rte_mempool *pool;
static uint64_t nb_inputs, nb_up, nb_rx, nb_tx;

static void
report(void)
{
	printf("fuzz_transport_spads: %" PRIu64 " inputs, %" PRIu64
	       " rounds with a QP up, %" PRIu64 " received, %" PRIu64
	       " sent\n", nb_inputs, nb_up, nb_rx, nb_tx);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	RTE_SET_USED(argc);
	fuzz_eal_init((*argv)[0], "fuzz_ntbt_sp", "128");
	pool = rte_pktmbuf_pool_create("fz_pool", 255, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	if (pool == NULL)
		abort();
	atexit(report);
	return 0;
}


/* Use every up QP once: a burst each way through the derived windows. */
static void
use_qps(struct ntbt *t)
{
	struct rte_mbuf *m[2];
	uint16_t q, n, i;

	for (q = 0; q < ntbt_nb_qp(t); q++) {
		struct ntbt_qp *qp = ntbt_qp(t, q);
		uint32_t max;

		if (qp == NULL || !ntbt_qp_link_up(qp))
			continue;
		nb_up++;
		max = ntbt_qp_max_payload(qp);
		m[0] = rte_pktmbuf_alloc(pool);
		if (m[0] == NULL)
			abort();
		n = (uint16_t)RTE_MIN(max, (uint32_t)rte_pktmbuf_tailroom(m[0]));
		if (n > 0)
			memset(rte_pktmbuf_append(m[0], n), 0xa5, n);
		i = ntbt_tx_burst(qp, m, 1);
		nb_tx += i;
		if (i == 0)
			rte_pktmbuf_free(m[0]);
		n = ntbt_rx_burst(qp, m, 2, pool);
		nb_rx += n;
		for (i = 0; i < n; i++)
			rte_pktmbuf_free(m[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t mtus[4] = { 2048, 0, 1500 + NTBT_HDR_SIZE, 64 };
	struct fake_pair pair;
	struct fake_intr fi;
	struct fake_side *a, *b;
	struct ntbt *t = NULL;
	struct ntbt_conf c;
	unsigned int i;

	if (size < 1)
		return 0;
	nb_inputs++;
	memset(&c, 0, sizeof(c));
	c.transport_mtu = mtus[data[0] & 3];
	c.intr_auto = (data[0] & 8) != 0;
	if (fake_pair_init(&pair, 1 + ((data[0] >> 4) & 1), WIN_LEN, 4) != 0)
		abort();
	a = &pair.s[0];
	b = &pair.s[1];
	fake_intr_init(&fi, &a->nd, data[0] & 4 ? NTB_INTR_DW_EDMA :
		       NTB_INTR_POLL, FAKE_MAX_QP);
	/* a refused configuration (dw_edma on 1 MW) is no finding */
	if (ntbt_create(&t, &a->nd, &fi.it, &c, SOCKET_ID_ANY) != 0) {
		fake_pair_fini(&pair);
		return 0;
	}
	if (ntbt_start(t) != 0)
		abort();
	data++;
	size--;
	for (; size >= ROUND_LEN; data += ROUND_LEN, size -= ROUND_LEN) {
		b->enabled = data[0] & 1;
		if (!(data[0] & 2))
			for (i = 0; i < FAKE_SPADS; i++)
				memcpy(&a->spad[i], data + 1 + 4 * i, 4);
		if (data[0] & 4) {
			a->spad[NTBT_SPAD_VERSION] = NTBT_VERSION;
			a->spad[NTBT_SPAD_NUM_MWS] %= 3;
			a->spad[NTBT_SPAD_NUM_QPS] %= 4;
		}
		ntbt_link_work(t);
		use_qps(t);
	}
	ntbt_stop(t);
	ntbt_destroy(t);
	fake_pair_fini(&pair);
	if (ntb_test_count_memzones("ntbt") != 0 ||
	    rte_mempool_avail_count(pool) != 255)
		abort();	/* a leak */
	return 0;
}
