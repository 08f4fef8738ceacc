/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * RC side: when the device reports a DMA locator (ntb_dev_ops
 * dma_locator: the vNTB RC reads it from the EP's ctrl region, Mar-2026
 * vNTB DMA export; the kernel-peer wrapper passes it on), the rawdev
 * creates the dmadev "<name>_dma" (dma_dwedma) over the same BARs, and
 * releases it before the BARs go.
 * A locator the dmadev refuses leaves the rawdev working without it.
 */

#include <errno.h>
#include <stdio.h>

#include <rte_dmadev.h>
#include <rte_rawdev_pmd.h>

#include "dma_dwedma.h"
#include "ntb_dwedma_dev.h"
#include "ntb_dwedma_log.h"
#include "rte_pmd_ntb_dwedma.h"

void
ntb_dwedma_dma_attach(struct ntb_dwedma_dev *d)
{
	struct ntb_dma_locator nl;
	struct dma_dwedma_locator loc;
	int id;

	d->dma_dev_id = -1;
	if (d->is_ep || d->nd == NULL || ntb_dev_dma_locator(d->nd, &nl) != 0)
		return;
	loc = (struct dma_dwedma_locator){ .abi = nl.abi, .bar = nl.bar,
		.offset = nl.offset, .size = nl.size,
		.num_chans = nl.num_chans };
	snprintf(d->dma_name, sizeof(d->dma_name), "%s_dma",
		 d->rawdev->name);
	id = dma_dwedma_create(d->dma_name, d->rawdev->device, d->socket_id,
			       nl.bars, &loc);
	if (id < 0) {
		NTB_LOG(WARNING, "%s: the EP's exported DMA is not usable (%d): no dmadev",
			d->rawdev->name, id);
		return;
	}
	d->dma_dev_id = id;
	NTB_LOG(INFO, "%s: dmadev %s (id %d) over the EP's eDMA",
		d->rawdev->name, d->dma_name, id);
}

void
ntb_dwedma_dma_detach(struct ntb_dwedma_dev *d)
{
	if (d->dma_dev_id < 0)
		return;
	dma_dwedma_destroy(d->dma_name);
	d->dma_dev_id = -1;
}

int
rte_pmd_ntb_dwedma_dma_dev_id(uint16_t dev_id)
{
	struct ntb_dwedma_dev *d;

	if (!rte_rawdev_pmd_is_valid_dev(dev_id) ||
	    !rte_rawdevs[dev_id].attached ||
	    rte_rawdevs[dev_id].dev_ops != &ntb_dwedma_ops)
		return -EINVAL;
	d = rte_rawdevs[dev_id].dev_private;
	if (d->dma_dev_id < 0 ||
	    rte_dma_get_dev_id_by_name(d->dma_name) != d->dma_dev_id)
		return -ENODEV;
	return d->dma_dev_id;
}

/* Descriptors per vchan for copy=: as many as the channel takes. */
#define NTB_DWEDMA_COPY_DESC_MAX	1024

static int
copy_refuse(struct ntb_dwedma_dev *d, struct ntbt_conf *tc, const char *why,
	    int err)
{
	if (tc->copy == NTBT_COPY_AUTO) {
		NTB_LOG(NOTICE, "%s: copy=auto: %s: the CPU copies",
			d->rawdev->name, why);
		tc->copy = NTBT_COPY_CPU;
		return 0;
	}
	NTB_LOG(ERR, "%s: copy=dma refused: %s", d->rawdev->name, why);
	return err;
}

int
ntb_dwedma_dma_copy_setup(struct ntb_dwedma_dev *d, struct ntbt_conf *tc,
			  uint16_t nb_qp)
{
	struct rte_dma_info info;
	struct rte_dma_conf dc = { 0 };
	struct rte_dma_vchan_conf vc = { .direction = RTE_DMA_DIR_MEM_TO_DEV,
		.dst_port.port_type = RTE_DMA_PORT_PCIE };
	uint16_t v;
	int ret;

	tc->copy = d->opts.copy;
	tc->dma_nb_vchan = 0;
	tc->dma_dev_id = -1;
	tc->dma_vchan_reset = NULL;
	/* the EP side of our link publishes where its buffers are */
	tc->publish_rx_addr = d->is_ep;
	if (tc->copy == NTBT_COPY_CPU)
		return 0;
	if (d->is_ep)
		return copy_refuse(d, tc, "the EP copies with the CPU (only the RC drives the EP's eDMA READ channels)",
				   -ENOTSUP);
	if (d->dma_dev_id < 0)
		return copy_refuse(d, tc, "the EP exports no eDMA (no DMA locator in its vNTB ctrl region: an EP with the Mar-2026 \"Remote DMA support via vNTB\" export, or raw_ntb_vsim with dma_num_chans)",
				   -ENOTSUP);
	ret = rte_dma_info_get(d->dma_dev_id, &info);
	if (ret != 0 || info.max_vchans == 0)
		return copy_refuse(d, tc, "dmadev info unavailable", -EIO);
	dc.nb_vchans = RTE_MIN(nb_qp, info.max_vchans);
	vc.nb_desc = RTE_MIN(info.max_desc, NTB_DWEDMA_COPY_DESC_MAX);
	if (vc.nb_desc < info.min_desc)
		vc.nb_desc = info.min_desc;
	ret = rte_dma_configure(d->dma_dev_id, &dc);
	for (v = 0; ret == 0 && v < dc.nb_vchans; v++)
		ret = rte_dma_vchan_setup(d->dma_dev_id, v, &vc);
	if (ret == 0)
		ret = rte_dma_start(d->dma_dev_id);
	if (ret != 0)
		return copy_refuse(d, tc, "the dmadev cannot be configured and started (is the application using it?)",
				   ret < 0 ? ret : -EIO);
	d->dma_copy = true;
	tc->dma_dev_id = (int16_t)d->dma_dev_id;
	tc->dma_nb_vchan = dc.nb_vchans;
	tc->dma_vchan_reset = dma_dwedma_vchan_reset;
	NTB_LOG(INFO, "%s: copy=%s: Tx payloads copied by dmadev %s (%u vchan(s) of %u desc)",
		d->rawdev->name, tc->copy == NTBT_COPY_DMA ? "dma" : "auto",
		d->dma_name, dc.nb_vchans, vc.nb_desc);
	return 0;
}

void
ntb_dwedma_dma_copy_teardown(struct ntb_dwedma_dev *d)
{
	if (!d->dma_copy)
		return;
	if (d->dma_dev_id >= 0)
		rte_dma_stop(d->dma_dev_id);
	d->dma_copy = false;
}
