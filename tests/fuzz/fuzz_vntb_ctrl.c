/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * libFuzzer harness: the RC's reading of the vNTB ctrl region. The input
 * is the content of the ctrl BAR (an EP writes it; the RC trusts none of
 * it). The RC code parses it as on a board (rcar-s4 BAR map, BARs as
 * plain memory of the board's sizes, no trap), without sending commands
 * (ep_absent); when it takes the layout, every window, scratchpad and
 * doorbell slot it derived is touched, so that ASan catches one that
 * reaches outside its BAR.
 */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_log.h>

#include "ntb_bar.h"
#include "vntb_platform.h"
#include "vntb_ctrl.h"
#include "vntb_rc.h"

/* board rows' BAR maps */
#define MAP_RCAR_S4	(&vntb_platforms[VNTB_PLATFORM_RCAR_S4].map)

#define BAR0_LEN	0x2000		/* ctrl + spads */
#define BAR2_LEN	0x100000	/* MW1 + MW2 */
#define BAR4_LEN	256		/* doorbells */
#define NB_MSI		16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static uint8_t *bar_mem[VNTB_PCI_BARS];
static uint64_t nb_inputs, nb_taken;

static void
report(void)
{
	printf("fuzz_vntb_ctrl: %" PRIu64 " inputs, %" PRIu64 " layouts taken\n",
	       nb_inputs, nb_taken);
}
static const size_t bar_len[VNTB_PCI_BARS] = {
	[0] = BAR0_LEN, [2] = BAR2_LEN, [4] = BAR4_LEN,
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned int b;

	(void)argc;
	(void)argv;
	/* the parser logs every refusal: keep the fuzzer's output short */
	rte_log_set_global_level(RTE_LOG_EMERG);
	for (b = 0; b < VNTB_PCI_BARS; b++)
		if (bar_len[b] != 0)
			bar_mem[b] = malloc(bar_len[b]);
	atexit(report);
	return 0;
}

static void
touch(struct ntb_dev *nd)
{
	unsigned int i;

	for (i = 0; i < nd->mw_count; i++) {
		struct ntb_bar win;

		if (nd->ops->peer_mw_get_bar(nd, i, &win) == 0 && win.len > 0) {
			((volatile uint8_t *)win.va)[0] = 1;
			((volatile uint8_t *)win.va)[win.len - 1] = 1;
		}
	}
	for (i = 0; i <= nd->spad_count; i++) {
		nd->ops->spad_write(nd, i, i);
		nd->ops->peer_spad_write(nd, i, i);
		(void)nd->ops->spad_read(nd, i);
		(void)nd->ops->peer_spad_read(nd, i);
	}
	for (i = 0; i < 64; i++)
		nd->ops->peer_db_set(nd, UINT64_C(1) << i);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vntb_rc rc;
	struct ntb_bar bars[VNTB_PCI_BARS];
	struct vntb_rc_params p;
	unsigned int b;

	memset(bars, 0, sizeof(bars));
	for (b = 0; b < VNTB_PCI_BARS; b++) {
		if (bar_mem[b] == NULL)
			continue;
		memset(bar_mem[b], 0, bar_len[b]);
		bars[b].va = bar_mem[b];
		bars[b].len = bar_len[b];
		bars[b].bus_addr = 0x4000000000ull + ((uint64_t)b << 32);
	}
	memcpy(bar_mem[0], data, size < BAR0_LEN ? size : BAR0_LEN);
	memset(&p, 0, sizeof(p));
	p.name = "fuzz";
	p.bars = bars;
	p.map = MAP_RCAR_S4;
	p.nb_msi = NB_MSI;
	p.ep_absent = true;	/* parse only: no command waits */
	nb_inputs++;
	if (vntb_rc_init(&rc, &p) != 0)
		return 0;
	nb_taken++;
	/* the ops as the transport uses them (doorbells, windows, spads) */
	vntb_rc_set_peer_gone(&rc, false);
	touch(vntb_rc_ntb_dev(&rc));
	vntb_rc_set_peer_gone(&rc, true);	/* fini sends nothing */
	vntb_rc_fini(&rc);
	return 0;
}
