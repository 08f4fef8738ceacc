/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * dev_selftest (rte_rawdev_selftest, dpdk-test rawdev_autotest): brings
 * up an EP and an RC raw_ntb_vsim pair in this process, joined by a
 * private virtual link with the rcar-s4 layout, and moves packets both
 * ways, comparing every byte. The device under test is not touched (it
 * may be one end of a link the application uses).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_pmd_ntb.h>
#include <rte_rawdev.h>

#include "ntb_dwedma_dev.h"
#include "ntb_dwedma_log.h"

#define ST_PKTS		512
#define ST_BURST	32
#define ST_TIMEOUT_S	10

struct st_end {
	char name[RTE_RAWDEV_NAME_MAX_LEN];
	int dev_id;
};

static int
st_open(struct st_end *e, const char *name, const char *args,
	struct rte_mempool *mp)
{
	struct ntb_dev_config conf = { .num_queues = 1, .queue_size = 256 };
	struct ntb_queue_conf qc = { .nb_desc = 256, .rx_mp = mp };
	struct rte_rawdev_info info = { .dev_private = &conf };
	int ret;

	snprintf(e->name, sizeof(e->name), "%s", name);
	e->dev_id = -1;
	ret = rte_vdev_init(name, args);
	if (ret < 0) {
		NTB_LOG(ERR, "selftest: cannot create %s (%s): %d", name, args,
			ret);
		return ret;
	}
	e->dev_id = rte_rawdev_get_dev_id(name);
	if (e->dev_id < 0)
		return -ENODEV;
	if (rte_rawdev_set_attr(e->dev_id, NTB_QUEUE_SZ_NAME, 256) < 0 ||
	    rte_rawdev_set_attr(e->dev_id, NTB_QUEUE_NUM_NAME, 1) < 0)
		return -EINVAL;
	ret = rte_rawdev_configure(e->dev_id, &info, sizeof(conf));
	if (ret < 0)
		return ret;
	ret = rte_rawdev_queue_setup(e->dev_id, 0, &qc, sizeof(qc));
	if (ret < 0)
		return ret;
	return rte_rawdev_start(e->dev_id);
}

static void
st_close(struct st_end *e)
{
	if (e->dev_id >= 0) {
		rte_rawdev_stop(e->dev_id);
		rte_rawdev_close(e->dev_id);
	}
	if (e->name[0] != '\0')
		rte_vdev_uninit(e->name);
}

static void
st_fill(struct rte_mbuf *m, uint32_t seq, uint32_t len)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seq * 31 + i);
	memcpy(p, &seq, sizeof(seq));
	m->data_len = len;
	m->pkt_len = len;
}

static int
st_check(struct rte_mbuf *m, uint32_t seq)
{
	uint32_t len = 64 + (seq * 37) % 1400, i, got;
	uint8_t buf[2048];
	const uint8_t *p;

	if (m->pkt_len != len)
		return -1;
	p = rte_pktmbuf_read(m, 0, len, buf);
	if (p == NULL)
		return -1;
	memcpy(&got, p, sizeof(got));
	if (got != seq)
		return -1;
	for (i = sizeof(seq); i < len; i++)
		if (p[i] != (uint8_t)(seq * 31 + i))
			return -1;
	return 0;
}

/* Send ST_PKTS packets tx -> rx and check each one in order. */
static int
st_transfer(int tx, int rx, struct rte_mempool *mp)
{
	uint64_t deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * ST_TIMEOUT_S;
	uint32_t sent = 0, got = 0;

	while (got < ST_PKTS) {
		struct rte_mbuf *pkts[ST_BURST];
		uint16_t n = 0, k, i;

		if (rte_get_timer_cycles() > deadline) {
			NTB_LOG(ERR, "selftest: %u of %u packets after %d s",
				got, ST_PKTS, ST_TIMEOUT_S);
			return -ETIMEDOUT;
		}
		while (sent < ST_PKTS && n < ST_BURST) {
			pkts[n] = rte_pktmbuf_alloc(mp);
			if (pkts[n] == NULL)
				break;
			st_fill(pkts[n], sent + n, 64 + ((sent + n) * 37) % 1400);
			n++;
			if (sent + n == ST_PKTS)
				break;
		}
		k = rte_pmd_ntb_dwedma_tx_burst(tx, 0, pkts, n);
		for (i = k; i < n; i++)
			rte_pktmbuf_free(pkts[i]);
		sent += k;
		n = rte_pmd_ntb_dwedma_rx_burst(rx, 0, pkts, ST_BURST);
		for (i = 0; i < n; i++) {
			int bad = st_check(pkts[i], got);

			rte_pktmbuf_free(pkts[i]);
			if (bad) {
				NTB_LOG(ERR, "selftest: packet %u corrupted", got);
				for (i++; i < n; i++)
					rte_pktmbuf_free(pkts[i]);
				return -EIO;
			}
			got++;
		}
	}
	return 0;
}

int
ntb_dwedma_selftest(uint16_t dev_id)
{
	char args[256], sock[108], ep_name[64], rc_name[64];
	struct st_end ep = { .dev_id = -1 }, rc = { .dev_id = -1 };
	struct rte_mempool *mp;
	uint64_t up = 0, deadline;
	int ret;

	snprintf(sock, sizeof(sock), "/tmp/ntb_dwedma_st_%d_%u.sock",
		 (int)getpid(), dev_id);
	snprintf(ep_name, sizeof(ep_name), "raw_ntb_vsim_st%u_ep", dev_id);
	snprintf(rc_name, sizeof(rc_name), "raw_ntb_vsim_st%u_rc", dev_id);
	unlink(sock);
	mp = rte_pktmbuf_pool_create("ntb_st_pool", 2048, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (mp == NULL) {
		NTB_LOG(ERR, "selftest: no mbuf pool: %s",
			rte_strerror(rte_errno));
		return -ENOMEM;
	}
	snprintf(args, sizeof(args), "role=ep,link=%s,profile=rcar-s4", sock);
	ret = st_open(&ep, ep_name, args, mp);
	if (ret < 0)
		goto out;
	snprintf(args, sizeof(args), "role=rc,link=%s,profile=rcar-s4", sock);
	ret = st_open(&rc, rc_name, args, mp);
	if (ret < 0)
		goto out;

	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * ST_TIMEOUT_S;
	while (rte_get_timer_cycles() < deadline) {
		uint64_t a = 0, b = 0;

		rte_rawdev_get_attr(ep.dev_id, NTB_LINK_STATUS_NAME, &a);
		rte_rawdev_get_attr(rc.dev_id, NTB_LINK_STATUS_NAME, &b);
		up = a && b;
		if (up)
			break;
		rte_delay_ms(10);
	}
	if (!up) {
		NTB_LOG(ERR, "selftest: link not up after %d s", ST_TIMEOUT_S);
		ret = -ETIMEDOUT;
		goto out;
	}
	ret = st_transfer(rc.dev_id, ep.dev_id, mp);
	if (ret == 0)
		ret = st_transfer(ep.dev_id, rc.dev_id, mp);
	if (ret == 0)
		NTB_LOG(INFO, "selftest: %u packets each way, byte-exact",
			ST_PKTS);
out:
	st_close(&rc);
	st_close(&ep);
	rte_mempool_free(mp);
	unlink(sock);
	return ret;
}
