/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * RC side of the virtual link: what VFIO gives the RC-side vNTB code on
 * hardware. Each EP BAR is a reserved VA range; each window is mapped at
 * its offset onto the EP memory the hardware would reach (ctrl region,
 * doorbell page, the EP's inbound translation of a MW, the eDMA register
 * page). Traps on the DB and MW BARs do what the hardware does on writes
 * with side effects.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_lcore.h>

#include "ntb_dwedma_log.h"
#include "vntb_ctrl.h"
#include "vsim_priv.h"

/* ---------------- model callbacks (RC process) ---------------- */

static void *
rc_ep_va(void *ctx, uint64_t iova, size_t len)
{
	return vsim_memtab_va(&((struct vsim *)ctx)->peer, iova, len);
}

static void *
rc_rc_va(void *ctx, uint64_t iova, size_t len)
{
	return vsim_memtab_va(&((struct vsim *)ctx)->local, iova, len);
}

static void
rc_irq(void *ctx)
{
	vsim_eventfd_signal(((struct vsim *)ctx)->ep_edma_irq_fd);
}

static bool
rc_imwr(void *ctx, uint64_t addr, uint32_t data)
{
	struct vsim *vs = ctx;
	uint32_t *p;

	if (addr == vs->res.msi_addr) {
		if (data >= vs->res.nb_msi)
			return false;
		vsim_eventfd_signal(vs->res.msi_fds[data]);
		return true;
	}
	p = vsim_memtab_va(&vs->local, addr, sizeof(*p));
	if (p == NULL)
		return false;
	rte_write32(rte_cpu_to_le_32(data), p);
	return true;
}

static const struct dw_edma_model_ops rc_model_ops = {
	.ep_va = rc_ep_va, .rc_va = rc_rc_va, .irq = rc_irq, .imwr = rc_imwr,
};

/* ---------------- traps ---------------- */

static bool
trap_window(struct vsim *vs, const struct vsim_win *w, uint8_t *a,
	    uint64_t woff, uint64_t val, unsigned int width)
{
	uint64_t t;

	if (w->kind == VSIM_WIN_DB) {
		uint64_t slot = woff / vs->db_entry_size;

		if (width != 4 || woff % vs->db_entry_size != 0 ||
		    slot >= vs->ep_db_count)
			return false;
		/* the slot holds the value for the EP's polling ... */
		rte_write32((uint32_t)val, a);
		/* ... and the EP learns of it at once, as if trapped */
		vsim_eventfd_signal(vs->ep_slot_fds[slot]);
		return true;
	}
	/* an MW (the interrupt window) or a part of the exported DMA slice */
	if ((w->kind != VSIM_WIN_MW && w->kind != VSIM_WIN_DMA) ||
	    woff >= w->target_size)
		return false;
	t = w->target + woff;
	/*
	 * The eDMA page: interrupt emulation acts here; a doorbell wakes
	 * the EP's engine, which runs the transfer in the EP process (the
	 * EP, or the RC's dmadev, programmed it), never in this thread.
	 */
	if (t >= vs->edma_iova && t < vs->edma_iova + DW_EDMA_V0_REG_SIZE) {
		bool kick, done;

		done = dw_edma_model_remote_write(&vs->edma,
						  t - vs->edma_iova, val,
						  width, &kick);
		if (kick)
			vsim_eventfd_signal(vs->ep_engine_fd);
		return done;
	}
	if (t >= vs->msi_iova && t < vs->msi_iova + VSIM_PAGE_SIZE) {
		uint64_t v = (t - vs->msi_iova) / 4;

		if (width != 4 || t % 4 != 0 || v >= vs->ep_nb_msi ||
		    val != v)
			return false;
		vsim_eventfd_signal(vs->ep_msi_fds[v]);
		return true;
	}
	return false;
}

static bool
rc_trap(const struct ntb_bar *bar, size_t off, uint64_t val,
	unsigned int width)
{
	struct vsim *vs = bar->trap_ctx;
	uint8_t *a = bar->va + off;
	bool done = false;
	unsigned int b, i;

	rte_rwlock_read_lock(&vs->peer_lock);
	for (b = 0; b < VSIM_NB_BARS; b++)
		if (vs->bar_va[b] != NULL && a >= vs->bar_va[b] &&
		    a < vs->bar_va[b] + vs->bar_map_len[b])
			break;
	if (b < VSIM_NB_BARS && vsim_state(vs) == VSIM_LINK_CONNECTED) {
		uint64_t boff = a - vs->bar_va[b];

		for (i = 0; i < vs->nb_wins; i++) {
			const struct vsim_win *w = &vs->wins[i];

			if (w->bar == b && boff >= w->offset &&
			    boff - w->offset < w->size) {
				done = trap_window(vs, w, a, boff - w->offset,
						   val, width);
				break;
			}
		}
	}
	rte_rwlock_read_unlock(&vs->peer_lock);
	return done;
}

/* ---------------- windows ---------------- */

static int
map_window(struct vsim *vs, const struct vsim_win *w)
{
	uint8_t *va = vs->bar_va[w->bar] + w->offset;
	size_t len = w->kind == VSIM_WIN_DB ?
		RTE_ALIGN_CEIL(w->size, VSIM_PAGE_SIZE) : w->size;

	return vsim_va_map_iova(&vs->peer, va, len, w->target,
				w->target_size);
}

/* Peer gone: every BAR becomes staging memory; nothing faults. */
static void
unmap_bars(struct vsim *vs)
{
	unsigned int b;

	for (b = 0; b < VSIM_NB_BARS; b++)
		if (vs->bar_va[b] != NULL)
			vsim_va_map(vs->bar_va[b], vs->bar_map_len[b], -1, 0);
}

static int
check_hello(struct vsim *vs, const struct vsim_msg_ep_hello *h,
	    unsigned int nfds)
{
	unsigned int i;

	if (h->magic != VSIM_PROTO_MAGIC || h->version != VSIM_PROTO_VERSION ||
	    h->db_count < 3 || h->db_count > VNTB_MAX_DB_COUNT ||
	    h->nb_msi > VSIM_EP_MSI_VECTORS ||
	    h->nb_wins > VSIM_PROTO_MAX_WINS ||
	    h->mem.nb_files > VSIM_PROTO_MAX_FILES ||
	    nfds != h->mem.nb_files + h->db_count + 1 + h->nb_msi + 1 ||
	    h->db_entry_size == 0 || h->db_entry_size > VSIM_PAGE_SIZE ||
	    h->db_entry_size * h->db_count > VSIM_PAGE_SIZE)
		return -EPROTO;
	for (i = 0; i < VSIM_NB_BARS; i++)
		if (h->bar_len[i] != 0 && (!rte_is_power_of_2(h->bar_len[i]) ||
					   h->bar_len[i] > (1ull << 36)))
			return -EPROTO;
	for (i = 0; i < VNTB_BAR_ROLE_NUM; i++)
		if (h->barno[i] < -1 || h->barno[i] >= VSIM_NB_BARS)
			return -EPROTO;
	for (i = 0; i < h->nb_wins; i++) {
		const struct vsim_win_desc *w = &h->wins[i];
		uint64_t blen;

		if (w->bar >= VSIM_NB_BARS || w->kind < VSIM_WIN_CTRL ||
		    w->kind > VSIM_WIN_DMA || w->idx >= NTB_MAX_MW)
			return -EPROTO;
		blen = RTE_ALIGN_CEIL(h->bar_len[w->bar], VSIM_PAGE_SIZE);
		if (w->offset % VSIM_PAGE_SIZE != 0 || w->size == 0 ||
		    w->offset >= blen || w->size > blen - w->offset ||
		    w->target_size > w->size)
			return -EPROTO;
	}
	/* a reconnect must find the BARs it already handed out */
	for (i = 0; i < VSIM_NB_BARS; i++)
		if (vs->bar_va[i] != NULL &&
		    vs->res.bars[i].len != h->bar_len[i])
			return -EPROTO;
	RTE_SET_USED(vs);
	return 0;
}

/*
 * The board row of the function the EP shows, found from its PCI IDs as
 * on a board (the vNTB function's class is pci-epf-vntb's default,
 * memory/RAM). The map the EP says it uses (barno, NULL: none) must be
 * that row's, and a reconnect must find the same board.
 */
static const struct vntb_platform *
rc_platform(struct vsim *vs, uint16_t vendor_id, uint16_t device_id,
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
	else if (vs->res.platform != NULL && vs->res.platform != pf)
		NTB_LOG(ERR, "%s: a %s EP where the %s one was",
			vs->name, pf->map.name, vs->res.platform->map.name);
	else
		return pf;
	return NULL;
}

static int
reserve_bars(struct vsim *vs, const struct vsim_msg_ep_hello *h)
{
	unsigned int b, i;

	for (b = 0; b < VSIM_NB_BARS; b++) {
		bool trapped = false;

		if (h->bar_len[b] == 0 || vs->bar_va[b] != NULL)
			continue;
		vs->bar_map_len[b] = RTE_ALIGN_CEIL(h->bar_len[b],
						    VSIM_PAGE_SIZE);
		vs->bar_va[b] = vsim_va_reserve(vs->bar_map_len[b]);
		if (vs->bar_va[b] == NULL)
			return -ENOMEM;
		for (i = 0; i < h->nb_wins; i++)
			if (h->wins[i].bar == b &&
			    h->wins[i].kind != VSIM_WIN_CTRL)
				trapped = true;
		vs->res.bars[b] = (struct ntb_bar){
			.va = vs->bar_va[b], .len = h->bar_len[b],
			.bus_addr = VSIM_BUS_BASE + ((uint64_t)b << 32),
			.trap = trapped ? rc_trap : NULL, .trap_ctx = vs,
		};
	}
	return 0;
}

/*
 * No EP yet: the BARs its params describe, as staging memory, with the
 * ctrl region the EP of these params will show (the RC code reads its
 * layout from it and waits, link down, for the EP to answer). The first
 * connect maps the EP's windows into these BARs (their sizes must match).
 */
static int
rc_wait_for_ep(struct vsim *vs)
{
	const struct vsim_params *p = &vs->p;
	unsigned int b, i;

	for (b = 0; b < VSIM_NB_BARS; b++) {
		bool trapped = (int)b == p->db_bar;

		if (p->bar_len[b] == 0)
			continue;
		for (i = 0; i < p->num_mws; i++)
			if (p->mw_bar[i] == (int)b)
				trapped = true;
		vs->bar_map_len[b] = RTE_ALIGN_CEIL(p->bar_len[b],
						    VSIM_PAGE_SIZE);
		vs->bar_va[b] = vsim_va_reserve(vs->bar_map_len[b]);
		if (vs->bar_va[b] == NULL ||
		    vsim_va_map(vs->bar_va[b], vs->bar_map_len[b], -1, 0) < 0)
			return -ENOMEM;
		vs->res.bars[b] = (struct ntb_bar){
			.va = vs->bar_va[b], .len = p->bar_len[b],
			.bus_addr = VSIM_BUS_BASE + ((uint64_t)b << 32),
			.trap = trapped ? rc_trap : NULL, .trap_ctx = vs,
		};
	}
	if (p->bar_len[p->ctrl_bar] < VNTB_CTRL_V1_SIZE)
		return -EINVAL;
	vsim_ctrl_image(p, vs->bar_va[p->ctrl_bar]);
	vs->res.vendor_id = p->platform->vendor_id;
	vs->res.device_id = p->platform->device_id;
	vs->res.platform = rc_platform(vs, vs->res.vendor_id,
				       vs->res.device_id, NULL);
	if (vs->res.platform == NULL)
		return -EINVAL;
	NTB_LOG(NOTICE, "%s: no EP answers at %s yet: waiting for it, link down",
		vs->name, p->link);
	return 0;
}

/* The EP is not there (yet), or not answering: worth waiting for. */
static bool
rc_ep_absent(int rc)
{
	return rc == -ETIMEDOUT || rc == -ENOENT || rc == -ECONNREFUSED ||
		rc == -EPIPE || rc == -ECONNRESET || rc == -EAGAIN;
}

/* Connect, exchange hellos, map everything. Caller has no thread running. */
static int
rc_connect(struct vsim *vs, unsigned int timeout_ms)
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
	rh.nb_msi = vs->res.nb_msi;
	rh.msi_addr = vs->res.msi_addr;
	vsim_memtab_to_wire(&vs->local, &rh.mem);
	for (i = 0; i < vs->local.nb_files; i++)
		out[n++] = vs->local.fds[i];
	for (i = 0; i < vs->res.nb_msi; i++)
		out[n++] = vs->res.msi_fds[i];
	rc = vsim_link_send(sock, VSIM_MSG_RC_HELLO, 0, &rh, sizeof(rh), out,
			    n);
	if (rc == 0)
		rc = vsim_link_recv(sock, &hdr, &eh, sizeof(eh), fds, &nfds,
				    VSIM_HELLO_TIMEOUT_MS);
	if (rc == 0 && (hdr.type != VSIM_MSG_EP_HELLO ||
			hdr.len != sizeof(eh) || check_hello(vs, &eh, nfds)))
		rc = -EPROTO;
	if (rc == 0) {
		pf = rc_platform(vs, eh.vendor_id, eh.device_id, eh.barno);
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
	vsim_close_fds(vs->ep_slot_fds, RTE_DIM(vs->ep_slot_fds));
	vsim_close_fds(vs->ep_msi_fds, RTE_DIM(vs->ep_msi_fds));
	vsim_close_fds(&vs->ep_edma_irq_fd, 1);
	vsim_close_fds(&vs->ep_engine_fd, 1);
	memcpy(vs->ep_slot_fds, fds + nf, eh.db_count * sizeof(int));
	vs->ep_edma_irq_fd = fds[nf + eh.db_count];
	memcpy(vs->ep_msi_fds, fds + nf + eh.db_count + 1,
	       eh.nb_msi * sizeof(int));
	vs->ep_engine_fd = fds[nf + eh.db_count + 1 + eh.nb_msi];
	vs->ep_db_count = eh.db_count;
	vs->ep_nb_msi = eh.nb_msi;
	vs->db_entry_size = eh.db_entry_size;
	vs->edma_iova = eh.edma_iova;
	vs->msi_iova = eh.msi_iova;
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
	vs->edma.ops = &rc_model_ops;
	vs->edma.ctx = vs;
	if (rc == 0 && (vs->edma.regs == NULL || vs->sh == NULL))
		rc = -EPROTO;
	if (rc == 0)
		rc = reserve_bars(vs, &eh);
	if (rc == 0) {
		unmap_bars(vs);
		for (i = 0; i < vs->nb_wins && rc == 0; i++)
			rc = map_window(vs, &vs->wins[i]);
	}
	if (rc == 0) {
		vs->res.platform = pf;
		vs->res.vendor_id = eh.vendor_id;
		vs->res.device_id = eh.device_id;
		vs->sock = sock;
	} else {
		/* an EP half taken leaves nothing: BARs back to staging,
		 * its memory and fds released
		 */
		unmap_bars(vs);
		vsim_memtab_release(&vs->peer);
		vsim_close_fds(vs->ep_slot_fds, RTE_DIM(vs->ep_slot_fds));
		vsim_close_fds(vs->ep_msi_fds, RTE_DIM(vs->ep_msi_fds));
		vsim_close_fds(&vs->ep_edma_irq_fd, 1);
		vsim_close_fds(&vs->ep_engine_fd, 1);
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
	rc = map_window(vs, w);
	if (rc < 0) {	/* not EP memory: back to staging */
		w->target = w->target_size = 0;
		map_window(vs, w);
	}
	rte_rwlock_write_unlock(&vs->peer_lock);
	return rc;
}

static uint32_t
rc_link_thread(void *arg)
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
	unmap_bars(vs);
	vsim_memtab_neutralize(&vs->peer);
	rte_rwlock_write_unlock(&vs->peer_lock);
	NTB_LOG(NOTICE, "%s: EP went away", vs->name);
	vsim_set_state(vs, VSIM_LINK_DEAD);
	return 0;
}

static int
start_thread(struct vsim *vs)
{
	int rc = rte_thread_create_control(&vs->thread, "vsim-rc",
					rc_link_thread, vs);

	vs->thread_running = rc == 0;
	return -rc;
}

int
vsim_rc_create(struct vsim *vs)
{
	unsigned int i;
	int rc;

	vs->ep_edma_irq_fd = vs->ep_engine_fd = -1;
	memset(vs->ep_slot_fds, -1, sizeof(vs->ep_slot_fds));
	memset(vs->ep_msi_fds, -1, sizeof(vs->ep_msi_fds));
	memset(vs->res.msi_fds, -1, sizeof(vs->res.msi_fds));
	vs->res.nb_msi = vs->p.msi_interrupts;
	vs->res.msi_addr = VSIM_RC_MSI_ADDR;
	rc = vsim_memtab_local(&vs->local);
	for (i = 0; rc == 0 && i < vs->res.nb_msi; i++) {
		vs->res.msi_fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (vs->res.msi_fds[i] < 0)
			rc = -errno;
	}
	if (rc == 0) {
		rc = rc_connect(vs, vs->p.connect_timeout_ms);
		if (rc_ep_absent(rc))
			rc = rc_wait_for_ep(vs);	/* no link thread yet */
		else if (rc == 0)
			rc = start_thread(vs);
	}
	if (rc < 0)
		vsim_rc_destroy(vs);
	return rc;
}

/* The link thread has ended (or is told to): join it, close its socket. */
static void
join_link(struct vsim *vs)
{
	if (vs->thread_running)
		rte_thread_join(vs->thread, NULL);
	vs->thread_running = false;
	if (vs->sock >= 0)
		close(vs->sock);
	vs->sock = -1;
}

static int
rc_reconnect(struct vsim *vs, unsigned int timeout_ms)
{
	if (vs->p.role != VSIM_ROLE_RC)
		return -EINVAL;
	if (vsim_state(vs) == VSIM_LINK_CONNECTED)
		return -EISCONN;
	join_link(vs);
	return rc_connect(vs, timeout_ms) == 0 ? start_thread(vs) : -ENOTCONN;
}

int
vsim_rc_reconnect(struct vsim *vs)
{
	return rc_reconnect(vs, vs->p.connect_timeout_ms);
}

int
vsim_rc_reconnect_try(struct vsim *vs)
{
	return rc_reconnect(vs, 0);
}

void
vsim_rc_destroy(struct vsim *vs)
{
	unsigned int b;

	vs->stop = true;
	join_link(vs);
	for (b = 0; b < VSIM_NB_BARS; b++)
		if (vs->bar_va[b] != NULL)
			munmap(vs->bar_va[b], vs->bar_map_len[b]);
	vsim_memtab_release(&vs->peer);
	vsim_close_fds(vs->res.msi_fds, RTE_DIM(vs->res.msi_fds));
	vsim_close_fds(vs->ep_slot_fds, RTE_DIM(vs->ep_slot_fds));
	vsim_close_fds(vs->ep_msi_fds, RTE_DIM(vs->ep_msi_fds));
	vsim_close_fds(&vs->ep_edma_irq_fd, 1);
	vsim_close_fds(&vs->ep_engine_fd, 1);
}

const struct vsim_rc_res *
vsim_rc_res(struct vsim *vs)
{
	return vs->p.role == VSIM_ROLE_RC ? &vs->res : NULL;
}
