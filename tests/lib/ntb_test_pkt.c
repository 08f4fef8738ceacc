/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#include <string.h>

#include "ntb_test_pkt.h"

#define PKT_HDR_LEN	(2 * sizeof(uint32_t))	/* seq, round */
#define PKT_MAX_LEN	2048

static uint8_t
pkt_byte(uint32_t round, uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq * 29 + i * 7 + round);
}

uint32_t
ntb_test_pkt_len(uint32_t seq)
{
	return 64 + (seq * 37) % 1400;
}

struct rte_mbuf *
ntb_test_pkt_make(struct rte_mempool *mp, uint32_t round, uint32_t seq)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	uint32_t len = ntb_test_pkt_len(seq), i;
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(p, &seq, sizeof(seq));
	memcpy(p + sizeof(seq), &round, sizeof(round));
	for (i = PKT_HDR_LEN; i < len; i++)
		p[i] = pkt_byte(round, seq, i);
	return m;
}

bool
ntb_test_pkt_ok(const struct rte_mbuf *m, uint32_t round, uint32_t seq)
{
	uint8_t buf[PKT_MAX_LEN];
	const uint8_t *p;
	uint32_t i;

	if (m->pkt_len != ntb_test_pkt_len(seq))
		return false;
	p = rte_pktmbuf_read(m, 0, m->pkt_len, buf);
	if (p == NULL || memcmp(p, &seq, sizeof(seq)) != 0 ||
	    memcmp(p + sizeof(seq), &round, sizeof(round)) != 0)
		return false;
	for (i = PKT_HDR_LEN; i < m->pkt_len; i++)
		if (p[i] != pkt_byte(round, seq, i))
			return false;
	return true;
}

struct rte_mbuf *
ntb_test_pkt_fill(struct rte_mempool *mp, uint32_t len, uint8_t seed)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	uint8_t *d;
	uint32_t i;

	if (m == NULL)
		return NULL;
	d = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
	if (d == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	for (i = 0; i < len; i++)
		d[i] = (uint8_t)(seed + i * 7);
	return m;
}

bool
ntb_test_pkt_fill_ok(const struct rte_mbuf *m, uint32_t len, uint8_t seed)
{
	uint32_t off = 0;

	if (m->pkt_len != len)
		return false;
	for (; m != NULL; m = m->next) {
		const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
		uint16_t i;

		for (i = 0; i < m->data_len; i++, off++)
			if (d[i] != (uint8_t)(seed + off * 7))
				return false;
	}
	return off == len;
}
