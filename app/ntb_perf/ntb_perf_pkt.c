/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Test frames: Ethernet header, perf_hdr, a byte pattern, and the
 * sequence number again in the last 8 bytes. The pattern depends on the
 * offset only, so the sender writes it once into every mbuf of its pool
 * (perf_pkt_prefill) and stamps just the header and tail per packet: the
 * tool then costs the sender almost nothing and the receiver one memcmp.
 * A stale, truncated or shifted frame fails the tail or the memcmp.
 */

#include <string.h>

#include <rte_mempool.h>

#include "ntb_perf.h"

static uint8_t perf_template[PERF_MAX_SIZE];
static uint32_t perf_size;

void
perf_pkt_template_init(uint32_t size)
{
	uint32_t i;

	perf_size = size;
	memset(perf_template, 0xff, 6);			/* broadcast dst */
	memset(perf_template + 6, 0x02, 6);		/* locally administered src */
	perf_template[12] = PERF_ETHER_TYPE >> 8;
	perf_template[13] = PERF_ETHER_TYPE & 0xff;
	for (i = PERF_HDR_OFF; i < size; i++)
		perf_template[i] = (uint8_t)(i * 7 + 0x5a);
}

static void
prefill_one(struct rte_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	struct rte_mbuf *m = obj;

	RTE_SET_USED(mp);
	RTE_SET_USED(arg);
	RTE_SET_USED(idx);
	/* rte_pktmbuf_alloc() resets data_off to the headroom: write there */
	memcpy((uint8_t *)m->buf_addr + RTE_MIN((uint16_t)RTE_PKTMBUF_HEADROOM,
						m->buf_len),
	       perf_template, perf_size);
}

void
perf_pkt_prefill(struct rte_mempool *mp)
{
	rte_mempool_obj_iter(mp, prefill_one, NULL);
}

void
perf_pkt_stamp(struct rte_mbuf *m, uint32_t type, uint64_t seq,
	       uint64_t total)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	struct perf_hdr h = {
		.magic = PERF_MAGIC, .type = type, .seq = seq, .total = total,
	};

	/* the Ethernet header: some drivers or peers may have changed it */
	memcpy(p, perf_template, PERF_HDR_OFF);
	memcpy(p + PERF_HDR_OFF, &h, sizeof(h));
	memcpy(p + perf_size - 8, &seq, 8);
	m->data_len = (uint16_t)perf_size;
	m->pkt_len = perf_size;
	m->nb_segs = 1;
	m->next = NULL;
}

int
perf_pkt_check(const struct rte_mbuf *m, const struct perf_opts *o,
	       struct perf_hdr *hdr)
{
	static uint8_t flat[PERF_MAX_SIZE];
	const uint8_t *p;
	const uint32_t pay = PERF_HDR_OFF + sizeof(*hdr);
	uint64_t tail;

	if (m->pkt_len < PERF_MIN_SIZE || m->pkt_len > PERF_MAX_SIZE)
		return -1;
	p = rte_pktmbuf_read(m, 0, m->pkt_len, flat);
	if (p == NULL)
		return -1;
	memcpy(hdr, p + PERF_HDR_OFF, sizeof(*hdr));
	if (hdr->magic != PERF_MAGIC)
		return -1;
	if (hdr->type == PERF_T_END)
		return 0;
	if (m->pkt_len != perf_size)
		return -2;
	memcpy(&tail, p + perf_size - 8, 8);
	if (tail != hdr->seq)
		return -2;
	if (o->check == PERF_CHECK_ALL &&
	    memcmp(p + pay, perf_template + pay, perf_size - 8 - pay) != 0)
		return -2;
	return 0;
}
