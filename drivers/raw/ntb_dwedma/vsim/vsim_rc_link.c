/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The RC's end of the socket: connect, exchange hellos (the RC's memory
 * and MSI vectors out; the EP's memory, interrupt inputs and windows in,
 * each value checked before use), map the EP's BARs, then serve MW_MAP
 * (the EP moved an inbound window) until EOF, which is peer death.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ntb_dwedma_log.h"
#include "vntb_ctrl.h"
#include "vsim_priv.h"

/*
 * The board row of the function the EP shows, found from its PCI IDs as
 * on a board (the vNTB function's class is pci-epf-vntb's default,
 * memory/RAM). The map the EP says it uses (barno, NULL: none) must be
 * that row's, and a reconnect must find the same board.
 */
const struct vntb_platform *
vsim_rc_platform(struct vsim *vs, uint16_t vendor_id, uint16_t device_id,
		 const int8_t *barno)
{
	const struct vntb_platform *pf;

	pf = vntb_pci_id_match(vendor_id, device_id,
			       VNTB_PCI_CLASS_MEMORY_RAM);
	if (pf == NULL)
		NTB_LOG(ERR, "%s: the EP's function %04x:%04x is not a vNTB function (IDs of ntb_hw_epf)",
			vs->name, vendor_id, device_id);
	else if (barno != NULL &&
		 memcmp(barno, pf->map.bar, sizeof(pf->map.bar)) != 0)
		NTB_LOG(ERR, "%s: the EP's BAR map is not the %s map of its IDs",
			vs->name, pf->map.name);
	else if (vs->rc.platform != NULL && vs->rc.platform != pf)
		NTB_LOG(ERR, "%s: a %s EP where the %s one was",
			vs->name, pf->map.name, vs->rc.platform->map.name);
	else
		return pf;
	return NULL;
}

static int
check_hello(struct vsim *vs, const struct vsim_msg_ep_hello *h,
	    unsigned int nfds)
{
	unsigned int i;

	if (h->magic != VSIM_PROTO_MAGIC || h->version != VSIM_PROTO_VERSION ||
	    h->db_count < 3 || h->db_count > NTB_MAX_DB ||
	    h->nb_msi > VSIM_EP_MSI_VECTORS ||
	    h->nb_wins > VSIM_PROTO_MAX_WINS ||
	    h->mem.nb_files > VSIM_PROTO_MAX_FILES ||
	    nfds != h->mem.nb_files + h->db_count + 1 + h->nb_msi + 1 ||
	    h->db_entry_size == 0 || h->db_entry_size > VSIM_PAGE_SIZE ||
	    h->db_entry_size * h->db_count > VSIM_PAGE_SIZE ||
	    /* the EP's zones are page-aligned; the RC maps structs there */
	    h->edma_iova % VSIM_PAGE_SIZE != 0 ||
	    h->state_iova % VSIM_PAGE_SIZE != 0)
		return -EPROTO;
	for (i = 0; i < VNTB_PCI_BARS; i++)
		if (h->bar_len[i] != 0 && (!rte_is_power_of_2(h->bar_len[i]) ||
					   h->bar_len[i] > (1ull << 36)))
			return -EPROTO;
	for (i = 0; i < VNTB_BAR_ROLE_NUM; i++)
		if (h->barno[i] < -1 || h->barno[i] >= VNTB_PCI_BARS)
			return -EPROTO;
	for (i = 0; i < h->nb_wins; i++) {
		const struct vsim_win_desc *w = &h->wins[i];
		uint64_t blen;

		if (w->bar >= VNTB_PCI_BARS || w->kind < VSIM_WIN_CTRL ||
		    w->kind > VSIM_WIN_DMA || w->idx >= NTB_MAX_MW)
			return -EPROTO;
		blen = RTE_ALIGN_CEIL(h->bar_len[w->bar], VSIM_PAGE_SIZE);
		if (w->offset % VSIM_PAGE_SIZE != 0 || w->size == 0 ||
		    w->offset >= blen || w->size > blen - w->offset ||
		    w->target_size > w->size)
			return -EPROTO;
	}
	/* a reconnect must find the BARs it already handed out */
	for (i = 0; i < VNTB_PCI_BARS; i++)
		if (vs->bars.va[i] != NULL &&
		    vs->rc.bars[i].len != h->bar_len[i])
			return -EPROTO;
	RTE_SET_USED(vs);
	return 0;
}

/* Connect, exchange hellos, map everything. Caller has no thread running. */
int
vsim_rc_link_connect(struct vsim *vs, unsigned int timeout_ms)
{
	static struct vsim_msg_ep_hello eh;	/* large; link setup only */
	struct vsim_msg_rc_hello rh;
	struct vsim_msg_hdr hdr;
	int fds[VSIM_PROTO_MAX_FDS], out[VSIM_PROTO_MAX_FDS];
	unsigned int nfds = 0, n = 0, i, nf;
	struct vsim_memtab peer;
	const struct vntb_platform *pf = NULL;
	int sock, rc;

	sock = vsim_link_connect(vs->p.link, timeout_ms);
	if (sock < 0)
		return sock;
	memset(&rh, 0, sizeof(rh));
	rh.magic = VSIM_PROTO_MAGIC;
	rh.version = VSIM_PROTO_VERSION;
	rh.nb_msi = vs->rc.nb_msi;
	rh.msi_addr = vs->rc.msi_addr;
	vsim_memtab_to_wire(&vs->local, &rh.mem);
	for (i = 0; i < vs->local.nb_files; i++)
		out[n++] = vs->local.fds[i];
	for (i = 0; i < vs->rc.nb_msi; i++)
		out[n++] = vs->rc.msi_fds[i];
	rc = vsim_link_send(sock, VSIM_MSG_RC_HELLO, 0, &rh, sizeof(rh), out,
			    n);
	if (rc == 0)
		rc = vsim_link_recv(sock, &hdr, &eh, sizeof(eh), fds, &nfds,
				    VSIM_HELLO_TIMEOUT_MS);
	if (rc == 0 && (hdr.type != VSIM_MSG_EP_HELLO ||
			hdr.len != sizeof(eh) || check_hello(vs, &eh, nfds)))
		rc = -EPROTO;
	if (rc == 0) {
		pf = vsim_rc_platform(vs, eh.vendor_id, eh.device_id, eh.barno);
		if (pf == NULL)
			rc = -EPROTO;
	}
	if (rc < 0) {
		NTB_LOG(ERR, "%s: handshake with EP failed: %s", vs->name,
			strerror(-rc));
		vsim_close_fds(fds, nfds);
		close(sock);
		return rc;
	}
	nf = eh.mem.nb_files;
	rc = vsim_memtab_from_wire(&peer, &eh.mem, fds, nfds);
	if (rc < 0) {
		vsim_close_fds(fds, nfds);
		close(sock);
		return rc;
	}
	rc = vsim_memtab_map(&peer);

	rte_rwlock_write_lock(&vs->peer_lock);
	vsim_memtab_release(&vs->peer);
	vs->peer = peer;
	vsim_close_fds(vs->ep.slot_fds, RTE_DIM(vs->ep.slot_fds));
	vsim_close_fds(vs->ep.msi_fds, RTE_DIM(vs->ep.msi_fds));
	vsim_close_fds(&vs->ep.edma_irq_fd, 1);
	vsim_close_fds(&vs->ep.engine_fd, 1);
	memcpy(vs->ep.slot_fds, fds + nf, eh.db_count * sizeof(int));
	vs->ep.edma_irq_fd = fds[nf + eh.db_count];
	memcpy(vs->ep.msi_fds, fds + nf + eh.db_count + 1,
	       eh.nb_msi * sizeof(int));
	vs->ep.engine_fd = fds[nf + eh.db_count + 1 + eh.nb_msi];
	vs->ep.db_count = eh.db_count;
	vs->ep.nb_msi = eh.nb_msi;
	vs->ep.db_entry_size = eh.db_entry_size;
	vs->ep.edma_iova = eh.edma_iova;
	vs->ep.msi_iova = eh.msi_iova;
	vs->nb_wins = eh.nb_wins;
	for (i = 0; i < eh.nb_wins; i++)
		vs->wins[i] = (struct vsim_win){ .kind = eh.wins[i].kind,
			.bar = eh.wins[i].bar, .idx = eh.wins[i].idx,
			.offset = eh.wins[i].offset, .size = eh.wins[i].size,
			.target = eh.wins[i].target,
			.target_size = eh.wins[i].target_size };
	vs->edma.regs = vsim_memtab_va(&vs->peer, eh.edma_iova,
				       DW_EDMA_V0_REG_SIZE);
	vs->sh = vsim_memtab_va(&vs->peer, eh.state_iova, sizeof(*vs->sh));
	vs->edma.sh = vs->sh != NULL ? &vs->sh->edma : NULL;
	vs->edma.ops = &vsim_edma_cb_ops;
	vs->edma.ctx = vs;
	if (rc == 0 && (vs->edma.regs == NULL || vs->sh == NULL))
		rc = -EPROTO;
	if (rc == 0)
		rc = vsim_rc_bars_reserve(vs, &eh);
	if (rc == 0) {
		vsim_rc_bars_unmap(vs);
		for (i = 0; i < vs->nb_wins && rc == 0; i++)
			rc = vsim_rc_bars_map_window(vs, &vs->wins[i]);
	}
	if (rc == 0) {
		vs->rc.platform = pf;
		vs->rc.vendor_id = eh.vendor_id;
		vs->rc.device_id = eh.device_id;
		vs->sock = sock;
	} else {
		/* an EP half taken leaves nothing: BARs back to staging,
		 * its memory and fds released
		 */
		vsim_rc_bars_unmap(vs);
		vsim_memtab_release(&vs->peer);
		vsim_close_fds(vs->ep.slot_fds, RTE_DIM(vs->ep.slot_fds));
		vsim_close_fds(vs->ep.msi_fds, RTE_DIM(vs->ep.msi_fds));
		vsim_close_fds(&vs->ep.edma_irq_fd, 1);
		vsim_close_fds(&vs->ep.engine_fd, 1);
		vs->nb_wins = 0;
		vs->edma.regs = NULL;
		vs->edma.sh = NULL;
		vs->sh = NULL;
	}
	rte_rwlock_write_unlock(&vs->peer_lock);
	if (rc < 0) {
		NTB_LOG(ERR, "%s: cannot map the EP's BARs: %s", vs->name,
			strerror(-rc));
		close(sock);
		return rc;
	}
	vsim_set_state(vs, VSIM_LINK_CONNECTED);
	return 0;
}

static int
rc_mw_map(struct vsim *vs, const struct vsim_msg_mw_map *m)
{
	struct vsim_win *w = NULL;
	unsigned int i;
	int rc;

	for (i = 0; i < vs->nb_wins; i++)
		if (vs->wins[i].kind == VSIM_WIN_MW && vs->wins[i].idx == m->idx)
			w = &vs->wins[i];
	if (w == NULL || m->size > w->size)
		return -EINVAL;
	rte_rwlock_write_lock(&vs->peer_lock);
	w->target = m->size != 0 ? m->target : 0;
	w->target_size = m->size;
	rc = vsim_rc_bars_map_window(vs, w);
	if (rc < 0) {	/* not EP memory: back to staging */
		w->target = w->target_size = 0;
		vsim_rc_bars_map_window(vs, w);
	}
	rte_rwlock_write_unlock(&vs->peer_lock);
	return rc;
}

uint32_t
vsim_rc_link_thread(void *arg)
{
	struct vsim *vs = arg;
	struct vsim_msg_hdr hdr;
	struct vsim_msg_mw_map m;
	struct vsim_msg_ack ack;
	int fds[VSIM_PROTO_MAX_FDS];
	unsigned int nfds;
	int rc;

	while (!vs->stop) {
		rc = vsim_link_recv(vs->sock, &hdr, &m, sizeof(m), fds, &nfds,
				    VSIM_POLL_MS);
		if (rc == -ETIMEDOUT || rc == -EPROTO)
			continue;
		if (rc < 0)
			break;
		vsim_close_fds(fds, nfds);
		if (hdr.type != VSIM_MSG_MW_MAP || hdr.len != sizeof(m))
			continue;
		ack.status = rc_mw_map(vs, &m);
		if (vsim_link_send(vs->sock, VSIM_MSG_ACK, hdr.seq, &ack,
				   sizeof(ack), NULL, 0) < 0)
			break;
	}
	if (vs->stop)
		return 0;
	rte_rwlock_write_lock(&vs->peer_lock);
	vsim_rc_bars_unmap(vs);
	vsim_memtab_neutralize(&vs->peer);
	rte_rwlock_write_unlock(&vs->peer_lock);
	NTB_LOG(NOTICE, "%s: EP went away", vs->name);
	vsim_set_state(vs, VSIM_LINK_DEAD);
	return 0;
}
