/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The scratchpad handshake of Linux drivers/ntb/ntb_transport.c
 * (ntb_transport_link_work): window sizes, NUM_MWS, NUM_QPS and VERSION
 * written into the peer's scratchpads, the peer's read back from ours
 * and checked, the layout taken from the peer with intr=auto, then the
 * receive buffers set up. Run by the link work (ntb_transport_link.c)
 * until it succeeds.
 */

#include <errno.h>
#include <inttypes.h>

#include "ntb_dwedma_log.h"
#include "ntb_transport_dma.h"
#include "ntb_transport_priv.h"

/*
 * The peer-reported size of MW i, before anything is allocated:
 * 0 usable, -ERANGE refused (logged once; retry later), <0 other error.
 */
int
ntbt_check_mw(struct ntbt *t, unsigned int i, uint64_t size)
{
	struct ntb_dev *nd = t->nd;
	uint64_t align = 0, size_max = 0;
	int rc;

	rc = nd->ops->mw_get_align(nd, i, &align, &size_max);
	if (rc != 0)
		return rc < 0 ? rc : -EIO;
	if (align == 0)
		align = RTE_CACHE_LINE_SIZE;
	if (!rte_is_power_of_2(align) || align > UINT32_MAX) {
		NTB_LOG(ERR, "%s: mw%u alignment 0x%" PRIx64
			" not a power of 2", nd->name, i, align);
		return -EINVAL;
	}
	if (size == 0 || (size_max != 0 && size > size_max) ||
	    size > t->conf.max_mw_size ||
	    !ntbt_mw_size_ok(t, i, size)) {
		if (ntbt_refuse_first(t, NTBT_REF_MW_SIZE))
			NTB_LOG(ERR, "%s: peer MW%u size 0x%" PRIx64
				" refused (window 0x%" PRIx64 ", max_mw_size 0x%"
				PRIx64 " (devarg), slices need frames >= %u B)",
				nd->name, i, size, size_max,
				t->conf.max_mw_size, NTBT_MIN_FRAME);
		return -ERANGE;
	}
	return 0;
}

/*
 * intr=auto: take the layout the peer published into our spads, if it
 * did (kernel ntb_transport_probe reserves the interrupt MW only with
 * use_msi, and then publishes one MW less). Until then ours has the
 * interrupt MW; a peer without one refuses it and retries, as we do.
 */
static void
ntbt_pick_layout(struct ntbt *t)
{
	struct ntb_dev *nd = t->nd;
	uint32_t mws, qps;
	bool use_intr = t->use_intr;

	if (nd->ops->spad_read(nd, NTBT_SPAD_VERSION) != NTBT_VERSION)
		return;
	mws = nd->ops->spad_read(nd, NTBT_SPAD_NUM_MWS);
	qps = nd->ops->spad_read(nd, NTBT_SPAD_NUM_QPS);
	if (mws == t->mw_intr && (mws != t->mw_plain || qps == t->qp_intr))
		use_intr = true;
	else if (mws == t->mw_plain)
		use_intr = false;
	if (use_intr == t->use_intr)
		return;
	ntbt_set_layout(t, use_intr);
	NTB_LOG(NOTICE, "%s: peer publishes %u MWs, %u queue pairs: %s, %u queue pairs",
		nd->name, mws, qps, use_intr ?
		"interrupt MW in use (kernel use_msi)" :
		"no interrupt MW (kernel without use_msi): every MW carries data, kicks are doorbells",
		t->qp_count);
}

/*
 * Before our VERSION goes out: drop a QP_LINKS value the peer wrote in a
 * session before its current one. The peer writes its bit only once its
 * side is up, which takes our VERSION in its spads. Not there (the peer
 * zeroed its spads going down, or never had it), every bit in our
 * QP_LINKS predates that zeroing: a kernel's ntb_qp_link_work runs 10 ms
 * after our LINK_DOWN frame, into spads we had zeroed, until the
 * kernel's link cleanup cancels it and then zeroes its own spads
 * (VERSION first). The peer's next bit needs the VERSION we write after
 * this. With our VERSION still there nothing is dropped: a kernel that
 * took the spads of our killed process for this session writes its bit
 * once and never again (its queue pair is up).
 */
static void
ntbt_drop_stale_qp_links(struct ntbt *t)
{
	struct ntb_dev *nd = t->nd;
	uint32_t val;

	if (nd->ops->peer_spad_read(nd, NTBT_SPAD_VERSION) == NTBT_VERSION)
		return;
	/* what the peer wrote before its zeroing: read after it */
	rte_rmb();
	val = nd->ops->spad_read(nd, NTBT_SPAD_QP_LINKS);
	if (val == 0)
		return;
	nd->ops->spad_write(nd, NTBT_SPAD_QP_LINKS, 0);
	/* cleared before our VERSION can reach the peer */
	rte_mb();
	NTB_LOG(INFO, "%s: QP_LINKS 0x%x left from the peer's previous session dropped",
		nd->name, val);
}

/* Kernel ntb_transport_link_work. 1: up, 0: retry later, <0: error. */
int
ntbt_handshake(struct ntbt *t)
{
	struct ntb_dev *nd = t->nd;
	uint64_t sizes[NTB_MAX_MW], psize;
	uint32_t val;
	unsigned int i;
	int rc;

	if (t->conf.intr_auto)
		ntbt_pick_layout(t);
	for (i = 0; i < t->mw_count; i++) {
		struct ntbt_mw *mw = &t->mw[i];
		uint64_t size;

		rc = nd->ops->peer_mw_get_bar(nd, i, &mw->win);
		if (rc != 0 || mw->win.va == NULL || mw->win.len == 0) {
			if (ntbt_refuse_first(t, NTBT_REF_WINDOW))
				NTB_LOG(ERR, "%s: outbound MW%u unavailable (%d)",
					nd->name, i, rc);
			return 0;
		}
		size = mw->win.len;
		if (size > t->conf.max_mw_size)
			size = t->conf.max_mw_size;
		if (!ntbt_mw_size_ok(t, i, size)) {
			if (ntbt_refuse_first(t, NTBT_REF_WINDOW))
				NTB_LOG(ERR, "%s: outbound MW%u size 0x%" PRIx64
					" too small or >= 4 GiB for %u queue pairs",
					nd->name, i, size, t->qp_count);
			return -EINVAL;
		}
		mw->tx_size = size;
	}

	/* the order the peer reads them in reverse: VERSION last */
	for (i = 0; i < t->mw_count; i++) {
		nd->ops->peer_spad_write(nd, ntbt_spad_mw_sz_high(i),
					 (uint32_t)(t->mw[i].tx_size >> 32));
		nd->ops->peer_spad_write(nd, ntbt_spad_mw_sz_low(i),
					 (uint32_t)t->mw[i].tx_size);
	}
	nd->ops->peer_spad_write(nd, NTBT_SPAD_NUM_MWS, t->mw_count);
	nd->ops->peer_spad_write(nd, NTBT_SPAD_NUM_QPS, t->qp_count);
	/*
	 * Right before VERSION: a kernel peer's cleanup that falls between
	 * this check and our write leaves its stale bit undetected; the
	 * closer the two, the narrower that window.
	 */
	ntbt_drop_stale_qp_links(t);
	nd->ops->peer_spad_write(nd, NTBT_SPAD_VERSION, NTBT_VERSION);

	val = nd->ops->spad_read(nd, NTBT_SPAD_VERSION);
	if (val != NTBT_VERSION) {
		/* 0: the peer has not written yet; anything else is news */
		if (val != 0 && ntbt_refuse_first(t, NTBT_REF_VERSION))
			NTB_LOG(ERR, "%s: peer ntb_transport version %u, need %u",
				nd->name, val, NTBT_VERSION);
		return 0;
	}
	val = nd->ops->spad_read(nd, NTBT_SPAD_NUM_QPS);
	if (val != t->qp_count) {
		if (ntbt_refuse_first(t, NTBT_REF_NUM_QPS))
			NTB_LOG(ERR, "%s: peer has %u queue pairs, we have %u: the link stays down (use as many queues as the peer has, or set the kernel's max_num_clients and our num_qps devarg to the same count; ntb_netdev uses one)",
				nd->name, val, t->qp_count);
		return 0;
	}
	val = nd->ops->spad_read(nd, NTBT_SPAD_NUM_MWS);
	if (val != t->mw_count) {
		if (ntbt_refuse_first(t, NTBT_REF_NUM_MWS))
			NTB_LOG(ERR, "%s: peer has %u MWs, we have %u%s",
				nd->name, val, t->mw_count,
				!t->use_intr ? "" : val == t->mw_count + 1u ?
				" (the peer uses no interrupt MW, as a kernel without use_msi: use intr=auto or doorbell here)" :
				" (the last MW is our interrupt MW)");
		return 0;
	}
	/* the peer has the same layout: now our descriptors may go */
	ntbt_publish_local_desc(t);
	for (i = 0; i < t->mw_count; i++) {
		psize = (uint64_t)nd->ops->spad_read(nd,
				ntbt_spad_mw_sz_high(i)) << 32;
		psize |= nd->ops->spad_read(nd, ntbt_spad_mw_sz_low(i));
		/* refused (logged): the peer may correct it, retry */
		if (ntbt_check_mw(t, i, psize) != 0)
			return 0;
		sizes[i] = psize;
	}
	/* each link up allocates and clears the receive buffers */
	if (!ntbt_bucket_take(&t->handshakes)) {
		if (ntbt_refuse_first(t, NTBT_REF_RATE))
			NTB_LOG(WARNING, "%s: peer restarts its transport too often: at most one link up per %u ms",
				nd->name, NTBT_FLAP_PERIOD_MS);
		return 0;
	}
	for (i = 0; i < t->mw_count; i++) {
		rc = ntbt_set_mw(t, i, sizes[i]);
		if (rc != 0) {
			for (i = 0; i < t->mw_count; i++)
				ntbt_free_mw(t, i);
			return rc == -ENOMEM ? rc : 0;
		}
	}
	ntbt_dma_publish(t);

	t->link_up = true;
	t->last_refusal = NTBT_OK;
	NTB_LOG(INFO, "%s: ntb_transport link up", nd->name);
	for (i = 0; i < t->qp_count; i++) {
		ntbt_qp_setup_rings(t, &t->qp[i]);
		ntbt_read_peer_desc(t, &t->qp[i]);
	}
	return 1;
}
