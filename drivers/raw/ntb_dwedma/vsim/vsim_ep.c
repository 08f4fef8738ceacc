/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * EP side of the virtual link: plays pci-epf-vntb (ctrl region, spads,
 * doorbell slots, command handler, inbound/outbound windows) and the EP's
 * DW eDMA, in this process's DPDK memory.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_memzone.h>

#include "ntb_dwedma_log.h"
#include "vntb_ctrl.h"
#include "vsim_priv.h"

enum { MZ_CTRL, MZ_DB, MZ_EDMA, MZ_MSI, MZ_STATE };

static struct vsim *
nd_vsim(struct ntb_dev *nd)
{
	return nd->priv;
}

/* ---------------- model callbacks (EP process) ---------------- */

static void *
ep_ep_va(void *ctx, uint64_t iova, size_t len)
{
	return vsim_memtab_va(&((struct vsim *)ctx)->local, iova, len);
}

static void *
ep_rc_va(void *ctx, uint64_t iova, size_t len)
{
	return vsim_memtab_va(&((struct vsim *)ctx)->peer, iova, len);
}

static void
ep_irq(void *ctx)
{
	vsim_eventfd_signal(((struct vsim *)ctx)->edma_irq_fd);
}

static bool
ep_imwr(void *ctx, uint64_t addr, uint32_t data)
{
	struct vsim *vs = ctx;
	uint32_t *p;

	if (addr == vs->rc_msi_addr && vs->nb_rc_msi > 0) {
		if (data >= vs->nb_rc_msi)
			return false;
		vsim_eventfd_signal(vs->rc_msi_fds[data]);
		return true;
	}
	p = vsim_memtab_va(&vs->peer, addr, sizeof(*p));
	if (p == NULL)
		return false;
	rte_write32(rte_cpu_to_le_32(data), p);
	return true;
}

static const struct dw_edma_model_ops ep_model_ops = {
	.ep_va = ep_ep_va, .rc_va = ep_rc_va, .irq = ep_irq, .imwr = ep_imwr,
};

/*
 * EP-local accesses to the eDMA registers and the MSI doorbell page. A
 * doorbell runs the transfer here, with pointers into the RC's memory:
 * the peer table must not be swapped (unmapped) by a reconnect meanwhile.
 */
static bool
ep_edma_trap(const struct ntb_bar *bar, size_t off, uint64_t val,
	     unsigned int width)
{
	struct vsim *vs = bar->trap_ctx;
	bool done;

	rte_rwlock_read_lock(&vs->peer_lock);
	done = dw_edma_model_write(&vs->edma, bar->va + off - vs->edma_regs,
				   val, width);
	rte_rwlock_read_unlock(&vs->peer_lock);
	return done;
}

/*
 * The EP's eDMA engine for doorbells the RC writes across the link (in
 * the interrupt window, or in the register window of the exported DMA
 * slice for the channels delegated to the RC's dmadev): the transfer the
 * EP or the RC programmed runs in this EP thread, as on hardware it runs
 * in the EP's controller.
 */
static uint32_t
engine_thread(void *arg)
{
	struct vsim *vs = arg;

	while (!vs->stop) {
		struct pollfd pfd = { .fd = vs->engine_fd, .events = POLLIN };
		uint64_t v;

		if (__atomic_load_n(&vs->engine_hold, __ATOMIC_ACQUIRE)) {
			rte_delay_us_sleep(1000);
			continue;
		}
		/* held while it waited: the doorbell stays posted */
		if (poll(&pfd, 1, VSIM_POLL_MS) <= 0 ||
		    __atomic_load_n(&vs->engine_hold, __ATOMIC_ACQUIRE))
			continue;
		if (read(vs->engine_fd, &v, sizeof(v)) < 0)
			continue;
		rte_rwlock_read_lock(&vs->peer_lock);
		dw_edma_model_run_posted(&vs->edma);
		rte_rwlock_read_unlock(&vs->peer_lock);
	}
	return 0;
}

static bool
ep_msi_trap(const struct ntb_bar *bar, size_t off, uint64_t val,
	    unsigned int width)
{
	struct vsim *vs = bar->trap_ctx;
	size_t reg = bar->va + off - vs->msi_page;

	if (width != 4 || reg % 4 != 0 || reg / 4 >= VSIM_EP_MSI_VECTORS ||
	    val != reg / 4)
		return false;
	vsim_eventfd_signal(vs->msi_fds[reg / 4]);
	return true;
}

/* ---------------- ctrl region ---------------- */

static uint32_t
ctrl_rd32(struct vsim *vs, size_t off)
{
	return rte_le_to_cpu_32(rte_read32(vs->ctrl + off));
}

static void
ctrl_wr32(struct vsim *vs, size_t off, uint32_t v)
{
	rte_write32(rte_cpu_to_le_32(v), vs->ctrl + off);
}

static void
ctrl_init(struct vsim *vs)
{
	memset(vs->ctrl, 0, vs->mz[MZ_CTRL]->len);
	vsim_ctrl_image(&vs->p, vs->ctrl);
}

static void
set_link_status(struct vsim *vs, bool up)
{
	uint16_t v = rte_read16(vs->ctrl + VNTB_CTRL_LINK_STATUS);
	uint16_t nv = up ? (v | VNTB_LINK_STATUS_UP) :
		(v & ~VNTB_LINK_STATUS_UP);

	rte_write16(nv, vs->ctrl + VNTB_CTRL_LINK_STATUS);
	if (nv != v)
		vsim_eventfd_signal(vs->ep_link_fd);
}

/* Polling-mode doorbells: slot k + 2 -> bit k, slot zeroed when seen. */
static uint64_t
scan_doorbells(struct vsim *vs)
{
	uint64_t bits = 0;
	unsigned int s;

	for (s = VNTB_DB_SLOT_OFFSET; s < vs->p.db_count; s++) {
		uint8_t *slot = vs->db_page + s * VSIM_DB_ENTRY_SIZE;

		if (rte_read32(slot) != 0) {
			rte_write32(0, slot);
			bits |= RTE_BIT64(s - VNTB_DB_SLOT_OFFSET);
		}
	}
	if (bits != 0)
		__atomic_fetch_or(&vs->db_bits, bits, __ATOMIC_RELEASE);
	return __atomic_load_n(&vs->db_bits, __ATOMIC_ACQUIRE);
}

static void
out_unmap(struct vsim *vs, unsigned int idx)
{
	if (vs->out_mapped[idx])
		vsim_va_map(vs->out_va[idx], vs->out_len[idx], -1, 0);
	vs->out_mapped[idx] = false;
}

/* CONFIGURE_MW: point outbound window idx at RC memory [addr, +size). */
static int
cmd_configure_mw(struct vsim *vs, uint32_t idx)
{
	uint64_t addr = (uint64_t)ctrl_rd32(vs, VNTB_CTRL_ADDR_HI) << 32 |
		ctrl_rd32(vs, VNTB_CTRL_ADDR_LO);
	uint64_t size = (uint64_t)ctrl_rd32(vs, VNTB_CTRL_SIZE_HI) << 32 |
		ctrl_rd32(vs, VNTB_CTRL_SIZE_LO);
	uint64_t base = RTE_ALIGN_FLOOR(addr, VSIM_PAGE_SIZE);
	uint64_t off;
	size_t len;
	int fd, rc = -EINVAL;

	/* the iATU maps whole pages: an unaligned address would move the
	 * window's start under the transport
	 */
	if (idx >= vs->p.num_mws || size == 0 || size > vs->p.mw_size[idx] ||
	    addr + size < addr || addr % VSIM_PAGE_SIZE != 0) {
		NTB_LOG(ERR, "%s: CONFIGURE_MW idx %u size 0x%" PRIx64
			" refused", vs->name, idx, size);
		return -EINVAL;
	}
	len = RTE_ALIGN_CEIL(addr + size, VSIM_PAGE_SIZE) - base;
	rte_rwlock_write_lock(&vs->peer_lock);
	if (vsim_state(vs) == VSIM_LINK_CONNECTED &&
	    vsim_memtab_find(&vs->peer, base, len, &fd, &off) == 0)
		rc = vsim_va_map(vs->out_va[idx], len, fd, off);
	else
		NTB_LOG(ERR, "%s: CONFIGURE_MW idx %u: 0x%" PRIx64 "+0x%"
			PRIx64 " is not RC memory", vs->name, idx, addr, size);
	if (rc == 0) {
		vs->out_win[idx].va = vs->out_va[idx] + (addr - base);
		vs->out_win[idx].len = size;
		vs->out_win[idx].bus_addr = addr;
		vs->out_mapped[idx] = true;
	}
	rte_rwlock_write_unlock(&vs->peer_lock);
	return rc;
}

static void
run_command(struct vsim *vs)
{
	uint32_t cmd = ctrl_rd32(vs, VNTB_CTRL_COMMAND), arg;
	uint16_t status = VNTB_CMD_STATUS_OK;

	if (cmd == 0)
		return;
	arg = ctrl_rd32(vs, VNTB_CTRL_ARGUMENT);
	ctrl_wr32(vs, VNTB_CTRL_COMMAND, 0);
	ctrl_wr32(vs, VNTB_CTRL_ARGUMENT, 0);
	switch (cmd) {
	case VNTB_CMD_CONFIGURE_DOORBELL:
	case VNTB_CMD_TEARDOWN_DOORBELL:
		break;
	case VNTB_CMD_CONFIGURE_MW:
		if (cmd_configure_mw(vs, arg) < 0)
			status = VNTB_CMD_STATUS_ERROR;
		break;
	case VNTB_CMD_TEARDOWN_MW:
		if (arg >= vs->p.num_mws) {
			status = VNTB_CMD_STATUS_ERROR;
			break;
		}
		rte_rwlock_write_lock(&vs->peer_lock);
		out_unmap(vs, arg);
		rte_rwlock_write_unlock(&vs->peer_lock);
		break;
	case VNTB_CMD_LINK_UP:
		set_link_status(vs, true);
		break;
	case VNTB_CMD_LINK_DOWN:
		set_link_status(vs, false);
		break;
	default:
		/* vNTB logs and writes no status */
		NTB_LOG(ERR, "%s: unknown command %u", vs->name, cmd);
		return;
	}
	rte_write16(rte_cpu_to_le_16(status), vs->ctrl + VNTB_CTRL_CMD_STATUS);
}

static void
sleep_us_interruptible(struct vsim *vs, uint64_t us)
{
	while (us > 0 && !vs->stop) {
		uint64_t chunk = RTE_MIN(us, (uint64_t)VSIM_POLL_MS * 1000);

		rte_delay_us_sleep(chunk);
		us -= chunk;
	}
}

/* vNTB's epf_ntb_cmd_handler: a periodic work, doorbells then command. */
static uint32_t
cmd_thread(void *arg)
{
	struct vsim *vs = arg;

	while (!vs->stop) {
		sleep_us_interruptible(vs, vs->p.cmd_period_us +
			__atomic_load_n(&vs->cmd_delay_us, __ATOMIC_RELAXED));
		if (vs->stop)
			break;
		scan_doorbells(vs);
		run_command(vs);
	}
	return 0;
}

/* ---------------- link thread ---------------- */

static void
peer_lost(struct vsim *vs)
{
	unsigned int i;

	rte_rwlock_write_lock(&vs->peer_lock);
	for (i = 0; i < vs->p.num_mws; i++)
		out_unmap(vs, i);
	vsim_memtab_neutralize(&vs->peer);
	vs->rc_msi_addr = 0;
	rte_rwlock_write_unlock(&vs->peer_lock);
	pthread_mutex_lock(&vs->lock);
	close(vs->sock);
	vs->sock = -1;
	pthread_cond_broadcast(&vs->cond);
	pthread_mutex_unlock(&vs->lock);
	set_link_status(vs, false);
	NTB_LOG(NOTICE, "%s: RC went away", vs->name);
	vsim_set_state(vs, VSIM_LINK_DEAD);
}

static int
ep_handshake(struct vsim *vs, int conn)
{
	struct vsim_msg_rc_hello rh;
	struct vsim_msg_ep_hello eh;
	struct vsim_msg_hdr hdr;
	int fds[VSIM_PROTO_MAX_FDS], out[VSIM_PROTO_MAX_FDS];
	unsigned int nfds, n = 0, i;
	struct vsim_memtab peer;
	int rc;

	rc = vsim_link_recv(conn, &hdr, &rh, sizeof(rh), fds, &nfds,
			    VSIM_HELLO_TIMEOUT_MS);
	if (rc < 0)
		return rc;
	/*
	 * Each count is bounded on its own before they are added (a huge
	 * nb_files would wrap the sum onto nfds); from here on nfds ==
	 * nb_files + nb_msi <= VSIM_PROTO_MAX_FDS.
	 */
	if (hdr.type != VSIM_MSG_RC_HELLO || hdr.len != sizeof(rh) ||
	    rh.magic != VSIM_PROTO_MAGIC || rh.version != VSIM_PROTO_VERSION ||
	    rh.nb_msi > VSIM_MAX_MSI ||
	    rh.mem.nb_files > VSIM_PROTO_MAX_FILES ||
	    nfds != rh.mem.nb_files + rh.nb_msi) {
		NTB_LOG(ERR, "%s: bad RC hello (%u memory files, %u MSI vectors, %u fds)",
			vs->name, rh.mem.nb_files, rh.nb_msi, nfds);
		vsim_close_fds(fds, nfds);
		return -EPROTO;
	}
	rc = vsim_memtab_from_wire(&peer, &rh.mem, fds, nfds);
	if (rc == 0)
		rc = vsim_memtab_map(&peer);
	if (rc < 0) {
		if (peer.owns_fds)	/* its fds: the first nb_files */
			vsim_memtab_release(&peer);
		else
			vsim_close_fds(fds, rh.mem.nb_files);
		vsim_close_fds(fds + rh.mem.nb_files, rh.nb_msi);
		return rc;
	}

	rte_rwlock_write_lock(&vs->peer_lock);
	vsim_memtab_release(&vs->peer);
	vs->peer = peer;
	vsim_close_fds(vs->rc_msi_fds, VSIM_MAX_MSI);
	memcpy(vs->rc_msi_fds, fds + rh.mem.nb_files, rh.nb_msi * sizeof(int));
	vs->nb_rc_msi = rh.nb_msi;
	vs->rc_msi_addr = rh.msi_addr;
	rte_rwlock_write_unlock(&vs->peer_lock);

	memset(&eh, 0, sizeof(eh));
	eh.magic = VSIM_PROTO_MAGIC;
	eh.version = VSIM_PROTO_VERSION;
	eh.profile = vs->p.profile;
	eh.db_count = vs->p.db_count;
	eh.nb_msi = VSIM_EP_MSI_VECTORS;
	eh.vendor_id = vs->p.platform->vendor_id;
	eh.device_id = vs->p.platform->device_id;
	memcpy(eh.barno, vs->p.platform->map.bar, VNTB_BAR_ROLE_NUM);
	eh.barno[VNTB_BAR_ROLE_NUM] = -1;
	for (i = 0; i < VSIM_NB_BARS; i++)
		eh.bar_len[i] = vs->p.bar_len[i];
	eh.db_entry_size = VSIM_DB_ENTRY_SIZE;
	eh.edma_iova = vs->edma_iova;
	eh.edma_size = DW_EDMA_V0_REG_SIZE;
	eh.msi_iova = vs->msi_iova;
	eh.state_iova = vs->mz[MZ_STATE]->iova;
	vsim_memtab_to_wire(&vs->local, &eh.mem);
	for (i = 0; i < vs->local.nb_files; i++)
		out[n++] = vs->local.fds[i];
	for (i = 0; i < vs->p.db_count; i++)
		out[n++] = vs->slot_fds[i];
	out[n++] = vs->edma_irq_fd;
	for (i = 0; i < VSIM_EP_MSI_VECTORS; i++)
		out[n++] = vs->msi_fds[i];
	out[n++] = vs->engine_fd;

	pthread_mutex_lock(&vs->lock);
	eh.nb_wins = vs->nb_wins;
	for (i = 0; i < vs->nb_wins; i++) {
		eh.wins[i].kind = vs->wins[i].kind;
		eh.wins[i].bar = vs->wins[i].bar;
		eh.wins[i].idx = vs->wins[i].idx;
		eh.wins[i].offset = vs->wins[i].offset;
		eh.wins[i].size = vs->wins[i].size;
		eh.wins[i].target = vs->wins[i].target;
		eh.wins[i].target_size = vs->wins[i].target_size;
	}
	rc = vsim_link_send(conn, VSIM_MSG_EP_HELLO, 0, &eh, sizeof(eh), out,
			    n);
	if (rc == 0) {
		vs->sock = conn;
		vsim_set_state(vs, VSIM_LINK_CONNECTED);
	}
	pthread_mutex_unlock(&vs->lock);
	return rc;
}

static void
ep_serve(struct vsim *vs)
{
	struct vsim_msg_hdr hdr;
	struct vsim_msg_ack ack;
	int fds[VSIM_PROTO_MAX_FDS];
	unsigned int nfds;
	int rc;

	while (!vs->stop) {
		rc = vsim_link_recv(vs->sock, &hdr, &ack, sizeof(ack), fds,
				    &nfds, VSIM_POLL_MS);
		if (rc == -ETIMEDOUT)
			continue;
		if (rc == 0 && nfds > 0)
			vsim_close_fds(fds, nfds);
		if (rc < 0 && rc != -EPROTO)
			break;
		if (rc == 0 && hdr.type == VSIM_MSG_ACK &&
		    hdr.len == sizeof(ack)) {
			pthread_mutex_lock(&vs->lock);
			vs->ack_seq = hdr.seq;
			vs->ack_status = ack.status;
			pthread_cond_broadcast(&vs->cond);
			pthread_mutex_unlock(&vs->lock);
		}
	}
	if (!vs->stop)
		peer_lost(vs);
}

static uint32_t
ep_link_thread(void *arg)
{
	struct vsim *vs = arg;

	while (!vs->stop) {
		struct pollfd pfd = { .fd = vs->listen_fd, .events = POLLIN };
		int conn;

		/* the listen socket is readable when an RC connects */
		if (poll(&pfd, 1, VSIM_POLL_MS) <= 0)
			continue;
		conn = accept4(vs->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0)
			continue;
		if (ep_handshake(vs, conn) < 0) {
			close(conn);
			continue;
		}
		NTB_LOG(INFO, "%s: RC connected", vs->name);
		ep_serve(vs);
	}
	return 0;
}

/* ---------------- struct ntb_dev ops (vNTB semantics) ---------------- */

static int
ep_link_noop(struct ntb_dev *nd)
{
	RTE_SET_USED(nd);
	return 0;	/* the EP link follows the RC's LINK_UP/LINK_DOWN */
}

static bool
ep_link_is_up(struct ntb_dev *nd)
{
	struct vsim *vs = nd_vsim(nd);

	return vsim_state(vs) == VSIM_LINK_CONNECTED &&
		(rte_read16(vs->ctrl + VNTB_CTRL_LINK_STATUS) &
		 VNTB_LINK_STATUS_UP) != 0;
}

static int
ep_mw_get_align(struct ntb_dev *nd, unsigned int idx, uint64_t *addr_align,
		uint64_t *size_max)
{
	struct vsim *vs = nd_vsim(nd);

	if (idx >= vs->p.num_mws)
		return -EINVAL;
	*addr_align = VSIM_PAGE_SIZE;
	*size_max = vs->p.mw_size[idx];
	return 0;
}

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
 * iova. The RC remaps it before it acknowledges, so when this returns the
 * RC's next access lands there.
 */
static int
ep_set_inbound(struct vsim *vs, unsigned int idx, rte_iova_t iova,
	       uint64_t size)
{
	struct vsim_msg_mw_map m = { .idx = idx, .target = iova, .size = size };
	struct vsim_win *w = mw_win(vs, idx);
	struct timespec ts;
	uint32_t seq;
	int rc = 0;

	if (w == NULL)
		return -EINVAL;
	pthread_mutex_lock(&vs->lock);
	w->target = iova;
	w->target_size = size;
	if (vs->sock >= 0) {
		seq = ++vs->seq;
		rc = vsim_link_send(vs->sock, VSIM_MSG_MW_MAP, seq, &m,
				    sizeof(m), NULL, 0);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += VSIM_ACK_TIMEOUT_MS / 1000;
		while (rc == 0 && vs->sock >= 0 && vs->ack_seq != seq)
			if (pthread_cond_timedwait(&vs->cond, &vs->lock,
						   &ts) == ETIMEDOUT)
				rc = -ETIMEDOUT;
		if (rc == 0 && vs->ack_seq == seq)
			rc = vs->ack_status;
	}
	pthread_mutex_unlock(&vs->lock);
	return rc;
}

static int
ep_mw_set_trans(struct ntb_dev *nd, unsigned int idx, rte_iova_t addr,
		uint64_t size)
{
	struct vsim *vs = nd_vsim(nd);
	uint64_t off;
	int fd;

	if (idx >= vs->p.num_mws || size == 0 || size > vs->p.mw_size[idx]) {
		NTB_LOG(ERR, "%s: mw_set_trans idx %u size 0x%" PRIx64
			" out of range", vs->name, idx, size);
		return -EINVAL;
	}
	if (addr % VSIM_PAGE_SIZE != 0 ||
	    vsim_memtab_find(&vs->local, addr, size, &fd, &off) < 0) {
		NTB_LOG(ERR, "%s: mw_set_trans idx %u: 0x%" PRIx64
			" not 4 KiB aligned EP memory", vs->name, idx, addr);
		return -EINVAL;
	}
	return ep_set_inbound(vs, idx, addr, size);
}

static int
ep_mw_clear_trans(struct ntb_dev *nd, unsigned int idx)
{
	struct vsim *vs = nd_vsim(nd);

	if (idx >= vs->p.num_mws)
		return -EINVAL;
	return ep_set_inbound(vs, idx, 0, 0);
}

static int
ep_peer_mw_get_bar(struct ntb_dev *nd, unsigned int idx, struct ntb_bar *win)
{
	struct vsim *vs = nd_vsim(nd);
	int rc = 0;

	if (idx >= vs->p.num_mws)
		return -EINVAL;
	/*
	 * Like vNTB's outbound window (allocated at bind), the window exists
	 * before CONFIGURE_MW: until the RC points it at its memory, writes
	 * land in a staging page. The transport writes only once the RC's
	 * queue pair is up, which follows its CONFIGURE_MW.
	 */
	rte_rwlock_read_lock(&vs->peer_lock);
	if (vs->out_mapped[idx]) {
		*win = vs->out_win[idx];
	} else {
		memset(win, 0, sizeof(*win));
		win->va = vs->out_va[idx];
		win->len = vs->p.mw_size[idx];
	}
	rte_rwlock_read_unlock(&vs->peer_lock);
	return rc;
}

static uint8_t *
spad_addr(struct vsim *vs, unsigned int idx, bool peer)
{
	if (idx >= vs->p.spad_count) {
		NTB_LOG(ERR, "%s: spad index %u >= spad_count %u", vs->name,
			idx, vs->p.spad_count);
		return NULL;
	}
	return vs->ctrl + vs->p.spad_offset +
		4 * (idx + (peer ? 0 : vs->p.spad_count));
}

static uint32_t
ep_spad_read(struct ntb_dev *nd, unsigned int idx)
{
	uint8_t *a = spad_addr(nd_vsim(nd), idx, false);

	return a == NULL ? 0 : rte_le_to_cpu_32(rte_read32(a));
}

static int
ep_spad_write(struct ntb_dev *nd, unsigned int idx, uint32_t v)
{
	uint8_t *a = spad_addr(nd_vsim(nd), idx, false);

	if (a == NULL)
		return -EINVAL;
	rte_write32(rte_cpu_to_le_32(v), a);
	return 0;
}

static uint32_t
ep_peer_spad_read(struct ntb_dev *nd, unsigned int idx)
{
	uint8_t *a = spad_addr(nd_vsim(nd), idx, true);

	return a == NULL ? 0 : rte_le_to_cpu_32(rte_read32(a));
}

static int
ep_peer_spad_write(struct ntb_dev *nd, unsigned int idx, uint32_t v)
{
	uint8_t *a = spad_addr(nd_vsim(nd), idx, true);

	if (a == NULL)
		return -EINVAL;
	rte_write32(rte_cpu_to_le_32(v), a);
	return 0;
}

/* vNTB: lowest set bit k only, as RC MSI vector k + 2. */
static int
ep_peer_db_set(struct ntb_dev *nd, uint64_t bits)
{
	struct vsim *vs = nd_vsim(nd);
	unsigned int vec;
	int rc = 0;

	bits &= nd->db_valid_mask;
	if (bits == 0)
		return -EINVAL;
	vec = rte_bsf64(bits) + VNTB_DB_SLOT_OFFSET;
	rte_rwlock_read_lock(&vs->peer_lock);
	if (vsim_state(vs) != VSIM_LINK_CONNECTED)
		rc = -ENOTCONN;
	else if (vec >= vs->nb_rc_msi)
		rc = -EINVAL;
	else
		vsim_eventfd_signal(vs->rc_msi_fds[vec]);
	rte_rwlock_read_unlock(&vs->peer_lock);
	return rc;
}

static uint64_t
ep_db_read(struct ntb_dev *nd)
{
	return scan_doorbells(nd_vsim(nd));
}

static void
ep_db_clear(struct ntb_dev *nd, uint64_t bits)
{
	__atomic_fetch_and(&nd_vsim(nd)->db_bits, ~bits, __ATOMIC_RELEASE);
}

static const struct ntb_dev_ops ep_ops = {
	.link_enable = ep_link_noop,
	.link_disable = ep_link_noop,
	.link_is_up = ep_link_is_up,
	.mw_get_align = ep_mw_get_align,
	.mw_set_trans = ep_mw_set_trans,
	.mw_clear_trans = ep_mw_clear_trans,
	.peer_mw_get_bar = ep_peer_mw_get_bar,
	.spad_read = ep_spad_read,
	.spad_write = ep_spad_write,
	.peer_spad_read = ep_peer_spad_read,
	.peer_spad_write = ep_peer_spad_write,
	.peer_db_set = ep_peer_db_set,
	.db_read = ep_db_read,
	.db_clear = ep_db_clear,
};

/* ---------------- create / destroy ---------------- */

static const struct rte_memzone *
reserve_zone(struct vsim *vs, const char *what, size_t len)
{
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;

	snprintf(name, sizeof(name), "%s_%s", vs->name, what);
	mz = rte_memzone_reserve_aligned(name,
		RTE_ALIGN_CEIL(len, VSIM_PAGE_SIZE), SOCKET_ID_ANY,
		RTE_MEMZONE_IOVA_CONTIG, VSIM_PAGE_SIZE);
	if (mz == NULL)
		NTB_LOG(ERR, "%s: cannot reserve %s (%zu bytes)", vs->name,
			what, len);
	else
		memset(mz->addr, 0, mz->len);
	return mz;
}

static void
add_win(struct vsim *vs, uint8_t kind, int bar, unsigned int idx,
	uint64_t off, uint64_t size, uint64_t target, uint64_t tsize)
{
	struct vsim_win *w = &vs->wins[vs->nb_wins++];

	w->kind = kind;
	w->bar = bar;
	w->idx = idx;
	w->offset = off;
	w->size = size;
	w->target = target;
	w->target_size = RTE_MIN(tsize, size);
}

static void
build_windows(struct vsim *vs)
{
	const struct vsim_params *p = &vs->p;
	int ps = vsim_params_peer_spad_bar(p);
	int intr_mw = p->num_mws > 1 ? (int)p->num_mws - 1 : -1;
	uint64_t self_spads = p->spad_offset + 4ull * p->spad_count;
	unsigned int i;

	add_win(vs, VSIM_WIN_CTRL, p->ctrl_bar, 0, 0, p->bar_len[p->ctrl_bar],
		vs->mz[MZ_CTRL]->iova, vs->mz[MZ_CTRL]->len);
	/*
	 * j721e: ntb_hw_epf reads and writes the EP's scratchpads at
	 * offset 0 of the peer-spad BAR, so that BAR is the EP's own
	 * (second) half of the spad area; vsim_params_validate() put it
	 * on a page boundary.
	 */
	if (ps >= 0)
		add_win(vs, VSIM_WIN_CTRL, ps, 0, 0, p->bar_len[ps],
			vs->mz[MZ_CTRL]->iova + self_spads,
			4ull * p->spad_count);
	add_win(vs, VSIM_WIN_DB, p->db_bar, 0, 0, p->db_win_size,
		vs->db_iova, VSIM_PAGE_SIZE);
	for (i = 0; i < p->num_mws; i++) {
		/* RFC v1: the highest MW reaches the eDMA register page */
		bool intr = (int)i == intr_mw;

		add_win(vs, VSIM_WIN_MW, p->mw_bar[i], i, p->mw_offset[i],
			p->mw_size[i], intr ? vs->edma_iova : 0,
			intr ? VSIM_EDMA_PAGE_SIZE : 0);
	}
	vsim_dma_ep_add_windows(vs);
}

static int
make_eventfds(int *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fds[i] < 0)
			return -errno;
	}
	return 0;
}

static void
setup_ntb_dev(struct vsim *vs)
{
	struct ntb_dev *nd = &vs->nd;
	unsigned int k;

	nd->ops = &ep_ops;
	nd->name = vs->name;
	nd->mw_count = vs->p.num_mws;
	/* the RC uses no more (vntb_ctrl.h): same spad_user indices */
	nd->spad_count = RTE_MIN(vs->p.spad_count, VNTB_MAX_SPADS_USED);
	nd->db_count = vs->p.db_count - VNTB_DB_SLOT_OFFSET;
	nd->db_valid_mask = RTE_LEN2MASK(nd->db_count, uint64_t);
	for (k = 0; k < NTB_MAX_DB; k++)
		nd->db_fd[k] = k < nd->db_count ?
			vs->slot_fds[k + VNTB_DB_SLOT_OFFSET] : -1;
	nd->link_fd = vs->ep_link_fd;
	nd->priv = vs;

	vs->edma_bar = (struct ntb_bar){ .va = vs->edma_regs,
		.len = DW_EDMA_V0_REG_SIZE, .bus_addr = vs->edma_iova,
		.trap = ep_edma_trap, .trap_ctx = vs };
	vs->msi_bar = (struct ntb_bar){ .va = vs->msi_page,
		.len = VSIM_PAGE_SIZE, .bus_addr = vs->msi_iova,
		.trap = ep_msi_trap, .trap_ctx = vs };
	vs->ires = (struct ntb_intr_res){
		.edma_regs = &vs->edma_bar, .edma_regs_iova = vs->edma_iova,
		.edma_irq_fd = vs->edma_irq_fd,
		.msi_page = &vs->msi_bar, .msi_page_iova = vs->msi_iova,
		.msi_nb_vectors = VSIM_EP_MSI_VECTORS,
		.msi_fds = vs->msi_fds,
		.intr_mw = vs->p.num_mws > 1 ? (int)vs->p.num_mws - 1 : -1,
	};
}

int
vsim_ep_create(struct vsim *vs)
{
	const struct vsim_params *p = &vs->p;
	unsigned int i;
	int rc = -ENOMEM;

	vs->edma_irq_fd = vs->ep_link_fd = vs->engine_fd = -1;
	memset(vs->slot_fds, -1, sizeof(vs->slot_fds));
	memset(vs->msi_fds, -1, sizeof(vs->msi_fds));
	memset(vs->rc_msi_fds, -1, sizeof(vs->rc_msi_fds));
	vs->mz[MZ_CTRL] = reserve_zone(vs, "ctrl", p->ctrl_size);
	vs->mz[MZ_DB] = reserve_zone(vs, "db", VSIM_PAGE_SIZE);
	vs->mz[MZ_EDMA] = reserve_zone(vs, "edma", VSIM_EDMA_PAGE_SIZE);
	vs->mz[MZ_MSI] = reserve_zone(vs, "msi", VSIM_PAGE_SIZE);
	vs->mz[MZ_STATE] = reserve_zone(vs, "state",
					sizeof(struct vsim_shared));
	for (i = 0; i < RTE_DIM(vs->mz); i++)
		if (vs->mz[i] == NULL)
			goto fail;
	vs->ctrl = vs->mz[MZ_CTRL]->addr;
	vs->db_page = vs->mz[MZ_DB]->addr;
	vs->db_iova = vs->mz[MZ_DB]->iova;
	vs->edma_regs = vs->mz[MZ_EDMA]->addr;
	vs->edma_iova = vs->mz[MZ_EDMA]->iova;
	vs->msi_page = vs->mz[MZ_MSI]->addr;
	vs->msi_iova = vs->mz[MZ_MSI]->iova;
	vs->sh = vs->mz[MZ_STATE]->addr;

	rc = vsim_memtab_local(&vs->local);
	if (rc < 0)
		goto fail;
	rc = make_eventfds(vs->slot_fds, p->db_count);
	if (rc == 0)
		rc = make_eventfds(vs->msi_fds, VSIM_EP_MSI_VECTORS);
	if (rc == 0)
		rc = make_eventfds(&vs->edma_irq_fd, 1);
	if (rc == 0)
		rc = make_eventfds(&vs->ep_link_fd, 1);
	if (rc == 0)
		rc = make_eventfds(&vs->engine_fd, 1);
	if (rc < 0)
		goto fail;
	for (i = 0; i < p->num_mws; i++) {
		vs->out_len[i] = RTE_ALIGN_CEIL(p->mw_size[i], VSIM_PAGE_SIZE) +
			VSIM_PAGE_SIZE;
		vs->out_va[i] = vsim_va_reserve(vs->out_len[i]);
		if (vs->out_va[i] == NULL) {
			rc = -ENOMEM;
			goto fail;
		}
		rc = vsim_va_map(vs->out_va[i], vs->out_len[i], -1, 0);
		if (rc < 0)
			goto fail;
	}

	ctrl_init(vs);
	vs->edma = (struct dw_edma_model){ .regs = vs->edma_regs,
		.sh = &vs->sh->edma, .ops = &ep_model_ops, .ctx = vs };
	dw_edma_model_reset(&vs->edma);
	rc = vsim_dma_ep_init(vs);
	if (rc < 0)
		goto fail;
	build_windows(vs);
	setup_ntb_dev(vs);

	vs->listen_fd = vsim_link_listen(p->link);
	if (vs->listen_fd < 0) {
		rc = vs->listen_fd;
		goto fail;
	}
	rc = rte_thread_create_control(&vs->cmd_thread, "vsim-cmd",
				       cmd_thread, vs);
	if (rc != 0)
		goto fail;
	vs->cmd_running = true;
	rc = rte_thread_create_control(&vs->engine_thread, "vsim-edma",
				       engine_thread, vs);
	if (rc != 0)
		goto fail;
	vs->engine_running = true;
	rc = rte_thread_create_control(&vs->thread, "vsim-ep",
				       ep_link_thread, vs);
	if (rc != 0)
		goto fail;
	vs->thread_running = true;
	NTB_LOG(INFO, "%s: EP %s listening on %s (ctrl v%u)", vs->name,
		vsim_profile_name(p->profile), p->link, p->ctrl_version);
	return 0;
fail:
	vsim_ep_destroy(vs);
	return rc < 0 ? rc : -rc;
}

void
vsim_ep_destroy(struct vsim *vs)
{
	unsigned int i;

	vs->stop = true;
	if (vs->thread_running)
		rte_thread_join(vs->thread, NULL);
	if (vs->cmd_running)
		rte_thread_join(vs->cmd_thread, NULL);
	if (vs->engine_running)
		rte_thread_join(vs->engine_thread, NULL);
	vs->thread_running = vs->cmd_running = vs->engine_running = false;
	vsim_dma_ep_fini(vs);
	if (vs->sock >= 0)
		close(vs->sock);
	vs->sock = -1;
	if (vs->listen_fd >= 0) {
		close(vs->listen_fd);
		unlink(vs->p.link);
	}
	vs->listen_fd = -1;
	vsim_memtab_release(&vs->peer);
	for (i = 0; i < NTB_MAX_MW; i++)
		if (vs->out_va[i] != NULL)
			munmap(vs->out_va[i], vs->out_len[i]);
	vsim_close_fds(vs->slot_fds, RTE_DIM(vs->slot_fds));
	vsim_close_fds(vs->msi_fds, RTE_DIM(vs->msi_fds));
	vsim_close_fds(vs->rc_msi_fds, RTE_DIM(vs->rc_msi_fds));
	vsim_close_fds(&vs->edma_irq_fd, 1);
	vsim_close_fds(&vs->ep_link_fd, 1);
	vsim_close_fds(&vs->engine_fd, 1);
	for (i = 0; i < RTE_DIM(vs->mz); i++)
		rte_memzone_free(vs->mz[i]);
}

struct ntb_dev *
vsim_ep_ntb_dev(struct vsim *vs)
{
	return vs->p.role == VSIM_ROLE_EP ? &vs->nd : NULL;
}

const struct ntb_intr_res *
vsim_ep_intr_res(struct vsim *vs)
{
	return vs->p.role == VSIM_ROLE_EP ? &vs->ires : NULL;
}

/* What the test-only vsim_fault.c drives on the EP. */
void
vsim_ep_force_link(struct vsim *vs, bool up)
{
	set_link_status(vs, up);
	rte_rwlock_read_lock(&vs->peer_lock);
	if (vsim_state(vs) == VSIM_LINK_CONNECTED && vs->nb_rc_msi > 0)
		vsim_eventfd_signal(vs->rc_msi_fds[VNTB_MSI_LINK_VECTOR]);
	rte_rwlock_read_unlock(&vs->peer_lock);
}

void
vsim_ep_hold_engine(struct vsim *vs, bool hold)
{
	__atomic_store_n(&vs->engine_hold, hold, __ATOMIC_RELEASE);
	if (!hold)	/* run what was posted meanwhile */
		vsim_eventfd_signal(vs->engine_fd);
}
