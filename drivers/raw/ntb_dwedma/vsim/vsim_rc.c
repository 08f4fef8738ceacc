/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * RC side of the virtual link, set up and torn down: its memory and MSI
 * vectors, the first connect (or staging BARs while no EP answers), the
 * link thread, reconnects to a new EP at the same BAR VAs.
 */

#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_lcore.h>

#include "vsim_priv.h"

/* The EP is not there (yet), or not answering: worth waiting for. */
static bool
rc_ep_absent(int rc)
{
	return rc == -ETIMEDOUT || rc == -ENOENT || rc == -ECONNREFUSED ||
		rc == -EPIPE || rc == -ECONNRESET || rc == -EAGAIN;
}

static int
start_thread(struct vsim *vs)
{
	int rc = rte_thread_create_control(&vs->thread, "vsim-rc",
					vsim_rc_link_thread, vs);

	vs->thread_running = rc == 0;
	return -rc;
}

int
vsim_rc_create(struct vsim *vs)
{
	unsigned int i;
	int rc;

	vs->ep.edma_irq_fd = vs->ep.engine_fd = -1;
	memset(vs->ep.slot_fds, -1, sizeof(vs->ep.slot_fds));
	memset(vs->ep.msi_fds, -1, sizeof(vs->ep.msi_fds));
	memset(vs->rc.msi_fds, -1, sizeof(vs->rc.msi_fds));
	vs->rc.nb_msi = vs->p.msi_interrupts;
	vs->rc.msi_addr = VSIM_RC_MSI_ADDR;
	rc = vsim_memtab_local(&vs->local);
	for (i = 0; rc == 0 && i < vs->rc.nb_msi; i++) {
		vs->rc.msi_fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (vs->rc.msi_fds[i] < 0)
			rc = -errno;
	}
	if (rc == 0) {
		rc = vsim_rc_link_connect(vs, vs->p.connect_timeout_ms);
		if (rc_ep_absent(rc))
			rc = vsim_rc_bars_staging(vs);	/* no link thread yet */
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
	return vsim_rc_link_connect(vs, timeout_ms) == 0 ? start_thread(vs) : -ENOTCONN;
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
	for (b = 0; b < VNTB_PCI_BARS; b++)
		if (vs->bars.va[b] != NULL)
			munmap(vs->bars.va[b], vs->bars.map_len[b]);
	vsim_memtab_release(&vs->peer);
	vsim_close_fds(vs->rc.msi_fds, RTE_DIM(vs->rc.msi_fds));
	vsim_close_fds(vs->ep.slot_fds, RTE_DIM(vs->ep.slot_fds));
	vsim_close_fds(vs->ep.msi_fds, RTE_DIM(vs->ep.msi_fds));
	vsim_close_fds(&vs->ep.edma_irq_fd, 1);
	vsim_close_fds(&vs->ep.engine_fd, 1);
}

const struct vsim_rc_res *
vsim_rc_res(struct vsim *vs)
{
	return vs->p.role == VSIM_ROLE_RC ? &vs->rc : NULL;
}
