/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef FAKE_NTB_H
#define FAKE_NTB_H

/*
 * A loopback pair of struct ntb_dev in one process, for the transport
 * tests. Side k's peer spads are side !k's spads. Each side's outbound
 * window i is a reserved VA range (with guard pages around it) onto
 * which the other side's mw_set_trans maps, with the EAL memfd, the
 * very pages of the receive buffer it names by IOVA: a store through
 * the window lands in the peer's buffer as it would across PCIe. Before
 * mw_set_trans and after mw_clear_trans the window is a private sink
 * (writes go nowhere, as on hardware). The NTB link is up while both
 * sides have it enabled. A trivial poll-mode struct ntb_intr counts
 * kicks and records the peer descriptors it was given.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_memory.h>

#include "ntb_dev.h"
#include "ntb_intr_backend.h"

#define FAKE_SPADS	16
#define FAKE_MAX_QP	8

struct fake_pair;

struct fake_side {
	struct ntb_dev nd;
	struct fake_pair *pair;
	int idx;
	bool enabled;
	uint32_t spad[FAKE_SPADS];
	uint64_t db;
	uint8_t *win_res[NTB_MAX_MW];	/* reservation incl. guards */
	uint8_t *win_va[NTB_MAX_MW];
	size_t win_len;
	bool trans_set[NTB_MAX_MW];
	uint64_t trans_size[NTB_MAX_MW];
	unsigned int set_trans_calls;
	unsigned int clear_trans_calls;
	bool window_fails;		/* peer_mw_get_bar returns an error */
	/* called after each peer_spad_read of this side (a peer that
	 * rewrites its spads while we read them)
	 */
	void (*on_peer_spad_read)(struct fake_side *s, unsigned int idx);
	unsigned int peer_spad_reads;
	unsigned int spad_writes;	/* own spads written */
};

struct fake_pair {
	struct fake_side s[2];
};

static inline struct fake_side *
fake_of(struct ntb_dev *nd)
{
	return nd->priv;
}

static inline struct fake_side *
fake_peer(struct ntb_dev *nd)
{
	struct fake_side *s = fake_of(nd);

	return &s->pair->s[!s->idx];
}

static inline size_t
fake_pg(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static inline int
fake_sink(uint8_t *va, size_t len)
{
	void *p = mmap(va, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	return p == MAP_FAILED ? -errno : 0;
}

static int
fake_link_enable(struct ntb_dev *nd)
{
	fake_of(nd)->enabled = true;
	return 0;
}

static int
fake_link_disable(struct ntb_dev *nd)
{
	fake_of(nd)->enabled = false;
	return 0;
}

static bool
fake_link_is_up(struct ntb_dev *nd)
{
	return fake_of(nd)->enabled && fake_peer(nd)->enabled;
}

static int
fake_mw_get_align(struct ntb_dev *nd, unsigned int idx, uint64_t *addr_align,
		  uint64_t *size_max)
{
	if (idx >= nd->mw_count)
		return -EINVAL;
	*addr_align = 4096;
	*size_max = fake_of(nd)->win_len;
	return 0;
}

/* Our inbound window idx = the peer's outbound window idx. */
static int
fake_mw_set_trans(struct ntb_dev *nd, unsigned int idx, rte_iova_t iova,
		  uint64_t size)
{
	struct fake_side *p = fake_peer(nd);
	const struct rte_memseg *ms;
	size_t off, len;
	uint8_t *va;
	void *m;
	int fd;

	if (idx >= nd->mw_count || size == 0 || size > p->win_len)
		return -EINVAL;
	va = rte_mem_iova2virt(iova);
	ms = va ? rte_mem_virt2memseg(va, NULL) : NULL;
	if (ms == NULL || ((uintptr_t)va & (fake_pg() - 1)) != 0)
		return -EINVAL;
	fd = rte_memseg_get_fd_thread_unsafe(ms);
	if (fd < 0 || rte_memseg_get_fd_offset_thread_unsafe(ms, &off) < 0)
		return -ENOTSUP;
	off += (size_t)(va - (uint8_t *)ms->addr);
	len = RTE_ALIGN_CEIL(size, fake_pg());
	m = mmap(p->win_va[idx], len, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, fd, (off_t)off);
	if (m == MAP_FAILED)
		return -errno;
	fake_of(nd)->trans_set[idx] = true;
	fake_of(nd)->trans_size[idx] = size;
	fake_of(nd)->set_trans_calls++;
	return 0;
}

static int
fake_mw_clear_trans(struct ntb_dev *nd, unsigned int idx)
{
	struct fake_side *p = fake_peer(nd);

	if (idx >= nd->mw_count)
		return -EINVAL;
	fake_of(nd)->trans_set[idx] = false;
	fake_of(nd)->clear_trans_calls++;
	return fake_sink(p->win_va[idx], p->win_len);
}

static int
fake_peer_mw_get_bar(struct ntb_dev *nd, unsigned int idx,
		     struct ntb_bar *win)
{
	struct fake_side *s = fake_of(nd);

	if (idx >= nd->mw_count || s->window_fails)
		return -EINVAL;
	memset(win, 0, sizeof(*win));
	win->va = s->win_va[idx];
	win->len = s->win_len;
	return 0;
}

static uint32_t
fake_spad_read(struct ntb_dev *nd, unsigned int idx)
{
	return idx < FAKE_SPADS ? fake_of(nd)->spad[idx] : 0;
}

static int
fake_spad_write(struct ntb_dev *nd, unsigned int idx, uint32_t v)
{
	if (idx >= nd->spad_count)
		return -EINVAL;
	fake_of(nd)->spad_writes++;
	if (idx < FAKE_SPADS)	/* a test may announce more than exist */
		fake_of(nd)->spad[idx] = v;
	return 0;
}

static uint32_t
fake_peer_spad_read(struct ntb_dev *nd, unsigned int idx)
{
	struct fake_side *s = fake_of(nd);
	uint32_t v = idx < FAKE_SPADS ? fake_peer(nd)->spad[idx] : 0;

	s->peer_spad_reads++;
	if (s->on_peer_spad_read != NULL)
		s->on_peer_spad_read(s, idx);
	return v;
}

static int
fake_peer_spad_write(struct ntb_dev *nd, unsigned int idx, uint32_t v)
{
	if (idx >= nd->spad_count)
		return -EINVAL;
	if (idx < FAKE_SPADS)
		fake_peer(nd)->spad[idx] = v;
	return 0;
}

static int
fake_peer_db_set(struct ntb_dev *nd, uint64_t bits)
{
	fake_peer(nd)->db |= bits & nd->db_valid_mask;
	return 0;
}

static uint64_t
fake_db_read(struct ntb_dev *nd)
{
	return fake_of(nd)->db;
}

static void
fake_db_clear(struct ntb_dev *nd, uint64_t bits)
{
	fake_of(nd)->db &= ~bits;
}

static const struct ntb_dev_ops fake_ops = {
	.link_enable = fake_link_enable,
	.link_disable = fake_link_disable,
	.link_is_up = fake_link_is_up,
	.mw_get_align = fake_mw_get_align,
	.mw_set_trans = fake_mw_set_trans,
	.mw_clear_trans = fake_mw_clear_trans,
	.peer_mw_get_bar = fake_peer_mw_get_bar,
	.spad_read = fake_spad_read,
	.spad_write = fake_spad_write,
	.peer_spad_read = fake_peer_spad_read,
	.peer_spad_write = fake_peer_spad_write,
	.peer_db_set = fake_peer_db_set,
	.db_read = fake_db_read,
	.db_clear = fake_db_clear,
};

static inline int
fake_pair_init(struct fake_pair *p, unsigned int mw_count, size_t win_len,
	       unsigned int db_count)
{
	size_t pg = fake_pg();
	int k;
	unsigned int i;

	memset(p, 0, sizeof(*p));
	for (k = 0; k < 2; k++) {
		struct fake_side *s = &p->s[k];

		s->pair = p;
		s->idx = k;
		s->win_len = win_len;
		s->nd.ops = &fake_ops;
		s->nd.name = k == 0 ? "fakeA" : "fakeB";
		s->nd.mw_count = mw_count;
		s->nd.spad_count = FAKE_SPADS;
		s->nd.db_count = db_count;
		s->nd.db_valid_mask = RTE_LEN2MASK(db_count, uint64_t);
		s->nd.link_fd = -1;
		for (i = 0; i < NTB_MAX_DB; i++)
			s->nd.db_fd[i] = -1;
		s->nd.priv = s;
		for (i = 0; i < mw_count; i++) {
			void *r = mmap(NULL, win_len + 2 * pg, PROT_NONE,
				       MAP_PRIVATE | MAP_ANONYMOUS |
				       MAP_NORESERVE, -1, 0);

			if (r == MAP_FAILED)
				return -errno;
			s->win_res[i] = r;
			s->win_va[i] = (uint8_t *)r + pg;
			if (fake_sink(s->win_va[i], win_len) != 0)
				return -ENOMEM;
		}
	}
	return 0;
}

static inline void
fake_pair_fini(struct fake_pair *p)
{
	size_t pg = fake_pg();
	unsigned int i;
	int k;

	for (k = 0; k < 2; k++)
		for (i = 0; i < p->s[k].nd.mw_count; i++)
			if (p->s[k].win_res[i] != NULL)
				munmap(p->s[k].win_res[i],
				       p->s[k].win_len + 2 * pg);
}

/* Poll-mode interrupt backend (or dw_edma-like for descriptor tests). */
struct fake_intr {
	struct ntb_intr it;
	uint64_t kicks[FAKE_MAX_QP];
	struct ntb_intr_desc peer[FAKE_MAX_QP];
	unsigned int set_peer_calls;
	uint32_t local_base;		/* local_desc = base + qp */
	bool local_none;		/* local_desc: none (an RC backend) */
};

static void
fake_intr_local_desc(struct ntb_intr *it, uint16_t qp, struct ntb_intr_desc *d)
{
	struct fake_intr *f = (struct fake_intr *)it;

	if (it->mode == NTB_INTR_POLL || f->local_none) {
		d->addr_offset = NTB_INTR_DESC_INVALID;
		d->data = NTB_INTR_DESC_INVALID;
		return;
	}
	d->addr_offset = f->local_base + 4 * qp;
	d->data = 0xbeef0000u + qp;
}

static int
fake_intr_set_peer_desc(struct ntb_intr *it, uint16_t qp,
			const struct ntb_intr_desc *d)
{
	struct fake_intr *f = (struct fake_intr *)it;

	if (qp >= FAKE_MAX_QP)
		return -EINVAL;
	f->peer[qp] = *d;
	f->set_peer_calls++;
	return d->addr_offset == NTB_INTR_DESC_INVALID ? -EINVAL : 0;
}

static void
fake_intr_kick(struct ntb_intr *it, uint16_t qp)
{
	struct fake_intr *f = (struct fake_intr *)it;

	if (qp < FAKE_MAX_QP)
		f->kicks[qp]++;
}

static int
fake_intr_rx_fd(struct ntb_intr *it, uint16_t qp)
{
	RTE_SET_USED(it);
	RTE_SET_USED(qp);
	return -1;
}

static void
fake_intr_rx_ack(struct ntb_intr *it, uint16_t qp)
{
	RTE_SET_USED(it);
	RTE_SET_USED(qp);
}

static void
fake_intr_fini(struct ntb_intr *it)
{
	RTE_SET_USED(it);
}

static const struct ntb_intr_ops fake_intr_ops = {
	.name = "fake",
	.local_desc = fake_intr_local_desc,
	.set_peer_desc = fake_intr_set_peer_desc,
	.kick = fake_intr_kick,
	.rx_fd = fake_intr_rx_fd,
	.rx_ack = fake_intr_rx_ack,
	.fini = fake_intr_fini,
};

static inline void
fake_intr_init(struct fake_intr *f, struct ntb_dev *nd,
	       enum ntb_intr_mode mode, uint16_t nb_qp)
{
	memset(f, 0, sizeof(*f));
	f->it.ops = &fake_intr_ops;
	f->it.nd = nd;
	f->it.mode = mode;
	f->it.nb_qp = nb_qp;
	f->local_base = 0x100;
}

#endif /* FAKE_NTB_H */
