/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * DW eDMA v0 engine model; see dw_edma_v0_model.h. Register values are
 * little-endian memory; the engine reads them with rte_read32 since the
 * peer process may be writing them.
 */

#include <sched.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_io.h>
#include <rte_pause.h>
#include <rte_byteorder.h>

#include "dw_edma_v0_model.h"

enum dir { DIR_WR = 0, DIR_RD = 1 };

static uint32_t
reg_rd(const struct dw_edma_model *m, size_t off)
{
	return rte_le_to_cpu_32(rte_read32(m->regs + off));
}

static void
reg_wr(const struct dw_edma_model *m, size_t off, uint32_t v)
{
	rte_write32(rte_cpu_to_le_32(v), m->regs + off);
}

static uint64_t
reg_rd64(const struct dw_edma_model *m, size_t lo)
{
	return (uint64_t)reg_rd(m, lo + 4) << 32 | reg_rd(m, lo);
}

void
dw_edma_model_reset(struct dw_edma_model *m)
{
	memset(m->regs, 0, DW_EDMA_V0_REG_SIZE);
	memset(m->sh, 0, sizeof(*m->sh));
	rte_spinlock_init(&m->sh->lock);
	reg_wr(m, DW_EDMA_V0_CTRL, DW_EDMA_V0_MAX_CH |
	       DW_EDMA_V0_MAX_CH << 16);
}

/* Recompute the IRQ line; lock held. Fires the callback on a rising edge. */
static void
update_line(struct dw_edma_model *m)
{
	struct dw_edma_model_shared *sh = m->sh;
	uint32_t wr = reg_rd(m, DW_EDMA_V0_WR_INT_STATUS) & sh->wr_lie &
		~reg_rd(m, DW_EDMA_V0_WR_INT_MASK);
	uint32_t rd = reg_rd(m, DW_EDMA_V0_RD_INT_STATUS) & sh->rd_lie &
		~reg_rd(m, DW_EDMA_V0_RD_INT_MASK);
	uint32_t level = sh->emul_asserted || wr != 0 || rd != 0;

	if (level && !sh->line) {
		sh->nb_irq++;
		__atomic_store_n(&sh->line, 1, __ATOMIC_RELEASE);
		m->ops->irq(m->ctx);
	} else if (!level) {
		__atomic_store_n(&sh->line, 0, __ATOMIC_RELEASE);
	}
}

/* DONE or ABORT of channel ch: status bit, local irq, IMWr. Lock held. */
static void
signal_event(struct dw_edma_model *m, enum dir d, unsigned int ch,
	     bool abort, uint32_t control)
{
	size_t st = d == DIR_WR ? DW_EDMA_V0_WR_INT_STATUS :
		DW_EDMA_V0_RD_INT_STATUS;
	size_t imwr = d == DIR_WR ?
		(abort ? DW_EDMA_V0_WR_ABORT_IMWR_LO :
			 DW_EDMA_V0_WR_DONE_IMWR_LO) :
		(abort ? DW_EDMA_V0_RD_ABORT_IMWR_LO :
			 DW_EDMA_V0_RD_DONE_IMWR_LO);
	size_t data_reg = d == DIR_WR ? DW_EDMA_V0_WR_CH_IMWR_DATA(ch) :
		DW_EDMA_V0_RD_CH_IMWR_DATA(ch);
	size_t mask_reg = d == DIR_WR ? DW_EDMA_V0_WR_INT_MASK :
		DW_EDMA_V0_RD_INT_MASK;
	uint32_t bit = abort ? DW_EDMA_V0_INT_ABORT(ch) :
		DW_EDMA_V0_INT_DONE(ch);
	uint32_t *lie = d == DIR_WR ? &m->sh->wr_lie : &m->sh->rd_lie;

	reg_wr(m, st, reg_rd(m, st) | bit);
	/* an abort is always reported locally; DONE only with LIE */
	if (abort || (control & DW_EDMA_V0_LIE))
		*lie |= bit;
	if ((control & DW_EDMA_V0_RIE) && !(reg_rd(m, mask_reg) & bit)) {
		uint32_t data = reg_rd(m, data_reg) >> (16 * (ch & 1));

		m->sh->nb_imwr++;
		m->ops->imwr(m->ctx, reg_rd64(m, imwr), data & 0xFFFF);
	}
	update_line(m);
}

/* One data transfer; false on an address that reaches no memory. */
static bool
copy_data(struct dw_edma_model *m, enum dir d, uint32_t size, uint64_t sar,
	  uint64_t dar)
{
	void *src, *dst;

	if (size == 0)
		return true;
	if (unlikely(m->fail_count != 0)) {
		if (m->fail_skip != 0) {
			m->fail_skip--;
		} else {
			m->fail_count--;
			return false;
		}
	}
	if (d == DIR_WR) {
		src = m->ops->ep_va(m->ctx, sar, size);
		dst = m->ops->rc_va(m->ctx, dar, size);
	} else {
		src = m->ops->rc_va(m->ctx, sar, size);
		dst = m->ops->ep_va(m->ctx, dar, size);
	}
	if (src == NULL || dst == NULL)
		return false;
	memmove(dst, src, size);
	m->sh->nb_xfer++;
	return true;
}

static void
set_cs(struct dw_edma_model *m, size_t base, uint32_t ctrl1, uint32_t cs)
{
	ctrl1 = (ctrl1 & ~DW_EDMA_V0_CS_MASK) | cs << DW_EDMA_V0_CS_SHIFT;
	reg_wr(m, base + DW_EDMA_V0_CH_CONTROL1, ctrl1);
}

/* Single-block mode (LLE clear): the channel registers are the element. */
static void
run_single(struct dw_edma_model *m, enum dir d, unsigned int ch, size_t base,
	   uint32_t ctrl1)
{
	bool ok = copy_data(m, d, reg_rd(m, base + DW_EDMA_V0_CH_TRANSFER_SIZE),
			    reg_rd64(m, base + DW_EDMA_V0_CH_SAR_LO),
			    reg_rd64(m, base + DW_EDMA_V0_CH_DAR_LO));

	if (ok)
		reg_wr(m, base + DW_EDMA_V0_CH_TRANSFER_SIZE, 0);
	else
		m->sh->nb_abort++;
	set_cs(m, base, ctrl1, ok ? DW_EDMA_V0_CS_STOPPED :
	       DW_EDMA_V0_CS_HALTED);
	signal_event(m, d, ch, !ok, ctrl1);
}

/*
 * Linked-list mode: consume elements from LLP while their CB matches the
 * consumer cycle state; a link element jumps (and toggles CCS with TCB).
 * The channel stops at the first element it does not own; LLP and CCS
 * are left where it stopped so the next doorbell continues there.
 */
static void
run_ll(struct dw_edma_model *m, enum dir d, unsigned int ch, size_t base,
       uint32_t ctrl1)
{
	uint64_t llp = reg_rd64(m, base + DW_EDMA_V0_CH_LLP_LO);
	uint32_t ccs = (ctrl1 & DW_EDMA_V0_CCS) ? 1 : 0;
	bool abort = true;
	uint32_t ctl = 0;
	unsigned int n;

	set_cs(m, base, ctrl1, DW_EDMA_V0_CS_RUNNING);
	for (n = 0; n < DW_EDMA_MODEL_MAX_ELEMS; n++) {
		const uint8_t *e = m->ops->ep_va(m->ctx, llp,
						 DW_EDMA_V0_LL_ELEM_SIZE);
		struct dw_edma_v0_lli lli;

		if (e == NULL)
			break;			/* abort: LLP unmapped */
		memcpy(&lli, e, sizeof(lli));
		ctl = rte_le_to_cpu_32(lli.control);
		if ((ctl & DW_EDMA_V0_CB) != ccs) {
			abort = false;		/* end of the producer's list */
			break;
		}
		if (ctl & DW_EDMA_V0_LLP) {
			struct dw_edma_v0_llp lnk;

			memcpy(&lnk, e, sizeof(lnk));
			llp = rte_le_to_cpu_64(lnk.llp);
			if (ctl & DW_EDMA_V0_TCB)
				ccs ^= 1;
			continue;
		}
		if (!copy_data(m, d, rte_le_to_cpu_32(lli.transfer_size),
			       rte_le_to_cpu_64(lli.sar),
			       rte_le_to_cpu_64(lli.dar)))
			break;
		llp += DW_EDMA_V0_LL_ELEM_SIZE;
		if (ctl & (DW_EDMA_V0_LIE | DW_EDMA_V0_RIE))
			signal_event(m, d, ch, false, ctl);
	}
	reg_wr(m, base + DW_EDMA_V0_CH_LLP_LO, (uint32_t)llp);
	reg_wr(m, base + DW_EDMA_V0_CH_LLP_HI, (uint32_t)(llp >> 32));
	ctrl1 = reg_rd(m, base + DW_EDMA_V0_CH_CONTROL1);
	ctrl1 = ccs ? (ctrl1 | DW_EDMA_V0_CCS) : (ctrl1 & ~DW_EDMA_V0_CCS);
	set_cs(m, base, ctrl1, abort ? DW_EDMA_V0_CS_HALTED :
	       DW_EDMA_V0_CS_STOPPED);
	if (abort) {
		m->sh->nb_abort++;
		signal_event(m, d, ch, true, ctl);
	}
}

static void
run_channel(struct dw_edma_model *m, enum dir d, uint32_t db)
{
	unsigned int ch = db & 0x7;
	size_t base = d == DIR_WR ? DW_EDMA_V0_WR_CH_BASE(ch) :
		DW_EDMA_V0_RD_CH_BASE(ch);
	size_t en = d == DIR_WR ? DW_EDMA_V0_WR_ENGINE_EN :
		DW_EDMA_V0_RD_ENGINE_EN;
	uint32_t ctrl1;

	/* a disabled engine ignores doorbells, as the hardware does */
	if (!(reg_rd(m, en) & 1) || (db & RTE_BIT32(31)))
		return;
	ctrl1 = reg_rd(m, base + DW_EDMA_V0_CH_CONTROL1);
	if (ctrl1 & DW_EDMA_V0_LLE)
		run_ll(m, d, ch, base, ctrl1);
	else
		run_single(m, d, ch, base, ctrl1);
}

/*
 * The register file is shared by the EP and RC processes. Its holder may
 * be an unpinned control thread that the scheduler preempts in favour of
 * a pinned lcore on the same CPU which then wants the lock: a plain spin
 * would burn that lcore's whole time slice (milliseconds) before the
 * holder runs again. Spin briefly, then yield the CPU. The lock is in
 * memory the peer writes: give up after DW_EDMA_MODEL_LOCK_TIMEOUT_US
 * (while it stays stuck, after DW_EDMA_MODEL_LOCK_STUCK_US) and count it.
 */
static bool
model_lock(struct dw_edma_model *m)
{
	struct dw_edma_model_shared *sh = m->sh;
	uint64_t deadline = 0;
	unsigned int spins = 0;

	while (!rte_spinlock_trylock(&sh->lock)) {
		if (++spins < 64) {
			rte_pause();
			continue;
		}
		spins = 0;
		if (deadline == 0)
			deadline = rte_get_timer_cycles() + rte_get_timer_hz() *
				(__atomic_load_n(&m->lock_stuck,
						 __ATOMIC_RELAXED) ?
				 DW_EDMA_MODEL_LOCK_STUCK_US :
				 DW_EDMA_MODEL_LOCK_TIMEOUT_US) / 1000000;
		else if (rte_get_timer_cycles() > deadline)
			goto give_up;
		sched_yield();
	}
	__atomic_store_n(&m->lock_stuck, false, __ATOMIC_RELAXED);
	return true;
give_up:
	__atomic_store_n(&m->lock_stuck, true, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->lock_timeouts, 1, __ATOMIC_RELAXED);
	return false;
}

static void
model_unlock(struct dw_edma_model *m)
{
	rte_spinlock_unlock(&m->sh->lock);
}

uint64_t
dw_edma_model_lock_timeouts(const struct dw_edma_model *m)
{
	return __atomic_load_n(&m->lock_timeouts, __ATOMIC_RELAXED);
}

static bool
is_irq_reg(size_t reg)
{
	return reg == DW_EDMA_V0_WR_INT_STATUS ||
		reg == DW_EDMA_V0_RD_INT_STATUS ||
		reg == DW_EDMA_V0_WR_INT_CLEAR ||
		reg == DW_EDMA_V0_RD_INT_CLEAR;
}

static bool
write32(struct dw_edma_model *m, size_t reg, uint32_t v)
{
	struct dw_edma_model_shared *sh = m->sh;

	switch (reg) {
	case DW_EDMA_V0_WR_INT_STATUS:
	case DW_EDMA_V0_RD_INT_STATUS:
		/* interrupt emulation: raise the line, status unchanged */
		if (!model_lock(m))
			return true;	/* dropped, counted */
		sh->nb_emul++;
		sh->emul_asserted = 1;
		update_line(m);
		model_unlock(m);
		return true;
	case DW_EDMA_V0_WR_INT_CLEAR:
	case DW_EDMA_V0_RD_INT_CLEAR: {
		size_t st = reg == DW_EDMA_V0_WR_INT_CLEAR ?
			DW_EDMA_V0_WR_INT_STATUS : DW_EDMA_V0_RD_INT_STATUS;
		uint32_t *lie = reg == DW_EDMA_V0_WR_INT_CLEAR ?
			&sh->wr_lie : &sh->rd_lie;

		if (!model_lock(m))
			return true;
		if (v == 0)
			sh->emul_asserted = 0;
		reg_wr(m, st, reg_rd(m, st) & ~(v & DW_EDMA_V0_INT_ALL));
		*lie &= ~v;
		update_line(m);
		model_unlock(m);
		return true;	/* clear registers read as 0 */
	}
	case DW_EDMA_V0_WR_DOORBELL:
	case DW_EDMA_V0_RD_DOORBELL:
		if (!model_lock(m))
			return true;
		reg_wr(m, reg, v);
		run_channel(m, reg == DW_EDMA_V0_WR_DOORBELL ? DIR_WR : DIR_RD,
			    v);
		model_unlock(m);
		return true;
	default:
		return false;
	}
}

/* RC side: post a doorbell (no lock: the EP's engine takes it). */
static bool
remote_write32(struct dw_edma_model *m, size_t reg, uint32_t v, bool *kick)
{
	uint32_t *posted;

	if (is_irq_reg(reg))
		return write32(m, reg, v);
	if (reg != DW_EDMA_V0_WR_DOORBELL && reg != DW_EDMA_V0_RD_DOORBELL)
		return false;
	posted = reg == DW_EDMA_V0_WR_DOORBELL ? &m->sh->wr_posted :
		&m->sh->rd_posted;
	/* a stop request (bit 31) is not modelled: nothing runs */
	if (!(v & RTE_BIT32(31))) {
		__atomic_fetch_or(posted, RTE_BIT32(v & 0x7), __ATOMIC_RELEASE);
		*kick = true;
	}
	return true;
}

bool
dw_edma_model_remote_write(struct dw_edma_model *m, size_t reg, uint64_t val,
			   unsigned int width, bool *kick)
{
	bool lo, hi;

	*kick = false;
	if (reg >= DW_EDMA_V0_REG_SIZE || (reg & 3) != 0)
		return false;
	if (width == 4)
		return remote_write32(m, reg, (uint32_t)val, kick);
	if (width != 8 || reg + 8 > DW_EDMA_V0_REG_SIZE)
		return false;
	lo = remote_write32(m, reg, (uint32_t)val, kick);
	if (!lo)
		reg_wr(m, reg, (uint32_t)val);
	hi = remote_write32(m, reg + 4, (uint32_t)(val >> 32), kick);
	if (!hi)
		reg_wr(m, reg + 4, (uint32_t)(val >> 32));
	return true;
}

unsigned int
dw_edma_model_run_posted(struct dw_edma_model *m)
{
	static const size_t db_reg[2] = { DW_EDMA_V0_WR_DOORBELL,
					  DW_EDMA_V0_RD_DOORBELL };
	uint32_t *posted[2] = { &m->sh->wr_posted, &m->sh->rd_posted };
	unsigned int d, ch, n = 0;

	for (d = DIR_WR; d <= DIR_RD; d++) {
		/* peer-written: only the 8 channel bits mean anything */
		uint32_t bits = __atomic_exchange_n(posted[d], 0,
						    __ATOMIC_ACQUIRE) & 0xFF;

		for (ch = 0; ch < DW_EDMA_V0_MAX_CH; ch++) {
			if (!(bits & RTE_BIT32(ch)))
				continue;
			write32(m, db_reg[d], ch);
			n++;
		}
	}
	return n;
}

bool
dw_edma_model_write(struct dw_edma_model *m, size_t reg, uint64_t val,
		    unsigned int width)
{
	bool lo, hi;

	if (reg >= DW_EDMA_V0_REG_SIZE || (reg & 3) != 0)
		return false;
	if (width == 4)
		return write32(m, reg, (uint32_t)val);
	if (width != 8 || reg + 8 > DW_EDMA_V0_REG_SIZE)
		return false;
	/* a 64-bit store is two register writes, low address first */
	lo = write32(m, reg, (uint32_t)val);
	if (!lo)
		reg_wr(m, reg, (uint32_t)val);
	hi = write32(m, reg + 4, (uint32_t)(val >> 32));
	if (!hi)
		reg_wr(m, reg + 4, (uint32_t)(val >> 32));
	return true;
}
