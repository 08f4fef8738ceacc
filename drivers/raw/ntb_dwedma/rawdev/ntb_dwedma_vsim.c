/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * vdev raw_ntb_vsim<N>: the rawdev on the virtual vNTB link. role=ep
 * plays the EP SoC (the vNTB function and its eDMA, vsim/); role=rc runs
 * the very RC code of a board (vntb/vntb_rc.c) over the link's BARs.
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

#include "ntb_dwedma_dev.h"
#include "ntb_dwedma_log.h"
#include "vntb_rc.h"
#include "vsim.h"

struct vsim_hw {
	struct vsim *vs;
	struct vsim_params params;
	struct vntb_rc rc;		/* RC: the board's RC code */
	bool rc_ready;
	/* RC: the EP went away, try a new one on the same socket */
	bool peer_lost;
	uint64_t next_reconnect;	/* timer cycles */
	uint64_t reconnects;
};

/* Reconnect attempts while the EP is gone (one non-blocking connect). */
#define VSIM_RECONNECT_PERIOD_MS	200

static int
vsim_key(const char *key, const char *value, void *arg)
{
	struct vsim_params *p = arg;

	if (vsim_params_set(p, key, value) < 0) {
		NTB_LOG(ERR, "%s: %s", p->name, vsim_params_error(p));
		return -EINVAL;
	}
	return 0;
}

static void
vsim_hw_fini(struct ntb_dwedma_dev *d)
{
	struct vsim_hw *hw = d->hw;

	if (hw == NULL)
		return;
	if (hw->rc_ready)
		vntb_rc_fini(&hw->rc);
	vsim_set_event_cb(hw->vs, NULL, NULL);
	vsim_destroy(hw->vs);
	rte_free(hw);
	d->hw = NULL;
}

static unsigned int
vsim_ctrl_fds(struct ntb_dwedma_dev *d, int *fds, unsigned int max)
{
	struct vsim_hw *hw = d->hw;
	unsigned int n = 0;

	if (max > n)
		fds[n++] = vsim_event_fd(hw->vs);
	if (!d->is_ep && max > n && hw->rc.nb_msi > 0 && hw->rc.msi_fds[0] >= 0)
		fds[n++] = hw->rc.msi_fds[0];	/* vector 0: link event */
	return n;
}

/*
 * RC, control thread: the EP process is gone. Its BARs now read as
 * staging memory; commands would wait their full timeout, so none is
 * sent and the link reads down: the link work that follows takes the
 * transport down at once (events LINK_DOWN, receive buffers freed).
 */
static void
vsim_rc_peer_lost(struct ntb_dwedma_dev *d, struct vsim_hw *hw)
{
	vntb_rc_set_peer_gone(&hw->rc, true);
	hw->peer_lost = true;
	hw->next_reconnect = rte_get_timer_cycles() +
		rte_get_timer_hz() * VSIM_RECONNECT_PERIOD_MS / 1000;
	NTB_LOG(NOTICE, "%s: EP gone; reconnecting to %s every %u ms",
		d->rawdev->name, hw->params.link, VSIM_RECONNECT_PERIOD_MS);
}

/*
 * RC, control thread: a new EP on the same socket gets the RC init of a
 * board again (CONFIGURE_DOORBELL, then LINK_UP); CONFIGURE_MW and the
 * transport handshake follow in the link work.
 */
static void
vsim_ctrl_tick(struct ntb_dwedma_dev *d)
{
	struct vsim_hw *hw = d->hw;
	int ret;

	if (d->is_ep || !hw->peer_lost ||
	    rte_get_timer_cycles() < hw->next_reconnect)
		return;
	hw->next_reconnect = rte_get_timer_cycles() +
		rte_get_timer_hz() * VSIM_RECONNECT_PERIOD_MS / 1000;
	/* not while the old connection is still being torn down */
	if (vsim_state(hw->vs) == VSIM_LINK_CONNECTED)
		return;
	if (vsim_rc_reconnect_try(hw->vs) != 0)
		return;		/* no EP listening yet */
	ret = vntb_rc_reinit(&hw->rc);
	if (ret == 0) {
		hw->peer_lost = false;
		ret = d->nd->ops->link_enable(d->nd);
		if (ret != 0)
			NTB_LOG(ERR, "%s: LINK_UP to the new EP failed (%d)",
				d->rawdev->name, ret);
	}
	if (ret != 0) {
		/* drop it; the DEAD event brings us back here later */
		NTB_LOG(ERR, "%s: the new EP at %s was not taken (%d); retrying",
			d->rawdev->name, hw->params.link, ret);
		vntb_rc_set_peer_gone(&hw->rc, true);
		hw->peer_lost = true;
		vsim_link_drop(hw->vs);
		return;
	}
	hw->reconnects++;
	NTB_LOG(NOTICE, "%s: reconnected to a new EP at %s (reconnect %" PRIu64 ")",
		d->rawdev->name, hw->params.link, hw->reconnects);
}

static void
vsim_ctrl_event(struct ntb_dwedma_dev *d, int fd)
{
	struct vsim_hw *hw = d->hw;
	uint64_t v;

	if (read(fd, &v, sizeof(v)) < 0)
		return;
	if (fd == vsim_event_fd(hw->vs)) {
		enum vsim_link_state st = vsim_state(hw->vs);

		NTB_LOG(NOTICE, "%s: virtual link %s", d->rawdev->name,
			st == VSIM_LINK_CONNECTED ? "connected" :
			st == VSIM_LINK_DEAD ? "lost (peer gone)" : "waiting");
		if (!d->is_ep && st == VSIM_LINK_DEAD && !hw->peer_lost)
			vsim_rc_peer_lost(d, hw);
		return;
	}
	if (!d->is_ep)
		vntb_rc_vector_event(&hw->rc, 0);
}

static void
vsim_pcie_link(struct ntb_dwedma_dev *d, uint8_t *speed, uint8_t *width)
{
	struct vsim_hw *hw = d->hw;
	bool up = vsim_state(hw->vs) == VSIM_LINK_CONNECTED;

	/* the R-Car S4 link: Gen4 x2 (kernel-facts 6) */
	*speed = up ? 4 : 0;
	*width = up ? 2 : 0;
}

static uint64_t
vsim_edma_lock_timeouts_op(struct ntb_dwedma_dev *d)
{
	struct vsim_hw *hw = d->hw;

	return hw == NULL ? 0 : vsim_edma_lock_timeouts(hw->vs);
}

static const struct ntb_dwedma_hw_ops vsim_hw_ops = {
	.edma_lock_timeouts = vsim_edma_lock_timeouts_op,
	.fini = vsim_hw_fini,
	.ctrl_fds = vsim_ctrl_fds,
	.ctrl_event = vsim_ctrl_event,
	.ctrl_tick = vsim_ctrl_tick,
	.pcie_link = vsim_pcie_link,
};

/*
 * RC, vsim link thread: the EP is gone. Marked at once, whether the
 * control thread runs or not (a device being closed), so that no
 * command waits its timeout for a process that cannot answer.
 */
static void
vsim_rc_link_cb(struct vsim *vs, enum vsim_link_state st, void *arg)
{
	struct vsim_hw *hw = arg;

	RTE_SET_USED(vs);
	if (st == VSIM_LINK_DEAD)
		vntb_rc_set_peer_gone(&hw->rc, true);
}

static int
vsim_rc_attach(struct ntb_dwedma_dev *d, struct vsim_hw *hw)
{
	const struct vsim_rc_res *res = vsim_rc_res(hw->vs);
	struct vntb_rc_params rp;
	int ret;

	memset(&rp, 0, sizeof(rp));
	rp.name = d->rawdev->name;
	rp.bars = res->bars;
	/* the board row the link's RC found from the function's IDs */
	rp.map = &res->platform->map;
	rp.msi_fds = res->msi_fds;
	rp.nb_msi = res->nb_msi;
	/* no EP yet: probe and start with the link down, wait for it */
	rp.ep_absent = vsim_state(hw->vs) != VSIM_LINK_CONNECTED;
	/* an EP that answers late is brought up as on a board */
	rp.wait_ep = true;
	rp.liveness_ms = d->opts.liveness_ms;
	/* an EP there that does not serve commands yet: see wait_ep */
	ret = vntb_rc_init(&hw->rc, &rp);
	if (ret < 0)
		return ret;
	hw->rc_ready = true;
	if (rp.ep_absent) {
		hw->peer_lost = true;
		hw->next_reconnect = rte_get_timer_cycles();
	}
	vsim_set_event_cb(hw->vs, vsim_rc_link_cb, hw);
	ntb_dwedma_dev_set_rc(d, vntb_rc_ntb_dev(&hw->rc),
			      vntb_rc_intr_mw(&hw->rc));
	return 0;
}

static int
vsim_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct ntb_dwedma_dev *d;
	struct ntb_dwedma_opts opts;
	struct vsim_hw *hw;
	int ret;

	if (ntb_dwedma_probe_secondary(name))
		return 0;
	NTB_LOG(INFO, "probing %s", name);
	hw = rte_zmalloc_socket("vsim_hw", sizeof(*hw), 0,
				rte_socket_id());
	if (hw == NULL)
		return -ENOMEM;
	vsim_params_init(&hw->params);
	snprintf(hw->params.name, sizeof(hw->params.name), "%s", name);
	ret = ntb_dwedma_opts_parse(rte_vdev_device_args(vdev), &opts,
				    vsim_params_keys, vsim_key, &hw->params);
	if (ret < 0)
		goto fail_hw;
	if (vsim_params_validate(&hw->params) < 0) {
		NTB_LOG(ERR, "%s: %s", name, vsim_params_error(&hw->params));
		ret = -EINVAL;
		goto fail_hw;
	}
	hw->vs = vsim_create(&hw->params);
	if (hw->vs == NULL) {
		ret = -EIO;
		goto fail_hw;
	}
	ret = ntb_dwedma_dev_create(&(struct ntb_dwedma_probe){
			.name = name, .device = &vdev->device,
			.driver_name = RTE_PMD_NTB_DWEDMA_DRIVER_VSIM,
			.socket_id = vdev->device.numa_node, .opts = &opts,
			.hw_ops = &vsim_hw_ops, .hw = hw,
			.is_ep = hw->params.role == VSIM_ROLE_EP,
		}, &d);
	if (ret < 0) {
		vsim_destroy(hw->vs);
		goto fail_hw;
	}
	if (d->is_ep) {
		d->nd = vsim_ep_ntb_dev(hw->vs);
		d->intr_res = *vsim_ep_intr_res(hw->vs);
	} else {
		ret = vsim_rc_attach(d, hw);
		if (ret < 0)
			NTB_LOG(ERR, "%s: the EP at %s does not answer as a vNTB function",
				name, hw->params.link);
	}
	return ntb_dwedma_dev_finish(d, ret);

fail_hw:
	rte_free(hw);
	return ret;
}

static struct rte_vdev_driver vsim_drv = {
	.probe = vsim_probe,
	.remove = ntb_dwedma_vdev_remove,
};

RTE_PMD_REGISTER_VDEV(raw_ntb_vsim, vsim_drv);
RTE_PMD_REGISTER_PARAM_STRING(raw_ntb_vsim,
	"role=ep|rc link=<unix socket path> "
	"profile=rcar-s4|mx8|j721e "
	"intr=auto|poll|doorbell|dw_edma|msi transport_mtu=<bytes> "
	"max_mw_size=<bytes> num_qps=<1..16> copy=cpu|dma|auto "
	"liveness_ms=<0..60000> "
	"num_mws=<1..4> mw<N>=<size> mw<N>_bar=<0..5> mw<N>_offset=<bytes> "
	"ctrl_bar=<0..5> db_bar=<0..5> spad_count=<n> db_count=<n> "
	"msi_interrupts=<n> bar<N>_size=<bytes> cmd_period_us=<us> "
	"connect_timeout_ms=<ms> dma_num_chans=<0..8> dma_bar=<0..5> "
	"dma_offset=<bytes>");
