/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The steps every probe (PCI, ivshmem, virtual link) shares: stay out of
 * a secondary process, make the rawdev around the probe's own state,
 * finish it (ready, or undone on the probe's error) and remove it.
 */

#include <errno.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <rte_eal.h>
#include <rte_rawdev_pmd.h>

#include "ntb_dwedma_dev.h"
#include "ntb_dwedma_log.h"

/*
 * Rawdevs are per process and the device (BARs, ivshmem files, the
 * virtual link's socket, shared memory and threads) belongs to the
 * primary: a secondary, which probes every device of the primary, must
 * not touch it.
 */
bool
ntb_dwedma_probe_secondary(const char *name)
{
	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		return false;
	NTB_LOG(INFO, "%s: secondary process: no rawdev here, the device stays with the primary",
		name);
	return true;
}

int
ntb_dwedma_dev_create(const struct ntb_dwedma_probe *p,
		      struct ntb_dwedma_dev **out)
{
	struct rte_rawdev *rawdev;
	struct ntb_dwedma_dev *d;

	rawdev = rte_rawdev_pmd_allocate(p->name, sizeof(*d), p->socket_id);
	if (rawdev == NULL) {
		NTB_LOG(ERR, "%s: cannot allocate rawdev", p->name);
		return -ENOMEM;
	}
	rawdev->dev_ops = &ntb_dwedma_ops;
	rawdev->device = p->device;
	rawdev->driver_name = p->driver_name;
	d = rawdev->dev_private;
	memset(d, 0, sizeof(*d));
	d->rawdev = rawdev;
	d->dev_id = rawdev->dev_id;
	d->socket_id = p->socket_id;
	d->ctrl_epfd = -1;
	d->ctrl_wake_fd = -1;
	rte_spinlock_init(&d->cb_lock);
	ntb_intr_deliver_init(&d->intr_dl);
	d->dma_dev_id = -1;
	d->opts = *p->opts;
	d->hw = p->hw;
	d->hw_ops = p->hw_ops;
	d->is_ep = p->is_ep;
	*out = d;
	return 0;
}

void
ntb_dwedma_dev_set_rc(struct ntb_dwedma_dev *d, struct ntb_dev *nd,
		      int intr_mw)
{
	d->nd = nd;
	memset(&d->intr_res, 0, sizeof(d->intr_res));
	d->intr_res.edma_irq_fd = -1;
	d->intr_res.intr_mw = intr_mw;
}

/* Called once nd/intr_res/hw_ops are filled. */
static int
ntb_dwedma_dev_ready(struct ntb_dwedma_dev *d)
{
	unsigned int i;

	for (i = 0; i < d->nd->mw_count && i < NTB_MAX_MW; i++) {
		uint64_t align, size_max;

		if (d->nd->ops->mw_get_align(d->nd, i, &align, &size_max) == 0)
			d->mw_size[i] = size_max;
	}
	d->rawdev->attached = 1;
	ntb_dwedma_dma_attach(d);
	NTB_LOG(INFO, "%s: %s side, %u memory window(s), %u doorbell(s), %u scratchpads",
		d->rawdev->name, d->is_ep ? "EP" : "RC", d->nd->mw_count,
		d->nd->db_count, d->nd->spad_count);
	return 0;
}

int
ntb_dwedma_dev_finish(struct ntb_dwedma_dev *d, int ret)
{
	if (ret >= 0)
		return ntb_dwedma_dev_ready(d);
	if (d->hw_ops->fini != NULL)
		d->hw_ops->fini(d);
	rte_rawdev_pmd_release(d->rawdev);
	return ret;
}

int
ntb_dwedma_remove(const char *name)
{
	struct rte_rawdev *rawdev;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;	/* probe made nothing here */
	rawdev = rte_rawdev_pmd_get_named_dev(name);
	if (rawdev == NULL)
		return -ENODEV;
	return ntb_dwedma_dev_destroy(ntb_dwedma_priv(rawdev));
}

int
ntb_dwedma_vdev_remove(struct rte_vdev_device *vdev)
{
	return ntb_dwedma_remove(rte_vdev_device_name(vdev));
}
