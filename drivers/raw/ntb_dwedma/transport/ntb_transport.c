/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * A transport's life: the queue pair count and the two window layouts
 * an ntb_dev allows (kernel ntb_transport_probe), ntbt_create() and
 * ntbt_destroy(). The link (ntb_transport_link.c), the scratchpad
 * handshake (ntb_transport_handshake.c), the receive buffers and rings
 * (ntb_transport_rings.c) and the interrupt descriptors
 * (ntb_transport_desc.c) have their own files; the data path is
 * ntb_transport_rxtx.c.
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_malloc.h>

#include "ntb_dwedma_log.h"
#include "ntb_transport_dma.h"
#include "ntb_transport_priv.h"

static bool
ntbt_mode_uses_intr_mw(enum ntb_intr_mode mode)
{
	return mode == NTB_INTR_DW_EDMA || mode == NTB_INTR_MSI;
}

/* MWs the transport uses for data (kernel ntb_transport_probe). */
static int
ntbt_mw_count(const struct ntb_dev *nd, bool use_intr, bool quiet)
{
	unsigned int n = nd->mw_count;

	if (n == 0 || n > NTB_MAX_MW) {
		NTB_LOG(ERR, "%s: mw_count %u not in 1..%u", nd->name, n,
			NTB_MAX_MW);
		return -EINVAL;
	}
	if (nd->spad_count < NTBT_MIN_SPADS) {
		NTB_LOG(ERR, "%s: spad_count %u < %u needed by ntb_transport",
			nd->name, nd->spad_count, NTBT_MIN_SPADS);
		return -EINVAL;
	}
	if (use_intr) {
		/* kernel use_msi: the last MW carries interrupts */
		if (n < 2) {
			if (!quiet)
				NTB_LOG(ERR, "%s: interrupt mode needs 2 MWs, have %u",
					nd->name, n);
			return -EINVAL;
		}
		n--;
	}
	return RTE_MIN(n, (nd->spad_count - NTBT_SPAD_MW0_SZ_HIGH) / 2);
}

/* MW and QP counts of one layout, as ntb_transport_probe computes them. */
static int
ntbt_layout(const struct ntb_dev *nd, bool use_intr, const struct ntbt_conf *conf,
	    bool quiet, uint16_t *mws, uint16_t *qps)
{
	int mw_count, qp_count;

	mw_count = ntbt_mw_count(nd, use_intr, quiet);
	if (mw_count < 0)
		return mw_count;
	if (nd->db_valid_mask == 0) {
		NTB_LOG(ERR, "%s: no doorbell bits", nd->name);
		return -EINVAL;
	}
	/* ilog2(db_valid_mask), as the kernel */
	qp_count = 63 - __builtin_clzll(nd->db_valid_mask);
	if (use_intr)
		qp_count--;	/* that bit says "descriptors changed" */
	if (conf->nb_qp != 0 && conf->nb_qp < qp_count)
		qp_count = conf->nb_qp;
	else if (mw_count < qp_count)
		qp_count = mw_count;
	if (qp_count <= 0 || qp_count > 32) {
		if (!quiet)
			NTB_LOG(ERR, "%s: %d queue pairs (db_valid_mask 0x%" PRIx64
				", %d MWs): need 1..32", nd->name, qp_count,
				nd->db_valid_mask, mw_count);
		return -EINVAL;
	}
	*mws = (uint16_t)mw_count;
	*qps = (uint16_t)qp_count;
	return 0;
}

int
ntbt_qp_count(const struct ntb_dev *nd, enum ntb_intr_mode mode,
	      const struct ntbt_conf *conf)
{
	bool use_intr = ntbt_mode_uses_intr_mw(mode);
	uint16_t mws, qps, mwi, qpi;
	int rc;

	if (use_intr && conf->intr_auto) {
		/* the peer decides: room for the larger layout */
		rc = ntbt_layout(nd, false, conf, false, &mws, &qps);
		if (rc != 0)
			return rc;
		if (ntbt_layout(nd, true, conf, true, &mwi, &qpi) == 0)
			qps = RTE_MAX(qps, qpi);
	} else {
		rc = ntbt_layout(nd, use_intr, conf, false, &mws, &qps);
		if (rc != 0)
			return rc;
	}
	if (conf->nb_qp != 0 && conf->nb_qp != qps)
		NTB_LOG(NOTICE, "%s: nb_qp %u reduced to %u (doorbells/MWs)",
			nd->name, conf->nb_qp, qps);
	return qps;
}

static bool
ntbt_ops_complete(const struct ntb_dev_ops *o)
{
	return o->link_enable && o->link_disable && o->link_is_up &&
		o->mw_get_align && o->mw_set_trans && o->mw_clear_trans &&
		o->peer_mw_get_bar && o->spad_read && o->spad_write &&
		o->peer_spad_read && o->peer_spad_write && o->db_read &&
		o->db_clear;
}

void
ntbt_set_layout(struct ntbt *t, bool use_intr)
{
	t->use_intr = use_intr;
	t->mw_count = use_intr ? t->mw_intr : t->mw_plain;
	t->qp_count = use_intr ? t->qp_intr : t->qp_plain;
	t->intr_db_bit = use_intr ? RTE_BIT64(t->qp_count) : 0;
	t->desc_published = false;
}

int
ntbt_create(struct ntbt **tp, struct ntb_dev *nd, struct ntb_intr *it,
	    const struct ntbt_conf *conf, int socket_id)
{
	struct ntbt *t;
	int qp_count, mw_count;
	uint32_t mtu;
	uint16_t q;

	if (tp == NULL || nd == NULL || nd->ops == NULL || it == NULL ||
	    it->ops == NULL || conf == NULL) {
		NTB_LOG(ERR, "NULL argument");
		return -EINVAL;
	}
	if (!ntbt_ops_complete(nd->ops)) {
		NTB_LOG(ERR, "%s: ntb_dev ops incomplete", nd->name);
		return -EINVAL;
	}
	mtu = conf->transport_mtu != 0 ? conf->transport_mtu :
		NTBT_DEFAULT_MTU;
	if (mtu < NTBT_MIN_FRAME) {
		NTB_LOG(ERR, "transport_mtu %u < %u", mtu, NTBT_MIN_FRAME);
		return -EINVAL;
	}
	qp_count = ntbt_qp_count(nd, it->mode, conf);
	if (qp_count < 0)
		return qp_count;
	if (it->nb_qp < qp_count) {
		NTB_LOG(ERR, "%s: interrupt backend has %u queue pairs, need %d",
			nd->name, it->nb_qp, qp_count);
		return -EINVAL;
	}

	t = rte_zmalloc_socket("ntbt", sizeof(*t), 0, socket_id);
	if (t == NULL)
		return -ENOMEM;
	t->qp = rte_zmalloc_socket("ntbt_qp", sizeof(*t->qp) * qp_count,
				   RTE_CACHE_LINE_SIZE, socket_id);
	if (t->qp == NULL) {
		rte_free(t);
		return -ENOMEM;
	}
	t->nd = nd;
	t->it = it;
	t->conf = *conf;
	t->conf.transport_mtu = mtu;
	if (t->conf.max_mw_size == 0)
		t->conf.max_mw_size = NTBT_DEFAULT_MAX_MW_SIZE;
	ntbt_bucket_init(&t->handshakes);
	t->socket_id = socket_id;
	t->qp_alloc = (uint16_t)qp_count;
	/* both checked by ntbt_qp_count */
	t->intr_capable = ntbt_mode_uses_intr_mw(it->mode) &&
		ntbt_layout(nd, true, conf, true, &t->mw_intr,
			    &t->qp_intr) == 0;
	if (!ntbt_mode_uses_intr_mw(it->mode) || conf->intr_auto)
		ntbt_layout(nd, false, conf, true, &t->mw_plain, &t->qp_plain);
	else
		t->conf.intr_auto = false;	/* nothing to choose */
	if (!t->intr_capable)
		t->conf.intr_auto = false;
	/* start with the interrupt MW when there is one */
	ntbt_set_layout(t, t->intr_capable);
	mw_count = t->mw_count;
	for (q = 0; q < qp_count; q++) {
		t->qp[q].t = t;
		t->qp[q].it = it;
		t->qp[q].qp_num = q;
		t->qp[q].rx_kick_want = NTBT_KICK_OFF;
		ntbt_bucket_init(&t->qp[q].flaps);
	}
	if (ntbt_dma_create(t) != 0) {
		rte_free(t->qp);
		rte_free(t);
		return -ENOMEM;
	}
	NTB_LOG(INFO, "%s: ntb_transport v%d: %u queue pairs, %u MWs, mtu %u%s",
		nd->name, NTBT_VERSION, t->qp_count, mw_count, mtu,
		!t->use_intr ? "" : t->conf.intr_auto ?
		", interrupt MW if the peer uses one" :
		", interrupt descriptors");
	*tp = t;
	return 0;
}

uint16_t
ntbt_nb_qp(const struct ntbt *t)
{
	return t->qp_alloc;
}

struct ntbt_qp *
ntbt_qp(struct ntbt *t, uint16_t q)
{
	return q < t->qp_alloc ? &t->qp[q] : NULL;
}

void
ntbt_destroy(struct ntbt *t)
{
	if (t == NULL)
		return;
	ntbt_stop(t);
	ntbt_dma_destroy(t);
	rte_free(t->qp);
	rte_free(t);
}
