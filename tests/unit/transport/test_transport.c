/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Unit tests of the ntb_transport layer on a loopback pair of fake NTB
 * devices (fake_ntb.h): handshake, byte-exact transfer, ring wrap and
 * full ring, oversize drop, peer restart, and a hostile peer (spads,
 * headers, rx_info).
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>

#include "ntb_test.h"
#include "ntb_test_proc.h"
#include "ntb_test_usage.h"
#include "fake_ntb.h"
#include "ntb_transport.h"
#include "ntb_transport_priv.h"
#include "ntb_transport_wire.h"

#define WIN_LEN		(256 * 1024)


/* The header of Tx frame idx of queue pair q, as a struct (test windows
 * are 4-byte aligned; the driver itself uses ntbt_hdr_get/set). */
static struct ntbt_payload_header *
tx_hdr(struct ntbt_qp *q, uint32_t idx)
{
	return (struct ntbt_payload_header *)(void *)ntbt_hdr(q->tx_base,
		q->tx_max_frame, idx);
}

static struct rte_mempool *pool_big;	/* 2 KiB data room */
static struct rte_mempool *pool_small;	/* 128 B data room: Rx chains */

struct bench {
	struct fake_pair pair;
	struct fake_intr fi[2];
	struct ntbt *t[2];
	struct ntbt_conf conf;
	bool intr_auto[2];		/* conf.intr_auto per side */
	struct bench_ev {
		unsigned int up, down;
		bool rx_at_up;		/* an Rx burst from the up event */
		unsigned int rx_in_up;	/* frames that burst got */
	} ev[2];
};

static void
bench_event(struct ntbt *t, uint16_t qp, bool up, void *arg)
{
	struct bench_ev *ev = arg;
	struct rte_mbuf *rx[4];
	uint16_t n;

	if (up)
		ev->up++;
	else
		ev->down++;
	if (up && ev->rx_at_up) {
		/* what an application's data path thread could get now */
		n = ntbt_rx_burst(ntbt_qp(t, qp), rx, RTE_DIM(rx), pool_big);
		ev->rx_in_up += n;
		rte_pktmbuf_free_bulk(rx, n);
	}
}

static int
bench_create_side(struct bench *b, int k)
{
	struct ntbt_conf c = b->conf;

	c.event_cb = bench_event;
	c.event_arg = &b->ev[k];
	c.intr_auto = b->intr_auto[k];
	return ntbt_create(&b->t[k], &b->pair.s[k].nd, &b->fi[k].it, &c,
			   SOCKET_ID_ANY);
}

/* Side k: interrupt mode[k]; auto[k]: its interrupt MW is optional. */
static int
bench_init2(struct bench *b, unsigned int mw_count, unsigned int db_count,
	    uint32_t mtu, uint16_t nb_qp, const enum ntb_intr_mode mode[2],
	    const bool intr_auto[2])
{
	int k, rc;

	memset(b, 0, sizeof(*b));
	rc = fake_pair_init(&b->pair, mw_count, WIN_LEN, db_count);
	if (rc != 0)
		return rc;
	b->conf.transport_mtu = mtu;
	b->conf.nb_qp = nb_qp;
	for (k = 0; k < 2; k++) {
		b->intr_auto[k] = intr_auto[k];
		fake_intr_init(&b->fi[k], &b->pair.s[k].nd, mode[k],
			       FAKE_MAX_QP);
		rc = bench_create_side(b, k);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
bench_init(struct bench *b, unsigned int mw_count, unsigned int db_count,
	   uint32_t mtu, uint16_t nb_qp, enum ntb_intr_mode mode)
{
	const enum ntb_intr_mode m[2] = { mode, mode };
	const bool a[2] = { false, false };

	return bench_init2(b, mw_count, db_count, mtu, nb_qp, m, a);
}

static void
bench_fini(struct bench *b)
{
	ntbt_destroy(b->t[0]);
	ntbt_destroy(b->t[1]);
	fake_pair_fini(&b->pair);
}

/* Link work on both sides until every QP is up (bounded). */
static bool
bench_pump(struct bench *b)
{
	int i, k;
	uint16_t q;

	for (i = 0; i < 20; i++) {
		bool all = true;

		for (k = 0; k < 2; k++) {
			if (b->t[k] == NULL)
				continue;
			ntbt_link_work(b->t[k]);
		}
		/* the queue pairs of the layout both sides agreed on */
		for (k = 0; k < 2; k++)
			for (q = 0; b->t[k] && q < b->t[k]->qp_count; q++)
				all &= ntbt_qp_link_up(ntbt_qp(b->t[k], q));
		if (all)
			return true;
	}
	return false;
}

static int
bench_up(struct bench *b, unsigned int mw_count, unsigned int db_count,
	 uint32_t mtu, uint16_t nb_qp)
{
	if (bench_init(b, mw_count, db_count, mtu, nb_qp, NTB_INTR_POLL) != 0)
		return -1;
	if (ntbt_start(b->t[0]) != 0 || ntbt_start(b->t[1]) != 0)
		return -1;
	return bench_pump(b) ? 0 : -1;
}

/* Packet with a pattern derived from (seq, len), split in nseg segments. */
static struct rte_mbuf *
make_pkt(uint32_t seq, uint32_t len, unsigned int nseg)
{
	struct rte_mbuf *head = NULL, *tail = NULL;
	uint32_t off = 0, per;
	unsigned int s;

	if (nseg == 0)
		nseg = 1;
	per = (len + nseg - 1) / nseg;
	for (s = 0; s < nseg && (off < len || s == 0); s++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool_big);
		uint32_t n = RTE_MIN(per, len - off), i;
		uint8_t *d;

		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		d = (uint8_t *)rte_pktmbuf_append(m, n);
		if (d == NULL && n != 0) {
			rte_pktmbuf_free(m);
			rte_pktmbuf_free(head);
			return NULL;
		}
		for (i = 0; i < n; i++)
			d[i] = (uint8_t)((seq * 31 + off + i) ^ (len >> 3));
		off += n;
		if (head == NULL) {
			head = m;
		} else {
			tail->next = m;
			head->nb_segs++;
			head->pkt_len += n;
		}
		tail = m;
	}
	return head;
}

/* Big packets need chained 2 KiB segments. */
static struct rte_mbuf *
make_pkt_auto(uint32_t seq, uint32_t len, unsigned int nseg)
{
	unsigned int need = (len + 2047) / 2048;

	return make_pkt(seq, len, RTE_MAX(nseg, need));
}

static bool
check_pkt(const struct rte_mbuf *m, uint32_t seq, uint32_t len)
{
	uint32_t off = 0, i;

	if (m->pkt_len != len)
		return false;
	for (; m != NULL; m = m->next) {
		const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);

		for (i = 0; i < m->data_len; i++, off++)
			if (d[i] != (uint8_t)((seq * 31 + off) ^ (len >> 3)))
				return false;
	}
	return off == len;
}

static int
test_qp_count_rules(void)
{
	struct fake_pair p;
	struct ntbt_conf c = { 0 };

	NTB_TEST_ASSERT(fake_pair_init(&p, 2, WIN_LEN, 4) == 0, "pair");
	/* ilog2(0xf) = 3, capped by 2 MWs */
	NTB_TEST_ASSERT(ntbt_qp_count(&p.s[0].nd, NTB_INTR_POLL, &c) == 2,
			"poll, 2 MWs");
	c.nb_qp = 1;
	NTB_TEST_ASSERT(ntbt_qp_count(&p.s[0].nd, NTB_INTR_POLL, &c) == 1,
			"nb_qp 1");
	c.nb_qp = 3;	/* max_num_clients replaces the MW cap */
	NTB_TEST_ASSERT(ntbt_qp_count(&p.s[0].nd, NTB_INTR_POLL, &c) == 2,
			"nb_qp 3 = ilog2 not < 3: MW cap");
	c.nb_qp = 0;
	/* interrupt MW: one MW and one doorbell bit less */
	NTB_TEST_ASSERT(ntbt_qp_count(&p.s[0].nd, NTB_INTR_DW_EDMA, &c) == 1,
			"dw_edma");
	p.s[0].nd.mw_count = 1;
	NTB_TEST_ASSERT(ntbt_qp_count(&p.s[0].nd, NTB_INTR_DW_EDMA, &c) < 0,
			"dw_edma needs 2 MWs");
	p.s[0].nd.spad_count = 5;
	NTB_TEST_ASSERT(ntbt_qp_count(&p.s[0].nd, NTB_INTR_POLL, &c) < 0,
			"too few spads");
	p.s[0].nd.spad_count = FAKE_SPADS;
	p.s[0].nd.db_valid_mask = 0;
	NTB_TEST_ASSERT(ntbt_qp_count(&p.s[0].nd, NTB_INTR_POLL, &c) < 0,
			"no doorbells");
	p.s[0].nd.db_valid_mask = 1;	/* ilog2(1) = 0 queue pairs */
	NTB_TEST_ASSERT(ntbt_qp_count(&p.s[0].nd, NTB_INTR_POLL, &c) < 0,
			"one doorbell bit");
	fake_pair_fini(&p);
	return 0;
}

/* Handshake with one side's link work running well ahead of the other. */
static int
handshake_order(int first)
{
	struct bench b;
	int second = !first, i;
	struct fake_side *f = &b.pair.s[first];

	NTB_TEST_ASSERT(bench_init(&b, 1, 4, 0, 0, NTB_INTR_POLL) == 0, "init");
	NTB_TEST_ASSERT(ntbt_start(b.t[first]) == 0, "start first");
	for (i = 0; i < 3; i++)
		NTB_TEST_ASSERT(ntbt_link_work(b.t[first]) == 0,
				"no link yet");
	NTB_TEST_ASSERT(ntbt_start(b.t[second]) == 0, "start second");
	/* first writes the peer's spads but its own are still empty */
	NTB_TEST_ASSERT(ntbt_link_work(b.t[first]) == 0, "first waits");
	NTB_TEST_ASSERT(b.pair.s[second].spad[NTBT_SPAD_VERSION] == 4,
			"VERSION written into the peer's spads");
	NTB_TEST_ASSERT(b.pair.s[second].spad[NTBT_SPAD_NUM_QPS] == 1 &&
			b.pair.s[second].spad[NTBT_SPAD_NUM_MWS] == 1 &&
			b.pair.s[second].spad[NTBT_SPAD_MW0_SZ_HIGH] == 0 &&
			b.pair.s[second].spad[NTBT_SPAD_MW0_SZ_LOW] == WIN_LEN,
			"NUM_QPS/NUM_MWS/MW0 size");
	NTB_TEST_ASSERT(!ntbt_qp_link_up(ntbt_qp(b.t[first], 0)), "down");
	/* second: transport up, QP announced, QP not up yet */
	NTB_TEST_ASSERT(ntbt_link_work(b.t[second]) == 1, "second up");
	NTB_TEST_ASSERT(f->spad[NTBT_SPAD_QP_LINKS] == 1, "QP_LINKS bit");
	NTB_TEST_ASSERT(!ntbt_qp_link_up(ntbt_qp(b.t[second], 0)), "qp wait");
	NTB_TEST_ASSERT(ntbt_link_work(b.t[first]) == 1, "first up");
	NTB_TEST_ASSERT(ntbt_qp_link_up(ntbt_qp(b.t[first], 0)), "first qp");
	NTB_TEST_ASSERT(ntbt_link_work(b.t[second]) == 1, "second");
	NTB_TEST_ASSERT(ntbt_qp_link_up(ntbt_qp(b.t[second], 0)), "qp up");
	NTB_TEST_ASSERT(b.ev[0].up == 1 && b.ev[1].up == 1, "one up event each");
	NTB_TEST_ASSERT(b.pair.s[0].trans_set[0] && b.pair.s[1].trans_set[0],
			"RX buffers translated");
	NTB_TEST_ASSERT(b.pair.s[0].trans_size[0] == WIN_LEN, "peer size");
	NTB_TEST_ASSERT(ntbt_qp_max_payload(ntbt_qp(b.t[0], 0)) ==
			0x10000 - 12, "default mtu: 64 KiB frames");
	bench_fini(&b);
	return 0;
}

static int
test_handshake_a_first(void)
{
	return handshake_order(0);
}

static int
test_handshake_b_first(void)
{
	return handshake_order(1);
}

/* Send cnt packets a->b, receive and compare; sizes from fn. */
static int
xfer(struct bench *b, int from, uint16_t q, uint32_t cnt,
     uint32_t (*size_of)(uint32_t i, uint32_t max), unsigned int nseg,
     struct rte_mempool *rxp, uint32_t *seq)
{
	struct ntbt_qp *tq = ntbt_qp(b->t[from], q);
	struct ntbt_qp *rq = ntbt_qp(b->t[!from], q);
	uint32_t max = ntbt_qp_max_payload(tq), sent = 0, recv = 0;
	uint32_t base = *seq, guard = 0;
	struct rte_mbuf *tx[32], *rx[32];

	NTB_TEST_ASSERT(max > 0, "qp up");
	while (recv < cnt) {
		uint16_t n = 0, k, got;

		while (n < 32 && sent + n < cnt) {
			uint32_t i = sent + n;

			tx[n] = make_pkt_auto(base + i, size_of(i, max), nseg);
			NTB_TEST_ASSERT(tx[n] != NULL, "mbuf");
			n++;
		}
		k = ntbt_tx_burst(tq, tx, n);
		for (; k < n; n--)
			rte_pktmbuf_free(tx[n - 1]);
		sent += k;
		do {
			got = ntbt_rx_burst(rq, rx, 32, rxp);
			for (k = 0; k < got; k++) {
				uint32_t i = recv + k;

				NTB_TEST_ASSERT(check_pkt(rx[k], base + i,
						size_of(i, max)),
						"packet %u bytes differ", i);
				rte_pktmbuf_free(rx[k]);
			}
			recv += got;
		} while (got != 0);
		NTB_TEST_ASSERT(++guard < 10 * cnt + 100, "no progress");
	}
	*seq = base + cnt;
	return 0;
}

static uint32_t
size_varied(uint32_t i, uint32_t max)
{
	static const uint32_t fixed[] = { 64, 65, 1, 127, 1500, 2048, 2049,
					  9000 };

	if (i < RTE_DIM(fixed))
		return RTE_MIN(fixed[i], max);
	if (i == RTE_DIM(fixed))
		return max;
	return 1 + (i * 7919u) % max;
}

static uint32_t
size_small(uint32_t i, uint32_t max)
{
	return RTE_MIN(60 + (i * 131u) % 1400, max);
}

static int
test_transfer_both_ways(void)
{
	struct bench b;
	uint32_t seq = 0;
	struct ntbt_qp_stats st;

	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 0, 0) == 0, "up");
	NTB_TEST_ASSERT(xfer(&b, 0, 0, 40, size_varied, 1, pool_big, &seq) == 0,
			"A->B");
	NTB_TEST_ASSERT(xfer(&b, 1, 0, 40, size_varied, 3, pool_big, &seq) == 0,
			"B->A multi-segment Tx");
	NTB_TEST_ASSERT(xfer(&b, 0, 0, 20, size_varied, 4, pool_small,
			     &seq) == 0, "A->B into 128 B mbuf chains");
	ntbt_qp_stats_get(ntbt_qp(b.t[0], 0), &st);
	NTB_TEST_ASSERT(st.tx_pkts == 60 && st.rx_pkts == 40, "counts %" PRIu64
			"/%" PRIu64, st.tx_pkts, st.rx_pkts);
	NTB_TEST_ASSERT(st.tx_err_oversize == 0 && st.rx_err_ver == 0, "clean");
	bench_fini(&b);
	return 0;
}

static int
test_two_qps_one_mw(void)
{
	struct bench b;
	uint32_t seq = 0;

	/* ilog2(0xf) = 3 > nb_qp 2: two QPs share MW 0 */
	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 4096, 2) == 0, "up");
	NTB_TEST_ASSERT(ntbt_nb_qp(b.t[0]) == 2, "2 qps");
	NTB_TEST_ASSERT(ntbt_qp(b.t[0], 0)->rx_base + WIN_LEN / 2 ==
			ntbt_qp(b.t[0], 1)->rx_base, "slice offsets");
	NTB_TEST_ASSERT(xfer(&b, 0, 1, 300, size_small, 1, pool_big, &seq) == 0,
			"qp1");
	NTB_TEST_ASSERT(xfer(&b, 1, 0, 300, size_small, 2, pool_big, &seq) == 0,
			"qp0");
	NTB_TEST_ASSERT(b.fi[0].kicks[1] > 0 && b.fi[1].kicks[0] > 0 &&
			b.fi[0].kicks[0] == 0, "kicks on the sending QP only");
	bench_fini(&b);
	return 0;
}

static int
test_wrap_around(void)
{
	struct bench b;
	uint32_t seq = 0;
	struct ntbt_qp_stats st;

	/* 2 KiB frames: 127 per ring, 20000 packets wrap ~157 times */
	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	NTB_TEST_ASSERT(ntbt_qp(b.t[0], 0)->tx_max_entry == 127, "entries");
	NTB_TEST_ASSERT(xfer(&b, 0, 0, 20000, size_small, 1, pool_big,
			     &seq) == 0, "A->B");
	NTB_TEST_ASSERT(xfer(&b, 1, 0, 5000, size_small, 2, pool_big,
			     &seq) == 0, "B->A");
	ntbt_qp_stats_get(ntbt_qp(b.t[1], 0), &st);
	NTB_TEST_ASSERT(st.rx_pkts == 20000 && st.tx_pkts == 5000, "counts");
	bench_fini(&b);
	return 0;
}

/*
 * Frames of 2046 B (a transport_mtu that is not a multiple of 4, which a
 * kernel peer may use): every other header sits 2 bytes off a word. The
 * ring setup finds that once per QP and the bursts then access headers
 * byte by byte (the sanitizer build fails on a misaligned access);
 * every packet arrives intact both ways, across wrap-arounds. A ring of
 * 2048 B frames takes the aligned path.
 */
static int
test_unaligned_headers(void)
{
	struct ntbt_qp *a, *bq;
	struct bench b;
	uint32_t seq = 0;

	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2046, 0) == 0, "up");
	a = ntbt_qp(b.t[0], 0);
	bq = ntbt_qp(b.t[1], 0);
	NTB_TEST_ASSERT(a->tx_max_frame == 2046 &&
			((uintptr_t)ntbt_hdr(a->tx_base, a->tx_max_frame, 0) &
			 3) != 0, "header 0 off a word");
	NTB_TEST_ASSERT(!a->tx_hdr_aligned && !a->rx_hdr_aligned &&
			!bq->tx_hdr_aligned && !bq->rx_hdr_aligned,
			"unaligned rings found at setup");
	NTB_TEST_ASSERT(xfer(&b, 0, 0, 1000, size_small, 1, pool_big,
			     &seq) == 0, "A->B");
	NTB_TEST_ASSERT(xfer(&b, 1, 0, 1000, size_small, 2, pool_big,
			     &seq) == 0, "B->A");
	bench_fini(&b);

	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	a = ntbt_qp(b.t[0], 0);
	bq = ntbt_qp(b.t[1], 0);
	NTB_TEST_ASSERT(a->tx_hdr_aligned && a->rx_hdr_aligned &&
			bq->tx_hdr_aligned && bq->rx_hdr_aligned,
			"aligned rings found at setup");
	NTB_TEST_ASSERT(xfer(&b, 0, 0, 300, size_small, 1, pool_big,
			     &seq) == 0, "A->B aligned");
	bench_fini(&b);
	return 0;
}

/* Kick suppression: the receiver's word in the pad before rx_info. */
static int
test_kick_suppression(void)
{
	struct bench b;
	struct ntbt_qp *a, *bq;
	struct rte_mbuf *m, *rx[4];
	uint64_t kicks;
	uint32_t seq = 0;
	int step;

	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	a = ntbt_qp(b.t[0], 0);
	bq = ntbt_qp(b.t[1], 0);
	NTB_TEST_ASSERT(a->tx_kick_word != NULL && bq->rx_kick_word != NULL,
			"both words exist (the slice has a pad)");
	NTB_TEST_ASSERT(*a->tx_kick_word == 0, "A zeroed its word");
	*bq->rx_kick_word = 0x12345678;
	NTB_TEST_ASSERT(*a->tx_kick_word == 0x12345678,
			"A's local word is the one B writes through its window");
	*bq->rx_kick_word = 0;
	/* steps: 0 nothing published yet (a Linux receiver stays here),
	 * 1 B polled (off), 2 B armed, 3 B disarmed
	 */
	for (step = 0; step < 4; step++) {
		if (step == 2)
			ntbt_qp_rx_arm(bq, true);
		if (step == 3)
			ntbt_qp_rx_arm(bq, false);
		kicks = b.fi[0].kicks[0];
		NTB_TEST_ASSERT((m = make_pkt(seq, 60, 1)) != NULL, "m");
		NTB_TEST_ASSERT(ntbt_tx_burst(a, &m, 1) == 1, "sent");
		NTB_TEST_ASSERT(b.fi[0].kicks[0] - kicks ==
				(step == 0 || step == 2 ? 1u : 0u),
				"step %d: %" PRIu64 " kicks", step,
				b.fi[0].kicks[0] - kicks);
		NTB_TEST_ASSERT(ntbt_rx_burst(bq, rx, 4, pool_big) == 1 &&
				check_pkt(rx[0], seq, 60), "received");
		rte_pktmbuf_free(rx[0]);
		seq++;
		NTB_TEST_ASSERT(*a->tx_kick_word ==
				(step == 2 ? NTBT_KICK_ON : NTBT_KICK_OFF),
				"step %d: word %#x", step, *a->tx_kick_word);
	}
	/* a Linux peer never writes the word; after a QP reset it is 0 */
	*(volatile uint32_t *)(uintptr_t)a->tx_kick_word = 0;
	kicks = b.fi[0].kicks[0];
	NTB_TEST_ASSERT((m = make_pkt(seq, 60, 1)) != NULL, "m");
	NTB_TEST_ASSERT(ntbt_tx_burst(a, &m, 1) == 1 &&
			b.fi[0].kicks[0] == kicks + 1, "unknown word: kick");
	NTB_TEST_ASSERT(ntbt_rx_burst(bq, rx, 4, pool_big) == 1, "received");
	rte_pktmbuf_free(rx[0]);
	bench_fini(&b);

	/* frames fill the slice exactly (4 * 65535 - 4 = 257 * 1020): no
	 * pad, no word: always kick
	 */
	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 1020, 0) == 0, "up, no pad");
	a = ntbt_qp(b.t[0], 0);
	bq = ntbt_qp(b.t[1], 0);
	NTB_TEST_ASSERT(a->tx_kick_word == NULL && bq->rx_kick_word == NULL,
			"no word without a pad");
	for (step = 0; step < 2; step++) {
		kicks = b.fi[0].kicks[0];
		NTB_TEST_ASSERT((m = make_pkt(step, 60, 1)) != NULL, "m");
		NTB_TEST_ASSERT(ntbt_tx_burst(a, &m, 1) == 1 &&
				b.fi[0].kicks[0] == kicks + 1,
				"no pad: kick %d", step);
		NTB_TEST_ASSERT(ntbt_rx_burst(bq, rx, 4, pool_big) == 1,
				"received");
		rte_pktmbuf_free(rx[0]);
	}
	bench_fini(&b);
	return 0;
}

static int
test_full_ring_and_one_kick(void)
{
	struct bench b;
	struct ntbt_qp *a;
	struct rte_mbuf *tx[200], *rx[200];
	struct ntbt_qp_stats st;
	uint16_t k, got, i;
	uint64_t kicks;

	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	a = ntbt_qp(b.t[0], 0);
	for (i = 0; i < 200; i++)
		NTB_TEST_ASSERT((tx[i] = make_pkt(i, 100 + i, 1)) != NULL, "m");
	kicks = b.fi[0].kicks[0];
	k = ntbt_tx_burst(a, tx, 200);
	NTB_TEST_ASSERT(k == 126, "one slot kept empty: sent %u", k);
	NTB_TEST_ASSERT(b.fi[0].kicks[0] == kicks + 1, "one kick per burst");
	NTB_TEST_ASSERT(ntbt_tx_burst(a, tx + k, 200 - k) == 0, "still full");
	ntbt_qp_stats_get(a, &st);
	NTB_TEST_ASSERT(st.tx_ring_full == 2, "ring full counted");
	got = ntbt_rx_burst(ntbt_qp(b.t[1], 0), rx, 200, pool_big);
	NTB_TEST_ASSERT(got == 126, "all received");
	for (i = 0; i < got; i++) {
		NTB_TEST_ASSERT(check_pkt(rx[i], i, 100 + i), "pkt %u", i);
		rte_pktmbuf_free(rx[i]);
	}
	/* room again: the rest goes through in order */
	k = ntbt_tx_burst(a, tx + 126, 74);
	NTB_TEST_ASSERT(k == 74, "rest sent");
	got = ntbt_rx_burst(ntbt_qp(b.t[1], 0), rx, 200, pool_big);
	NTB_TEST_ASSERT(got == 74, "rest received");
	for (i = 0; i < got; i++) {
		NTB_TEST_ASSERT(check_pkt(rx[i], 126 + i, 226 + i), "pkt");
		rte_pktmbuf_free(rx[i]);
	}
	bench_fini(&b);
	return 0;
}

static int
test_oversize_dropped(void)
{
	struct bench b;
	struct ntbt_qp *a;
	struct rte_mbuf *tx[3], *rx[4];
	struct ntbt_qp_stats st;
	uint32_t max;
	uint16_t got;

	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	a = ntbt_qp(b.t[0], 0);
	max = ntbt_qp_max_payload(a);
	NTB_TEST_ASSERT(max == 2048 - 12, "max payload");
	tx[0] = make_pkt(0, 100, 1);
	tx[1] = make_pkt(1, max + 1, 2);
	tx[2] = make_pkt(2, max, 1);
	NTB_TEST_ASSERT(tx[0] && tx[1] && tx[2], "mbufs");
	NTB_TEST_ASSERT(ntbt_tx_burst(a, tx, 3) == 3, "all consumed");
	ntbt_qp_stats_get(a, &st);
	NTB_TEST_ASSERT(st.tx_err_oversize == 1 && st.tx_pkts == 2, "counted");
	got = ntbt_rx_burst(ntbt_qp(b.t[1], 0), rx, 4, pool_big);
	NTB_TEST_ASSERT(got == 2, "2 received");
	NTB_TEST_ASSERT(check_pkt(rx[0], 0, 100) && check_pkt(rx[1], 2, max),
			"bytes, no gap in ver");
	rte_pktmbuf_free(rx[0]);
	rte_pktmbuf_free(rx[1]);
	ntbt_qp_stats_get(ntbt_qp(b.t[1], 0), &st);
	NTB_TEST_ASSERT(st.rx_err_ver == 0, "no version error");
	bench_fini(&b);
	return 0;
}

static void
mz_dump_cb(const struct rte_memzone *mz, void *arg)
{
	RTE_SET_USED(arg);
	printf("# memzone %s len %zu\n", mz->name, mz->len);
}

/* Receive buffers allocated (NTBT_MZ_DUMP=1: every memzone listed). */
static unsigned int
ntbt_memzones(void)
{
	if (getenv("NTBT_MZ_DUMP"))
		rte_memzone_walk(mz_dump_cb, NULL);
	return ntb_test_count_memzones("ntbt_rx_");
}

static int
test_peer_restart(void)
{
	struct bench b;
	uint32_t seq = 0;
	struct rte_mbuf *rx[4];
	struct ntbt_qp_stats st;
	int round;

	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	NTB_TEST_ASSERT(ntbt_memzones() == 2, "one Rx buffer per side");
	for (round = 0; round < 3; round++) {
		NTB_TEST_ASSERT(xfer(&b, 0, 0, 300, size_small, 1, pool_big,
				     &seq) == 0, "A->B before restart");
		/* B goes away: LINK_DOWN frame, QP_LINKS cleared, link off */
		ntbt_destroy(b.t[1]);
		b.t[1] = NULL;
		NTB_TEST_ASSERT(b.pair.s[1].spad[NTBT_SPAD_VERSION] == 0,
				"B zeroed its spads");
		NTB_TEST_ASSERT((b.pair.s[0].spad[NTBT_SPAD_QP_LINKS] & 1) == 0,
				"B cleared its QP_LINKS bit at A");
		NTB_TEST_ASSERT(ntbt_rx_burst(ntbt_qp(b.t[0], 0), rx, 4,
					      pool_big) == 0, "nothing");
		ntbt_qp_stats_get(ntbt_qp(b.t[0], 0), &st);
		NTB_TEST_ASSERT(st.rx_link_down == (uint64_t)round + 1,
				"LINK_DOWN frame seen");
		NTB_TEST_ASSERT(!ntbt_qp_link_up(ntbt_qp(b.t[0], 0)), "A down");
		NTB_TEST_ASSERT(ntbt_link_work(b.t[0]) == 0, "transport down");
		NTB_TEST_ASSERT(b.ev[0].down == (unsigned int)round + 1,
				"down event");
		NTB_TEST_ASSERT(!b.pair.s[0].trans_set[0] &&
				!b.pair.s[1].trans_set[0], "no stale mapping");
		NTB_TEST_ASSERT(ntbt_memzones() == 0, "Rx buffers freed");
		/* B comes back */
		NTB_TEST_ASSERT(bench_create_side(&b, 1) == 0, "recreate");
		NTB_TEST_ASSERT(ntbt_start(b.t[1]) == 0, "restart");
		NTB_TEST_ASSERT(bench_pump(&b), "re-handshake");
		NTB_TEST_ASSERT(ntbt_memzones() == 2, "no leak");
		NTB_TEST_ASSERT(xfer(&b, 1, 0, 300, size_small, 1, pool_big,
				     &seq) == 0, "B->A after restart");
	}
	NTB_TEST_ASSERT(b.ev[0].up == 4, "A saw 4 up events");
	bench_fini(&b);
	NTB_TEST_ASSERT(ntbt_memzones() == 0, "all freed");
	return 0;
}

/* Local stop of B while A keeps running: A learns it from the link. */
static int
test_ntb_link_lost(void)
{
	struct bench b;
	uint32_t seq = 0;

	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	b.pair.s[1].enabled = false;	/* the NTB link drops under both */
	NTB_TEST_ASSERT(ntbt_link_work(b.t[0]) == 0, "A down");
	NTB_TEST_ASSERT(ntbt_link_work(b.t[1]) == 0, "B down");
	NTB_TEST_ASSERT(b.ev[0].down == 1 && b.ev[1].down == 1, "down events");
	NTB_TEST_ASSERT(!ntbt_qp_link_up(ntbt_qp(b.t[0], 0)), "qp down");
	NTB_TEST_ASSERT(ntbt_memzones() == 0, "freed");
	b.pair.s[1].enabled = true;
	NTB_TEST_ASSERT(bench_pump(&b), "back up");
	NTB_TEST_ASSERT(xfer(&b, 0, 0, 500, size_small, 1, pool_big,
			     &seq) == 0, "traffic");
	bench_fini(&b);
	return 0;
}

/* A alone against spad values written by the test as a lying peer. */
static int
test_hostile_spads(void)
{
	struct bench b;
	struct fake_side *a;
	struct ntbt *t;
	unsigned int i;

	NTB_TEST_ASSERT(bench_init(&b, 1, 4, 0, 0, NTB_INTR_POLL) == 0, "init");
	ntbt_destroy(b.t[1]);
	b.t[1] = NULL;
	b.pair.s[1].enabled = true;	/* the "peer" is this test */
	t = b.t[0];
	a = &b.pair.s[0];
	NTB_TEST_ASSERT(ntbt_start(t) == 0, "start");

	a->spad[NTBT_SPAD_NUM_QPS] = 1;
	a->spad[NTBT_SPAD_NUM_MWS] = 1;
	a->spad[NTBT_SPAD_MW0_SZ_LOW] = WIN_LEN;
	a->spad[NTBT_SPAD_VERSION] = 3;
	NTB_TEST_ASSERT(ntbt_link_work(t) == 0, "version 3 refused");
	a->spad[NTBT_SPAD_VERSION] = 4;
	a->spad[NTBT_SPAD_NUM_QPS] = 7;
	NTB_TEST_ASSERT(ntbt_link_work(t) == 0, "NUM_QPS mismatch refused");
	a->spad[NTBT_SPAD_NUM_QPS] = 1;
	a->spad[NTBT_SPAD_NUM_MWS] = 0;
	NTB_TEST_ASSERT(ntbt_link_work(t) == 0, "NUM_MWS mismatch refused");
	a->spad[NTBT_SPAD_NUM_MWS] = 1;
	a->spad[NTBT_SPAD_MW0_SZ_LOW] = 0;
	NTB_TEST_ASSERT(ntbt_link_work(t) == 0, "MW size 0 refused");
	a->spad[NTBT_SPAD_MW0_SZ_HIGH] = 0x100;	/* 1 TiB */
	NTB_TEST_ASSERT(ntbt_link_work(t) == 0, "huge MW refused");
	a->spad[NTBT_SPAD_MW0_SZ_HIGH] = 0;
	a->spad[NTBT_SPAD_MW0_SZ_LOW] = WIN_LEN + 4096;
	NTB_TEST_ASSERT(ntbt_link_work(t) == 0, "MW above size_max refused");
	a->spad[NTBT_SPAD_MW0_SZ_LOW] = 100;	/* no room for 2 frames */
	NTB_TEST_ASSERT(ntbt_link_work(t) == 0, "tiny MW refused");
	/* refusals allocate nothing, so they are not rate limited */
	for (i = 0; i < 2 * NTBT_FLAP_BURST; i++)
		NTB_TEST_ASSERT(ntbt_link_work(t) == 0, "refused again");
	NTB_TEST_ASSERT(ntbt_memzones() == 0 && a->set_trans_calls == 0,
			"nothing allocated for refused values");
	a->spad[NTBT_SPAD_MW0_SZ_LOW] = 64 * 1024;	/* smaller is fine */
	NTB_TEST_ASSERT(ntbt_link_work(t) == 1, "valid values accepted");
	NTB_TEST_ASSERT(a->trans_size[0] == 64 * 1024, "peer's size used");
	NTB_TEST_ASSERT(ntbt_qp(t, 0)->rx_max_frame == 32 * 1024 - 2 &&
			ntbt_qp(t, 0)->rx_max_entry == 1 + 1, "rx geometry");
	/* the peer wipes its spads (restart): A notices and starts over */
	memset(b.pair.s[1].spad, 0, sizeof(b.pair.s[1].spad));
	NTB_TEST_ASSERT(ntbt_link_work(t) == 0, "peer gone: start over");
	NTB_TEST_ASSERT(ntbt_memzones() == 0 && a->clear_trans_calls == 1,
			"Rx buffer unmapped and freed");
	NTB_TEST_ASSERT(b.pair.s[1].spad[NTBT_SPAD_VERSION] == 4,
			"A re-published its spads");
	NTB_TEST_ASSERT(a->spad[NTBT_SPAD_VERSION] == 0, "A zeroed its own");
	bench_fini(&b);
	NTB_TEST_ASSERT(ntbt_memzones() == 0, "freed");
	return 0;
}

/* Write a DONE frame of len bytes (pattern of check_pkt) into A's ring. */
static void
peer_put_frame(struct ntbt_qp *bq, uint32_t idx, uint32_t ver, uint32_t len,
	       uint32_t pat)
{
	struct ntbt_payload_header *h;
	uint8_t *f = bq->tx_base + (size_t)idx * bq->tx_max_frame;
	uint32_t i;

	for (i = 0; i < len; i++)
		f[i] = (uint8_t)((pat * 31 + i) ^ (len >> 3));
	h = tx_hdr(bq, idx);
	h->len = len;
	h->ver = ver;
	rte_wmb();
	h->flags = NTBT_DESC_DONE_FLAG;
}

/* Frames written by a lying sender straight into A's Rx ring. */
static int
test_hostile_header(void)
{
	struct bench b;
	struct ntbt_qp *a, *bq;
	struct ntbt_payload_header *h;
	struct rte_mbuf *rx[4], *tx[1];
	struct ntbt_qp_stats st;
	uint32_t i;

	/* 1. len beyond the frame */
	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	a = ntbt_qp(b.t[0], 0);
	bq = ntbt_qp(b.t[1], 0);
	h = tx_hdr(bq, 0);
	h->ver = 0;
	h->len = 0xfffffff0;
	h->flags = NTBT_DESC_DONE_FLAG;
	NTB_TEST_ASSERT(ntbt_rx_burst(a, rx, 4, pool_big) == 0, "refused");
	NTB_TEST_ASSERT(ntbt_rx_burst(a, rx, 4, pool_big) == 0, "consumed");
	ntbt_qp_stats_get(a, &st);
	NTB_TEST_ASSERT(st.rx_err_len == 1 && st.rx_pkts == 0, "counted once");
	NTB_TEST_ASSERT(h->flags == 0 && *a->rx_remote_entry == 0,
			"slot given back");
	peer_put_frame(bq, 1, 1, 2048 - 12 + 1, 0);	/* one byte too long */
	peer_put_frame(bq, 2, 2, 70, 2);
	NTB_TEST_ASSERT(ntbt_rx_burst(a, rx, 4, pool_big) == 1 &&
			check_pkt(rx[0], 2, 70), "the ring goes on");
	rte_pktmbuf_free(rx[0]);
	ntbt_qp_stats_get(a, &st);
	NTB_TEST_ASSERT(st.rx_err_len == 2 && st.rx_err_ver == 0, "counted");
	bench_fini(&b);

	/* 2. wrong ver */
	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	a = ntbt_qp(b.t[0], 0);
	bq = ntbt_qp(b.t[1], 0);
	h = tx_hdr(bq, 0);
	h->ver = 5;
	h->len = 10;
	h->flags = NTBT_DESC_DONE_FLAG;
	NTB_TEST_ASSERT(ntbt_rx_burst(a, rx, 4, pool_big) == 0, "refused");
	ntbt_qp_stats_get(a, &st);
	NTB_TEST_ASSERT(st.rx_err_ver == 1 && st.rx_pkts == 0, "ver counted");
	/* kernel ntb_process_rxc: the frame stays, each poll looks again */
	NTB_TEST_ASSERT(ntbt_rx_burst(a, rx, 4, pool_big) == 0, "again");
	ntbt_qp_stats_get(a, &st);
	NTB_TEST_ASSERT(st.rx_err_ver == 2, "counted per poll");
	peer_put_frame(bq, 0, 0, 10, 0);
	NTB_TEST_ASSERT(ntbt_rx_burst(a, rx, 4, pool_big) == 1 &&
			check_pkt(rx[0], 0, 10), "not latched: frame taken");
	rte_pktmbuf_free(rx[0]);
	bench_fini(&b);

	/* 3. garbage flags: without DONE nothing, with DONE normal */
	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	a = ntbt_qp(b.t[0], 0);
	bq = ntbt_qp(b.t[1], 0);
	h = tx_hdr(bq, 0);
	for (i = 0; i < 50; i++)
		bq->tx_base[i] = (uint8_t)(i ^ (50 >> 3));
	h->ver = 0;
	h->len = 50;
	h->flags = 0xfffffffeu;
	NTB_TEST_ASSERT(ntbt_rx_burst(a, rx, 4, pool_big) == 0, "not done");
	h->flags = 0xfffffff1u;	/* DONE, no LINK_DOWN, junk above */
	NTB_TEST_ASSERT(ntbt_rx_burst(a, rx, 4, pool_big) == 1, "accepted");
	NTB_TEST_ASSERT(check_pkt(rx[0], 0, 50), "bytes");
	rte_pktmbuf_free(rx[0]);
	NTB_TEST_ASSERT(*a->rx_remote_entry == 0, "consumed index published");

	/* 4. rx_info out of range: A must not write anywhere */
	*(volatile uint32_t *)(uintptr_t)a->tx_remote_entry = 0xffffffffu;
	tx[0] = make_pkt(0, 64, 1);
	NTB_TEST_ASSERT(ntbt_tx_burst(a, tx, 1) == 0, "refused");
	*(volatile uint32_t *)(uintptr_t)a->tx_remote_entry = a->tx_max_entry;
	NTB_TEST_ASSERT(ntbt_tx_burst(a, tx, 1) == 0, "max_entry refused");
	ntbt_qp_stats_get(a, &st);
	NTB_TEST_ASSERT(st.tx_err_rx_info == 2 && st.tx_pkts == 0, "counted");
	NTB_TEST_ASSERT(ntbt_rx_burst(bq, rx, 4, pool_big) == 0,
			"nothing reached B");
	*(volatile uint32_t *)(uintptr_t)a->tx_remote_entry =
		a->tx_max_entry - 1;
	NTB_TEST_ASSERT(ntbt_tx_burst(a, tx, 1) == 1, "valid again");
	NTB_TEST_ASSERT(ntbt_rx_burst(bq, rx, 4, pool_big) == 1, "received");
	NTB_TEST_ASSERT(check_pkt(rx[0], 0, 64), "bytes");
	rte_pktmbuf_free(rx[0]);
	bench_fini(&b);
	return 0;
}

/*
 * B plays a kernel peer whose interface goes down and up (ntb_netdev
 * close/open, or an MTU change): kernel ntb_transport_link_down clears
 * its bit in A's QP_LINKS and sends a LINK_DOWN frame, its QP is reset
 * (ntb_qp_link_down_reset), and ntb_transport_link_up announces the QP
 * again. A kernel receiver writes rx_info only after it consumed a
 * frame, so A's consumed-index word keeps its old value unless A resets
 * it itself as the kernel does (remote_rx_info->entry = max - 1).
 */
static void
peer_resets_qp(struct bench *b, struct ntbt_qp *bq)
{
	struct ntbt_payload_header *h;

	b->pair.s[0].spad[NTBT_SPAD_QP_LINKS] &= ~1u;
	h = tx_hdr(bq, bq->tx_index);
	h->len = 0;
	h->ver = bq->tx_seq;
	h->flags = NTBT_DESC_DONE_FLAG | NTBT_LINK_DOWN_FLAG;
	/* B's control thread takes its QP down and up again */
	__atomic_store_n(&bq->up, 0, __ATOMIC_SEQ_CST);
}

static int
test_peer_qp_reset(void)
{
	struct bench b;
	struct ntbt_qp *a, *bq;
	struct rte_mbuf *rx[4];
	struct ntbt_qp_stats st;
	uint32_t seq = 0;

	/* 2 KiB frames: 127 per ring */
	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	a = ntbt_qp(b.t[0], 0);
	bq = ntbt_qp(b.t[1], 0);
	/* 128 frames: the peer consumed up to frame 0 of the next lap */
	NTB_TEST_ASSERT(xfer(&b, 0, 0, a->tx_max_entry + 1, size_small, 1,
			     pool_big, &seq) == 0, "A->B");
	NTB_TEST_ASSERT(*a->tx_remote_entry == 0 && a->tx_index == 1,
			"consumed index 0");
	peer_resets_qp(&b, bq);
	NTB_TEST_ASSERT(ntbt_link_work(b.t[1]) == 1, "B work");
	NTB_TEST_ASSERT(ntbt_rx_burst(a, rx, 4, pool_big) == 0, "LINK_DOWN");
	ntbt_qp_stats_get(a, &st);
	NTB_TEST_ASSERT(st.rx_link_down == 1, "LINK_DOWN seen");
	NTB_TEST_ASSERT(bench_pump(&b), "QP up again");
	NTB_TEST_ASSERT(b.ev[0].down == 1 && b.ev[0].up == 2, "A down, up");
	seq = 1000;
	NTB_TEST_ASSERT(xfer(&b, 0, 0, 3 * a->tx_max_entry, size_small, 1,
			     pool_big, &seq) == 0, "A->B after the peer reset");
	bench_fini(&b);
	return 0;
}

/*
 * The queue pair's up event comes before its data path opens. The event
 * sets the link the application reads (the rawdev's link status): a
 * frame received before it would read as received on a down link, and
 * an application that does not send on a down link (the tests' echo)
 * drops it. B comes up after A, which has already sent a frame: an Rx
 * burst run from B's up event gets nothing; the next one gets the frame.
 */
static int
test_up_event_before_data(void)
{
	struct bench b;
	struct ntbt_qp *a, *bq;
	struct rte_mbuf *m, *rx[4];
	unsigned int i;
	uint16_t n;

	NTB_TEST_ASSERT(bench_init(&b, 1, 4, 0, 0, NTB_INTR_POLL) == 0,
			"init");
	NTB_TEST_ASSERT(ntbt_start(b.t[0]) == 0 && ntbt_start(b.t[1]) == 0,
			"start");
	a = ntbt_qp(b.t[0], 0);
	for (i = 0; i < 20; i++) {
		ntbt_link_work(b.t[0]);
		if (ntbt_qp_link_up(a))
			break;
		ntbt_link_work(b.t[1]);
	}
	bq = ntbt_qp(b.t[1], 0);
	NTB_TEST_ASSERT(ntbt_qp_link_up(a) && !ntbt_qp_link_up(bq),
			"A's queue pair up first");
	m = make_pkt(7, 100, 1);
	NTB_TEST_ASSERT(m != NULL && ntbt_tx_burst(a, &m, 1) == 1,
			"A sends before B is up");
	b.ev[1].rx_at_up = true;
	ntbt_link_work(b.t[1]);
	NTB_TEST_ASSERT(ntbt_qp_link_up(bq) && b.ev[1].up == 1, "B up");
	NTB_TEST_ASSERT(b.ev[1].rx_in_up == 0,
			"%u frame(s) received before B's up event was raised",
			b.ev[1].rx_in_up);
	n = ntbt_rx_burst(bq, rx, RTE_DIM(rx), pool_big);
	NTB_TEST_ASSERT(n == 1 && check_pkt(rx[0], 7, 100),
			"the frame after the event (%u)", n);
	rte_pktmbuf_free_bulk(rx, n);
	bench_fini(&b);
	return 0;
}

/*
 * Stale QP_LINKS bits between two sessions. A peer's bit in our spads
 * says "my queue pair is open, my receive buffer is there"; one left
 * from the peer's old session, read by our new one, makes us send into
 * a window the peer has not set up yet: those frames are lost and our
 * ring then waits for a consumed index that never comes (faults hotplug,
 * "sent 13, echoed 0").
 */

/* Frame i of a burst: seq base + i, 60 + 7 * i bytes. */
#define BURST_LEN(i)	(60u + 7u * (i))

/* n frames in one Tx burst, all taken. */
static int
frames_send(struct ntbt_qp *q, uint32_t base, uint16_t n)
{
	struct rte_mbuf *m[8];
	uint16_t i, k;

	NTB_TEST_ASSERT(n <= RTE_DIM(m), "at most %zu frames", RTE_DIM(m));
	for (i = 0; i < n; i++) {
		m[i] = make_pkt(base + i, BURST_LEN(i), 1);
		NTB_TEST_ASSERT(m[i] != NULL, "mbuf");
	}
	k = ntbt_tx_burst(q, m, n);
	for (i = k; i < n; i++)
		rte_pktmbuf_free(m[i]);
	NTB_TEST_ASSERT(k == n, "%u of %u frames sent", k, n);
	return 0;
}

/* The n frames of frames_send, byte-exact, in order. */
static int
frames_recv(struct ntbt_qp *q, uint32_t base, uint16_t n)
{
	struct rte_mbuf *rx[8];
	unsigned int polls;
	uint16_t got = 0, i, k;

	for (polls = 0; polls < 100 && got < n; polls++) {
		k = ntbt_rx_burst(q, rx, RTE_DIM(rx), pool_big);
		for (i = 0; i < k; i++) {
			uint16_t j = got + i;

			NTB_TEST_ASSERT(j < n && check_pkt(rx[i], base + j,
							   BURST_LEN(j)),
					"frame %u bytes differ", j);
			rte_pktmbuf_free(rx[i]);
		}
		got += k;
	}
	NTB_TEST_ASSERT(got == n, "%u of %u frames arrived", got, n);
	return 0;
}

/*
 * A comes back (hot-plug: a new device on the same NTB) while B keeps
 * running. Link work B then A, as both control threads would; A sends
 * 4 frames as soon as its queue pair is up, then both pump until B is up
 * too, and B must get the 4 frames.
 */
static int
a_returns_and_sends(struct bench *b, uint32_t base)
{
	struct ntbt_qp *aq;
	bool sent = false;
	unsigned int i;

	NTB_TEST_ASSERT(bench_create_side(b, 0) == 0 &&
			ntbt_start(b->t[0]) == 0, "A back");
	aq = ntbt_qp(b->t[0], 0);
	for (i = 0; i < 40 && !sent; i++) {
		ntbt_link_work(b->t[1]);
		ntbt_link_work(b->t[0]);
		if (ntbt_qp_link_up(aq)) {
			NTB_TEST_ASSERT(frames_send(aq, base, 4) == 0,
					"A sends at its queue pair's up (B's transport %s)",
					b->t[1]->link_up ? "up" : "not up yet");
			sent = true;
		}
	}
	NTB_TEST_ASSERT(sent, "A's queue pair up");
	NTB_TEST_ASSERT(bench_pump(b), "both up");
	NTB_TEST_ASSERT(frames_recv(ntbt_qp(b->t[1], 0), base, 4) == 0,
			"the frames A sent at its queue pair's up");
	return 0;
}

/* B's peer_spad_read hook: A stops right after B read A's VERSION. */
static struct bench *stop_bench;

static void
stop_a_after_version_read(struct fake_side *s, unsigned int idx)
{
	if (idx != NTBT_SPAD_VERSION || stop_bench == NULL)
		return;
	s->on_peer_spad_read = NULL;
	ntbt_destroy(stop_bench->t[0]);
	stop_bench->t[0] = NULL;
	stop_bench = NULL;
}

/*
 * Writer side. A stops (LINK_DOWN frame, its spads zeroed) while B's
 * link work pass runs: B read A's VERSION (still 4) just before, then
 * sees the LINK_DOWN frame and announces its queue pair again, into
 * spads A has just zeroed. B must take that bit back.
 */
static int
test_qp_links_not_left_by_peer_pass(void)
{
	struct bench b;
	uint32_t seq = 0;

	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	NTB_TEST_ASSERT(xfer(&b, 0, 0, 50, size_small, 1, pool_big,
			     &seq) == 0, "A->B");
	stop_bench = &b;
	b.pair.s[1].on_peer_spad_read = stop_a_after_version_read;
	ntbt_link_work(b.t[1]);
	NTB_TEST_ASSERT(b.t[0] == NULL, "A stopped inside B's pass");
	NTB_TEST_ASSERT(b.ev[1].down == 1, "B saw the LINK_DOWN frame");
	NTB_TEST_ASSERT(b.pair.s[0].spad[NTBT_SPAD_VERSION] == 0,
			"A zeroed its spads");
	NTB_TEST_ASSERT((b.pair.s[0].spad[NTBT_SPAD_QP_LINKS] & 1) == 0,
			"B's QP_LINKS bit (0x%x) left in A's zeroed spads",
			b.pair.s[0].spad[NTBT_SPAD_QP_LINKS]);
	NTB_TEST_ASSERT(a_returns_and_sends(&b, 1000) == 0,
			"A's first frames of the new session");
	NTB_TEST_ASSERT(xfer(&b, 1, 0, 50, size_small, 1, pool_big,
			     &seq) == 0, "B->A");
	bench_fini(&b);
	return 0;
}

/*
 * Reader side. A stale bit that got there anyway: a kernel peer's
 * ntb_qp_link_work runs 10 ms after it saw our LINK_DOWN frame, after
 * our spads were zeroed, until its link cleanup (on our LINK_DOWN
 * command) cancels it and zeroes its own spads. Here B plays that: its
 * bit lands in A's zeroed spads, then B cleans up. The new A must not
 * take the bit for B's open queue pair.
 */
static int
test_stale_qp_links_after_peer_cleanup(void)
{
	struct bench b;
	uint32_t seq = 0;

	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	ntbt_destroy(b.t[0]);
	b.t[0] = NULL;
	/* the peer's last (delayed) announcement, after A's zeroing */
	b.pair.s[0].spad[NTBT_SPAD_QP_LINKS] |= 1;
	/* then its link cleanup: B sees the link down, zeroes its spads */
	NTB_TEST_ASSERT(ntbt_link_work(b.t[1]) == 0 && !b.t[1]->link_up,
			"B: transport down");
	NTB_TEST_ASSERT(b.pair.s[1].spad[NTBT_SPAD_VERSION] == 0,
			"B zeroed its spads");
	NTB_TEST_ASSERT(a_returns_and_sends(&b, 2000) == 0,
			"A's first frames of the new session");
	NTB_TEST_ASSERT(xfer(&b, 1, 0, 50, size_small, 1, pool_big,
			     &seq) == 0, "B->A");
	bench_fini(&b);
	return 0;
}

/*
 * What the reader side must not drop: a kernel peer's bit written before
 * our first VERSION. Our process was killed (no LINK_DOWN, spads left as
 * they were); the kernel, on our new LINK_UP, runs its handshake on the
 * spads the old process left, takes the old QP_LINKS bit for ours,
 * writes its bit once and never again (ntb_qp_link_work stops once its
 * queue pair is up). The test plays the kernel. A new A must come up.
 */
static int
test_kernel_bit_before_our_version(void)
{
	uint32_t a_spad[FAKE_SPADS], b_spad[FAKE_SPADS];
	struct bench b;
	struct fake_side *k;
	unsigned int i;
	int first;

	for (first = 0; first < 2; first++) {
		NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
		memcpy(a_spad, b.pair.s[0].spad, sizeof(a_spad));
		memcpy(b_spad, b.pair.s[1].spad, sizeof(b_spad));
		ntbt_destroy(b.t[0]);
		ntbt_destroy(b.t[1]);
		b.t[0] = NULL;
		b.t[1] = NULL;
		/* SIGKILL: nothing was zeroed */
		memcpy(b.pair.s[0].spad, a_spad, sizeof(a_spad));
		memcpy(b.pair.s[1].spad, b_spad, sizeof(b_spad));
		k = &b.pair.s[1];
		k->enabled = true;
		NTB_TEST_ASSERT(bench_create_side(&b, 0) == 0 &&
				ntbt_start(b.t[0]) == 0, "new A");
		if (first == 1)
			ntbt_link_work(b.t[0]);	/* our first VERSION first */
		/*
		 * The kernel's link work on LINK_UP: it writes its half
		 * (unchanged), reads ours (the old process's), then its queue
		 * pair's link work: our old bit is there, so its bit goes out,
		 * once.
		 */
		NTB_TEST_ASSERT(k->spad[NTBT_SPAD_VERSION] == NTBT_VERSION &&
				(k->spad[NTBT_SPAD_QP_LINKS] & 1),
				"the old A's spads at the kernel");
		b.pair.s[0].spad[NTBT_SPAD_QP_LINKS] =
			k->spad[NTBT_SPAD_QP_LINKS] | 1;
		for (i = 0; i < 10; i++)
			ntbt_link_work(b.t[0]);
		NTB_TEST_ASSERT(b.t[0]->link_up &&
				ntbt_qp_link_up(ntbt_qp(b.t[0], 0)),
				"A's queue pair up on the kernel's one bit (%s)",
				first ? "after our first VERSION" :
				"before our first VERSION");
		bench_fini(&b);
	}
	return 0;
}

/*
 * Every slot of A's ring DONE at once. A kernel sender can do that:
 * its ntb_qp_link_down_reset initialises the consumed index of its TX
 * ring with its RX geometry (rx_max_entry - 1), so with windows of
 * different sizes it may see rx_max_entry - 1 >= tx_max_entry and fill
 * the whole ring. The scan must not wrap onto frames it just consumed.
 */
static int
test_rx_full_ring_no_wrap(void)
{
	struct bench b;
	struct ntbt_qp *a, *bq;
	struct rte_mbuf *rx[32];
	struct ntbt_qp_stats st;
	uint32_t i, got;

	/* 64 KiB frames in 256 KiB: 3 per ring */
	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 0, 0) == 0, "up");
	a = ntbt_qp(b.t[0], 0);
	bq = ntbt_qp(b.t[1], 0);
	NTB_TEST_ASSERT(a->rx_max_entry == 3, "3 entries");
	for (i = 0; i < 3; i++)
		peer_put_frame(bq, i, i, 100 + i, i);
	got = ntbt_rx_burst(a, rx, 32, pool_big);
	NTB_TEST_ASSERT(got == 3, "3 frames, got %u", got);
	for (i = 0; i < got; i++) {
		NTB_TEST_ASSERT(check_pkt(rx[i], i, 100 + i), "frame %u", i);
		rte_pktmbuf_free(rx[i]);
	}
	ntbt_qp_stats_get(a, &st);
	NTB_TEST_ASSERT(st.rx_err_ver == 0, "no version error");
	peer_put_frame(bq, 0, 3, 200, 3);
	NTB_TEST_ASSERT(ntbt_rx_burst(a, rx, 32, pool_big) == 1 &&
			check_pkt(rx[0], 3, 200), "next lap received");
	rte_pktmbuf_free(rx[0]);
	bench_fini(&b);
	return 0;
}

/* Frames without data count toward the burst like any other. */
static int
test_rx_empty_frames_count(void)
{
	struct bench b;
	struct ntbt_qp *a, *bq;
	struct rte_mbuf *rx[4];
	struct ntbt_qp_stats st;
	uint32_t i;

	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	a = ntbt_qp(b.t[0], 0);
	bq = ntbt_qp(b.t[1], 0);
	for (i = 0; i < 100; i++)
		peer_put_frame(bq, i, i, 0, 0);
	peer_put_frame(bq, 100, 100, 64, 100);
	NTB_TEST_ASSERT(ntbt_rx_burst(a, rx, 4, pool_big) == 0, "no data");
	ntbt_qp_stats_get(a, &st);
	NTB_TEST_ASSERT(st.rx_err_len == 4, "4 frames consumed, not %" PRIu64,
			st.rx_err_len);
	for (i = 0; i < 24; i++)
		NTB_TEST_ASSERT(ntbt_rx_burst(a, rx, 4, pool_big) == 0, "empty");
	NTB_TEST_ASSERT(ntbt_rx_burst(a, rx, 4, pool_big) == 1 &&
			check_pkt(rx[0], 100, 64), "data frame after 100 empty");
	rte_pktmbuf_free(rx[0]);
	bench_fini(&b);
	return 0;
}

/* Rx mbuf shortage leaves the frame for later, nothing lost. */
static int
test_rx_nobuf(void)
{
	struct bench b;
	struct rte_mempool *tiny;
	struct rte_mbuf *tx[1], *rx[2];
	struct ntbt_qp_stats st;

	tiny = rte_pktmbuf_pool_create("ntbt_tiny", 4, 0, 0,
				       128 + RTE_PKTMBUF_HEADROOM,
				       SOCKET_ID_ANY);
	NTB_TEST_ASSERT(tiny != NULL, "pool");
	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	tx[0] = make_pkt(7, 1000, 1);	/* needs 8 x 128 B segments */
	NTB_TEST_ASSERT(ntbt_tx_burst(ntbt_qp(b.t[0], 0), tx, 1) == 1, "tx");
	NTB_TEST_ASSERT(ntbt_rx_burst(ntbt_qp(b.t[1], 0), rx, 2, tiny) == 0,
			"no room");
	ntbt_qp_stats_get(ntbt_qp(b.t[1], 0), &st);
	NTB_TEST_ASSERT(st.rx_nobuf == 1, "counted");
	NTB_TEST_ASSERT(rte_mempool_avail_count(tiny) == 4, "chain returned");
	NTB_TEST_ASSERT(ntbt_rx_burst(ntbt_qp(b.t[1], 0), rx, 2, pool_small)
			== 1, "later");
	NTB_TEST_ASSERT(check_pkt(rx[0], 7, 1000) && rx[0]->nb_segs == 8,
			"bytes in 8 segments");
	rte_pktmbuf_free(rx[0]);
	bench_fini(&b);
	rte_mempool_free(tiny);
	return 0;
}

/* Interrupt descriptors: each side's own spads, read by the peer. */
static int
test_intr_descriptors(void)
{
	struct bench b;
	unsigned int spad;

	NTB_TEST_ASSERT(bench_init(&b, 2, 4, 2048, 0, NTB_INTR_DW_EDMA) == 0,
			"init");
	b.fi[1].local_base = 0x200;
	NTB_TEST_ASSERT(ntbt_nb_qp(b.t[0]) == 1, "one qp (one data MW)");
	NTB_TEST_ASSERT(ntbt_start(b.t[0]) == 0 && ntbt_start(b.t[1]) == 0,
			"start");
	NTB_TEST_ASSERT(bench_pump(&b), "up");
	spad = ntbt_intr_spad(1, 0);
	NTB_TEST_ASSERT(spad == 6, "msi_spad_offset = 4 + 2 * mw_count");
	NTB_TEST_ASSERT(b.pair.s[0].spad[spad] == 0x100 &&
			b.pair.s[0].spad[spad + 1] == 0xbeef0000u,
			"A's descriptor in A's own spads");
	NTB_TEST_ASSERT(b.fi[1].peer[0].addr_offset == 0x100 &&
			b.fi[1].peer[0].data == 0xbeef0000u, "B got A's");
	NTB_TEST_ASSERT(b.fi[0].peer[0].addr_offset == 0x200, "A got B's");
	/* the peer announces new descriptors with the spare doorbell bit */
	b.pair.s[1].spad[spad] = 0x300;
	fake_peer_db_set(&b.pair.s[1].nd, RTE_BIT64(1));
	NTB_TEST_ASSERT(ntbt_link_work(b.t[0]) == 1, "work");
	NTB_TEST_ASSERT(b.fi[0].peer[0].addr_offset == 0x300, "re-read");
	NTB_TEST_ASSERT(b.pair.s[0].db == 0, "bit cleared");
	bench_fini(&b);
	return 0;
}

/*
 * intr=auto against a stock kernel peer (ntb_transport without use_msi,
 * side B: doorbells, every MW for data). The kernel publishes NUM_MWS =
 * mw_count and NUM_QPS = min(ilog2(db_valid_mask), mw_count)
 * (ntb_transport_probe); A, which could reserve its last MW for
 * interrupts, must take the same layout and never write interrupt
 * descriptors into spads the stock peer uses for MW sizes.
 */
static int
test_auto_vs_stock_peer(void)
{
	const enum ntb_intr_mode m[2] = { NTB_INTR_DW_EDMA, NTB_INTR_DOORBELL };
	const bool a[2] = { true, false };
	struct bench b;
	uint32_t seq = 0;
	uint16_t q;
	int i;

	NTB_TEST_ASSERT(bench_init2(&b, 2, 4, 2048, 0, m, a) == 0, "init");
	NTB_TEST_ASSERT(ntbt_start(b.t[0]) == 0 && ntbt_start(b.t[1]) == 0,
			"start");
	for (i = 0; i < 20; i++) {
		ntbt_link_work(b.t[0]);
		/* A's own spad 6 (descriptor of QP 0 with 1 data MW) is
		 * where the stock peer puts its MW1 size
		 */
		NTB_TEST_ASSERT(b.pair.s[0].spad[6] != b.fi[0].local_base,
				"A published a descriptor to a stock peer");
		ntbt_link_work(b.t[1]);
	}
	NTB_TEST_ASSERT(b.pair.s[0].spad[NTBT_SPAD_NUM_MWS] == 2 &&
			b.pair.s[0].spad[NTBT_SPAD_NUM_QPS] == 2,
			"the stock peer's counts");
	NTB_TEST_ASSERT(b.t[0]->qp_count == 2, "A: 2 QPs, not %u",
			b.t[0]->qp_count);
	for (q = 0; q < 2; q++) {
		NTB_TEST_ASSERT(ntbt_qp_link_up(ntbt_qp(b.t[0], q)) &&
				ntbt_qp_link_up(ntbt_qp(b.t[1], q)),
				"QP %u up", q);
		NTB_TEST_ASSERT(xfer(&b, 0, q, 300, size_small, 1, pool_big,
				     &seq) == 0, "A->B qp %u", q);
		NTB_TEST_ASSERT(xfer(&b, 1, q, 300, size_small, 1, pool_big,
				     &seq) == 0, "B->A qp %u", q);
	}
	NTB_TEST_ASSERT(b.pair.s[0].spad[6] == 0 &&
			b.pair.s[0].spad[7] == WIN_LEN, "MW1 size intact");
	NTB_TEST_ASSERT(b.fi[0].kicks[0] > 0 && b.fi[0].kicks[1] > 0,
			"A kicks with doorbells");
	bench_fini(&b);
	return 0;
}

/* Both sides may use an interrupt MW: they do (kernel use_msi layout). */
static int
test_auto_vs_intr_peer(void)
{
	const enum ntb_intr_mode m[2] = { NTB_INTR_DW_EDMA, NTB_INTR_DW_EDMA };
	const bool a[2] = { true, false };
	struct bench b;
	uint32_t seq = 0;

	NTB_TEST_ASSERT(bench_init2(&b, 2, 4, 2048, 0, m, a) == 0, "init");
	b.fi[1].local_base = 0x200;
	NTB_TEST_ASSERT(ntbt_start(b.t[0]) == 0 && ntbt_start(b.t[1]) == 0,
			"start");
	NTB_TEST_ASSERT(bench_pump(&b), "up");
	NTB_TEST_ASSERT(b.t[0]->qp_count == 1 &&
			b.pair.s[1].spad[NTBT_SPAD_NUM_MWS] == 1,
			"interrupt MW layout");
	NTB_TEST_ASSERT(b.fi[1].peer[0].addr_offset == 0x100 &&
			b.fi[0].peer[0].addr_offset == 0x200,
			"descriptors exchanged");
	NTB_TEST_ASSERT(xfer(&b, 0, 0, 100, size_small, 1, pool_big,
			     &seq) == 0, "traffic");
	bench_fini(&b);
	return 0;
}

/*
 * A side that publishes no descriptor (an RC) must write one that a
 * mainline ntb_transport with use_msi reads as "none": it only tests
 * addr_offset != 0 (ntb_transport_setup_qp_peer_msi), so U32_MAX there
 * would make it write at MW + 0xfffffffc. And a peer's addr_offset 0
 * is "none" here too, as in mainline.
 */
static int
test_desc_none_marker(void)
{
	struct bench b;
	unsigned int spad = ntbt_intr_spad(1, 0);

	NTB_TEST_ASSERT(bench_init(&b, 2, 4, 2048, 0, NTB_INTR_DW_EDMA) == 0,
			"init");
	b.fi[0].local_none = true;	/* A: an RC */
	NTB_TEST_ASSERT(ntbt_start(b.t[0]) == 0 && ntbt_start(b.t[1]) == 0,
			"start");
	NTB_TEST_ASSERT(bench_pump(&b), "up");
	NTB_TEST_ASSERT(b.fi[0].peer[0].addr_offset == 0x100, "A got B's");
	/* B (a mainline kernel) says "none" with addr_offset 0 */
	b.pair.s[1].spad[spad] = 0;
	b.pair.s[1].spad[spad + 1] = 0xbeef0000u;
	fake_peer_db_set(&b.pair.s[1].nd, RTE_BIT64(1));
	NTB_TEST_ASSERT(ntbt_link_work(b.t[0]) == 1, "work");
	NTB_TEST_ASSERT(b.pair.s[0].spad[spad] == 0,
			"A's addr_offset %#x: a mainline peer would use it",
			b.pair.s[0].spad[spad]);
	NTB_TEST_ASSERT(b.pair.s[0].spad[spad + 1] == UINT32_MAX,
			"data U32_MAX: none for an RFC-series peer too");
	NTB_TEST_ASSERT(b.fi[1].peer[0].addr_offset == NTB_INTR_DESC_INVALID,
			"B sees none");
	NTB_TEST_ASSERT(b.fi[0].peer[0].addr_offset == NTB_INTR_DESC_INVALID,
			"addr_offset 0 is none (mainline rule)");
	bench_fini(&b);
	return 0;
}

/* The peer rewrites its descriptor while A reads it. */
static unsigned int torn_reads;

static void
torn_update(struct fake_side *s, unsigned int idx)
{
	struct fake_side *p = &s->pair->s[!s->idx];
	unsigned int spad = ntbt_intr_spad(1, 0);

	if (idx != spad)
		return;
	if (torn_reads++ == 0) {
		/* after A read addr_offset: both words change */
		p->spad[spad] = 0x300;
		p->spad[spad + 1] = 0xbeef0003u;
	}
}

static void
always_changing(struct fake_side *s, unsigned int idx)
{
	struct fake_side *p = &s->pair->s[!s->idx];
	unsigned int spad = ntbt_intr_spad(1, 0);

	if (idx == spad)
		p->spad[spad + 1]++;
}

static int
test_desc_consistent_read(void)
{
	struct bench b;
	unsigned int spad = ntbt_intr_spad(1, 0);

	NTB_TEST_ASSERT(bench_init(&b, 2, 4, 2048, 0, NTB_INTR_DW_EDMA) == 0,
			"init");
	b.fi[1].local_base = 0x200;
	NTB_TEST_ASSERT(ntbt_start(b.t[0]) == 0 && ntbt_start(b.t[1]) == 0,
			"start");
	NTB_TEST_ASSERT(bench_pump(&b), "up");
	NTB_TEST_ASSERT(b.fi[0].peer[0].addr_offset == 0x200, "A got B's");
	/* B announces a new descriptor; it changes again under A's read */
	torn_reads = 0;
	b.pair.s[0].on_peer_spad_read = torn_update;
	b.pair.s[1].spad[spad] = 0x280;
	b.pair.s[1].spad[spad + 1] = 0xbeef0002u;
	fake_peer_db_set(&b.pair.s[1].nd, RTE_BIT64(1));
	NTB_TEST_ASSERT(ntbt_link_work(b.t[0]) == 1, "work");
	NTB_TEST_ASSERT(b.fi[0].peer[0].addr_offset == 0x300 &&
			b.fi[0].peer[0].data == 0xbeef0003u,
			"a pair the peer wrote, not {%#x, %#x}",
			b.fi[0].peer[0].addr_offset, b.fi[0].peer[0].data);
	/* a pair that never holds still: none (doorbell), bounded */
	b.pair.s[0].on_peer_spad_read = always_changing;
	b.pair.s[0].peer_spad_reads = 0;
	fake_peer_db_set(&b.pair.s[1].nd, RTE_BIT64(1));
	NTB_TEST_ASSERT(ntbt_link_work(b.t[0]) == 1, "work");
	NTB_TEST_ASSERT(b.fi[0].peer[0].addr_offset == NTB_INTR_DESC_INVALID,
			"unstable pair refused");
	NTB_TEST_ASSERT(b.pair.s[0].peer_spad_reads < 64, "bounded: %u reads",
			b.pair.s[0].peer_spad_reads);
	b.pair.s[0].on_peer_spad_read = NULL;
	bench_fini(&b);
	return 0;
}

/* A device announcing 100000 spads: a teardown zeroes only ours. */
static int
test_teardown_spad_writes(void)
{
	struct bench b;
	struct fake_side *a;

	NTB_TEST_ASSERT(bench_init(&b, 1, 4, 2048, 0, NTB_INTR_POLL) == 0,
			"init");
	a = &b.pair.s[0];
	a->nd.spad_count = 100000;
	NTB_TEST_ASSERT(ntbt_start(b.t[0]) == 0 && ntbt_start(b.t[1]) == 0,
			"start");
	NTB_TEST_ASSERT(bench_pump(&b), "up");
	a->spad_writes = 0;
	ntbt_stop(b.t[0]);
	NTB_TEST_ASSERT(a->spad_writes <= NTBT_MAX_SPADS,
			"%u spad writes", a->spad_writes);
	NTB_TEST_ASSERT(a->spad[NTBT_SPAD_VERSION] == 0, "still zeroed");
	bench_fini(&b);
	return 0;
}

/*
 * A peer's MW size word decides how much we allocate and clear: without
 * max_mw_size a default cap applies. The peer's window (and size_max)
 * is large here, as a 64-bit BAR can be.
 */
static int
test_default_mw_cap(void)
{
	struct fake_pair p;
	struct fake_intr fi;
	struct ntbt_conf c = { .transport_mtu = 2048 };
	struct ntbt *t = NULL;
	struct fake_side *a;
	const uint32_t big = NTBT_DEFAULT_MAX_MW_SIZE + (32u << 20);

	NTB_TEST_ASSERT(fake_pair_init(&p, 1, big, 4) == 0, "pair");
	fake_intr_init(&fi, &p.s[0].nd, NTB_INTR_POLL, FAKE_MAX_QP);
	NTB_TEST_ASSERT(ntbt_create(&t, &p.s[0].nd, &fi.it, &c,
				    SOCKET_ID_ANY) == 0, "create");
	a = &p.s[0];
	p.s[1].enabled = true;
	NTB_TEST_ASSERT(ntbt_start(t) == 0, "start");
	a->spad[NTBT_SPAD_NUM_QPS] = 1;
	a->spad[NTBT_SPAD_NUM_MWS] = 1;
	a->spad[NTBT_SPAD_MW0_SZ_LOW] = big;
	a->spad[NTBT_SPAD_VERSION] = 4;
	NTB_TEST_ASSERT(ntbt_link_work(t) == 0, "size above the default cap");
	NTB_TEST_ASSERT(ntbt_memzones() == 0 && a->set_trans_calls == 0,
			"nothing allocated");
	NTB_TEST_ASSERT(p.s[1].spad[NTBT_SPAD_MW0_SZ_LOW] ==
			NTBT_DEFAULT_MAX_MW_SIZE, "our announced size capped");
	a->spad[NTBT_SPAD_MW0_SZ_LOW] = 1u << 20;
	NTB_TEST_ASSERT(ntbt_link_work(t) == 1, "1 MiB accepted");
	ntbt_destroy(t);
	fake_pair_fini(&p);
	return 0;
}

/*
 * The flap limiter on a clock of the test's own: NTBT_FLAP_BURST ups in
 * a row, then one per period, never more than NTBT_FLAP_BURST saved up.
 */
static int
test_flap_bucket(void)
{
	const uint64_t period = 1000;
	struct ntbt_bucket b = { .tokens = NTBT_FLAP_BURST, .last = 5 };
	uint64_t now = 5;
	unsigned int i, ups = 0;

	for (i = 0; i < 2 * NTBT_FLAP_BURST; i++)
		ups += ntbt_bucket_take_at(&b, now, period);
	NTB_TEST_ASSERT(ups == NTBT_FLAP_BURST, "burst: %u ups", ups);
	NTB_TEST_ASSERT(!ntbt_bucket_take_at(&b, now + period - 1, period),
			"none before a period has passed");
	NTB_TEST_ASSERT(ntbt_bucket_take_at(&b, now + period, period) &&
			!ntbt_bucket_take_at(&b, now + period, period),
			"one after a period");
	/* 2.5 periods later: two tokens, the half period carried over */
	now += period;
	NTB_TEST_ASSERT(ntbt_bucket_take_at(&b, now + 2 * period + period / 2,
					    period) &&
			ntbt_bucket_take_at(&b, now + 2 * period + period / 2,
					    period) &&
			!ntbt_bucket_take_at(&b, now + 2 * period + period / 2,
					     period), "two after 2.5 periods");
	NTB_TEST_ASSERT(ntbt_bucket_take_at(&b, now + 3 * period, period),
			"the half period counted");
	/* a long quiet time saves up no more than a burst */
	now += 1000 * period;
	for (i = 0, ups = 0; i < 2 * NTBT_FLAP_BURST; i++)
		ups += ntbt_bucket_take_at(&b, now, period);
	NTB_TEST_ASSERT(ups == NTBT_FLAP_BURST, "capped: %u ups", ups);
	return 0;
}

/*
 * A peer that wipes and rewrites its spads as fast as it can. The
 * limiter's clock is held still (its last refill set to now before each
 * handshake): exactly NTBT_FLAP_BURST handshakes, however slow the run.
 */
static int
test_rehandshake_rate_limit(void)
{
	struct bench b;
	struct fake_side *a;
	struct ntbt *t;
	unsigned int ups = 0;
	int i;

	NTB_TEST_ASSERT(bench_init(&b, 1, 4, 0, 0, NTB_INTR_POLL) == 0, "init");
	ntbt_destroy(b.t[1]);
	b.t[1] = NULL;
	b.pair.s[1].enabled = true;
	t = b.t[0];
	a = &b.pair.s[0];
	NTB_TEST_ASSERT(ntbt_start(t) == 0, "start");
	for (i = 0; i < 40; i++) {
		a->spad[NTBT_SPAD_NUM_QPS] = 1;
		a->spad[NTBT_SPAD_NUM_MWS] = 1;
		a->spad[NTBT_SPAD_MW0_SZ_LOW] = 64 * 1024;
		a->spad[NTBT_SPAD_VERSION] = 4;
		t->handshakes.last = rte_get_timer_cycles();
		if (ntbt_link_work(t) == 1)
			ups++;
		memset(b.pair.s[1].spad, 0, sizeof(b.pair.s[1].spad));
		ntbt_link_work(t);
	}
	NTB_TEST_ASSERT(ups == NTBT_FLAP_BURST, "%u handshakes", ups);
	NTB_TEST_ASSERT(a->set_trans_calls == ups, "allocations %u",
			a->set_trans_calls);
	bench_fini(&b);
	return 0;
}

/*
 * A peer that sends LINK_DOWN frames and re-announces its QP at once;
 * the QP's limiter clock held still as above.
 */
static int
test_qp_flap_rate_limit(void)
{
	struct bench b;
	struct ntbt_qp *a, *bq;
	struct ntbt_payload_header *h;
	struct rte_mbuf *rx[4];
	int i;

	NTB_TEST_ASSERT(bench_up(&b, 1, 4, 2048, 0) == 0, "up");
	a = ntbt_qp(b.t[0], 0);
	bq = ntbt_qp(b.t[1], 0);
	for (i = 0; i < 40; i++) {
		h = tx_hdr(bq, a->rx_index);
		h->len = 0;
		h->ver = a->rx_seq;
		h->flags = NTBT_DESC_DONE_FLAG | NTBT_LINK_DOWN_FLAG;
		ntbt_rx_burst(a, rx, 4, pool_big);
		a->flaps.last = rte_get_timer_cycles();
		ntbt_link_work(b.t[0]);
	}
	/* the first up and NTBT_FLAP_BURST - 1 re-ups */
	NTB_TEST_ASSERT(b.ev[0].up == NTBT_FLAP_BURST, "%u QP ups",
			b.ev[0].up);
	bench_fini(&b);
	return 0;
}

/* Occurrences of needle in what the log wrote into buf. */
static unsigned int
count_in(const char *buf, const char *needle)
{
	unsigned int n = 0;

	for (; (buf = strstr(buf, needle)) != NULL; buf++)
		n++;
	return n;
}

/*
 * transport_mtu differs (A 4096, B 2048 as a kernel module parameter
 * would): B's frame 1 ends where A's frame 0 does, so A's first look
 * finds ver 1. A names both parameters, once.
 */
static int
test_layout_mismatch_logged(void)
{
	struct bench b;
	struct ntbt_qp *a, *bq;
	struct rte_mbuf *tx[3], *rx[4];
	struct ntbt_qp_stats st;
	char *logbuf = NULL;
	size_t loglen = 0;
	FILE *f;
	int i;

	NTB_TEST_ASSERT(bench_init(&b, 1, 4, 4096, 0, NTB_INTR_POLL) == 0,
			"init");
	ntbt_destroy(b.t[1]);
	b.conf.transport_mtu = 2048;
	NTB_TEST_ASSERT(bench_create_side(&b, 1) == 0, "B with 2048");
	NTB_TEST_ASSERT(ntbt_start(b.t[0]) == 0 && ntbt_start(b.t[1]) == 0,
			"start");
	NTB_TEST_ASSERT(bench_pump(&b), "up: the handshake cannot tell");
	a = ntbt_qp(b.t[0], 0);
	bq = ntbt_qp(b.t[1], 0);
	for (i = 0; i < 3; i++)
		NTB_TEST_ASSERT((tx[i] = make_pkt(i, 100, 1)) != NULL, "m");
	NTB_TEST_ASSERT(ntbt_tx_burst(bq, tx, 3) == 3, "B sent");
	f = open_memstream(&logbuf, &loglen);
	NTB_TEST_ASSERT(f != NULL, "memstream");
	rte_openlog_stream(f);
	for (i = 0; i < 5; i++) {
		NTB_TEST_ASSERT(ntbt_rx_burst(a, rx, 4, pool_big) == 0,
				"nothing usable");
		ntbt_link_work(b.t[0]);
	}
	rte_openlog_stream(NULL);
	fclose(f);
	ntbt_qp_stats_get(a, &st);
	NTB_TEST_ASSERT(st.rx_err_ver == 5, "counted per look");
	NTB_TEST_ASSERT(count_in(logbuf, "transport_mtu") == 1 &&
			count_in(logbuf, "max_mw_size") == 1,
			"one message naming both parameters: [%s]", logbuf);
	free(logbuf);
	bench_fini(&b);
	return 0;
}

static int
test_bad_conf(void)
{
	struct fake_pair p;
	struct fake_intr fi;
	struct ntbt *t = NULL;
	struct ntbt_conf c = { .transport_mtu = 32 };

	NTB_TEST_ASSERT(fake_pair_init(&p, 1, WIN_LEN, 4) == 0, "pair");
	fake_intr_init(&fi, &p.s[0].nd, NTB_INTR_POLL, 1);
	NTB_TEST_ASSERT(ntbt_create(&t, &p.s[0].nd, &fi.it, &c, 0) < 0,
			"mtu 32 refused");
	c.transport_mtu = 0;
	fi.it.nb_qp = 0;
	NTB_TEST_ASSERT(ntbt_create(&t, &p.s[0].nd, &fi.it, &c, 0) < 0,
			"intr backend too small");
	fi.it.nb_qp = 1;
	NTB_TEST_ASSERT(ntbt_create(&t, &p.s[0].nd, &fi.it, &c,
				    SOCKET_ID_ANY) == 0, "ok");
	NTB_TEST_ASSERT(ntbt_tx_burst(ntbt_qp(t, 0), NULL, 0) == 0 &&
			!ntbt_qp_link_up(ntbt_qp(t, 0)), "down before start");
	NTB_TEST_ASSERT(ntbt_qp(t, 1) == NULL, "qp range");
	ntbt_destroy(t);
	ntbt_destroy(NULL);
	fake_pair_fini(&p);
	return 0;
}

/*
 * copy=dma: the receive buffer addresses a peer publishes in its own
 * spads (NTBT_RX_ADDR_*, ntb_transport_wire.h). Side 0 plays the EP
 * (publish_rx_addr), side 1 the RC with copy=dma or auto; no Tx runs,
 * so no dmadev is needed. poke: side 0's block written by hand (1: not
 * 4 KiB aligned, 2: address 0, 3: another marker).
 */
static int
copy_case(bool publish, enum ntbt_copy copy, int poke, bool want_up,
	  bool want_dma)
{
	struct fake_pair p;
	struct fake_intr fi[2];
	struct ntbt *t[2] = { NULL, NULL };
	struct ntbt_conf c[2];
	unsigned int b, i, k;
	int fails = 0;

	NTB_TEST_ASSERT(fake_pair_init(&p, 1, WIN_LEN, 4) == 0, "pair");
	memset(c, 0, sizeof(c));
	c[0].transport_mtu = c[1].transport_mtu = 2048;
	c[0].publish_rx_addr = publish;
	c[1].copy = copy;
	c[1].dma_nb_vchan = 1;
	for (k = 0; k < 2; k++) {
		fake_intr_init(&fi[k], &p.s[k].nd, NTB_INTR_POLL, FAKE_MAX_QP);
		NTB_TEST_ASSERT(ntbt_create(&t[k], &p.s[k].nd, &fi[k].it, &c[k],
					    SOCKET_ID_ANY) == 0, "create %u", k);
		NTB_TEST_ASSERT(ntbt_start(t[k]) == 0, "start %u", k);
	}
	b = ntbt_rx_addr_spad(t[0]->mw_count, t[0]->qp_count);
	NTB_TEST_ASSERT(b == 8, "block at spad %u, want 4 + 2 + 2", b);
	if (poke != 0) {
		p.s[0].spad[b] = poke == 3 ? 0x31415046u : NTBT_RX_ADDR_MAGIC;
		p.s[0].spad[b + 1] = poke == 1 ? 0x10000800u : 0;
		p.s[0].spad[b + 2] = poke == 1 ? 1 : 0;
	}
	for (i = 0; i < 20; i++) {
		ntbt_link_work(t[0]);
		ntbt_link_work(t[1]);
	}
	if (ntbt_qp_link_up(ntbt_qp(t[1], 0)) != want_up) {
		printf("# side 1 qp 0 %s\n", want_up ? "down" : "up");
		fails++;
	}
	if ((ntbt_qp(t[1], 0)->tx_dma != NULL) != want_dma) {
		printf("# side 1 copies with the %s\n", want_dma ? "CPU" : "DMA");
		fails++;
	}
	if (publish && !(p.s[0].spad[b] == NTBT_RX_ADDR_MAGIC &&
			 (p.s[0].spad[b + 1] |
			  (uint64_t)p.s[0].spad[b + 2] << 32) ==
			 t[0]->mw[0].mz->iova)) {
		printf("# side 0 published 0x%x 0x%x 0x%x, buffer at 0x%" PRIx64 "\n",
		       p.s[0].spad[b], p.s[0].spad[b + 1], p.s[0].spad[b + 2],
		       (uint64_t)t[0]->mw[0].mz->iova);
		fails++;
	}
	ntbt_destroy(t[0]);
	ntbt_destroy(t[1]);
	if (publish && p.s[0].spad[b] != 0) {
		printf("# the block outlived the publisher's teardown\n");
		fails++;
	}
	fake_pair_fini(&p);
	return fails == 0 ? 0 : -1;
}

static int
test_copy_dma_rx_addr(void)
{
	NTB_TEST_ASSERT(copy_case(true, NTBT_COPY_DMA, 0, true, true) == 0,
			"published: copy=dma copies by DMA");
	NTB_TEST_ASSERT(copy_case(false, NTBT_COPY_DMA, 0, false, false) == 0,
			"not published: a copy=dma queue pair stays down");
	NTB_TEST_ASSERT(copy_case(false, NTBT_COPY_AUTO, 0, true, false) == 0,
			"not published: copy=auto copies with the CPU");
	NTB_TEST_ASSERT(copy_case(true, NTBT_COPY_CPU, 0, true, false) == 0,
			"copy=cpu ignores a published block");
	NTB_TEST_ASSERT(copy_case(false, NTBT_COPY_DMA, 1, false, false) == 0,
			"an address not 4 KiB aligned is refused");
	NTB_TEST_ASSERT(copy_case(false, NTBT_COPY_DMA, 2, false, false) == 0,
			"address 0 is refused");
	NTB_TEST_ASSERT(copy_case(false, NTBT_COPY_AUTO, 3, true, false) == 0,
			"another marker reads as not published");
	return 0;
}

int
main(int argc, char **argv)
{
	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	if (ntb_test_proc_eal_args("ntbt_unit", "--log-level=eal:error",
				   NULL) < 0) {
		printf("Bail out! EAL init failed\n");
		return 1;
	}
	pool_big = rte_pktmbuf_pool_create("ntbt_big", 8191, 256, 0,
					   RTE_MBUF_DEFAULT_BUF_SIZE,
					   SOCKET_ID_ANY);
	pool_small = rte_pktmbuf_pool_create("ntbt_small", 8191, 256, 0,
					     128 + RTE_PKTMBUF_HEADROOM,
					     SOCKET_ID_ANY);
	if (pool_big == NULL || pool_small == NULL) {
		printf("Bail out! mempool\n");
		return 1;
	}

	NTB_TEST_RUN(test_qp_count_rules);
	NTB_TEST_RUN(test_bad_conf);
	NTB_TEST_RUN(test_handshake_a_first);
	NTB_TEST_RUN(test_handshake_b_first);
	NTB_TEST_RUN(test_transfer_both_ways);
	NTB_TEST_RUN(test_two_qps_one_mw);
	NTB_TEST_RUN(test_wrap_around);
	NTB_TEST_RUN(test_unaligned_headers);
	NTB_TEST_RUN(test_full_ring_and_one_kick);
	NTB_TEST_RUN(test_kick_suppression);
	NTB_TEST_RUN(test_oversize_dropped);
	NTB_TEST_RUN(test_rx_nobuf);
	NTB_TEST_RUN(test_peer_restart);
	NTB_TEST_RUN(test_ntb_link_lost);
	NTB_TEST_RUN(test_hostile_spads);
	NTB_TEST_RUN(test_hostile_header);
	NTB_TEST_RUN(test_intr_descriptors);
	NTB_TEST_RUN(test_peer_qp_reset);
	NTB_TEST_RUN(test_up_event_before_data);
	NTB_TEST_RUN(test_qp_links_not_left_by_peer_pass);
	NTB_TEST_RUN(test_stale_qp_links_after_peer_cleanup);
	NTB_TEST_RUN(test_kernel_bit_before_our_version);
	NTB_TEST_RUN(test_rx_full_ring_no_wrap);
	NTB_TEST_RUN(test_rx_empty_frames_count);
	NTB_TEST_RUN(test_auto_vs_stock_peer);
	NTB_TEST_RUN(test_auto_vs_intr_peer);
	NTB_TEST_RUN(test_desc_none_marker);
	NTB_TEST_RUN(test_desc_consistent_read);
	NTB_TEST_RUN(test_teardown_spad_writes);
	NTB_TEST_RUN(test_default_mw_cap);
	NTB_TEST_RUN(test_flap_bucket);
	NTB_TEST_RUN(test_rehandshake_rate_limit);
	NTB_TEST_RUN(test_qp_flap_rate_limit);
	NTB_TEST_RUN(test_layout_mismatch_logged);
	NTB_TEST_RUN(test_copy_dma_rx_addr);

	rte_mempool_free(pool_big);
	rte_mempool_free(pool_small);
	rte_eal_cleanup();
	return ntb_test_done();
}
