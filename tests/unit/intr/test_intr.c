/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Interrupt backends: RC side over the vntb RC and a fake EP (R-Car S4
 * layout, MW2 = interrupt window), EP side over a recording ntb_dev.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "dw_edma_v0_regs.h"
#include "ntb_intr.h"
#include "ntb_intr_test.h"
#include "ntb_test.h"
#include "vntb_ctrl.h"
#include "vntb_fake_ep.h"
#include "vntb_rc.h"

/* board rows' BAR maps */
#define MAP_RCAR_S4	(&vntb_platforms[VNTB_PLATFORM_RCAR_S4].map)

#define NB_MSI	16

static struct fake_ep ep;
static struct vntb_rc rc;
static int msi_fds[NB_MSI];

static bool
fd_empty(int fd)
{
	uint64_t cnt;

	return read(fd, &cnt, sizeof(cnt)) < 0 && errno == EAGAIN;
}

static void
fd_fire(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, sizeof(one)) != sizeof(one))
		printf("# eventfd write failed\n");
}

static int
rc_up(void)
{
	struct vntb_rc_params p = {
		.name = "intr-rc", .map = MAP_RCAR_S4,
		.msi_fds = msi_fds, .nb_msi = NB_MSI,
	};
	int i;

	for (i = 0; i < NB_MSI; i++)
		msi_fds[i] = eventfd(0, EFD_NONBLOCK);
	fake_ep_layout_rcar_s4(&ep);
	p.bars = ep.bars;
	fake_ep_start(&ep);
	return vntb_rc_init(&rc, &p);
}

static void
rc_down(void)
{
	int i;

	vntb_rc_fini(&rc);
	fake_ep_free(&ep);
	for (i = 0; i < NB_MSI; i++)
		close(msi_fds[i]);
}

/* --- an EP-side ntb_dev that records what the backends ask of it --- */

struct rec_dev {
	struct ntb_dev nd;
	unsigned int set_idx, clear_idx;
	rte_iova_t set_addr;
	uint64_t set_size;
	int nset, nclear;
	uint64_t db_rung, db_cleared;
	uint64_t size_max;
};

static struct rec_dev *
rec_of(struct ntb_dev *nd)
{
	return nd->priv;
}

static int
rec_mw_get_align(struct ntb_dev *nd, unsigned int idx, uint64_t *a,
		 uint64_t *m)
{
	if (idx >= nd->mw_count)
		return -EINVAL;
	*a = 4096;
	*m = rec_of(nd)->size_max;
	return 0;
}

static int
rec_mw_set_trans(struct ntb_dev *nd, unsigned int idx, rte_iova_t addr,
		 uint64_t size)
{
	struct rec_dev *r = rec_of(nd);

	r->set_idx = idx;
	r->set_addr = addr;
	r->set_size = size;
	r->nset++;
	return 0;
}

static int
rec_mw_clear_trans(struct ntb_dev *nd, unsigned int idx)
{
	rec_of(nd)->clear_idx = idx;
	rec_of(nd)->nclear++;
	return 0;
}

static int
rec_peer_db_set(struct ntb_dev *nd, uint64_t bits)
{
	rec_of(nd)->db_rung |= bits;
	return 0;
}

static void
rec_db_clear(struct ntb_dev *nd, uint64_t bits)
{
	rec_of(nd)->db_cleared |= bits;
}

static const struct ntb_dev_ops rec_ops = {
	.mw_get_align = rec_mw_get_align,
	.mw_set_trans = rec_mw_set_trans,
	.mw_clear_trans = rec_mw_clear_trans,
	.peer_db_set = rec_peer_db_set,
	.db_clear = rec_db_clear,
};

static void
rec_init(struct rec_dev *r, unsigned int db_count)
{
	unsigned int k;

	memset(r, 0, sizeof(*r));
	r->nd.ops = &rec_ops;
	r->nd.name = "intr-ep";
	r->nd.mw_count = 2;
	r->nd.spad_count = 64;
	r->nd.db_count = db_count;
	r->nd.priv = r;
	r->nd.link_fd = -1;
	r->size_max = 0x8000;
	for (k = 0; k < NTB_MAX_DB; k++)
		r->nd.db_fd[k] = k < db_count ? eventfd(0, 0) : -1;
}

static void
rec_fini(struct rec_dev *r)
{
	unsigned int k;

	for (k = 0; k < NTB_MAX_DB; k++)
		if (r->nd.db_fd[k] >= 0)
			close(r->nd.db_fd[k]);
}

/* eDMA register page with a write log */
struct edma_page {
	struct ntb_bar bar;
	size_t off[16];
	uint64_t val[16];
	unsigned int n;
};

static bool
edma_trap(const struct ntb_bar *bar, size_t off, uint64_t val,
	  unsigned int width __rte_unused)
{
	struct edma_page *e = bar->trap_ctx;

	if (e->n < RTE_DIM(e->off)) {
		e->off[e->n] = off;
		e->val[e->n] = val;
		e->n++;
	}
	return true;	/* a model would act here; nothing to store */
}

/* --- tests --- */

static int
test_mode_names(void)
{
	static const char *const names[] = {
		"auto", "poll", "doorbell", "dw_edma", "msi",
	};
	enum ntb_intr_mode m;
	unsigned int i;

	for (i = 0; i < RTE_DIM(names); i++) {
		NTB_TEST_ASSERT(ntb_intr_mode_parse(names[i], &m) == 0, "%s", names[i]);
		NTB_TEST_ASSERT(strcmp(ntb_intr_mode_name(m), names[i]) == 0,
				"round trip %s", names[i]);
	}
	NTB_TEST_ASSERT(ntb_intr_mode_parse("dw-edma", &m) == -EINVAL, "bad");
	NTB_TEST_ASSERT(ntb_intr_mode_parse("", &m) == -EINVAL, "empty");
	NTB_TEST_ASSERT(ntb_intr_mode_parse(NULL, &m) == -EINVAL, "NULL");
	NTB_TEST_ASSERT(strcmp(ntb_intr_mode_name((enum ntb_intr_mode)9),
			       "invalid") == 0, "out of range");
	return 0;
}

static int
test_rc_dw_edma_kick(void)
{
	struct ntb_intr_res res = { .edma_irq_fd = -1, .intr_mw = 1 };
	struct ntb_intr it;
	struct ntb_intr_desc d;
	int i;

	NTB_TEST_ASSERT(rc_up() == 0, "rc");
	NTB_TEST_ASSERT(ntb_intr_create(&it, &rc.nd, NTB_INTR_DW_EDMA, false,
					&res, 2) == 0, "create");
	NTB_TEST_ASSERT(it.mode == NTB_INTR_DW_EDMA, "mode");
	ntb_intr_local_desc(&it, 0, &d);
	NTB_TEST_ASSERT(d.addr_offset == NTB_INTR_DESC_INVALID &&
			d.data == NTB_INTR_DESC_INVALID, "RC receives on MSI");

	/* the EP's descriptor: rd_int_status in the window, data 0 */
	d.addr_offset = DW_EDMA_V0_RD_INT_STATUS;
	d.data = 0;
	NTB_TEST_ASSERT(ntb_intr_set_peer_desc(&it, 0, &d) == 0, "desc qp0");
	d.addr_offset = 0x7FFC;		/* last word of the 32 KiB window */
	d.data = 0x55;
	NTB_TEST_ASSERT(ntb_intr_set_peer_desc(&it, 1, &d) == 0, "desc qp1");

	fake_ep_w32(&ep, 2, 0xF00A0, 0xffffffff);
	ntb_intr_kick(&it, 0);
	i = (int)ep.nw - 1;
	NTB_TEST_ASSERT(ep.w[i].bar == 2 && ep.w[i].off == 0xF0000 + 0xA0 &&
			ep.w[i].val == 0 && ep.w[i].width == 4,
			"kick qp0: bar %d off %#zx", ep.w[i].bar, ep.w[i].off);
	NTB_TEST_ASSERT(fake_ep_r32(&ep, 2, 0xF00A0) == 0, "stored 0");
	ntb_intr_kick(&it, 1);
	i = (int)ep.nw - 1;
	NTB_TEST_ASSERT(ep.w[i].bar == 2 && ep.w[i].off == 0xF7FFC &&
			ep.w[i].val == 0x55, "kick qp1");
	NTB_TEST_ASSERT(fake_ep_find_write(&ep, 4, 2 * 4) < 0, "no doorbell rung");

	/* RC receive side stays doorbells on MSI vector qp + 2 */
	NTB_TEST_ASSERT(ntb_intr_rx_fd(&it, 1) == msi_fds[3], "rx fd");
	ntb_intr_destroy(&it);
	rc_down();
	return 0;
}

static int
test_rc_desc_fallback(void)
{
	static const struct ntb_intr_desc bad[] = {
		{ NTB_INTR_DESC_INVALID, 0 },	/* none */
		{ 0xA0, NTB_INTR_DESC_INVALID },	/* none */
		{ 0xA2, 0 },			/* unaligned */
		{ 0x8000, 0 },			/* first byte past the window */
		{ 0x7FFE, 0 },			/* straddles the end */
		{ 0xFFFFFFFC, 0 },		/* wraps */
	};
	struct ntb_intr_res res = { .edma_irq_fd = -1, .intr_mw = 1 };
	struct ntb_intr_desc good = { 0xA0, 0 };
	struct ntb_intr it;
	unsigned int i, nw0;
	int w;

	NTB_TEST_ASSERT(rc_up() == 0, "rc");
	NTB_TEST_ASSERT(ntb_intr_create(&it, &rc.nd, NTB_INTR_MSI, false,
					&res, 1) == 0, "create");
	for (i = 0; i < RTE_DIM(bad); i++) {
		/* a valid descriptor first, so the bad one must replace it */
		NTB_TEST_ASSERT(ntb_intr_set_peer_desc(&it, 0, &good) == 0, "good");
		NTB_TEST_ASSERT(ntb_intr_set_peer_desc(&it, 0, &bad[i]) < 0,
				"bad[%u] refused", i);
		nw0 = ep.nw;
		ntb_intr_kick(&it, 0);
		NTB_TEST_ASSERT(ep.nw == nw0 + 1, "one write");
		w = (int)ep.nw - 1;
		NTB_TEST_ASSERT(ep.w[w].bar == 4 && ep.w[w].off == 2 * 4 &&
				ep.w[w].val == 0xD002,
				"bad[%u]: doorbell slot 2 rung instead", i);
	}
	NTB_TEST_ASSERT(ntb_intr_set_peer_desc(&it, 1, &good) == -EINVAL, "qp range");
	ntb_intr_destroy(&it);
	rc_down();
	return 0;
}

static int
test_rc_auto_and_doorbell(void)
{
	struct ntb_intr_res res = { .edma_irq_fd = -1, .intr_mw = 1 };
	struct ntb_intr it;
	int w;

	NTB_TEST_ASSERT(rc_up() == 0, "rc");
	NTB_TEST_ASSERT(ntb_intr_create(&it, &rc.nd, NTB_INTR_AUTO, false,
					&res, 2) == 0 &&
			it.mode == NTB_INTR_DW_EDMA, "auto + window: dw_edma");
	ntb_intr_destroy(&it);
	res.intr_mw = -1;
	NTB_TEST_ASSERT(ntb_intr_create(&it, &rc.nd, NTB_INTR_AUTO, false,
					&res, 2) == 0 &&
			it.mode == NTB_INTR_DOORBELL, "auto, no window: doorbell");
	ntb_intr_destroy(&it);
	NTB_TEST_ASSERT(ntb_intr_create(&it, &rc.nd, NTB_INTR_AUTO, false,
					NULL, NB_MSI - 1) == 0 &&
			it.mode == NTB_INTR_POLL, "auto, too few doorbells: poll");
	ntb_intr_destroy(&it);
	NTB_TEST_ASSERT(ntb_intr_create(&it, &rc.nd, NTB_INTR_DOORBELL, false,
					NULL, NB_MSI - 1) == -EINVAL, "explicit refused");
	NTB_TEST_ASSERT(ntb_intr_create(&it, &rc.nd, NTB_INTR_DW_EDMA, false,
					NULL, 1) == -EINVAL, "dw_edma without MW");
	NTB_TEST_ASSERT(ntb_intr_create(&it, &rc.nd, NTB_INTR_DOORBELL, false,
					NULL, 0) == -EINVAL, "0 QPs");

	/* doorbell backend: kick rings slot qp + 2, rx drains vector qp + 2 */
	NTB_TEST_ASSERT(ntb_intr_create(&it, &rc.nd, NTB_INTR_DOORBELL, false,
					NULL, 4) == 0, "doorbell");
	ntb_intr_kick(&it, 1);
	w = (int)ep.nw - 1;
	NTB_TEST_ASSERT(ep.w[w].bar == 4 && ep.w[w].off == 3 * 4 &&
			ep.w[w].val == 0xD003, "slot 3");
	NTB_TEST_ASSERT(ntb_intr_rx_fd(&it, 1) == msi_fds[3], "rx fd");
	fd_fire(msi_fds[3]);
	NTB_TEST_ASSERT(rc.nd.ops->db_read(&rc.nd) == 0x2, "db bit 1");
	fd_fire(msi_fds[3]);
	ntb_intr_rx_ack(&it, 1);
	NTB_TEST_ASSERT(fd_empty(msi_fds[3]), "drained");
	NTB_TEST_ASSERT(rc.nd.ops->db_read(&rc.nd) == 0, "bit cleared");
	ntb_intr_destroy(&it);

	/* poll: nothing */
	NTB_TEST_ASSERT(ntb_intr_create(&it, &rc.nd, NTB_INTR_POLL, false,
					NULL, 4) == 0, "poll");
	w = (int)ep.nw;
	ntb_intr_kick(&it, 0);
	NTB_TEST_ASSERT((int)ep.nw == w && ntb_intr_rx_fd(&it, 0) == -1, "poll idle");
	ntb_intr_destroy(&it);
	rc_down();
	return 0;
}

static int
test_ep_dw_edma(void)
{
	static uint8_t regs[0x2000] __rte_aligned(4096);
	struct edma_page e = { .bar = { .va = regs, .len = sizeof(regs),
					.trap = edma_trap } };
	struct ntb_intr_res res = {
		.edma_regs = &e.bar,
		.edma_regs_iova = 0xE65D5800,	/* page 0xE65D5000 + 0x800 */
		.intr_mw = 1,
	};
	struct ntb_intr_desc d;
	struct rec_dev r;
	struct ntb_intr it;
	int irq = eventfd(0, 0);

	e.bar.trap_ctx = &e;
	res.edma_irq_fd = irq;
	rec_init(&r, 4);
	NTB_TEST_ASSERT(ntb_intr_create(&it, &r.nd, NTB_INTR_AUTO, true, &res,
					4) == 0 && it.mode == NTB_INTR_DW_EDMA,
			"auto with eDMA: dw_edma");
	NTB_TEST_ASSERT(r.nset == 1 && r.set_idx == 1 &&
			r.set_addr == 0xE65D5000 && r.set_size == 0x8000,
			"MW2 -> eDMA page: idx %u addr %#" PRIx64, r.set_idx,
			(uint64_t)r.set_addr);
	ntb_intr_local_desc(&it, 0, &d);
	NTB_TEST_ASSERT(d.addr_offset == 0x800 + DW_EDMA_V0_RD_INT_STATUS &&
			d.data == 0, "desc %#x/%#x", d.addr_offset, d.data);
	ntb_intr_local_desc(&it, 3, &d);
	NTB_TEST_ASSERT(d.addr_offset == 0x8A0, "same target for every QP");
	NTB_TEST_ASSERT(it.rx_fd_shared && ntb_intr_rx_fd(&it, 0) == irq &&
			ntb_intr_rx_fd(&it, 3) == irq, "shared IRQ fd");

	fd_fire(irq);
	ntb_intr_rx_ack(&it, 2);
	NTB_TEST_ASSERT(fd_empty(irq), "IRQ fd drained (and made non-blocking)");
	NTB_TEST_ASSERT(e.n == 2 && e.off[0] == DW_EDMA_V0_WR_INT_CLEAR &&
			e.val[0] == 0 && e.off[1] == DW_EDMA_V0_RD_INT_CLEAR &&
			e.val[1] == 0, "de-assert: 0 to both int_clear (%u writes)", e.n);

	/* read channel 1 is delegated to the RC (masked): its ABORT stays */
	*(uint32_t *)(regs + DW_EDMA_V0_RD_INT_STATUS) =
		DW_EDMA_V0_INT_DONE(0) | DW_EDMA_V0_INT_ABORT(1);
	*(uint32_t *)(regs + DW_EDMA_V0_RD_INT_MASK) =
		DW_EDMA_V0_INT_DONE(1) | DW_EDMA_V0_INT_ABORT(1);
	e.n = 0;
	fd_fire(irq);
	ntb_intr_rx_ack(&it, 2);
	NTB_TEST_ASSERT(e.n == 3 && e.off[0] == DW_EDMA_V0_RD_INT_CLEAR &&
			e.val[0] == DW_EDMA_V0_INT_DONE(0),
			"only the EP's own bits cleared (%u writes, %#" PRIx64 ")",
			e.n, e.val[0]);
	*(uint32_t *)(regs + DW_EDMA_V0_RD_INT_STATUS) = 0;
	*(uint32_t *)(regs + DW_EDMA_V0_RD_INT_MASK) = 0;

	ntb_intr_kick(&it, 2);
	NTB_TEST_ASSERT(r.db_rung == 0x4, "EP kicks RC with doorbell bit 2");
	ntb_intr_destroy(&it);
	NTB_TEST_ASSERT(r.nclear == 1 && r.clear_idx == 1, "window torn down");

	/* the target does not fit the window: explicit fails, auto falls back */
	r.size_max = 0x80;
	res.edma_regs_iova = 0xE65D5000;
	NTB_TEST_ASSERT(ntb_intr_create(&it, &r.nd, NTB_INTR_DW_EDMA, true,
					&res, 4) == -EINVAL, "explicit, small MW");
	NTB_TEST_ASSERT(ntb_intr_create(&it, &r.nd, NTB_INTR_AUTO, true, &res,
					4) == 0 && it.mode == NTB_INTR_DOORBELL,
			"auto falls back to doorbell");
	ntb_intr_destroy(&it);

	/* doorbell backend on the EP: slot eventfds */
	NTB_TEST_ASSERT(ntb_intr_create(&it, &r.nd, NTB_INTR_DOORBELL, true,
					NULL, 4) == 0, "doorbell");
	fd_fire(r.nd.db_fd[2]);
	ntb_intr_rx_ack(&it, 2);
	NTB_TEST_ASSERT(fd_empty(r.nd.db_fd[2]) && r.db_cleared == 0x4,
			"slot fd drained, bit cleared");
	ntb_intr_destroy(&it);

	/* no doorbell eventfd counts: auto on an EP without anything */
	NTB_TEST_ASSERT(ntb_intr_create(&it, &r.nd, NTB_INTR_AUTO, true, NULL,
					5) == 0 && it.mode == NTB_INTR_POLL,
			"5 QPs > 4 doorbells: poll");
	ntb_intr_destroy(&it);
	rec_fini(&r);
	close(irq);
	return 0;
}

static int
test_ep_msi(void)
{
	static uint8_t page[4096] __rte_aligned(4096);
	struct ntb_bar pb = { .va = page, .len = sizeof(page) };
	int fds[4];
	struct ntb_intr_res res = {
		.edma_irq_fd = -1,
		.msi_page = &pb,
		.msi_page_iova = 0x40000040,
		.msi_nb_vectors = 4,
		.msi_fds = fds,
		.intr_mw = 0,
	};
	struct ntb_intr_desc d;
	struct rec_dev r;
	struct ntb_intr it;
	unsigned int q;

	for (q = 0; q < 4; q++)
		fds[q] = eventfd(0, EFD_NONBLOCK);
	rec_init(&r, 4);
	/* QP q owns vector q + 1: 4 vectors carry 3 QPs */
	NTB_TEST_ASSERT(ntb_intr_create(&it, &r.nd, NTB_INTR_AUTO, true, &res,
					3) == 0 && it.mode == NTB_INTR_MSI,
			"auto with MSI page: msi");
	NTB_TEST_ASSERT(r.set_idx == 0 && r.set_addr == 0x40000000, "MW1 -> page");
	for (q = 0; q < 3; q++) {
		ntb_intr_local_desc(&it, q, &d);
		NTB_TEST_ASSERT(d.addr_offset == 0x40 + 4 * (q + 1) &&
				d.data == q + 1,
				"qp %u desc %#x/%u", q, d.addr_offset, d.data);
		NTB_TEST_ASSERT(ntb_intr_rx_fd(&it, q) == fds[q + 1],
				"own vector");
	}
	fd_fire(fds[1]);
	fd_fire(fds[2]);
	ntb_intr_rx_ack(&it, 0);
	NTB_TEST_ASSERT(fd_empty(fds[1]), "qp0 drained");
	NTB_TEST_ASSERT(!fd_empty(fds[2]), "qp1 untouched");
	NTB_TEST_ASSERT(it.stats.msi == 1 && it.stats.spurious == 0,
			"counted as msi: %lu", (unsigned long)it.stats.msi);
	ntb_intr_rx_ack(&it, 0);
	NTB_TEST_ASSERT(it.stats.spurious == 1, "nothing pending: spurious");
	ntb_intr_destroy(&it);
	/* a page-aligned target: QP 0's descriptor must not read as "none" */
	res.msi_page_iova = 0x40000000;
	NTB_TEST_ASSERT(ntb_intr_create(&it, &r.nd, NTB_INTR_MSI, true, &res,
					1) == 0, "aligned page");
	ntb_intr_local_desc(&it, 0, &d);
	NTB_TEST_ASSERT(d.addr_offset != 0 || d.data != 0,
			"qp 0 descriptor {0, 0} reads as zeroed spads");
	ntb_intr_destroy(&it);
	/* more QPs than vectors: no msi */
	NTB_TEST_ASSERT(ntb_intr_create(&it, &r.nd, NTB_INTR_MSI, true, &res,
					4) == -EINVAL, "4 QPs, 4 vectors");
	rec_fini(&r);
	for (q = 0; q < 4; q++)
		close(fds[q]);
	return 0;
}

/* --- delivery: which fd each queue gets, what the control thread does --- */

struct watch_log {
	int fd[8];
	unsigned int n;		/* watched now */
	unsigned int added;	/* watch calls */
};

static int
log_watch(void *arg, int fd)
{
	struct watch_log *w = arg;

	if (w->n < RTE_DIM(w->fd))
		w->fd[w->n++] = fd;
	w->added++;
	return 0;
}

static void
log_unwatch(void *arg, int fd)
{
	struct watch_log *w = arg;
	unsigned int i;

	for (i = 0; i < w->n; i++) {
		if (w->fd[i] == fd) {
			w->fd[i] = w->fd[--w->n];
			return;
		}
	}
}

static bool
watched(const struct watch_log *w, int fd)
{
	unsigned int i;

	for (i = 0; i < w->n; i++)
		if (w->fd[i] == fd)
			return true;
	return false;
}

static int
test_deliver_paths(void)
{
	static uint8_t regs[0x2000] __rte_aligned(4096);
	struct edma_page e = { .bar = { .va = regs, .len = sizeof(regs),
					.trap = edma_trap } };
	struct ntb_intr_res res = {
		.edma_regs = &e.bar,
		.edma_regs_iova = 0xE65D5000,
		.intr_mw = 1,
	};
	struct watch_log wl = { .n = 0 };
	const struct ntb_intr_watch w = {
		.watch = log_watch, .unwatch = log_unwatch, .arg = &wl,
	};
	struct ntb_intr_deliver dl;
	uint64_t rx, wk, wk0;
	struct rec_dev r;
	struct ntb_intr it;
	int irq = eventfd(0, 0);
	int f0, f1;

	e.bar.trap_ctx = &e;
	res.edma_irq_fd = irq;
	rec_init(&r, 4);
	ntb_intr_deliver_init(&dl);
	NTB_TEST_ASSERT(ntb_intr_create(&it, &r.nd, NTB_INTR_DW_EDMA, true,
					&res, 4) == 0, "dw_edma EP");

	/* two queues on the shared eDMA IRQ: fan-out */
	NTB_TEST_ASSERT(ntb_intr_deliver_start(&dl, &it, 2, &w) == 0, "start 2");
	f0 = ntb_intr_deliver_fd(&dl, 0);
	f1 = ntb_intr_deliver_fd(&dl, 1);
	NTB_TEST_ASSERT(f0 >= 0 && f1 >= 0 && f0 != irq && f1 != irq &&
			f0 != f1 && !ntb_intr_deliver_direct(&dl, 0),
			"private eventfds (%d %d, irq %d)", f0, f1, irq);
	NTB_TEST_ASSERT(wl.n == 3 && watched(&wl, irq) &&
			watched(&wl, r.nd.db_fd[0]) &&
			watched(&wl, r.nd.db_fd[1]),
			"control thread on the IRQ and both fall-back slots (%u)",
			wl.n);
	fd_fire(irq);
	NTB_TEST_ASSERT(ntb_intr_deliver_event(&dl, irq), "IRQ handled");
	NTB_TEST_ASSERT(fd_empty(irq) && fd_empty(f0) && fd_empty(f1) &&
			it.stats.dw_edma == 1,
			"acked once, nobody armed: no wake-up");
	NTB_TEST_ASSERT(ntb_intr_deliver_enable(&dl, 1) == 0, "arm q1");
	fd_fire(irq);
	NTB_TEST_ASSERT(ntb_intr_deliver_event(&dl, irq), "IRQ handled");
	NTB_TEST_ASSERT(fd_empty(f0) && !fd_empty(f1), "only armed q1 woken");
	ntb_intr_deliver_counts(&dl, 1, &rx, &wk);
	NTB_TEST_ASSERT(rx == 2 && wk == 1, "q1: rx %lu wakeups %lu",
			(unsigned long)rx, (unsigned long)wk);
	/* the RC's fall-back doorbell for q0 wakes q0 once it is armed */
	NTB_TEST_ASSERT(ntb_intr_deliver_enable(&dl, 0) == 0, "arm q0");
	fd_fire(r.nd.db_fd[0]);
	NTB_TEST_ASSERT(ntb_intr_deliver_event(&dl, r.nd.db_fd[0]) &&
			!fd_empty(f0) && it.stats.doorbell == 1 &&
			(r.db_cleared & 0x1), "fall-back doorbell acked, q0 woken");
	NTB_TEST_ASSERT(!ntb_intr_deliver_event(&dl, r.nd.link_fd) &&
			!ntb_intr_deliver_event(&dl, 12345), "not ours");
	ntb_intr_deliver_stop(&dl);
	NTB_TEST_ASSERT(wl.n == 0, "all unwatched (%u left)", wl.n);
	fd_fire(irq);
	NTB_TEST_ASSERT(!ntb_intr_deliver_event(&dl, irq) &&
			ntb_intr_deliver_fd(&dl, 0) == -ENOTSUP,
			"stopped: no fan-out, no fd");
	(void)fd_empty(irq);	/* drain */

	/* one queue: direct on the IRQ, re-armed by enable */
	e.n = 0;
	fd_fire(irq);
	NTB_TEST_ASSERT(ntb_intr_deliver_start(&dl, &it, 1, &w) == 0, "start 1");
	NTB_TEST_ASSERT(ntb_intr_deliver_fd(&dl, 0) == irq &&
			ntb_intr_deliver_direct(&dl, 0), "direct on the IRQ");
	NTB_TEST_ASSERT(fd_empty(irq) && e.n == 2 &&
			e.off[0] == DW_EDMA_V0_WR_INT_CLEAR &&
			e.off[1] == DW_EDMA_V0_RD_INT_CLEAR,
			"start drained and de-asserted a left-over IRQ (%u writes)",
			e.n);
	NTB_TEST_ASSERT(wl.n == 1 && watched(&wl, r.nd.db_fd[0]),
			"control thread only on the fall-back slot");
	fd_fire(irq);
	e.n = 0;
	ntb_intr_deliver_counts(&dl, 0, &rx, &wk0);
	NTB_TEST_ASSERT(ntb_intr_deliver_enable(&dl, 0) == 0 && fd_empty(irq) &&
			e.n == 2, "enable re-arms: drain, de-assert");
	NTB_TEST_ASSERT(it.stats.dw_edma == 2 && it.stats.spurious == 0,
			"the re-arm's drain is not counted");
	NTB_TEST_ASSERT(ntb_intr_deliver_disable(&dl, 0) == 0, "disarm");
	ntb_intr_deliver_counts(&dl, 0, &rx, &wk);
	NTB_TEST_ASSERT(wk == wk0 + 1,
			"direct: armed period counted at disable (%lu -> %lu)",
			(unsigned long)wk0, (unsigned long)wk);
	ntb_intr_deliver_stop(&dl);
	NTB_TEST_ASSERT(fcntl(irq, F_GETFD) >= 0, "a direct fd stays open");
	ntb_intr_destroy(&it);

	/* poll: no fd */
	NTB_TEST_ASSERT(ntb_intr_create(&it, &r.nd, NTB_INTR_POLL, true, NULL,
					4) == 0, "poll");
	NTB_TEST_ASSERT(ntb_intr_deliver_start(&dl, &it, 2, &w) == 0 &&
			ntb_intr_deliver_fd(&dl, 0) == -ENOTSUP &&
			ntb_intr_deliver_enable(&dl, 0) == -ENOTSUP && wl.n == 0,
			"poll: nothing handed out or watched");
	ntb_intr_deliver_stop(&dl);
	ntb_intr_destroy(&it);
	rec_fini(&r);
	close(irq);
	return 0;
}

int
main(void)
{
	NTB_TEST_RUN(test_mode_names);
	NTB_TEST_RUN(test_rc_dw_edma_kick);
	NTB_TEST_RUN(test_rc_desc_fallback);
	NTB_TEST_RUN(test_rc_auto_and_doorbell);
	NTB_TEST_RUN(test_ep_dw_edma);
	NTB_TEST_RUN(test_ep_msi);
	NTB_TEST_RUN(test_deliver_paths);
	return ntb_test_done();
}
