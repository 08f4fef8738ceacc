/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * PCI driver raw_ntb_dwedma: the RC side on a board, bound (vfio-pci) to
 * the vNTB function, where the kernel's ntb_hw_epf would bind. Same IDs
 * and BAR maps as ntb_hw_epf (the board rows, vntb/vntb_platform_rows.h).
 * MSI vectors become eventfds through VFIO: vector 0 link, 2 + k
 * doorbell k.
 *
 * The driver maps the BARs itself (no RTE_PCI_DRV_NEED_MAPPING) so that
 * a device the bus cannot map still reaches probe and gets a clear error
 * naming what is wrong, instead of being skipped silently.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>

#include <bus_pci_driver.h>
#include <rte_bus_pci.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_rawdev_pmd.h>
#include <rte_vfio.h>

#include "ntb_dwedma_dev.h"
#include "ntb_dwedma_log.h"
#include "ntb_dwedma_pci.h"
#include "ntb_dwedma_pci_wc.h"
#include "vntb_platform.h"
#include "vntb_rc.h"

#define PCI_CAP_PTR		0x34
#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_MSIX		0x11
#define PCI_CAP_ID_EXP		0x10
#define PCI_EXP_LNKSTA		0x12

struct pci_hw {
	struct rte_pci_device *pci;
	struct vntb_rc rc;
	bool rc_ready;
	bool mapped;
	bool msix;
	unsigned int nb_msi;
	int msi_fds[VNTB_RC_MAX_VECTORS];
	bool irqs_on;
	/* write-combined mappings of the window BARs, NULL: VFIO's */
	void *wc_va[VNTB_PCI_BARS];
	size_t wc_len[VNTB_PCI_BARS];
};

/* Offset of capability id in config space, 0 if absent. */
static int
pci_cap_find(struct rte_pci_device *pci, uint8_t id)
{
	uint8_t pos = 0, cap[2];
	int guard = 48;

	if (rte_pci_read_config(pci, &pos, 1, PCI_CAP_PTR) != 1)
		return 0;
	while (pos >= 0x40 && guard-- > 0) {
		if (rte_pci_read_config(pci, cap, 2, pos) != 2)
			return 0;
		if (cap[0] == id)
			return pos;
		pos = cap[1] & ~3;
	}
	return 0;
}

/* Vectors the function offers: MSI-X table size, else MSI MMC. */
static unsigned int
pci_msi_vectors(struct pci_hw *hw)
{
	uint16_t ctl = 0;
	int pos;

	pos = pci_cap_find(hw->pci, PCI_CAP_ID_MSIX);
	if (pos && rte_pci_read_config(hw->pci, &ctl, 2, pos + 2) == 2) {
		hw->msix = true;
		return (ctl & 0x7ff) + 1;
	}
	pos = pci_cap_find(hw->pci, PCI_CAP_ID_MSI);
	if (pos && rte_pci_read_config(hw->pci, &ctl, 2, pos + 2) == 2)
		return 1u << ((ctl >> 1) & 0x7);
	return 0;
}

static int
pci_vfio_irqs(struct pci_hw *hw, bool on)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int) * VNTB_RC_MAX_VECTORS];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	int vfio_fd = rte_intr_dev_fd_get(hw->pci->intr_handle);

	if (vfio_fd < 0)
		return -ENODEV;
	memset(buf, 0, sizeof(buf));
	set->argsz = sizeof(buf);
	set->index = hw->msix ? VFIO_PCI_MSIX_IRQ_INDEX : VFIO_PCI_MSI_IRQ_INDEX;
	set->start = 0;
	if (on) {
		set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
		set->count = hw->nb_msi;
		memcpy(set->data, hw->msi_fds, sizeof(int) * hw->nb_msi);
	} else {
		set->flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
		set->count = 0;
		set->argsz = sizeof(*set);
	}
	if (ioctl(vfio_fd, VFIO_DEVICE_SET_IRQS, set) < 0)
		return -errno;
	return 0;
}

static void
pci_hw_fini(struct ntb_dwedma_dev *d)
{
	struct pci_hw *hw = d->hw;
	unsigned int i;

	if (hw == NULL)
		return;
	if (hw->rc_ready)
		vntb_rc_fini(&hw->rc);
	if (hw->irqs_on)
		pci_vfio_irqs(hw, false);
	for (i = 0; i < hw->nb_msi; i++)
		if (hw->msi_fds[i] >= 0)
			close(hw->msi_fds[i]);
	for (i = 0; i < VNTB_PCI_BARS; i++)
		ntb_pci_wc_unmap(hw->wc_va[i], hw->wc_len[i]);
	if (hw->mapped)
		rte_pci_unmap_device(hw->pci);
	rte_free(hw);
	d->hw = NULL;
}

static unsigned int
pci_ctrl_fds(struct ntb_dwedma_dev *d, int *fds, unsigned int max)
{
	struct pci_hw *hw = d->hw;

	if (max == 0 || hw->nb_msi == 0)
		return 0;
	fds[0] = hw->msi_fds[0];	/* vector 0: link event */
	return 1;
}

static void
pci_ctrl_event(struct ntb_dwedma_dev *d, int fd)
{
	struct pci_hw *hw = d->hw;
	uint64_t v;

	if (read(fd, &v, sizeof(v)) == sizeof(v))
		vntb_rc_vector_event(&hw->rc, 0);
}

static void
pci_link(struct ntb_dwedma_dev *d, uint8_t *speed, uint8_t *width)
{
	struct pci_hw *hw = d->hw;
	uint16_t sta = 0;
	int pos = pci_cap_find(hw->pci, PCI_CAP_ID_EXP);

	*speed = 0;
	*width = 0;
	if (pos && rte_pci_read_config(hw->pci, &sta, 2,
				       pos + PCI_EXP_LNKSTA) == 2) {
		*speed = sta & 0xf;
		*width = (sta >> 4) & 0x3f;
	}
}

static const struct ntb_dwedma_hw_ops pci_hw_ops = {
	.fini = pci_hw_fini,
	.ctrl_fds = pci_ctrl_fds,
	.ctrl_event = pci_ctrl_event,
	.pcie_link = pci_link,
};

static int
pci_setup_irqs(struct ntb_dwedma_dev *d, struct pci_hw *hw)
{
	unsigned int i, n = pci_msi_vectors(hw);
	int ret;

	if (n < VNTB_RC_MIN_VECTORS) {
		NTB_LOG(WARNING, "%s: %u MSI vector(s) (need %u): no interrupts, queues poll",
			d->rawdev->name, n, VNTB_RC_MIN_VECTORS);
		return 0;
	}
	hw->nb_msi = RTE_MIN(n, (unsigned int)VNTB_RC_MAX_VECTORS);
	for (i = 0; i < hw->nb_msi; i++) {
		hw->msi_fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (hw->msi_fds[i] < 0)
			return -errno;
	}
	ret = pci_vfio_irqs(hw, true);
	if (ret < 0) {
		NTB_LOG(ERR, "%s: cannot enable %u %s vectors through VFIO: %s",
			d->rawdev->name, hw->nb_msi, hw->msix ? "MSI-X" : "MSI",
			strerror(-ret));
		return ret;
	}
	hw->irqs_on = true;
	return 0;
}

/*
 * Name of the kernel driver the function is bound to, from the sysfs
 * tree EAL scanned (SYSFS_PCI_DEVICES), for the error message: EAL only
 * keeps "not vfio/uio" (RTE_PCI_KDRV_UNKNOWN).
 */
static void
pci_kdrv_name(const struct rte_pci_device *pci, char *buf, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(buf, len, "an unknown driver");
	if (snprintf(path, sizeof(path), "%s/%s/driver",
		     rte_pci_get_sysfs_path(), pci->name) >= (int)sizeof(path))
		return;
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return;
	link[n] = '\0';
	base = strrchr(link, '/');
	base = base != NULL ? base + 1 : link;
	n = (ssize_t)strnlen(base, len - 1);
	if (n > 0) {
		memcpy(buf, base, n);
		buf[n] = '\0';
	}
}

/* Why the function cannot be driven, or 0: checked before any resource
 * is taken, so that probe fails with one message naming the cause.
 */
static int
pci_check_binding(struct rte_pci_device *pci, const struct vntb_platform *id)
{
	char kdrv[64];

	if (pci->kdrv != RTE_PCI_KDRV_VFIO) {
		pci_kdrv_name(pci, kdrv, sizeof(kdrv));
		NTB_LOG(ERR, "%s: %s vNTB function is bound to %s, not vfio-pci: the driver needs VFIO for its BARs and MSI vectors (bind it with dpdk-devbind.py -b vfio-pci %s)",
			pci->name, id->label, kdrv, pci->name);
		return -ENOTSUP;
	}
	if (rte_vfio_is_enabled("vfio_pci") == 0) {
		NTB_LOG(ERR, "%s: %s vNTB function is bound to vfio-pci but VFIO is not usable in this process (vfio-pci module not loaded or /dev/vfio missing): cannot map its BARs",
			pci->name, id->label);
		return -ENODEV;
	}
	return 0;
}

/*
 * Data window BARs write-combined where the platform allows (see
 * ntb_dwedma_pci_wc.c); register BARs (ctrl, doorbells) and the
 * interrupt window stay as VFIO mapped them: uncached. Done once the
 * EP's ctrl said how many windows it offers, before anything took a
 * window's address (peer_mw_get_bar reads rc.bars when called). The
 * VFIO mapping of a window BAR is left in place, unused, and goes with
 * rte_pci_unmap_device().
 */
static void
pci_map_windows_wc(struct pci_hw *hw, const struct vntb_platform *id)
{
	struct rte_pci_device *pci = hw->pci;
	char dir[PATH_MAX];
	int i;

	if (snprintf(dir, sizeof(dir), "%s/%s", rte_pci_get_sysfs_path(),
		     pci->name) >= (int)sizeof(dir))
		return;
	for (i = 0; i < VNTB_PCI_BARS; i++) {
		if (pci->mem_resource[i].addr == NULL ||
		    pci->mem_resource[i].len == 0 ||
		    !ntb_pci_bar_is_mw_only(&id->map, i, hw->rc.num_mws,
					    hw->rc.dma.abi != 0 &&
					    hw->rc.dma.bar < VNTB_PCI_BARS ?
					    (int)hw->rc.dma.bar : -1))
			continue;
		hw->wc_va[i] = ntb_pci_wc_map(pci->name, dir, i,
					      pci->mem_resource[i].len);
		if (hw->wc_va[i] == NULL)
			continue;
		hw->wc_len[i] = pci->mem_resource[i].len;
		hw->rc.bars[i].va = hw->wc_va[i];
	}
}

/* Map the BARs, set up the interrupts and the board's RC over them. */
static int
pci_attach(struct ntb_dwedma_dev *d, struct pci_hw *hw,
	   const struct vntb_platform *id)
{
	struct rte_pci_device *pci = hw->pci;
	struct ntb_bar bars[VNTB_PCI_BARS];
	struct vntb_rc_params rp;
	unsigned int i;
	int ret;

	ret = rte_pci_map_device(pci);
	if (ret != 0) {
		NTB_LOG(ERR, "%s: cannot map BARs", pci->name);
		return -EIO;
	}
	hw->mapped = true;
	ret = pci_setup_irqs(d, hw);
	if (ret < 0)
		return ret;
	memset(bars, 0, sizeof(bars));
	for (i = 0; i < VNTB_PCI_BARS; i++) {
		bars[i].va = pci->mem_resource[i].addr;
		bars[i].len = pci->mem_resource[i].len;
		bars[i].bus_addr = pci->mem_resource[i].phys_addr;
	}
	memset(&rp, 0, sizeof(rp));
	rp.name = pci->name;
	rp.bars = bars;
	rp.map = &id->map;
	rp.msi_fds = hw->nb_msi ? hw->msi_fds : NULL;
	rp.nb_msi = hw->nb_msi;
	rp.msix = hw->msix;
	/* an EP still booting: probe with the link down, bring up later */
	rp.wait_ep = true;
	rp.liveness_ms = d->opts.liveness_ms;
	ret = vntb_rc_init(&hw->rc, &rp);
	if (ret < 0)
		return ret;
	hw->rc_ready = true;
	pci_map_windows_wc(hw, id);
	ntb_dwedma_dev_set_rc(d, vntb_rc_ntb_dev(&hw->rc),
			      vntb_rc_intr_mw(&hw->rc));
	NTB_LOG(NOTICE, "%s: %s vNTB function, ctrl layout v%u",
		pci->name, id->label, hw->rc.version);
	return 0;
}

static int
pci_probe(struct rte_pci_driver *drv, struct rte_pci_device *pci)
{
	const struct vntb_platform *id;
	struct ntb_dwedma_dev *d;
	struct ntb_dwedma_opts opts;
	struct pci_hw *hw;
	const char *args = NULL;
	unsigned int i;
	int ret;

	RTE_SET_USED(drv);
	id = vntb_pci_id_match(pci->id.vendor_id, pci->id.device_id,
			       pci->id.class_id);
	if (id == NULL) {
		NTB_LOG(INFO, "%s: %04x:%04x class %06x is not a vNTB function",
			pci->name, pci->id.vendor_id, pci->id.device_id,
			pci->id.class_id);
		return 1;	/* not ours: let other drivers try */
	}
	NTB_LOG(NOTICE, "%s: %04x:%04x class %06x is a %s vNTB function, BAR map %s",
		pci->name, pci->id.vendor_id, pci->id.device_id,
		pci->id.class_id, id->label, id->map.name);
	if (ntb_dwedma_probe_secondary(pci->name))
		return 0;
	if (pci->device.devargs != NULL)
		args = pci->device.devargs->args;
	ret = ntb_dwedma_opts_parse(args, &opts, NULL, NULL, NULL);
	if (ret < 0)
		return ret;
	ret = pci_check_binding(pci, id);
	if (ret < 0)
		return ret;
	hw = rte_zmalloc_socket("ntb_pci_hw", sizeof(*hw), 0,
				pci->device.numa_node);
	if (hw == NULL)
		return -ENOMEM;
	hw->pci = pci;
	for (i = 0; i < VNTB_RC_MAX_VECTORS; i++)
		hw->msi_fds[i] = -1;
	ret = ntb_dwedma_dev_create(&(struct ntb_dwedma_probe){
			.name = pci->name, .device = &pci->device,
			.driver_name = RTE_PMD_NTB_DWEDMA_DRIVER_PCI,
			.socket_id = pci->device.numa_node, .opts = &opts,
			.hw_ops = &pci_hw_ops, .hw = hw, .is_ep = false,
		}, &d);
	if (ret < 0) {
		rte_free(hw);
		return ret;
	}
	return ntb_dwedma_dev_finish(d, pci_attach(d, hw, id));
}

static int
pci_remove(struct rte_pci_device *pci)
{
	return ntb_dwedma_remove(pci->name);
}

/*
 * One entry per board row (vntb/vntb_platform_rows.h), generated from the
 * rows at compile time: a static table, as the PCI bus and
 * RTE_PMD_REGISTER_PCI_TABLE's readers (dpdk-pmdinfo) expect, with no
 * constructor ordering to get right. Any class: the bus compares classes
 * exactly, ntb_hw_epf ignores the programming interface, so probe checks
 * the class with vntb_pci_id_match().
 */
const struct rte_pci_id ntb_dwedma_pci_ids[] = {
#define VNTB_PLATFORM(tag, vid, did, ...) { RTE_PCI_DEVICE(vid, did) },
#include "vntb_platform_rows.h"
#undef VNTB_PLATFORM
	{ .vendor_id = 0 },
};

static struct rte_pci_driver pci_drv = {
	.id_table = ntb_dwedma_pci_ids,
	.drv_flags = 0,
	.probe = pci_probe,
	.remove = pci_remove,
};

RTE_PMD_REGISTER_PCI(raw_ntb_dwedma, pci_drv);
RTE_PMD_REGISTER_PCI_TABLE(raw_ntb_dwedma, ntb_dwedma_pci_ids);
RTE_PMD_REGISTER_KMOD_DEP(raw_ntb_dwedma, "* vfio-pci");
RTE_PMD_REGISTER_PARAM_STRING(raw_ntb_dwedma,
	"intr=auto|poll|doorbell|dw_edma|msi transport_mtu=<bytes> "
	"max_mw_size=<bytes> num_qps=<1..16> copy=cpu|dma|auto "
	"liveness_ms=<0..60000>");
