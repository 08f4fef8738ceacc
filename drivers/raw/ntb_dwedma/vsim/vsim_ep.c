/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * EP side of the virtual link, set up and torn down: the EP's memory
 * (ctrl region, doorbell page, eDMA register page, MSI page, shared model
 * state) in this process's DPDK memory, its interrupt inputs as
 * eventfds, its outbound windows, the BAR windows it shows the RC, the
 * vNTB function (vntb_ep.c) bound on the endpoint controller
 * (vsim_epc.c), and the threads: command handler, eDMA engine
 * (vsim_ep_engine.c), socket (vsim_ep_link.c).
 */

#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_memzone.h>

#include "ntb_dwedma_log.h"
#include "vsim_priv.h"

static void
sleep_us_interruptible(struct vsim *vs, uint64_t us)
{
	while (us > 0 && !vs->stop) {
		uint64_t chunk = RTE_MIN(us, (uint64_t)VSIM_POLL_MS * 1000);

		rte_delay_us_sleep(chunk);
		us -= chunk;
	}
}

/* vNTB's delayed work: the command handler every cmd_period_us. */
static uint32_t
cmd_thread(void *arg)
{
	struct vsim *vs = arg;

	while (!vs->stop) {
		sleep_us_interruptible(vs, vs->p.cmd_period_us +
			__atomic_load_n(&vs->epc.cmd_delay_us,
					__ATOMIC_RELAXED));
		if (vs->stop)
			break;
		vntb_ep_cmd_handler(&vs->epc.fn);
	}
	return 0;
}

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

static int
reserve_zones(struct vsim *vs)
{
	struct vsim_epc *c = &vs->epc;
	unsigned int i;

	c->mz[VSIM_ZONE_CTRL] = reserve_zone(vs, "ctrl", vs->p.ctrl_size);
	c->mz[VSIM_ZONE_DB] = reserve_zone(vs, "db", VSIM_PAGE_SIZE);
	c->mz[VSIM_ZONE_EDMA] = reserve_zone(vs, "edma", VSIM_EDMA_PAGE_SIZE);
	c->mz[VSIM_ZONE_MSI] = reserve_zone(vs, "msi", VSIM_PAGE_SIZE);
	c->mz[VSIM_ZONE_STATE] = reserve_zone(vs, "state",
					      sizeof(struct vsim_shared));
	for (i = 0; i < RTE_DIM(c->mz); i++)
		if (c->mz[i] == NULL)
			return -ENOMEM;
	c->ctrl = c->mz[VSIM_ZONE_CTRL]->addr;
	c->db_page = c->mz[VSIM_ZONE_DB]->addr;
	c->db_iova = c->mz[VSIM_ZONE_DB]->iova;
	c->edma_regs = c->mz[VSIM_ZONE_EDMA]->addr;
	vs->ep.edma_iova = c->mz[VSIM_ZONE_EDMA]->iova;
	c->msi_page = c->mz[VSIM_ZONE_MSI]->addr;
	vs->ep.msi_iova = c->mz[VSIM_ZONE_MSI]->iova;
	vs->sh = c->mz[VSIM_ZONE_STATE]->addr;
	return 0;
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

static int
make_interrupt_inputs(struct vsim *vs)
{
	struct vsim_ep_side *e = &vs->ep;
	int rc;

	e->db_count = vs->p.db_count;
	e->db_entry_size = VSIM_DB_ENTRY_SIZE;
	e->nb_msi = VSIM_EP_MSI_VECTORS;
	rc = make_eventfds(e->slot_fds, e->db_count);
	if (rc == 0)
		rc = make_eventfds(e->msi_fds, e->nb_msi);
	if (rc == 0)
		rc = make_eventfds(&e->edma_irq_fd, 1);
	if (rc == 0)
		rc = make_eventfds(&vs->epc.link_fd, 1);
	if (rc == 0)
		rc = make_eventfds(&e->engine_fd, 1);
	return rc;
}

/* vNTB allocates each outbound window at bind: staging until mapped. */
static int
reserve_outbound(struct vsim *vs)
{
	unsigned int i;

	for (i = 0; i < vs->p.num_mws; i++) {
		struct vsim_ob *ob = &vs->epc.ob[i];

		ob->len = RTE_ALIGN_CEIL(vs->p.mw_size[i], VSIM_PAGE_SIZE) +
			VSIM_PAGE_SIZE;
		ob->va = vsim_va_reserve(ob->len);
		if (ob->va == NULL)
			return -ENOMEM;
		if (vsim_va_map(ob->va, ob->len, -1, 0) < 0)
			return -ENOMEM;
	}
	return 0;
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

/* The BAR windows the RC maps: what each reaches in EP memory. */
static void
build_windows(struct vsim *vs)
{
	const struct vsim_params *p = &vs->p;
	const struct rte_memzone *ctrl = vs->epc.mz[VSIM_ZONE_CTRL];
	int ps = vsim_params_peer_spad_bar(p);
	int intr_mw = p->num_mws > 1 ? (int)p->num_mws - 1 : -1;
	uint64_t self_spads = p->spad_offset + 4ull * p->spad_count;
	unsigned int i;

	add_win(vs, VSIM_WIN_CTRL, p->ctrl_bar, 0, 0, p->bar_len[p->ctrl_bar],
		ctrl->iova, ctrl->len);
	/*
	 * j721e: ntb_hw_epf reads and writes the EP's scratchpads at
	 * offset 0 of the peer-spad BAR, so that BAR is the EP's own
	 * (second) half of the spad area; vsim_params_validate() put it
	 * on a page boundary.
	 */
	if (ps >= 0)
		add_win(vs, VSIM_WIN_CTRL, ps, 0, 0, p->bar_len[ps],
			ctrl->iova + self_spads, 4ull * p->spad_count);
	add_win(vs, VSIM_WIN_DB, p->db_bar, 0, 0, p->db_win_size,
		vs->epc.db_iova, VSIM_PAGE_SIZE);
	for (i = 0; i < p->num_mws; i++) {
		/* RFC v1: the highest MW reaches the eDMA register page */
		bool intr = (int)i == intr_mw;

		add_win(vs, VSIM_WIN_MW, p->mw_bar[i], i, p->mw_offset[i],
			p->mw_size[i], intr ? vs->ep.edma_iova : 0,
			intr ? VSIM_EDMA_PAGE_SIZE : 0);
	}
	vsim_dma_ep_add_windows(vs);
}

/* Bind the vNTB function on this EPC: it writes the ctrl region. */
static int
bind_function(struct vsim *vs)
{
	struct vntb_ep_config cfg;

	vsim_params_ep_layout(&vs->p, &cfg);
	cfg.name = vs->name;
	cfg.ctrl = vs->epc.ctrl;
	cfg.ctrl_len = vs->epc.mz[VSIM_ZONE_CTRL]->len;
	cfg.db_page = vs->epc.db_page;
	cfg.link_fd = vs->epc.link_fd;
	cfg.slot_fds = vs->ep.slot_fds;
	return vntb_ep_init(&vs->epc.fn, &cfg, &vsim_epc_ops, vs);
}

static int
start_thread(struct vsim *vs, rte_thread_t *t, bool *running,
	     const char *name, rte_thread_func fn)
{
	int rc = rte_thread_create_control(t, name, fn, vs);

	*running = rc == 0;
	return rc;
}

int
vsim_ep_create(struct vsim *vs)
{
	struct vsim_epc *c = &vs->epc;
	int rc;

	vs->ep.edma_irq_fd = vs->ep.engine_fd = c->link_fd = -1;
	memset(vs->ep.slot_fds, -1, sizeof(vs->ep.slot_fds));
	memset(vs->ep.msi_fds, -1, sizeof(vs->ep.msi_fds));
	memset(vs->rc.msi_fds, -1, sizeof(vs->rc.msi_fds));
	rc = reserve_zones(vs);
	if (rc == 0)
		rc = vsim_memtab_local(&vs->local);
	if (rc == 0)
		rc = make_interrupt_inputs(vs);
	if (rc == 0)
		rc = reserve_outbound(vs);
	if (rc == 0)
		rc = bind_function(vs);
	if (rc < 0)
		goto fail;
	vs->edma = (struct dw_edma_model){ .regs = c->edma_regs,
		.sh = &vs->sh->edma, .ops = &vsim_edma_cb_ops, .ctx = vs };
	dw_edma_model_reset(&vs->edma);
	rc = vsim_dma_ep_init(vs);
	if (rc < 0)
		goto fail;
	build_windows(vs);
	vsim_ep_engine_bars(vs);

	vs->listen_fd = vsim_link_listen(vs->p.link);
	if (vs->listen_fd < 0) {
		rc = vs->listen_fd;
		goto fail;
	}
	rc = start_thread(vs, &c->cmd_thread, &c->cmd_running, "vsim-cmd",
			  cmd_thread);
	if (rc == 0)
		rc = start_thread(vs, &c->engine_thread, &c->engine_running,
				  "vsim-edma", vsim_ep_engine_thread);
	if (rc == 0)
		rc = start_thread(vs, &vs->thread, &vs->thread_running,
				  "vsim-ep", vsim_ep_link_thread);
	if (rc != 0)
		goto fail;
	NTB_LOG(INFO, "%s: EP %s listening on %s (ctrl v%u)", vs->name,
		vsim_profile_name(vs->p.profile), vs->p.link,
		vs->p.ctrl_version);
	return 0;
fail:
	vsim_ep_destroy(vs);
	return rc < 0 ? rc : -rc;
}

void
vsim_ep_destroy(struct vsim *vs)
{
	struct vsim_epc *c = &vs->epc;
	unsigned int i;

	vs->stop = true;
	if (vs->thread_running)
		rte_thread_join(vs->thread, NULL);
	if (c->cmd_running)
		rte_thread_join(c->cmd_thread, NULL);
	if (c->engine_running)
		rte_thread_join(c->engine_thread, NULL);
	vs->thread_running = c->cmd_running = c->engine_running = false;
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
		if (c->ob[i].va != NULL)
			munmap(c->ob[i].va, c->ob[i].len);
	vsim_close_fds(vs->ep.slot_fds, RTE_DIM(vs->ep.slot_fds));
	vsim_close_fds(vs->ep.msi_fds, RTE_DIM(vs->ep.msi_fds));
	vsim_close_fds(vs->rc.msi_fds, RTE_DIM(vs->rc.msi_fds));
	vsim_close_fds(&vs->ep.edma_irq_fd, 1);
	vsim_close_fds(&c->link_fd, 1);
	vsim_close_fds(&vs->ep.engine_fd, 1);
	for (i = 0; i < RTE_DIM(c->mz); i++)
		rte_memzone_free(c->mz[i]);
}

struct ntb_dev *
vsim_ep_ntb_dev(struct vsim *vs)
{
	return vs->p.role == VSIM_ROLE_EP ? vntb_ep_ntb_dev(&vs->epc.fn) :
		NULL;
}

const struct ntb_intr_res *
vsim_ep_intr_res(struct vsim *vs)
{
	return vs->p.role == VSIM_ROLE_EP ? &vs->epc.ires : NULL;
}
