/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * dma_dwedma control path: the exported slice is checked once
 * (dwedma_slice.c), then the dmadev ops (info, configure, vchan setup,
 * start/stop/close, stats, dump, vchan status) work on the copies.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dmadev_pmd.h>
#include <rte_malloc.h>

#include "dwedma_priv.h"
#include "ntb_compat.h"

RTE_LOG_REGISTER_DEFAULT(dwedma_logtype, NOTICE);

static int
dwedma_info_get(const struct rte_dma_dev *d, struct rte_dma_info *info,
		uint32_t info_sz)
{
	const struct dwedma_dev *dev = d->data->dev_private;
	uint32_t min_slots = UINT32_MAX;
	unsigned int i;

	RTE_SET_USED(info_sz);
	for (i = 0; i < dev->nb_chans; i++)
		min_slots = RTE_MIN(min_slots, dev->ch[i].n_slots);
	info->dev_capa = RTE_DMA_CAPA_MEM_TO_DEV | RTE_DMA_CAPA_OPS_COPY |
		RTE_DMA_CAPA_OPS_COPY_SG | RTE_DMA_CAPA_HANDLES_ERRORS;
	info->max_vchans = dev->nb_chans;
	info->max_desc = (uint16_t)RTE_MIN(min_slots - 1, (uint32_t)UINT16_MAX);
	info->min_desc = 1;
	info->max_sges = DWEDMA_MAX_SGES;
	return 0;
}

static int
dwedma_configure(struct rte_dma_dev *d, const struct rte_dma_conf *conf,
		 uint32_t conf_sz)
{
	struct dwedma_dev *dev = d->data->dev_private;
	unsigned int i;

	RTE_SET_USED(conf_sz);
	if (conf->nb_vchans == 0 || conf->nb_vchans > dev->nb_chans) {
		DWEDMA_LOG(ERR, "%s: nb_vchans %u out of 1..%u (delegated channels)",
			   d->data->dev_name, conf->nb_vchans, dev->nb_chans);
		return -EINVAL;
	}
	if (NTB_DMA_CONF_SILENT(conf)) {
		DWEDMA_LOG(ERR, "%s: silent mode not supported",
			   d->data->dev_name);
		return -EINVAL;
	}
	dev->nb_vchans = conf->nb_vchans;
	for (i = 0; i < dev->nb_chans; i++)
		dev->ch[i].configured = false;
	return 0;
}

static int
dwedma_vchan_setup(struct rte_dma_dev *d, uint16_t vchan,
		   const struct rte_dma_vchan_conf *conf, uint32_t conf_sz)
{
	struct dwedma_dev *dev = d->data->dev_private;
	struct dwedma_chan *c = &dev->ch[vchan];
	enum rte_dma_direction want = c->read ? RTE_DMA_DIR_MEM_TO_DEV :
		RTE_DMA_DIR_DEV_TO_MEM;

	RTE_SET_USED(conf_sz);
	if (vchan >= dev->nb_vchans)
		return -EINVAL;
	if (conf->direction != want) {
		DWEDMA_LOG(ERR, "%s: vchan %u is eDMA %s channel %u: direction must be %s",
			   d->data->dev_name, vchan, c->read ? "READ" : "WRITE",
			   c->hw_ch, c->read ? "MEM_TO_DEV" : "DEV_TO_MEM");
		return -EINVAL;
	}
	if (conf->nb_desc == 0 || conf->nb_desc > c->n_slots - 1) {
		DWEDMA_LOG(ERR, "%s: nb_desc %u out of 1..%u (LL window of %u elements)",
			   d->data->dev_name, conf->nb_desc, c->n_slots - 1,
			   c->n_slots);
		return -EINVAL;
	}
	c->capacity = conf->nb_desc;
	c->configured = true;
	return 0;
}

static int
dwedma_start(struct rte_dma_dev *d)
{
	struct dwedma_dev *dev = d->data->dev_private;
	unsigned int i;

	for (i = 0; i < dev->nb_vchans; i++)
		if (!dev->ch[i].configured) {
			DWEDMA_LOG(ERR, "%s: vchan %u not set up",
				   d->data->dev_name, i);
			return -EINVAL;
		}
	for (i = 0; i < dev->nb_vchans; i++)
		dwedma_chan_start(&dev->ch[i], &dev->regs);
	dev->started = true;
	return 0;
}

/* Let submitted work finish (bounded), so a restart reuses idle rings. */
static int
dwedma_stop(struct rte_dma_dev *d)
{
	struct dwedma_dev *dev = d->data->dev_private;
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz();
	unsigned int i;

	for (i = 0; i < dev->nb_vchans; i++) {
		struct dwedma_chan *c = &dev->ch[i];

		while (c->elem_hw != c->elem_sub &&
		       rte_get_timer_cycles() < end)
			dwedma_chan_poll(c, &dev->regs);
		if (c->elem_hw != c->elem_sub)
			DWEDMA_LOG(WARNING, "%s: vchan %u: %" PRIu64 " element(s) still with the engine at stop",
				   d->data->dev_name, i,
				   c->elem_sub - c->elem_hw);
	}
	dev->started = false;
	return 0;
}

static int
dwedma_close(struct rte_dma_dev *d)
{
	struct dwedma_dev *dev = d->data->dev_private;
	unsigned int i;

	for (i = 0; i < dev->nb_chans; i++) {
		rte_free(dev->ch[i].job_end);
		rte_free(dev->ch[i].job_status);
		dev->ch[i].job_end = NULL;
		dev->ch[i].job_status = NULL;
	}
	return 0;
}

static int
dwedma_stats_get(const struct rte_dma_dev *d, uint16_t vchan,
		 struct rte_dma_stats *stats, uint32_t stats_sz)
{
	const struct dwedma_dev *dev = d->data->dev_private;
	unsigned int i;

	RTE_SET_USED(stats_sz);
	if (vchan != RTE_DMA_ALL_VCHAN) {
		*stats = dev->ch[vchan].stats;
		return 0;
	}
	memset(stats, 0, sizeof(*stats));
	for (i = 0; i < dev->nb_vchans; i++) {
		stats->submitted += dev->ch[i].stats.submitted;
		stats->completed += dev->ch[i].stats.completed;
		stats->errors += dev->ch[i].stats.errors;
	}
	return 0;
}

static int
dwedma_stats_reset(struct rte_dma_dev *d, uint16_t vchan)
{
	struct dwedma_dev *dev = d->data->dev_private;
	unsigned int i;

	for (i = 0; i < dev->nb_chans; i++)
		if (vchan == RTE_DMA_ALL_VCHAN || vchan == i)
			memset(&dev->ch[i].stats, 0, sizeof(dev->ch[i].stats));
	return 0;
}

static int
dwedma_vchan_status(const struct rte_dma_dev *d, uint16_t vchan,
		    enum rte_dma_vchan_status *status)
{
	struct dwedma_dev *dev = d->data->dev_private;
	struct dwedma_chan *c = &dev->ch[vchan];

	dwedma_chan_poll(c, &dev->regs);
	*status = c->elem_hw == c->elem_sub ? RTE_DMA_VCHAN_IDLE :
		RTE_DMA_VCHAN_ACTIVE;
	return 0;
}

static int
dwedma_dump(const struct rte_dma_dev *d, FILE *f)
{
	const struct dwedma_dev *dev = d->data->dev_private;
	unsigned int i;

	fprintf(f, "  DW eDMA v0 (unrolled, LL mode), exported DMA ABI v1 in BAR%u at 0x%x (0x%x bytes), %u READ channel(s)\n",
		dev->loc.bar, dev->loc.offset, dev->loc.size, dev->nb_chans);
	fprintf(f, "  rd_int_status 0x%08x\n",
		ntb_bar_read32(&dev->regs, DW_EDMA_V0_RD_INT_STATUS));
	for (i = 0; i < dev->nb_chans; i++) {
		const struct dwedma_chan *c = &dev->ch[i];

		fprintf(f, "  vchan %u: %s ch %u, LL 0x%" PRIx64 " (%u elements), ctrl1 0x%08x llp 0x%08x%08x\n",
			i, c->read ? "READ" : "WRITE", c->hw_ch, c->ll_phys,
			c->n_slots,
			ntb_bar_read32(&dev->regs, c->regs_ch +
				       DW_EDMA_V0_CH_CONTROL1),
			ntb_bar_read32(&dev->regs, c->regs_ch +
				       DW_EDMA_V0_CH_LLP_HI),
			ntb_bar_read32(&dev->regs, c->regs_ch +
				       DW_EDMA_V0_CH_LLP_LO));
		fprintf(f, "    ops enq %" PRIu64 " sub %" PRIu64 " done %" PRIu64 " ret %" PRIu64 "; elements %" PRIu64 "/%" PRIu64 "/%" PRIu64 "; aborts %" PRIu64 " bad_llp %" PRIu64 "\n",
			c->job_prod, c->job_sub, c->job_done, c->job_ret,
			c->elem_prod, c->elem_sub, c->elem_hw, c->aborts,
			c->bad_llp);
	}
	return 0;
}

static const struct rte_dma_dev_ops dwedma_ops = {
	.dev_info_get = dwedma_info_get,
	.dev_configure = dwedma_configure,
	.dev_start = dwedma_start,
	.dev_stop = dwedma_stop,
	.dev_close = dwedma_close,
	.vchan_setup = dwedma_vchan_setup,
	.stats_get = dwedma_stats_get,
	.stats_reset = dwedma_stats_reset,
	.vchan_status = dwedma_vchan_status,
	.dev_dump = dwedma_dump,
};

int
dma_dwedma_create(const char *name, struct rte_device *device, int numa_node,
		  const struct ntb_bar bars[6],
		  const struct dma_dwedma_locator *loc)
{
	struct rte_dma_dev *d;
	struct dwedma_dev *dev;
	unsigned int i;
	int ret;

	d = rte_dma_pmd_allocate(name, numa_node, sizeof(*dev));
	if (d == NULL) {
		DWEDMA_LOG(ERR, "%s: cannot allocate the dmadev", name);
		return rte_dma_get_dev_id_by_name(name) >= 0 ? -EEXIST :
			-ENOMEM;
	}
	dev = d->data->dev_private;
	ret = dwedma_parse_slice(dev, name, bars, loc);
	if (ret < 0) {
		for (i = 0; i < PCI_EP_DMA_MAX_CHANS; i++) {
			rte_free(dev->ch[i].job_end);
			rte_free(dev->ch[i].job_status);
		}
		rte_dma_pmd_release(name);
		return ret;
	}
	d->device = device;
	d->dev_ops = &dwedma_ops;
	d->fp_obj->dev_private = dev;
	d->fp_obj->copy = dwedma_copy;
	d->fp_obj->copy_sg = dwedma_copy_sg;
	d->fp_obj->submit = dwedma_submit;
	d->fp_obj->completed = dwedma_completed;
	d->fp_obj->completed_status = dwedma_completed_status;
	d->fp_obj->burst_capacity = dwedma_burst_capacity;
	d->state = RTE_DMA_DEV_READY;
	DWEDMA_LOG(INFO, "%s: %u eDMA READ channel(s) of the EP (exported DMA ABI v1, BAR%u+0x%x)",
		   name, dev->nb_chans, loc->bar, loc->offset);
	return d->data->dev_id;
}

void
dma_dwedma_destroy(const char *name)
{
	int id = rte_dma_get_dev_id_by_name(name);

	if (id < 0)
		return;
	rte_dma_stop((int16_t)id);
	rte_dma_close((int16_t)id);
}

int
dma_dwedma_vchan_reset(int16_t dev_id, uint16_t vchan)
{
	struct dwedma_dev *dev;
	struct dwedma_chan *c;
	uint64_t forgotten, with_hw;

	if (!rte_dma_is_valid(dev_id) ||
	    rte_dma_fp_objs[dev_id].copy != dwedma_copy)
		return -EINVAL;
	dev = rte_dma_fp_objs[dev_id].dev_private;
	if (!dev->started || vchan >= dev->nb_vchans)
		return -EINVAL;
	c = &dev->ch[vchan];
	forgotten = c->job_prod - c->job_ret;
	with_hw = c->elem_sub - c->elem_hw;
	c->stats.errors += forgotten;
	dwedma_chan_start(c, &dev->regs);
	DWEDMA_LOG(WARNING, "vchan %u of dmadev %d reset: %" PRIu64 " op(s) forgotten (%" PRIu64 " element(s) were with the engine)",
		   vchan, dev_id, forgotten, with_hw);
	return (int)RTE_MIN(forgotten, (uint64_t)INT32_MAX);
}
