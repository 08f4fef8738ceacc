/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef VNTB_FAKE_EP_H
#define VNTB_FAKE_EP_H

/*
 * An in-process stand-in for the EP's vNTB function: page-aligned buffers
 * as BARs, a trap that records every accessor write (and lets it happen),
 * and a responder thread that serves commands as vNTB does (latch, zero
 * command/argument, act, write status).
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "ntb_bar.h"
#include "vntb_platform.h"

#define FAKE_EP_LOG	512

struct fake_ep_cmd {
	uint32_t cmd, arg;
	uint64_t addr, size;
};

struct fake_ep_write {
	int bar;		/* -1: not a BAR of this EP */
	size_t off;		/* from the BAR start */
	uint64_t val;
	unsigned int width;
};

struct fake_ep {
	struct ntb_bar bars[VNTB_PCI_BARS];
	/* responder */
	pthread_t thr;
	bool running;
	int stop;
	uint16_t answer[8];	/* status per command; 0: never answer */
	struct fake_ep_cmd cmds[64];
	unsigned int ncmds;
	/* trap log (writes by the code under test) */
	struct fake_ep_write w[FAKE_EP_LOG];
	unsigned int nw;
};

/* lens[b] == 0: BAR b absent */
void fake_ep_init(struct fake_ep *ep, const size_t lens[VNTB_PCI_BARS]);
void fake_ep_free(struct fake_ep *ep);
void fake_ep_start(struct fake_ep *ep);
void fake_ep_stop(struct fake_ep *ep);

uint32_t fake_ep_r32(const struct fake_ep *ep, int bar, size_t off);
uint16_t fake_ep_r16(const struct fake_ep *ep, int bar, size_t off);
void fake_ep_w32(struct fake_ep *ep, int bar, size_t off, uint32_t v);

/*
 * R-Car S4 seed layout, ctrl v1: BAR0 64 KiB ctrl (spad_offset 0x200,
 * spad_count 64), BAR2 1 MiB with MW1 [0, 0xF0000) and MW2 [0xF0000,
 * 0xF8000), BAR4 256 B doorbells (entry 4, db_data[n] = 0xD000 + n).
 */
void fake_ep_layout_rcar_s4(struct fake_ep *ep);

/* index of the last logged write to (bar, off), -1 if none */
int fake_ep_find_write(const struct fake_ep *ep, int bar, size_t off);

#endif /* VNTB_FAKE_EP_H */
