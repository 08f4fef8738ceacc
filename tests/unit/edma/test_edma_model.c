/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * DW eDMA v0 model through ntb_bar accessors with the model as trap:
 * linked-list transfers both ways, cycle bits and link elements, LIE/RIE,
 * masks, ABORT, and interrupt emulation (int_status / int_clear).
 */

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "dw_edma_v0_model.h"
#include "ntb_bar.h"
#include "ntb_test.h"

/* The model's IRQ level (its shared state, as the other process sees it). */
static bool
irq_level(const struct dw_edma_model *m)
{
	return __atomic_load_n(&m->sh->line, __ATOMIC_ACQUIRE) != 0;
}

#define EP_BASE	0x10000000ull
#define RC_BASE	0x20000000ull
#define MEM_SZ	0x10000
#define MSI_ADDR 0xFEE00000ull

static uint8_t ep_mem[MEM_SZ], rc_mem[MEM_SZ], regs[DW_EDMA_V0_REG_SIZE];
static struct dw_edma_model_shared sh;
static int irq_fd;
static unsigned int imwr_count;
static uint32_t imwr_data;

static void *
va(uint8_t *mem, uint64_t base, uint64_t iova, size_t len)
{
	if (iova < base || iova - base > MEM_SZ || len > MEM_SZ - (iova - base))
		return NULL;
	return mem + (iova - base);
}

static void *
ep_va(void *ctx, uint64_t iova, size_t len)
{
	(void)ctx;
	return va(ep_mem, EP_BASE, iova, len);
}

static void *
rc_va(void *ctx, uint64_t iova, size_t len)
{
	(void)ctx;
	return va(rc_mem, RC_BASE, iova, len);
}

static void
irq(void *ctx)
{
	uint64_t one = 1;

	(void)ctx;
	if (write(irq_fd, &one, sizeof(one)) != sizeof(one))
		abort();
}

static bool
imwr(void *ctx, uint64_t addr, uint32_t data)
{
	(void)ctx;
	if (addr != MSI_ADDR)
		return false;
	imwr_count++;
	imwr_data = data;
	return true;
}

static const struct dw_edma_model_ops ops = { ep_va, rc_va, irq, imwr };
static struct dw_edma_model m = { regs, &sh, &ops, NULL };

static bool
trap(const struct ntb_bar *bar, size_t off, uint64_t val, unsigned int w)
{
	return dw_edma_model_write(bar->trap_ctx, bar->va + off - regs, val, w);
}

static struct ntb_bar bar = { regs, sizeof(regs), 0, trap, &m };

static uint64_t
irq_count(void)
{
	uint64_t v = 0;

	if (read(irq_fd, &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

static void
put_lli(uint64_t iova, uint32_t ctl, uint32_t size, uint64_t sar,
	uint64_t dar)
{
	struct dw_edma_v0_lli e = { ctl, size, sar, dar };

	memcpy(ep_va(NULL, iova, sizeof(e)), &e, sizeof(e));
}

static void
put_link(uint64_t iova, uint32_t ctl, uint64_t to)
{
	struct dw_edma_v0_llp e = { ctl, 0, to, 0 };

	memcpy(ep_va(NULL, iova, sizeof(e)), &e, sizeof(e));
}

static void
reset(void)
{
	dw_edma_model_reset(&m);
	irq_count();
	imwr_count = 0;
	memset(ep_mem, 0, sizeof(ep_mem));
	memset(rc_mem, 0, sizeof(rc_mem));
}

static void
start_ll(size_t chbase, uint64_t ll)
{
	ntb_bar_write32(&bar, chbase + DW_EDMA_V0_CH_CONTROL1,
			DW_EDMA_V0_CCS | DW_EDMA_V0_LLE);
	ntb_bar_write32(&bar, chbase + DW_EDMA_V0_CH_LLP_LO, (uint32_t)ll);
	ntb_bar_write32(&bar, chbase + DW_EDMA_V0_CH_LLP_HI, ll >> 32);
}

static int
test_write_channel_ll(void)
{
	uint64_t ll = EP_BASE + 0x8000;
	unsigned int i;

	reset();
	for (i = 0; i < 256; i++)
		ep_mem[0x100 + i] = i;
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_ENGINE_EN, 1);
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_INT_MASK, 0);
	/*
	 * dw-edma's producer scheme: chunk data elements carry CB = c, the
	 * link element back to the list start carries !c, so the engine
	 * stops AT the link element until the next chunk flips both.
	 */
	put_lli(ll, DW_EDMA_V0_CB, 128, EP_BASE + 0x100, RC_BASE + 0x400);
	put_lli(ll + 24, DW_EDMA_V0_CB | DW_EDMA_V0_LIE, 128, EP_BASE + 0x180,
		RC_BASE + 0x480);
	put_link(ll + 48, DW_EDMA_V0_LLP | DW_EDMA_V0_TCB, ll);
	start_ll(DW_EDMA_V0_WR_CH_BASE(3), ll);
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_DOORBELL, 3);

	NTB_TEST_ASSERT(memcmp(rc_mem + 0x400, ep_mem + 0x100, 256) == 0,
			"data moved EP->RC");
	NTB_TEST_ASSERT(ntb_bar_read32(&bar, DW_EDMA_V0_WR_INT_STATUS) ==
			DW_EDMA_V0_INT_DONE(3), "DONE(3) status %#x",
			ntb_bar_read32(&bar, DW_EDMA_V0_WR_INT_STATUS));
	NTB_TEST_ASSERT(irq_count() == 1, "one local irq");
	NTB_TEST_ASSERT(ntb_bar_read32(&bar, DW_EDMA_V0_WR_CH_BASE(3)) &
			DW_EDMA_V0_CCS, "CCS unchanged");
	NTB_TEST_ASSERT(ntb_bar_read32(&bar, DW_EDMA_V0_WR_CH_BASE(3) +
				       DW_EDMA_V0_CH_LLP_LO) ==
			(uint32_t)(ll + 48), "stopped at the link element");

	/* clear DONE: line drops; next chunk with CB = 0, link CB = 1 */
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_INT_CLEAR, DW_EDMA_V0_INT_DONE(3));
	NTB_TEST_ASSERT(ntb_bar_read32(&bar, DW_EDMA_V0_WR_INT_STATUS) == 0,
			"W1C cleared");
	NTB_TEST_ASSERT(!irq_level(&m), "line low");
	memset(ep_mem + 0x100, 0xAB, 64);
	put_lli(ll, 0, 64, EP_BASE + 0x100, RC_BASE + 0x800);
	put_lli(ll + 24, DW_EDMA_V0_LIE, 64, EP_BASE + 0x100, RC_BASE + 0x900);
	put_link(ll + 48, DW_EDMA_V0_LLP | DW_EDMA_V0_TCB | DW_EDMA_V0_CB, ll);
	put_lli(ll + 72, 0, 64, EP_BASE + 0x100, RC_BASE + 0xA00);
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_DOORBELL, 3);
	NTB_TEST_ASSERT(rc_mem[0x800] == 0xAB && rc_mem[0x93F] == 0xAB,
			"second chunk moved after the TCB jump");
	NTB_TEST_ASSERT(rc_mem[0xA00] == 0, "stopped at the link again");
	NTB_TEST_ASSERT(!(ntb_bar_read32(&bar, DW_EDMA_V0_WR_CH_BASE(3)) &
			  DW_EDMA_V0_CCS), "CCS toggled by TCB");
	NTB_TEST_ASSERT(irq_count() == 1, "irq for second chunk");
	return 0;
}

static int
test_read_channel_rie_imwr(void)
{
	uint64_t ll = EP_BASE + 0x9000;

	reset();
	memset(rc_mem + 0x1000, 0x5A, 100);
	ntb_bar_write32(&bar, DW_EDMA_V0_RD_ENGINE_EN, 1);
	ntb_bar_write32(&bar, DW_EDMA_V0_RD_DONE_IMWR_LO, (uint32_t)MSI_ADDR);
	ntb_bar_write32(&bar, DW_EDMA_V0_RD_DONE_IMWR_HI, 0);
	/* channel 1: odd -> high half of ch01 data */
	ntb_bar_write32(&bar, DW_EDMA_V0_RD_CH_IMWR_DATA(1), 7u << 16 | 3u);
	put_lli(ll, DW_EDMA_V0_CB | DW_EDMA_V0_RIE, 100, RC_BASE + 0x1000,
		EP_BASE + 0x2000);
	start_ll(DW_EDMA_V0_RD_CH_BASE(1), ll);
	ntb_bar_write32(&bar, DW_EDMA_V0_RD_DOORBELL, 1);
	NTB_TEST_ASSERT(ep_mem[0x2000] == 0x5A && ep_mem[0x2063] == 0x5A &&
			ep_mem[0x2064] == 0, "RC->EP 100 bytes");
	NTB_TEST_ASSERT(imwr_count == 1 && imwr_data == 7, "IMWr data %u x%u",
			imwr_data, imwr_count);
	NTB_TEST_ASSERT(irq_count() == 0, "no local irq without LIE");
	NTB_TEST_ASSERT(ntb_bar_read32(&bar, DW_EDMA_V0_RD_INT_STATUS) ==
			DW_EDMA_V0_INT_DONE(1), "DONE(1)");
	return 0;
}

static int
test_abort_and_mask(void)
{
	uint64_t ll = EP_BASE + 0xA000;

	reset();
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_ENGINE_EN, 1);
	put_lli(ll, DW_EDMA_V0_CB | DW_EDMA_V0_LIE, 64, EP_BASE,
		0xDEAD000000ull);
	start_ll(DW_EDMA_V0_WR_CH_BASE(0), ll);
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_DOORBELL, 0);
	NTB_TEST_ASSERT(ntb_bar_read32(&bar, DW_EDMA_V0_WR_INT_STATUS) ==
			DW_EDMA_V0_INT_ABORT(0), "ABORT(0)");
	NTB_TEST_ASSERT(irq_count() == 1, "abort irq");
	NTB_TEST_ASSERT(((ntb_bar_read32(&bar, DW_EDMA_V0_WR_CH_BASE(0)) &
			  DW_EDMA_V0_CS_MASK) >> DW_EDMA_V0_CS_SHIFT) ==
			DW_EDMA_V0_CS_HALTED, "CS halted");
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_INT_CLEAR, DW_EDMA_V0_INT_ALL);

	/* masked DONE: status set, no irq */
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_INT_MASK, DW_EDMA_V0_INT_DONE(0));
	put_lli(ll, DW_EDMA_V0_CB | DW_EDMA_V0_LIE, 8, EP_BASE,
		RC_BASE + 0x10);
	start_ll(DW_EDMA_V0_WR_CH_BASE(0), ll);
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_DOORBELL, 0);
	NTB_TEST_ASSERT(ntb_bar_read32(&bar, DW_EDMA_V0_WR_INT_STATUS) ==
			DW_EDMA_V0_INT_DONE(0), "DONE(0) masked");
	NTB_TEST_ASSERT(irq_count() == 0, "masked: no irq");

	/* disabled engine ignores the doorbell */
	ntb_bar_write32(&bar, DW_EDMA_V0_RD_ENGINE_EN, 0);
	ntb_bar_write32(&bar, DW_EDMA_V0_RD_DOORBELL, 0);
	NTB_TEST_ASSERT(ntb_bar_read32(&bar, DW_EDMA_V0_RD_INT_STATUS) == 0,
			"disabled engine");
	return 0;
}

static int
test_interrupt_emulation(void)
{
	reset();
	ntb_bar_write32(&bar, DW_EDMA_V0_RD_INT_STATUS, 1);
	NTB_TEST_ASSERT(irq_count() == 1, "emulation raised the irq");
	NTB_TEST_ASSERT(ntb_bar_read32(&bar, DW_EDMA_V0_RD_INT_STATUS) == 0,
			"no status bits");
	/* level: a second kick while asserted is the same interrupt */
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_INT_STATUS, 0);
	NTB_TEST_ASSERT(irq_count() == 0, "no new edge while asserted");
	ntb_bar_write32(&bar, DW_EDMA_V0_RD_INT_CLEAR, 0);
	NTB_TEST_ASSERT(!irq_level(&m), "0 to int_clear de-asserts");
	ntb_bar_write32(&bar, DW_EDMA_V0_RD_INT_STATUS, 1);
	NTB_TEST_ASSERT(irq_count() == 1, "raised again after de-assert");
	NTB_TEST_ASSERT(sh.nb_emul == 3, "emulation count %lu",
			(unsigned long)sh.nb_emul);
	return 0;
}

static int
test_runaway_list_bounded(void)
{
	uint64_t ll = EP_BASE + 0xB000;

	reset();
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_ENGINE_EN, 1);
	/* a link element pointing at itself without TCB never ends */
	put_link(ll, DW_EDMA_V0_CB | DW_EDMA_V0_LLP, ll);
	start_ll(DW_EDMA_V0_WR_CH_BASE(2), ll);
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_DOORBELL, 2);
	NTB_TEST_ASSERT(ntb_bar_read32(&bar, DW_EDMA_V0_WR_INT_STATUS) ==
			DW_EDMA_V0_INT_ABORT(2), "runaway list aborted");
	return 0;
}

static void *
kick_thread(void *arg)
{
	(void)arg;
	ntb_bar_write32(&bar, DW_EDMA_V0_RD_INT_STATUS, 1);
	return NULL;
}

/* One kick in a thread; 0 if it returned within 10 s (no timing asserted:
 * a bound on a hang), -1 after releasing the lock so that it can end.
 */
static int
kick_returns(void)
{
	struct timespec ts;
	pthread_t t;

	if (pthread_create(&t, NULL, kick_thread, NULL) != 0)
		return -1;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 10;
	if (pthread_timedjoin_np(t, NULL, &ts) == 0)
		return 0;
	rte_spinlock_unlock(&sh.lock);
	pthread_join(t, NULL);
	return -1;
}

/*
 * The lock is in memory the peer writes: a peer that holds it forever
 * must not hang our Tx kick or rx_ack; the access is dropped and counted.
 */
static int
test_lock_held_by_peer(void)
{
	uint64_t before;

	reset();
	before = dw_edma_model_lock_timeouts(&m);
	rte_spinlock_lock(&sh.lock);	/* the "peer" holds it */
	NTB_TEST_ASSERT(kick_returns() == 0, "kick returned with the lock held");
	NTB_TEST_ASSERT(dw_edma_model_lock_timeouts(&m) == before + 1,
			"counted once");
	NTB_TEST_ASSERT(irq_count() == 0, "dropped: no irq");
	NTB_TEST_ASSERT(kick_returns() == 0, "a second kick returns too");
	NTB_TEST_ASSERT(dw_edma_model_lock_timeouts(&m) == before + 2,
			"counted twice");
	rte_spinlock_unlock(&sh.lock);
	ntb_bar_write32(&bar, DW_EDMA_V0_RD_INT_STATUS, 1);
	NTB_TEST_ASSERT(irq_count() == 1, "works again once released");
	NTB_TEST_ASSERT(dw_edma_model_lock_timeouts(&m) == before + 2,
			"no new timeout");
	return 0;
}

/* A doorbell that arrives from the RC is posted, not run, until the EP's
 * engine runs it; interrupt emulation from the RC acts at once.
 */
static int
test_remote_doorbell_posted(void)
{
	uint64_t ll = EP_BASE + 0xC000;
	bool kick = false;

	reset();
	memset(ep_mem + 0x100, 0x42, 32);
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_ENGINE_EN, 1);
	put_lli(ll, DW_EDMA_V0_CB | DW_EDMA_V0_LIE, 32, EP_BASE + 0x100,
		RC_BASE + 0x300);
	start_ll(DW_EDMA_V0_WR_CH_BASE(4), ll);
	NTB_TEST_ASSERT(dw_edma_model_remote_write(&m, DW_EDMA_V0_WR_DOORBELL,
						   4, 4, &kick) && kick,
			"doorbell posted, engine kicked");
	NTB_TEST_ASSERT(rc_mem[0x300] == 0 && irq_count() == 0,
			"nothing ran in the writer's thread");
	NTB_TEST_ASSERT(dw_edma_model_run_posted(&m) == 1, "one channel run");
	NTB_TEST_ASSERT(memcmp(rc_mem + 0x300, ep_mem + 0x100, 32) == 0 &&
			irq_count() == 1, "the engine moved it");
	NTB_TEST_ASSERT(dw_edma_model_run_posted(&m) == 0, "posted once");
	NTB_TEST_ASSERT(dw_edma_model_remote_write(&m, DW_EDMA_V0_RD_INT_STATUS,
						   1, 4, &kick) && !kick,
			"emulation from the RC");
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_INT_CLEAR, DW_EDMA_V0_INT_ALL);
	ntb_bar_write32(&bar, DW_EDMA_V0_WR_INT_CLEAR, 0);
	NTB_TEST_ASSERT(!dw_edma_model_remote_write(&m, DW_EDMA_V0_WR_ENGINE_EN,
						    0, 4, &kick) && !kick,
			"other registers are plain stores");
	return 0;
}

int
main(void)
{
	irq_fd = eventfd(0, EFD_NONBLOCK);
	NTB_TEST_RUN(test_write_channel_ll);
	NTB_TEST_RUN(test_read_channel_rie_imwr);
	NTB_TEST_RUN(test_abort_and_mask);
	NTB_TEST_RUN(test_interrupt_emulation);
	NTB_TEST_RUN(test_runaway_list_bounded);
	NTB_TEST_RUN(test_lock_held_by_peer);
	NTB_TEST_RUN(test_remote_doorbell_posted);
	close(irq_fd);
	return ntb_test_done();
}
