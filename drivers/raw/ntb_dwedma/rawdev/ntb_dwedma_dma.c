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
