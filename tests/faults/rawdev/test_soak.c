/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Soak over the virtual link: an EP and an RC process both send and
 * receive at once for NTB_SOAK_SECONDS (default 60), random burst
 * lengths (1..32) and random sizes: small, multi-segment mbuf chains
 * (segments of 64..512 bytes) and exactly the largest packet a frame
 * carries (max_pkt_len). Every packet holds its sequence number, its
 * length and a checksum of the rest, whose bytes derive from the
 * sequence number. Each receiver counts corrupted packets (length,
 * checksum or byte pattern wrong), reordered ones (a sequence number
 * below the expected one) and lost ones (gaps, and the tail missing
 * once the sender said how many it sent). It must see zero corrupted,
 * zero reordered, and every loss accounted for by the drivers' named
 * drop counters (the sender's tx_errors, the receiver's rx_errors).
 * NTB_SOAK_SEED sets the random seed (printed).
 */

#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_pmd_ntb.h>
#include <rte_rawdev.h>

#include "ntb_test.h"
#include "ntb_test_proc.h"
#include "ntb_test_rawdev.h"
#include "rte_pmd_ntb_dwedma.h"

#define BURST		32
#define NB_DESC		256
#define STEP_S		30
#define HDR_LEN		12	/* seq, len, checksum */

static char sock_path[108];
static unsigned int soak_s = 60;
static uint64_t seed = 1;

struct result {
	uint64_t sent, received, corrupted, reordered, lost;
	uint64_t tx_errors, rx_errors, rx_nombuf, tx_ring_full, multi_seg;
	uint64_t max_size;
};

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint8_t
pat(uint32_t seq, uint32_t i)
{
	return (uint8_t)((seq * 2654435761u + i * 40503u) >> 13);
}

static uint32_t
csum(uint32_t seq, uint32_t len)
{
	uint32_t a = 1, b = 0, i;

	for (i = HDR_LEN; i < len; i++) {
		a = (a + pat(seq, i)) % 65521;
		b = (b + a) % 65521;
	}
	return (b << 16) | a;
}

/* A packet of len bytes; large ones chained from segments of 64..512 B. */
static struct rte_mbuf *
pkt_make(struct rte_mempool *big, struct rte_mempool *small, uint32_t seq,
	 uint32_t len, bool chain, uint64_t *rs)
{
	struct rte_mbuf *head = NULL, *tail = NULL;
	uint32_t off = 0, hdr[3] = { seq, len, csum(seq, len) };

	while (off < len) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(chain ? small : big);
		uint32_t room, n, i;
		uint8_t *p;

		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		room = rte_pktmbuf_tailroom(m);
		if (chain)
			room = RTE_MIN(room, 64 + (uint32_t)(rnd(rs) % 449));
		n = RTE_MIN(room, len - off);
		p = (uint8_t *)rte_pktmbuf_append(m, n);
		for (i = 0; i < n; i++)
			p[i] = off + i < HDR_LEN ?
				((uint8_t *)hdr)[off + i] : pat(seq, off + i);
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

/* 0: fine; 1: corrupted. *seq_out: its sequence number. */
static int
pkt_check(const struct rte_mbuf *m, uint32_t *seq_out)
{
	static uint8_t buf[1 << 17];
	uint32_t hdr[3], i;
	const uint8_t *p;

	if (m->pkt_len < HDR_LEN || m->pkt_len > sizeof(buf))
		return 1;
	p = rte_pktmbuf_read(m, 0, m->pkt_len, buf);
	if (p == NULL)
		return 1;
	memcpy(hdr, p, sizeof(hdr));
	*seq_out = hdr[0];
	if (hdr[1] != m->pkt_len || hdr[2] != csum(hdr[0], hdr[1]))
		return 1;
	for (i = HDR_LEN; i < m->pkt_len; i++)
		if (p[i] != pat(hdr[0], i))
			return 1;
	return 0;
}

struct rx_state {
	uint64_t expect;
	struct result *r;
};

static void
rx_some(int id, struct rx_state *rs)
{
	struct rte_mbuf *pkts[BURST];
	uint16_t n, i;

	n = rte_pmd_ntb_dwedma_rx_burst(id, 0, pkts, BURST);
	for (i = 0; i < n; i++) {
		uint32_t seq = 0;

		rs->r->received++;
		if (pkt_check(pkts[i], &seq) != 0) {
			rs->r->corrupted++;
			continue;
		}
		if (seq < rs->expect) {
			rs->r->reordered++;
			continue;
		}
		rs->r->lost += seq - rs->expect;
		rs->expect = (uint64_t)seq + 1;
	}
	rte_pktmbuf_free_bulk(pkts, n);
}

static int
peer_main(void *arg, int ctl)
{
	bool ep = arg != NULL;
	struct rte_mempool *big, *small;
	struct rte_pmd_ntb_dwedma_info info;
	struct rte_pmd_ntb_dwedma_qp_stats st;
	struct rte_mbuf *pend[BURST];
	struct result r;
	struct rx_state rs;
	uint64_t hz = rte_get_timer_hz(), end, rsd, peer_sent = 0;
	uint16_t nb_pend = 0, done = 0;
	uint32_t seq = 0, max;
	char vdev[160], line[128];
	int id;

	memset(&r, 0, sizeof(r));
	rs.expect = 0;
	rs.r = &r;
	rsd = seed * (ep ? 7 : 13) + 1;
	snprintf(vdev, sizeof(vdev),
		 "raw_ntb_vsim0,role=%s,link=%s,profile=rcar-s4",
		 ep ? "ep" : "rc", sock_path);
	if (ntb_test_proc_eal_args(ep ? "soak_ep" : "soak_rc", "-m", "512",
				   "-l", ep ? "0" : "1",
				   "--log-level", "lib.eal:warning",
				   "--vdev", vdev, NULL) < 0)
		return 2;
	hz = rte_get_timer_hz();
	big = rte_pktmbuf_pool_create("soak_big", 8191, 256, 0,
				      RTE_MBUF_DEFAULT_BUF_SIZE,
				      SOCKET_ID_ANY);
	small = rte_pktmbuf_pool_create("soak_small", 16383, 256, 0,
					512 + RTE_PKTMBUF_HEADROOM,
					SOCKET_ID_ANY);
	id = ntb_test_rawdev_up("raw_ntb_vsim0", big, NB_DESC);
	if (id < 0 || small == NULL)
		return 3;
	end = rte_get_timer_cycles() + hz * STEP_S;
	while (!ntb_test_rawdev_link_up(id) && rte_get_timer_cycles() < end)
		rte_delay_us_sleep(1000);
	if (!ntb_test_rawdev_link_up(id) || rte_pmd_ntb_dwedma_info_get(id, &info) != 0)
		return 4;
	max = info.max_pkt_len;
	r.max_size = max;
	/* send phase: both ways at once */
	end = rte_get_timer_cycles() + hz * soak_s;
	while (rte_get_timer_cycles() < end) {
		if (nb_pend == done) {
			uint16_t n = 1 + rnd(&rsd) % BURST, k;

			nb_pend = 0;
			done = 0;
			for (k = 0; k < n; k++) {
				uint64_t c = rnd(&rsd) % 100;
				uint32_t len;
				bool chain = false;

				if (c < 60) {
					len = HDR_LEN + rnd(&rsd) % 1500;
				} else if (c < 85) {
					len = 1500 + rnd(&rsd) % (max - 1499);
					chain = true;
				} else {
					len = max;
					chain = c < 92;
				}
				pend[k] = pkt_make(big, small, seq, len, chain,
						   &rsd);
				if (pend[k] == NULL)
					break;
				r.multi_seg += pend[k]->nb_segs > 1;
				seq++;
				nb_pend++;
			}
		}
		done += rte_pmd_ntb_dwedma_tx_burst(id, 0, pend + done,
						    nb_pend - done);
		rx_some(id, &rs);
	}
	rte_pktmbuf_free_bulk(pend + done, nb_pend - done);
	/* nb_pend - done were never handed to the driver: not sent */
	r.sent = seq - (nb_pend - done);
	snprintf(line, sizeof(line), "T %" PRIu64 "\n", r.sent);
	if (ntb_test_proc_say(ctl, "%s", line) != 0)
		return 5;
	/* drain: until the peer's count is known and reached (bounded) */
	end = rte_get_timer_cycles() + hz * STEP_S;
	while (rte_get_timer_cycles() < end) {
		struct pollfd p = { .fd = ctl, .events = POLLIN };

		rx_some(id, &rs);
		if (peer_sent == 0 && poll(&p, 1, 0) == 1) {
			if (ntb_test_proc_expect(ctl, 'P', line, sizeof(line),
						 1) != 0 ||
			    sscanf(line, "P %" SCNu64, &peer_sent) != 1)
				return 6;
			end = rte_get_timer_cycles() + hz * 10;
		}
		if (peer_sent != 0 && rs.expect >= peer_sent)
			break;
	}
	if (peer_sent > rs.expect)
		r.lost += peer_sent - rs.expect;
	rte_pmd_ntb_dwedma_qp_stats_get(id, 0, &st);
	r.tx_errors = st.tx_errors;
	r.rx_errors = st.rx_errors;
	r.rx_nombuf = st.rx_nombuf;
	r.tx_ring_full = st.tx_ring_full;
	snprintf(line, sizeof(line),
		 "R %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		 " %" PRIu64 "\n", r.sent, r.received, r.corrupted,
		 r.reordered, r.lost, r.tx_errors, r.rx_errors, r.rx_nombuf,
		 r.tx_ring_full, r.multi_seg, r.max_size);
	if (ntb_test_proc_say(ctl, "%s", line) != 0)
		return 7;
	/* stay up until the parent says both sides are done */
	if (ntb_test_proc_expect(ctl, 'Q', line, sizeof(line), STEP_S) != 0)
		return 8;
	rte_rawdev_stop(id);
	rte_rawdev_close(id);
	rte_eal_cleanup();
	return 0;
}

static int
parse(const char *line, struct result *r)
{
	return sscanf(line, "R %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
		      " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
		      " %" SCNu64 " %" SCNu64 " %" SCNu64, &r->sent,
		      &r->received, &r->corrupted, &r->reordered, &r->lost,
		      &r->tx_errors, &r->rx_errors, &r->rx_nombuf,
		      &r->tx_ring_full, &r->multi_seg, &r->max_size) == 11 ?
		0 : -1;
}

int
main(void)
{
	static const char *const names[2] = { "EP", "RC" };
	struct result r[2];
	char line[2][160], what[160];
	const char *env;
	struct ntb_test_proc peer[2];
	int k, ok = 0;
	uint64_t sent[2];

	env = getenv("NTB_SOAK_SECONDS");
	if (env != NULL)
		soak_s = (unsigned int)atoi(env);
	env = getenv("NTB_SOAK_SEED");
	seed = env != NULL ? strtoull(env, NULL, 0) : (uint64_t)getpid();
	if (soak_s < 1 || soak_s > 3600 || seed == 0) {
		printf("Bail out! NTB_SOAK_SECONDS 1..3600, NTB_SOAK_SEED != 0\n");
		return 1;
	}
	printf("# soak %u s both ways, seed %" PRIu64 "\n", soak_s, seed);
	ntb_test_proc_sock_path(sock_path, sizeof(sock_path), "soak");
	ntb_test_proc_start(&peer[0], "ep", peer_main, (void *)(uintptr_t)1);
	ntb_test_proc_start(&peer[1], "rc", peer_main, NULL);
	for (k = 0; k < 2; k++) {
		if (ntb_test_proc_expect(peer[k].fd, 'T', line[k],
					 sizeof(line[k]),
					 soak_s + 2 * STEP_S) != 0 ||
		    sscanf(line[k], "T %" SCNu64, &sent[k]) != 1)
			ok = -1;
	}
	if (ok == 0) {
		for (k = 0; k < 2; k++) {
			snprintf(line[k], sizeof(line[k]), "P %" PRIu64 "\n",
				 sent[k]);
			if (ntb_test_proc_say(peer[!k].fd, "%s",
					      line[k]) != 0)
				ok = -1;
		}
	}
	for (k = 0; ok == 0 && k < 2; k++)
		if (ntb_test_proc_expect(peer[k].fd, 'R', line[k],
					 sizeof(line[k]), 2 * STEP_S) != 0 ||
		    parse(line[k], &r[k]) != 0)
			ok = -1;
	printf("%s 1 - both sides sent for %u s and reported\n",
	       ok == 0 ? "ok" : "not ok", soak_s);
	ntb_test_count = 1;
	ntb_test_failed = ok != 0;
	if (ok == 0) {
		for (k = 0; k < 2; k++) {
			const struct result *rx = &r[k], *tx = &r[!k];

			printf("# %s received %" PRIu64 " of %" PRIu64
			       " sent by the %s (max size %" PRIu64
			       ", %" PRIu64 " multi-segment sent by it): corrupted %"
			       PRIu64 ", reordered %" PRIu64 ", lost %" PRIu64
			       "; tx_errors %" PRIu64 " (%s), rx_errors %"
			       PRIu64 ", rx_nombuf %" PRIu64
			       ", tx_ring_full %" PRIu64 " (%s)\n",
			       names[k], rx->received, tx->sent, names[!k],
			       tx->max_size, tx->multi_seg, rx->corrupted,
			       rx->reordered, rx->lost, tx->tx_errors,
			       names[!k], rx->rx_errors, rx->rx_nombuf,
			       tx->tx_ring_full, names[!k]);
			snprintf(what, sizeof(what),
				 "%s -> %s: zero corrupted, zero reordered",
				 names[!k], names[k]);
			ntb_test_count++;
			if (rx->corrupted != 0 || rx->reordered != 0)
				ntb_test_failed++;
			printf("%s %d - %s\n", rx->corrupted == 0 &&
			       rx->reordered == 0 ? "ok" : "not ok",
			       ntb_test_count, what);
			snprintf(what, sizeof(what),
				 "%s -> %s: every loss in a named counter (%s tx_errors + %s rx_errors), multi-segment and max-size packets sent",
				 names[!k], names[k], names[!k], names[k]);
			ntb_test_count++;
			if (rx->lost != tx->tx_errors + rx->rx_errors ||
			    tx->multi_seg == 0 || tx->sent == 0) {
				ntb_test_failed++;
				printf("not ok %d - %s\n", ntb_test_count,
				       what);
			} else {
				printf("ok %d - %s\n", ntb_test_count, what);
			}
		}
	}
	for (k = 0; k < 2; k++) {
		if (ntb_test_proc_say(peer[k].fd, "Q\n") != 0)
			ok = -1;
	}
	for (k = 0; k < 2; k++) {
		int st = ntb_test_proc_wait(&peer[k], STEP_S);

		ntb_test_count++;
		if (st != 0)
			ntb_test_failed++;
		printf("%s %d - %s process exited 0 (status %d)\n",
		       st == 0 ? "ok" : "not ok", ntb_test_count, names[k], st);
	}
	unlink(sock_path);
	return ntb_test_done();
}
