/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * vdev raw_ntb_ivshmem<N>: the RC on the kernel peer, Linux's vNTB in a
 * QEMU guest on our pci_epc_ivshmem endpoint controller. The platform
 * (ivshmem/) gives the BARs, the MSI eventfds and the outbound
 * translations; the BAR map comes from the IDs the guest's EPF wrote,
 * through the lookup a board uses; the RC code above is a board's.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <bus_vdev_driver.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_rawdev_pmd.h>

#include "ivshm.h"
#include "ntb_dwedma_dev.h"
#include "ntb_dwedma_intr.h"
#include "ntb_dwedma_log.h"
#include "vntb_platform.h"
#include "vntb_rc.h"

#define ARG_SERVER		"server"
#define ARG_RAM			"ram"

/* a new guest peer (reboot): how often to look for its started EPC */
#define IVSHM_REATTACH_PERIOD_MS	200

/* connect: the server sends everything at once; bound the whole */
#define IVSHM_SETTLE_MS		200
#define IVSHM_WAIT_MS		3000

struct ivshm_hw {
	struct ivshm s;
	bool s_open;
	struct vntb_rc rc;
	bool rc_ready;
	struct ivshm_ntb w;
	unsigned int nb_msi;
	int msi_fds[VNTB_RC_MAX_VECTORS];
	char server[256];
	char ram[256];
	/* the guest went away; a new one may come (kernel-peer.sh reboot) */
	bool guest_lost;
	bool reattach;
	uint64_t next_try;		/* timer cycles */
	uint64_t reattaches;
	uint16_t vendor_id, device_id;	/* of the first guest's function */
	uint32_t class_id;
};

static const char *const ivshm_keys[] = { ARG_SERVER, ARG_RAM, NULL };

static int
ivshm_key(const char *key, const char *value, void *arg)
{
	struct ivshm_hw *hw = arg;
	char *dst = strcmp(key, ARG_SERVER) == 0 ? hw->server : hw->ram;
	size_t n = strcmp(key, ARG_SERVER) == 0 ? sizeof(hw->server) :
		sizeof(hw->ram);

	if (value == NULL || value[0] == '\0' || strlen(value) >= n) {
		NTB_LOG(ERR, "devarg %s needs a path of 1..%zu characters",
			key, n - 1);
		return -EINVAL;
	}
	strcpy(dst, value);
	return 0;
}

static void
ivshm_hw_fini(struct ntb_dwedma_dev *d)
{
	struct ivshm_hw *hw = d->hw;

	if (hw == NULL)
		return;
	if (hw->rc_ready)
		vntb_rc_fini(&hw->rc);
	if (hw->s_open)
		ivshm_close(&hw->s);	/* restores, unmaps, closes the fds */
	rte_free(hw);
	d->hw = NULL;
}

static unsigned int
ivshm_ctrl_fds(struct ntb_dwedma_dev *d, int *fds, unsigned int max)
{
	struct ivshm_hw *hw = d->hw;
	unsigned int n = 0;

	if (max > n && hw->nb_msi > 0)
		fds[n++] = hw->msi_fds[0];	/* vector 0: link event */
	if (max > n && hw->s.connected)
		fds[n++] = hw->s.cl.sock;	/* peers come and go */
	return n;
}

static void
ivshm_ctrl_event(struct ntb_dwedma_dev *d, int fd)
{
	struct ivshm_hw *hw = d->hw;
	uint64_t v;

	if (fd == hw->s.cl.sock) {
		switch (ivshm_server_event(&hw->s)) {
		case IVSHM_GUEST_GONE:
			/* no command can be answered; its memory is not ours */
			vntb_rc_set_peer_gone(&hw->rc, true);
			ivshm_guest_lost(&hw->s);
			hw->guest_lost = true;
			hw->reattach = false;
			break;
		case IVSHM_GUEST_NEW:
			if (hw->guest_lost) {
				hw->reattach = true;
				hw->next_try = 0;
			}
			break;
		default:
			break;
		}
		if (!hw->s.connected)
			ntb_dwedma_ctrl_unwatch(d, fd);
		return;
	}
	if (read(fd, &v, sizeof(v)) == sizeof(v))
		vntb_rc_vector_event(&hw->rc, 0);
}

/*
 * Control thread: a new guest peer came after ours left (a reboot on the
 * same files), or ours had not started its EPC at probe. Once its EPC is
 * started with the same function, the RC
 * init of a board runs again on the new BARs (CONFIGURE_DOORBELL, then
 * LINK_UP); CONFIGURE_MW and the transport handshake follow in the link
 * work.
 */
static void
ivshm_reattach(struct ntb_dwedma_dev *d, struct ivshm_hw *hw)
{
	const char *name = d->rawdev->name;
	struct epc_ivshmem_desc desc;
	int ret;

	hw->next_try = rte_get_timer_cycles() +
		rte_get_timer_hz() * IVSHM_REATTACH_PERIOD_MS / 1000;
	if (!ivshm_ram_same(&hw->s)) {
		NTB_LOG(ERR, "%s: the guest RAM file %s was replaced (a new guest, not a reboot): restart the RC to attach to it",
			name, hw->ram);
		hw->reattach = false;
		return;
	}
	if (ivshm_desc_read(&hw->s, &desc, true) != 0 || !desc.header_valid ||
	    !desc.started || (hw->s.dead && desc.boot_id == hw->s.dead_boot))
		return;		/* not (yet) the new guest's started EPC */
	if (desc.vendor_id != hw->vendor_id ||
	    desc.device_id != hw->device_id ||
	    ivshm_desc_class(&desc) != hw->class_id) {
		NTB_LOG(ERR, "%s: the new guest's function is %04x:%04x class %06x, the first was %04x:%04x class %06x: not taken",
			name, desc.vendor_id, desc.device_id,
			ivshm_desc_class(&desc), hw->vendor_id, hw->device_id,
			hw->class_id);
		hw->reattach = false;
		return;
	}
	ivshm_sync(&hw->s);	/* the new guest's BARs */
	ret = vntb_rc_reinit(&hw->rc);
	if (ret == 0)
		ret = d->nd->ops->link_enable(d->nd);
	if (ret != 0) {
		NTB_LOG(ERR, "%s: the new guest's vNTB function was not taken (%d); retrying",
			name, ret);
		vntb_rc_set_peer_gone(&hw->rc, true);
		return;
	}
	hw->reattach = false;
	if (!hw->guest_lost) {
		NTB_LOG(NOTICE, "%s: the guest started its vNTB function: attached",
			name);
		return;
	}
	hw->guest_lost = false;
	hw->reattaches++;
	NTB_LOG(NOTICE, "%s: attached to the restarted guest (boot_id %#x, reattach %" PRIu64 ")",
		name, desc.boot_id, hw->reattaches);
}

/* Control thread, every period and event: follow the EP's BAR moves. */
static void
ivshm_ctrl_tick(struct ntb_dwedma_dev *d)
{
	struct ivshm_hw *hw = d->hw;

	ivshm_sync(&hw->s);
	if (hw->reattach && rte_get_timer_cycles() >= hw->next_try)
		ivshm_reattach(d, hw);
}

static void
ivshm_pcie_link(struct ntb_dwedma_dev *d, uint8_t *speed, uint8_t *width)
{
	RTE_SET_USED(d);
	/* a shared file has no PCIe link: unknown */
	*speed = 0;
	*width = 0;
}

static const struct ntb_dwedma_hw_ops ivshm_hw_ops = {
	.fini = ivshm_hw_fini,
	.ctrl_fds = ivshm_ctrl_fds,
	.ctrl_event = ivshm_ctrl_event,
	.ctrl_tick = ivshm_ctrl_tick,
	.pcie_link = ivshm_pcie_link,
};

/* BARs the map gives roles in [first, last] (config..DB, or the MWs). */
static uint8_t
ivshm_bar_mask(const struct vntb_barmap *map, enum vntb_bar_role first,
	       enum vntb_bar_role last)
{
	uint8_t mask = 0;
	unsigned int r;

	for (r = first; r <= last; r++)
		if (map->bar[r] >= 0 && map->bar[r] < VNTB_PCI_BARS)
			mask |= RTE_BIT32(map->bar[r]);
	return mask;
}

/*
 * MSI vectors as on a board: what the function offers (the EPC's
 * msi_count), as far as we have eventfds for, at most 32 (ntb_hw_epf).
 * Our vector v is the v-th own eventfd the server sent.
 */
static int
ivshm_setup_msi(struct ntb_dwedma_dev *d, struct ivshm_hw *hw)
{
	unsigned int i, n = hw->s.cl.nb_vectors;

	if (hw->s.desc.msi_count != 0)
		n = RTE_MIN(n, hw->s.desc.msi_count);
	n = RTE_MIN(n, (unsigned int)VNTB_RC_MAX_VECTORS);
	if (n < VNTB_RC_MIN_VECTORS) {
		NTB_LOG(ERR, "%s: %u MSI vector(s) (ivshmem server vectors %u, EPC msi_count %u): vNTB needs %u (link, reserved, doorbells); start the server with more vectors",
			d->rawdev->name, n, hw->s.cl.nb_vectors,
			hw->s.desc.msi_count, VNTB_RC_MIN_VECTORS);
		return -ENODEV;
	}
	hw->nb_msi = n;
	for (i = 0; i < n; i++)
		hw->msi_fds[i] = hw->s.cl.vec_fd[i];
	return 0;
}

static int
ivshm_attach(struct ntb_dwedma_dev *d, struct ivshm_hw *hw)
{
	const char *name = d->rawdev->name;
	const struct epc_ivshmem_desc *desc = &hw->s.desc;
	const struct vntb_platform *id;
	struct ntb_bar bars[VNTB_PCI_BARS];
	struct vntb_rc_params rp;
	int ret;

	ret = ivshm_desc_read(&hw->s, &hw->s.desc, false);
	if (ret < 0)
		return ret;
	if (!desc->header_valid) {
		NTB_LOG(ERR, "%s: the guest's EPC has no config header yet: bind the vNTB function first",
			name);
		return -ENODEV;
	}
	id = vntb_pci_id_match(desc->vendor_id, desc->device_id,
			       ivshm_desc_class(desc));
	if (id == NULL) {
		NTB_LOG(ERR, "%s: the guest's function %04x:%04x class %06x is not a vNTB function (IDs of ntb_hw_epf)",
			name, desc->vendor_id, desc->device_id,
			ivshm_desc_class(desc));
		return -ENODEV;
	}
	hw->vendor_id = desc->vendor_id;
	hw->device_id = desc->device_id;
	hw->class_id = ivshm_desc_class(desc);
	NTB_LOG(NOTICE, "%s: guest function %04x:%04x class %06x is a %s vNTB function, BAR map %s",
		name, desc->vendor_id, desc->device_id, ivshm_desc_class(desc),
		id->label, id->map.name);
	/* MW BARs beyond the EP's num_mws are not set: vntb_rc_init says
	 * which one is missing if the ctrl region wants it
	 */
	ret = ivshm_bars_map(&hw->s,
			     ivshm_bar_mask(&id->map, VNTB_BAR_CONFIG, VNTB_BAR_DB),
			     ivshm_bar_mask(&id->map, VNTB_BAR_MW1, VNTB_BAR_MW4));
	if (ret < 0)
		return ret;
	ret = ivshm_setup_msi(d, hw);
	if (ret < 0)
		return ret;
	ivshm_bars_get(&hw->s, bars);
	memset(&rp, 0, sizeof(rp));
	rp.name = name;
	rp.bars = bars;
	rp.map = &id->map;
	rp.msi_fds = hw->msi_fds;
	rp.nb_msi = hw->nb_msi;
	rp.msix = false;	/* the EPC offers MSI */
	/*
	 * Bound, BARs set, controller not started (a board's PCIe link not
	 * up yet): take the layout, send nothing; the control thread
	 * attaches when the guest starts it (as after a reboot).
	 */
	rp.ep_absent = !desc->started;
	/* a guest stopped or slow: probe with the link down, as a board */
	rp.wait_ep = true;
	rp.liveness_ms = d->opts.liveness_ms;
	ret = vntb_rc_init(&hw->rc, &rp);
	if (ret < 0)
		return ret;
	hw->rc_ready = true;
	if (rp.ep_absent) {
		NTB_LOG(NOTICE, "%s: the guest's vNTB function is bound but its EPC not started: link down until it starts",
			name);
		hw->reattach = true;
		hw->next_try = 0;
	}
	ntb_dwedma_dev_set_rc(d,
		ivshm_ntb_wrap(&hw->w, vntb_rc_ntb_dev(&hw->rc), &hw->s),
		vntb_rc_intr_mw(&hw->rc));
	NTB_LOG(NOTICE, "%s: %s vNTB function in the guest, ctrl layout v%u, %u MSI vectors",
		name, id->label, hw->rc.version, hw->nb_msi);
	return 0;
}

static int
ivshm_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct ntb_dwedma_opts opts;
	struct ntb_dwedma_dev *d;
	struct ivshm_hw *hw;
	unsigned int i;
	int ret;

	/* the files, fds and the server connection belong to the primary */
	if (ntb_dwedma_probe_secondary(name))
		return 0;
	hw = rte_zmalloc_socket("ivshm_hw", sizeof(*hw), 0, rte_socket_id());
	if (hw == NULL)
		return -ENOMEM;
	for (i = 0; i < VNTB_RC_MAX_VECTORS; i++)
		hw->msi_fds[i] = -1;
	ret = ntb_dwedma_opts_parse(rte_vdev_device_args(vdev), &opts,
				    ivshm_keys, ivshm_key, hw);
	if (ret < 0)
		goto fail_hw;
	if (hw->server[0] == '\0' || hw->ram[0] == '\0') {
		NTB_LOG(ERR, "%s: devargs %s=<ivshmem server socket> and %s=<guest RAM file> are required",
			name, ARG_SERVER, ARG_RAM);
		ret = -EINVAL;
		goto fail_hw;
	}
	ret = ivshm_open(&hw->s, name, hw->server, hw->ram, IVSHM_SETTLE_MS,
			 IVSHM_WAIT_MS);
	if (ret < 0)
		goto fail_hw;
	hw->s_open = true;
	ret = ntb_dwedma_dev_create(&(struct ntb_dwedma_probe){
			.name = name, .device = &vdev->device,
			.driver_name = RTE_PMD_NTB_DWEDMA_DRIVER_IVSHMEM,
			.socket_id = vdev->device.numa_node, .opts = &opts,
			.hw_ops = &ivshm_hw_ops, .hw = hw, .is_ep = false,
		}, &d);
	if (ret < 0)
		goto fail_hw;
	return ntb_dwedma_dev_finish(d, ivshm_attach(d, hw));
fail_hw:
	if (hw->s_open)
		ivshm_close(&hw->s);
	rte_free(hw);
	return ret;
}

static struct rte_vdev_driver ivshm_drv = {
	.probe = ivshm_probe,
	.remove = ntb_dwedma_vdev_remove,
};

RTE_PMD_REGISTER_VDEV(raw_ntb_ivshmem, ivshm_drv);
RTE_PMD_REGISTER_PARAM_STRING(raw_ntb_ivshmem,
	"server=<ivshmem server socket> ram=<guest RAM file> "
	"intr=auto|poll|doorbell|dw_edma|msi transport_mtu=<bytes> "
	"max_mw_size=<bytes> num_qps=<1..16> copy=cpu|dma|auto "
	"liveness_ms=<0..60000>");
