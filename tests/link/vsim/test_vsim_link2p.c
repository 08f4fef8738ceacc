/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Two DPDK processes (forked before rte_eal_init) joined by the virtual
 * link with the rcar-s4 profile. The RC maps BAR2 and shows that a write
 * at BAR2 + 0x100 lands in EP memory at the inbound target and that a
 * write at BAR2 + 0xF0000 + rd_int_status raises exactly one EP eDMA
 * interrupt. Spads carry the handshake between the two processes.
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_memzone.h>

#include "dw_edma_v0_regs.h"
#include "ntb_test.h"
#include "ntb_test_proc.h"
#include "ntb_test_vsim.h"
#include "vntb_ctrl.h"
#include "vsim.h"

#define EP_READY	0x52454459	/* EP spad 0: inbound map set */
#define RC_DONE		0x444F4E45	/* RC spad 0: writes issued */
#define PATTERN		0xA55A1234u
#define LOOPS		10000		/* x 1 ms */

static char sock_path[64];

static struct vsim *
make(const char *role)
{
	return ntb_test_vsim_make(role, sock_path, "profile", "rcar-s4",
				  "connect_timeout_ms", "10000", NULL);
}

static int
ep_main(void *arg __rte_unused, int fd __rte_unused)
{
	const struct rte_memzone *buf;
	const struct ntb_intr_res *ir;
	struct ntb_dev *nd;
	struct vsim *vs;
	uint64_t irqs = 0;
	unsigned int i;
	int ok = 0;

	if (ntb_test_proc_eal_args("vsim2p_ep", NULL) < 0)
		return 2;
	vs = make("ep");
	buf = rte_memzone_reserve_aligned("ep_mw1", 0xF0000, SOCKET_ID_ANY,
					  RTE_MEMZONE_IOVA_CONTIG, 4096);
	if (vs == NULL || buf == NULL ||
	    ntb_test_vsim_wait_state(vs, VSIM_LINK_CONNECTED, 10000) < 0)
		return 3;
	nd = vsim_ep_ntb_dev(vs);
	ir = vsim_ep_intr_res(vs);
	if (nd->ops->mw_set_trans(nd, 0, buf->iova, 0xF0000) < 0)
		return 4;
	nd->ops->spad_write(nd, 0, EP_READY);
	for (i = 0; i < LOOPS && nd->ops->peer_spad_read(nd, 0) != RC_DONE; i++)
		rte_delay_us_sleep(1000);
	if (i == LOOPS)
		return 5;
	if (*(volatile uint32_t *)((char *)buf->addr + 0x100) == PATTERN)
		ok |= 1;
	if (read(ir->edma_irq_fd, &irqs, sizeof(irqs)) == sizeof(irqs) &&
	    irqs == 1)
		ok |= 2;
	printf("# EP: memory %s, eDMA irqs %lu\n", (ok & 1) ? "ok" : "BAD",
	       (unsigned long)irqs);
	fflush(stdout);
	nd->ops->spad_write(nd, 1, ok);
	/* stay until the RC has read the verdict (it closes the link) */
	for (i = 0; i < LOOPS && vsim_state(vs) == VSIM_LINK_CONNECTED; i++)
		rte_delay_us_sleep(1000);
	vsim_destroy(vs);
	rte_eal_cleanup();
	return ok == 3 ? 0 : 6;
}

static int
rc_main(void *arg __rte_unused, int fd __rte_unused)
{
	const struct vsim_rc_res *res;
	const struct ntb_bar *b0, *b2;
	struct vsim *vs;
	uint32_t so, sc, verdict = 0;
	unsigned int i;

	if (ntb_test_proc_eal_args("vsim2p_rc", NULL) < 0)
		return 2;
	vs = make("rc");
	if (vs == NULL)
		return 3;
	res = vsim_rc_res(vs);
	b0 = &res->bars[res->platform->map.bar[VNTB_BAR_CONFIG]];
	b2 = &res->bars[res->platform->map.bar[VNTB_BAR_MW1]];
	so = ntb_bar_read32(b0, VNTB_CTRL_SPAD_OFFSET);
	sc = ntb_bar_read32(b0, VNTB_CTRL_SPAD_COUNT);
	for (i = 0; i < LOOPS && ntb_bar_read32(b0, so + 4 * sc) != EP_READY;
	     i++)
		rte_delay_us_sleep(1000);
	if (i == LOOPS)
		return 4;
	ntb_bar_write32(b2, 0x100, PATTERN);
	ntb_bar_write32(b2, 0xF0000 + DW_EDMA_V0_RD_INT_STATUS, 1);
	ntb_bar_write32(b0, so, RC_DONE);
	for (i = 0; i < LOOPS && verdict == 0; i++) {
		rte_delay_us_sleep(1000);
		verdict = ntb_bar_read32(b0, so + 4 * (sc + 1));
	}
	vsim_destroy(vs);
	rte_eal_cleanup();
	return verdict == 3 ? 0 : 5;
}

static int
test_two_process_bar2(void)
{
	struct ntb_test_proc ep, rc;
	int s_ep, s_rc;

	ntb_test_proc_start(&ep, "ep", ep_main, NULL);
	ntb_test_proc_start(&rc, "rc", rc_main, NULL);
	s_rc = ntb_test_proc_wait(&rc, 60);
	s_ep = ntb_test_proc_wait(&ep, 30);
	NTB_TEST_ASSERT(s_rc == 0, "RC exit %d", s_rc);
	NTB_TEST_ASSERT(s_ep == 0, "EP exit %d", s_ep);
	return 0;
}

int
main(void)
{
	snprintf(sock_path, sizeof(sock_path), "/tmp/vsim2p_%d.sock",
		 (int)getpid());
	NTB_TEST_RUN(test_two_process_bar2);
	unlink(sock_path);
	return ntb_test_done();
}
