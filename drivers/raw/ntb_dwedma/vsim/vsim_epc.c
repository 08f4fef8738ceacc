/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The endpoint controller of the emulated EP (struct vntb_epc_ops under
 * vntb_ep.c, as pci_epc_ops under pci-epf-vntb): inbound windows are
 * re-pointed in the RC's BAR mappings over the socket, outbound windows
 * are this process's mappings of the RC's memory, MSI vectors and the
 * link event are eventfds.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "ntb_dwedma_log.h"
#include "vsim_priv.h"

static struct vsim_win *
mw_win(struct vsim *vs, unsigned int idx)
{
	unsigned int i;

	for (i = 0; i < vs->nb_wins; i++)
		if (vs->wins[i].kind == VSIM_WIN_MW && vs->wins[i].idx == idx)
			return &vs->wins[i];
	return NULL;
}

/*
 * Inbound translation: the RC's BAR window idx now reaches EP memory at
 * iova (size 0: staging). The RC remaps it before it acknowledges, so
 * when this returns the RC's next access lands there.
 */
static int
set_inbound(struct vsim *vs, unsigned int idx, uint64_t iova, uint64_t size)
{
	struct vsim_win *w = mw_win(vs, idx);
	int rc;

	if (w == NULL)
		return -EINVAL;
	pthread_mutex_lock(&vs->lock);
	w->target = iova;
	w->target_size = size;
	rc = vsim_ep_link_mw_map(vs, idx, iova, size);
	pthread_mutex_unlock(&vs->lock);
	return rc;
}

static int
epc_set_bar(void *epc, unsigned int idx, uint64_t addr, uint64_t size)
{
	struct vsim *vs = epc;
	uint64_t off;
	int fd;

	if (vsim_memtab_find(&vs->local, addr, size, &fd, &off) < 0) {
		NTB_LOG(ERR, "%s: mw_set_trans idx %u: 0x%" PRIx64
			" not 4 KiB aligned EP memory", vs->name, idx, addr);
		return -EINVAL;
	}
	return set_inbound(vs, idx, addr, size);
}

static int
epc_clear_bar(void *epc, unsigned int idx)
{
	return set_inbound(epc, idx, 0, 0);
}

/* Caller holds peer_lock for writing. */
static void
ob_unmap(struct vsim *vs, unsigned int idx)
{
	struct vsim_ob *ob = &vs->epc.ob[idx];

	if (ob->mapped)
		vsim_va_map(ob->va, ob->len, -1, 0);
	ob->mapped = false;
}

/* CONFIGURE_MW: point outbound window idx at RC memory [addr, +size). */
static int
epc_map_addr(void *epc, unsigned int idx, uint64_t addr, uint64_t size)
{
	struct vsim *vs = epc;
	struct vsim_ob *ob = &vs->epc.ob[idx];
	uint64_t base = RTE_ALIGN_FLOOR(addr, VSIM_PAGE_SIZE);
	size_t len = RTE_ALIGN_CEIL(addr + size, VSIM_PAGE_SIZE) - base;
	uint64_t off;
	int fd, rc = -EINVAL;

	rte_rwlock_write_lock(&vs->peer_lock);
	if (vsim_state(vs) == VSIM_LINK_CONNECTED &&
	    vsim_memtab_find(&vs->peer, base, len, &fd, &off) == 0)
		rc = vsim_va_map(ob->va, len, fd, off);
	else
		NTB_LOG(ERR, "%s: CONFIGURE_MW idx %u: 0x%" PRIx64 "+0x%"
			PRIx64 " is not RC memory", vs->name, idx, addr, size);
	if (rc == 0) {
		ob->win.va = ob->va + (addr - base);
		ob->win.len = size;
		ob->win.bus_addr = addr;
		ob->mapped = true;
	}
	rte_rwlock_write_unlock(&vs->peer_lock);
	return rc;
}

static void
epc_unmap_addr(void *epc, unsigned int idx)
{
	struct vsim *vs = epc;

	rte_rwlock_write_lock(&vs->peer_lock);
	ob_unmap(vs, idx);
	rte_rwlock_write_unlock(&vs->peer_lock);
}

/* Peer gone: every outbound window back to staging. */
void
vsim_epc_ob_unmap_all(struct vsim *vs)
{
	unsigned int i;

	for (i = 0; i < vs->p.num_mws; i++)
		ob_unmap(vs, i);
}

static void
epc_ob_window(void *epc, unsigned int idx, struct ntb_bar *win)
{
	struct vsim *vs = epc;
	const struct vsim_ob *ob = &vs->epc.ob[idx];

	rte_rwlock_read_lock(&vs->peer_lock);
	if (ob->mapped) {
		*win = ob->win;
	} else {
		memset(win, 0, sizeof(*win));
		win->va = ob->va;
		win->len = vs->p.mw_size[idx];
	}
	rte_rwlock_read_unlock(&vs->peer_lock);
}

static int
epc_raise_irq(void *epc, unsigned int vector)
{
	struct vsim *vs = epc;
	int rc = 0;

	rte_rwlock_read_lock(&vs->peer_lock);
	if (vsim_state(vs) != VSIM_LINK_CONNECTED)
		rc = -ENOTCONN;
	else if (vector >= vs->rc.nb_msi)
		rc = -EINVAL;
	else
		vsim_eventfd_signal(vs->rc.msi_fds[vector]);
	rte_rwlock_read_unlock(&vs->peer_lock);
	return rc;
}

static bool
epc_linked(void *epc)
{
	return vsim_state(epc) == VSIM_LINK_CONNECTED;
}

static void
epc_link_event(void *epc)
{
	vsim_eventfd_signal(((struct vsim *)epc)->epc.link_fd);
}

const struct vntb_epc_ops vsim_epc_ops = {
	.set_bar = epc_set_bar,
	.clear_bar = epc_clear_bar,
	.map_addr = epc_map_addr,
	.unmap_addr = epc_unmap_addr,
	.ob_window = epc_ob_window,
	.raise_irq = epc_raise_irq,
	.linked = epc_linked,
	.link_event = epc_link_event,
};
