/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The EP's end of the socket: accept an RC, exchange hellos (the RC's
 * memory and MSI vectors in, the EP's memory, interrupt inputs and
 * windows out), serve acks, and tell the RC when an inbound window moves
 * (MW_MAP). EOF from the RC is peer death: its memory is unmapped and the
 * link goes down.
 */

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ntb_dwedma_log.h"
#include "vsim_priv.h"

static void
peer_lost(struct vsim *vs)
{
	rte_rwlock_write_lock(&vs->peer_lock);
	vsim_epc_ob_unmap_all(vs);
	vsim_memtab_neutralize(&vs->peer);
	vs->rc.msi_addr = 0;
	rte_rwlock_write_unlock(&vs->peer_lock);
	pthread_mutex_lock(&vs->lock);
	close(vs->sock);
	vs->sock = -1;
	pthread_cond_broadcast(&vs->cond);
	pthread_mutex_unlock(&vs->lock);
	vntb_ep_set_link(&vs->epc.fn, false);
	NTB_LOG(NOTICE, "%s: RC went away", vs->name);
	vsim_set_state(vs, VSIM_LINK_DEAD);
}

/* The RC's hello: its memory table and MSI vectors, checked, then taken. */
static int
take_rc_hello(struct vsim *vs, int conn)
{
	struct vsim_msg_rc_hello rh;
	struct vsim_msg_hdr hdr;
	int fds[VSIM_PROTO_MAX_FDS];
	struct vsim_memtab peer;
	unsigned int nfds;
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
	vsim_close_fds(vs->rc.msi_fds, VSIM_MAX_MSI);
	memcpy(vs->rc.msi_fds, fds + rh.mem.nb_files, rh.nb_msi * sizeof(int));
	vs->rc.nb_msi = rh.nb_msi;
	vs->rc.msi_addr = rh.msi_addr;
	rte_rwlock_write_unlock(&vs->peer_lock);
	return 0;
}

/* The EP's hello: layout, memory, interrupt inputs (fds), windows. */
static int
send_ep_hello(struct vsim *vs, int conn)
{
	const struct vsim_ep_side *e = &vs->ep;
	struct vsim_msg_ep_hello eh;
	int out[VSIM_PROTO_MAX_FDS];
	unsigned int n = 0, i;
	int rc;

	memset(&eh, 0, sizeof(eh));
	eh.magic = VSIM_PROTO_MAGIC;
	eh.version = VSIM_PROTO_VERSION;
	eh.profile = vs->p.profile;
	eh.db_count = e->db_count;
	eh.nb_msi = e->nb_msi;
	eh.vendor_id = vs->p.platform->vendor_id;
	eh.device_id = vs->p.platform->device_id;
	memcpy(eh.barno, vs->p.platform->map.bar, VNTB_BAR_ROLE_NUM);
	eh.barno[VNTB_BAR_ROLE_NUM] = -1;
	for (i = 0; i < VNTB_PCI_BARS; i++)
		eh.bar_len[i] = vs->p.bar_len[i];
	eh.db_entry_size = e->db_entry_size;
	eh.edma_iova = e->edma_iova;
	eh.edma_size = DW_EDMA_V0_REG_SIZE;
	eh.msi_iova = e->msi_iova;
	eh.state_iova = vs->epc.mz[VSIM_ZONE_STATE]->iova;
	vsim_memtab_to_wire(&vs->local, &eh.mem);
	for (i = 0; i < vs->local.nb_files; i++)
		out[n++] = vs->local.fds[i];
	for (i = 0; i < e->db_count; i++)
		out[n++] = e->slot_fds[i];
	out[n++] = e->edma_irq_fd;
	for (i = 0; i < e->nb_msi; i++)
		out[n++] = e->msi_fds[i];
	out[n++] = e->engine_fd;

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
serve(struct vsim *vs)
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

uint32_t
vsim_ep_link_thread(void *arg)
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
		if (take_rc_hello(vs, conn) < 0 ||
		    send_ep_hello(vs, conn) < 0) {
			close(conn);
			continue;
		}
		NTB_LOG(INFO, "%s: RC connected", vs->name);
		serve(vs);
	}
	return 0;
}

/*
 * Tell a connected RC that MW idx now reaches EP memory [iova, +size)
 * and wait for its ack (it remaps first). Caller holds vs->lock; 0 when
 * no RC is there (it gets the window in the next hello).
 */
int
vsim_ep_link_mw_map(struct vsim *vs, unsigned int idx, uint64_t iova,
		    uint64_t size)
{
	struct vsim_msg_mw_map m = { .idx = idx, .target = iova, .size = size };
	struct timespec ts;
	uint32_t seq;
	int rc;

	if (vs->sock < 0)
		return 0;
	seq = ++vs->seq;
	rc = vsim_link_send(vs->sock, VSIM_MSG_MW_MAP, seq, &m, sizeof(m),
			    NULL, 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += VSIM_ACK_TIMEOUT_MS / 1000;
	while (rc == 0 && vs->sock >= 0 && vs->ack_seq != seq)
		if (pthread_cond_timedwait(&vs->cond, &vs->lock, &ts) ==
		    ETIMEDOUT)
			rc = -ETIMEDOUT;
	if (rc == 0 && vs->ack_seq == seq)
		rc = vs->ack_status;
	return rc;
}
