/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vntb_ctrl.h"
#include "vntb_fake_ep.h"

static bool
fake_ep_trap(const struct ntb_bar *bar, size_t off, uint64_t val,
	     unsigned int width)
{
	struct fake_ep *ep = bar->trap_ctx;
	const uint8_t *p = bar->va + off;
	struct fake_ep_write *w;
	int b;

	if (ep->nw >= FAKE_EP_LOG)
		return false;
	w = &ep->w[ep->nw];
	w->bar = -1;
	for (b = 0; b < VNTB_PCI_BARS; b++) {
		const struct ntb_bar *eb = &ep->bars[b];

		if (eb->va != NULL && p >= eb->va && p < eb->va + eb->len) {
			w->bar = b;
			w->off = (size_t)(p - eb->va);
		}
	}
	w->val = val;
	w->width = width;
	__atomic_store_n(&ep->nw, ep->nw + 1, __ATOMIC_RELEASE);
	return false;	/* let the store happen */
}

void
fake_ep_init(struct fake_ep *ep, const size_t lens[VNTB_PCI_BARS])
{
	int b;

	memset(ep, 0, sizeof(*ep));
	for (b = 0; b < VNTB_PCI_BARS; b++) {
		size_t alloc = (lens[b] + 4095) & ~(size_t)4095;

		if (lens[b] == 0)
			continue;
		ep->bars[b].va = aligned_alloc(4096, alloc);
		memset(ep->bars[b].va, 0, alloc);
		ep->bars[b].len = lens[b];
		ep->bars[b].trap = fake_ep_trap;
		ep->bars[b].trap_ctx = ep;
	}
	for (b = 0; b < 8; b++)
		ep->answer[b] = VNTB_CMD_STATUS_OK;
}

void
fake_ep_free(struct fake_ep *ep)
{
	int b;

	fake_ep_stop(ep);
	for (b = 0; b < VNTB_PCI_BARS; b++)
		free(ep->bars[b].va);
	memset(ep, 0, sizeof(*ep));
}

uint32_t
fake_ep_r32(const struct fake_ep *ep, int bar, size_t off)
{
	return __atomic_load_n((uint32_t *)(ep->bars[bar].va + off),
			       __ATOMIC_ACQUIRE);
}

uint16_t
fake_ep_r16(const struct fake_ep *ep, int bar, size_t off)
{
	return __atomic_load_n((uint16_t *)(ep->bars[bar].va + off),
			       __ATOMIC_ACQUIRE);
}

void
fake_ep_w32(struct fake_ep *ep, int bar, size_t off, uint32_t v)
{
	__atomic_store_n((uint32_t *)(ep->bars[bar].va + off), v,
			 __ATOMIC_RELEASE);
}

static void
fake_ep_w16(struct fake_ep *ep, int bar, size_t off, uint16_t v)
{
	__atomic_store_n((uint16_t *)(ep->bars[bar].va + off), v,
			 __ATOMIC_RELEASE);
}

/* What vNTB's command work does, minus the 5 ms period. */
static void *
fake_ep_responder(void *arg)
{
	struct fake_ep *ep = arg;
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 20000 };
	unsigned int rounds;

	/* bounded: 20 us * 1,500,000 is at most ~30 s even if never stopped */
	for (rounds = 0; rounds < 1500000; rounds++) {
		uint32_t cmd, a;

		if (__atomic_load_n(&ep->stop, __ATOMIC_ACQUIRE))
			break;
		cmd = fake_ep_r32(ep, 0, VNTB_CTRL_COMMAND);
		if (cmd == 0) {
			nanosleep(&ts, NULL);
			continue;
		}
		a = fake_ep_r32(ep, 0, VNTB_CTRL_ARGUMENT);
		fake_ep_w32(ep, 0, VNTB_CTRL_COMMAND, 0);
		fake_ep_w32(ep, 0, VNTB_CTRL_ARGUMENT, 0);
		if (ep->ncmds < RTE_DIM(ep->cmds)) {
			struct fake_ep_cmd *c = &ep->cmds[ep->ncmds];

			c->cmd = cmd;
			c->arg = a;
			c->addr = fake_ep_r32(ep, 0, VNTB_CTRL_ADDR_LO) |
				(uint64_t)fake_ep_r32(ep, 0,
						      VNTB_CTRL_ADDR_HI) << 32;
			c->size = fake_ep_r32(ep, 0, VNTB_CTRL_SIZE_LO) |
				(uint64_t)fake_ep_r32(ep, 0,
						      VNTB_CTRL_SIZE_HI) << 32;
			__atomic_store_n(&ep->ncmds, ep->ncmds + 1,
					 __ATOMIC_RELEASE);
		}
		if (cmd == VNTB_CMD_LINK_UP)
			fake_ep_w16(ep, 0, VNTB_CTRL_LINK_STATUS,
				    VNTB_LINK_STATUS_UP);
		if (cmd == VNTB_CMD_LINK_DOWN)
			fake_ep_w16(ep, 0, VNTB_CTRL_LINK_STATUS, 0);
		if (cmd < 8 && ep->answer[cmd] != 0)
			fake_ep_w16(ep, 0, VNTB_CTRL_CMD_STATUS,
				    ep->answer[cmd]);
	}
	return NULL;
}

void
fake_ep_start(struct fake_ep *ep)
{
	if (ep->running)
		return;
	__atomic_store_n(&ep->stop, 0, __ATOMIC_RELEASE);
	if (pthread_create(&ep->thr, NULL, fake_ep_responder, ep) == 0)
		ep->running = true;
}

void
fake_ep_stop(struct fake_ep *ep)
{
	if (!ep->running)
		return;
	__atomic_store_n(&ep->stop, 1, __ATOMIC_RELEASE);
	pthread_join(ep->thr, NULL);
	ep->running = false;
}

void
fake_ep_layout_rcar_s4(struct fake_ep *ep)
{
	static const size_t lens[VNTB_PCI_BARS] = {
		0x10000, 0, 0x100000, 0, 256, 0,
	};
	unsigned int n;

	fake_ep_init(ep, lens);
	fake_ep_w32(ep, 0, VNTB_CTRL_VERSION, VNTB_CTRL_VERSION_V1);
	fake_ep_w32(ep, 0, VNTB_CTRL_NUM_MWS, 2);
	fake_ep_w32(ep, 0, VNTB_CTRL_MW1_OFFSET, 0);
	fake_ep_w32(ep, 0, VNTB_CTRL_MW_OFFSET(0), 0);
	fake_ep_w32(ep, 0, VNTB_CTRL_MW_SIZE(0), 0xF0000);
	fake_ep_w32(ep, 0, VNTB_CTRL_MW_OFFSET(1), 0xF0000);
	fake_ep_w32(ep, 0, VNTB_CTRL_MW_SIZE(1), 0x8000);
	fake_ep_w32(ep, 0, VNTB_CTRL_SPAD_OFFSET, 0x200);
	fake_ep_w32(ep, 0, VNTB_CTRL_SPAD_COUNT, 64);
	fake_ep_w32(ep, 0, VNTB_CTRL_DB_ENTRY_SIZE, 4);
	for (n = 0; n < NTB_MAX_DB; n++) {
		fake_ep_w32(ep, 0, VNTB_CTRL_DB_DATA(n), 0xD000 + n);
		fake_ep_w32(ep, 0, VNTB_CTRL_DB_OFFSET(n), 0);
	}
}

int
fake_ep_find_write(const struct fake_ep *ep, int bar, size_t off)
{
	int i;

	for (i = (int)ep->nw - 1; i >= 0; i--)
		if (ep->w[i].bar == bar && ep->w[i].off == off)
			return i;
	return -1;
}
