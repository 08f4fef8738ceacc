/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The RC starts long before its EP: probe, configure and start of the RC
 * rawdev succeed with the link down (no EP answers, for longer than the
 * connect timeout and the vNTB command timeout), and when the EP comes
 * up the RC connects by itself, brings the link up with one LINK_UP
 * event and no LINK_DOWN, and packets echo byte-exact. Then the same with
 * an EP that is there but answers vNTB commands late (its command handler
 * delayed past the RC's command timeout for its first seconds).
 *
 * Two DPDK processes forked before rte_eal_init: the RC, then (after the
 * RC reported it started) the EP, which echoes every packet back. Every
 * wait is bounded; every child still alive at the end is killed by PID.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_pmd_ntb.h>
#include <rte_rawdev.h>

#include "ntb_test.h"
#include "ntb_test_rawdev.h"
#include "rte_pmd_ntb_dwedma.h"
/* the slow EP delays its command handler (test-only fault hook) */
#include "ntb_dwedma_dev.h"
#include "vsim_fault.h"

#define NB_PKTS		400
#define BURST		32
#define NB_DESC		256
#define STEP_S		30	/* bound of every wait */
#define SLOW_US		5000000	/* the slow EP's command delay */

/* One TAP line per result (ntb_test.h counts). */
#define NTB_TEST_RUN_RESULT(what, rc) do {				\
	ntb_test_count++;						\
	if ((rc) == 0) {						\
		printf("ok %d - %s\n", ntb_test_count, what);		\
	} else {							\
		ntb_test_failed++;					\
		printf("not ok %d - %s\n", ntb_test_count, what);	\
	}								\
	fflush(stdout);							\
} while (0)

static char sock_path[108];
static char prefix_base[64];

/* ---------------- both roles ---------------- */

static int
eal_up(const char *role, const char *vdev, const char *lcore)
{
	char prefix[96];
	char *argv[] = {
		"test_rc_reconnect", "--no-huge", "--no-pci", "-m", "256",
		"-l", (char *)(uintptr_t)lcore, "--file-prefix", prefix,
		"--log-level", "lib.eal:warning",
		"--log-level", "pmd.raw.ntb_dwedma:notice",
		"--vdev", (char *)(uintptr_t)vdev, NULL,
	};

	snprintf(prefix, sizeof(prefix), "%s_%s", prefix_base, role);
	return rte_eal_init((int)RTE_DIM(argv) - 1, argv);
}

static int
dev_up(const char *name, struct rte_mempool **mpp)
{
	struct rte_mempool *mp;
	int id;

	mp = rte_pktmbuf_pool_create("rcn_mp", 4095, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	id = ntb_test_rawdev_up(name, mp, NB_DESC);
	if (id < 0)
		return -1;
	*mpp = mp;
	return id;
}

static void
dev_down(int id)
{
	rte_rawdev_stop(id);
	rte_rawdev_close(id);
}

static bool
link_up(int id)
{
	struct rte_pmd_ntb_dwedma_link l;

	return rte_pmd_ntb_dwedma_link_get(id, &l) == 0 && l.up;
}

static bool
wait_link(int id, bool up)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * STEP_S;

	while (rte_get_timer_cycles() < end) {
		if (link_up(id) == up)
			return true;
		rte_delay_us_sleep(5000);
	}
	return false;
}

/* ---------------- EP: echo until the RC goes (bounded) ---------------- */

static int
ep_main(int which)
{
	struct rte_mempool *mp;
	struct rte_mbuf *pkts[BURST];
	uint64_t end;
	bool was_up = false;
	char vdev[160];
	uint64_t slow_end = 0;
	struct vsim *vs = NULL;
	int id;

	snprintf(vdev, sizeof(vdev),
		 "raw_ntb_vsim0,role=ep,link=%s,profile=rcar-s4", sock_path);
	if (eal_up(which == 1 ? "ep1" : "ep2", vdev, "0") < 0)
		return 2;
	if (which == 2) {
		/* the first seconds: every command answered after > 1 s */
		id = rte_rawdev_get_dev_id("raw_ntb_vsim0");
		if (id < 0)
			return 3;
		vs = *(struct vsim **)((struct ntb_dwedma_dev *)
				       rte_rawdevs[id].dev_private)->hw;
		vsim_fault_cmd_delay(vs, SLOW_US);
		slow_end = rte_get_timer_cycles() +
			rte_get_timer_hz() * SLOW_US / 1000000 * 11 / 10;
	}
	id = dev_up("raw_ntb_vsim0", &mp);
	if (id < 0)
		return 3;
	end = rte_get_timer_cycles() + rte_get_timer_hz() * 4 * STEP_S;
	while (rte_get_timer_cycles() < end) {
		uint16_t n, sent = 0;

		if (vs != NULL && rte_get_timer_cycles() > slow_end) {
			vsim_fault_cmd_delay(vs, 0);
			vs = NULL;
		}

		if (link_up(id)) {
			was_up = true;
		} else if (was_up) {
			break;		/* the RC closed: done */
		}
		n = rte_pmd_ntb_dwedma_rx_burst(id, 0, pkts, BURST);
		while (sent < n && link_up(id) &&
		       rte_get_timer_cycles() < end)
			sent += rte_pmd_ntb_dwedma_tx_burst(id, 0, pkts + sent,
							    n - sent);
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		if (n == 0)
			rte_delay_us_sleep(100);
	}
	dev_down(id);
	rte_eal_cleanup();
	return was_up ? 0 : 4;
}

/* ---------------- RC ---------------- */

static uint32_t
pkt_len(uint32_t seq)
{
	return 64 + (seq * 37) % 1400;
}

static struct rte_mbuf *
pkt_make(struct rte_mempool *mp, uint32_t round, uint32_t seq)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	uint32_t len = pkt_len(seq), i;
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seq * 29 + i * 7 + round);
	memcpy(p, &seq, sizeof(seq));
	return m;
}

static bool
pkt_ok(const struct rte_mbuf *m, uint32_t round, uint32_t seq)
{
	uint8_t buf[2048];
	const uint8_t *p;
	uint32_t i, got;

	if (m->pkt_len != pkt_len(seq))
		return false;
	p = rte_pktmbuf_read(m, 0, m->pkt_len, buf);
	if (p == NULL)
		return false;
	memcpy(&got, p, sizeof(got));
	if (got != seq)
		return false;
	for (i = sizeof(seq); i < m->pkt_len; i++)
		if (p[i] != (uint8_t)(seq * 29 + i * 7 + round))
			return false;
	return true;
}

/* NB_PKTS out, every echo back in order and byte-exact. */
static int
round_trip(int id, struct rte_mempool *mp, uint32_t round)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * STEP_S;
	uint32_t tx = 0, rx = 0, bad = 0;
	struct rte_mbuf *pkts[BURST];

	while (rx < NB_PKTS && rte_get_timer_cycles() < end) {
		uint16_t n, i;

		if (tx < NB_PKTS && tx - rx < NB_DESC / 2) {
			struct rte_mbuf *m = pkt_make(mp, round, tx);

			if (m != NULL) {
				if (rte_pmd_ntb_dwedma_tx_burst(id, 0, &m, 1))
					tx++;
				else
					rte_pktmbuf_free(m);
			}
		}
		n = rte_pmd_ntb_dwedma_rx_burst(id, 0, pkts, BURST);
		for (i = 0; i < n; i++) {
			if (!pkt_ok(pkts[i], round, rx))
				bad++;
			rx++;
		}
		rte_pktmbuf_free_bulk(pkts, n);
	}
	printf("# RC round %u: sent %u, echoed %u, bad %u\n", round, tx, rx,
	       bad);
	fflush(stdout);
	return rx == NB_PKTS && tx == NB_PKTS && bad == 0 ? 0 : -1;
}

static uint32_t ev_up, ev_down;

static void
on_event(uint16_t dev_id, enum rte_pmd_ntb_dwedma_event ev, void *arg)
{
	RTE_SET_USED(dev_id);
	RTE_SET_USED(arg);
	__atomic_fetch_add(ev == RTE_PMD_NTB_DWEDMA_EVENT_LINK_UP ?
			   &ev_up : &ev_down, 1, __ATOMIC_RELAXED);
}

static void
say(int fd, const char *fmt, ...) __rte_format_printf(2, 3);

static void
say(int fd, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && write(fd, buf, (size_t)n) < 0)
		perror("pipe");
}

static int
rc_main(int out)
{
	struct rte_mempool *mp;
	char vdev[192];
	int id;

	/* a short connect timeout: the probe gives up waiting at once */
	snprintf(vdev, sizeof(vdev),
		 "raw_ntb_vsim1,role=rc,link=%s,profile=rcar-s4,connect_timeout_ms=200",
		 sock_path);
	if (eal_up("rc", vdev, "1") < 0) {
		say(out, "F EAL init (probe) failed without an EP\n");
		return 2;
	}
	id = rte_rawdev_get_dev_id("raw_ntb_vsim1");
	if (id < 0 ||
	    rte_pmd_ntb_dwedma_callback_register(id, on_event, NULL) != 0) {
		say(out, "F no rawdev raw_ntb_vsim1 after probe\n");
		return 3;
	}
	id = dev_up("raw_ntb_vsim1", &mp);
	if (id < 0) {
		say(out, "F configure/start failed without an EP\n");
		return 3;
	}
	if (link_up(id)) {
		say(out, "F link up without an EP\n");
		return 4;
	}
	say(out, "S\n");		/* parent: wait, then start the EP */
	if (!wait_link(id, true)) {
		say(out, "F link never up\n");
		return 5;
	}
	if (round_trip(id, mp, 1) < 0) {
		say(out, "F round trip\n");
		return 6;
	}
	say(out, "B %u %u\n", __atomic_load_n(&ev_up, __ATOMIC_RELAXED),
	    __atomic_load_n(&ev_down, __ATOMIC_RELAXED));
	rte_pmd_ntb_dwedma_callback_unregister(id, on_event, NULL);
	dev_down(id);
	rte_eal_cleanup();
	return 0;
}

/* ---------------- parent ---------------- */

static pid_t kids[2];

static pid_t
spawn(int (*fn)(int), int arg)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(fn(arg));
	return pid;
}

static int
ep_entry(int which)
{
	return ep_main(which);
}

/* One line from the RC within STEP_S, else "" (RC silent or gone). */
static void
read_line(int fd, char *buf, size_t max)
{
	size_t n = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	buf[0] = '\0';
	while (n + 1 < max) {
		char c;

		if (poll(&p, 1, STEP_S * 1000) <= 0 || read(fd, &c, 1) != 1)
			break;
		if (c == '\n')
			break;
		buf[n++] = c;
		buf[n] = '\0';
	}
}

/* Exit status of pid within timeout_s, else kill it: -1. */
static int
reap(pid_t pid, int timeout_s)
{
	int st, i;

	for (i = 0; i < timeout_s * 20; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 +
				WTERMSIG(st);
		usleep(50000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

static int
expect(int fd, char phase, char *line, size_t max)
{
	read_line(fd, line, max);
	if (line[0] != phase) {
		printf("# expected phase %c from the RC, got \"%s\"\n", phase,
		       line);
		return -1;
	}
	return 0;
}

static void
cleanup(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(kids); i++)
		if (kids[i] > 0)
			reap(kids[i], 0);
	unlink(sock_path);
}

int
main(void)
{
	unsigned int up, down;
	char line[256];
	int pfd[2], ret;

	snprintf(prefix_base, sizeof(prefix_base), "late_%d", (int)getpid());
	snprintf(sock_path, sizeof(sock_path), "%s/ntb_late_%d.sock",
		 access("/run", W_OK) == 0 ? "/run" : "/tmp", (int)getpid());
	unlink(sock_path);
	if (pipe(pfd) < 0)
		return 1;
	atexit(cleanup);

	kids[1] = spawn(rc_main, pfd[1]);
	close(pfd[1]);
	ret = expect(pfd[0], 'S', line, sizeof(line));
	NTB_TEST_RUN_RESULT("no EP: RC probed, configured and started, link down",
			    ret);
	if (ret < 0)
		return ntb_test_done();

	/* longer than the connect timeout and the vNTB command timeout */
	sleep(3);
	kids[0] = spawn(ep_entry, 1);
	ret = expect(pfd[0], 'B', line, sizeof(line));
	NTB_TEST_RUN_RESULT("EP started 3 s later: link up by itself, round trip byte-exact",
			    ret);
	if (ret < 0)
		return ntb_test_done();
	ret = sscanf(line, "B %u %u", &up, &down) == 2 ? 0 : -1;
	if (ret == 0)
		printf("# RC events: %u LINK_UP, %u LINK_DOWN\n", up, down);
	NTB_TEST_RUN_RESULT("events: one LINK_UP, no LINK_DOWN",
			    ret == 0 && up == 1 && down == 0 ? 0 : -1);
	ret = reap(kids[1], STEP_S);
	kids[1] = 0;
	NTB_TEST_RUN_RESULT("RC closed and exited 0", ret == 0 ? 0 : -1);
	ret = reap(kids[0], STEP_S);
	kids[0] = 0;
	NTB_TEST_RUN_RESULT("EP saw the RC go and exited 0", ret == 0 ? 0 : -1);
	close(pfd[0]);

	/* an EP that is there but answers commands late */
	unlink(sock_path);
	if (pipe(pfd) < 0)
		return 1;
	kids[0] = spawn(ep_entry, 2);
	for (ret = 0; ret < STEP_S * 100 && access(sock_path, F_OK) != 0; ret++)
		usleep(10000);
	kids[1] = spawn(rc_main, pfd[1]);
	close(pfd[1]);
	ret = expect(pfd[0], 'S', line, sizeof(line));
	NTB_TEST_RUN_RESULT("slow EP: RC probed, configured and started, link down",
			    ret);
	if (ret < 0)
		return ntb_test_done();
	ret = expect(pfd[0], 'B', line, sizeof(line));
	NTB_TEST_RUN_RESULT("slow EP answers in time again: link up by itself, round trip byte-exact",
			    ret);
	if (ret < 0)
		return ntb_test_done();
	ret = sscanf(line, "B %u %u", &up, &down) == 2 ? 0 : -1;
	if (ret == 0)
		printf("# RC events: %u LINK_UP, %u LINK_DOWN\n", up, down);
	NTB_TEST_RUN_RESULT("slow EP: one LINK_UP, no LINK_DOWN",
			    ret == 0 && up == 1 && down == 0 ? 0 : -1);
	ret = reap(kids[1], STEP_S);
	kids[1] = 0;
	NTB_TEST_RUN_RESULT("RC closed and exited 0", ret == 0 ? 0 : -1);
	ret = reap(kids[0], STEP_S);
	kids[0] = 0;
	NTB_TEST_RUN_RESULT("slow EP saw the RC go and exited 0",
			    ret == 0 ? 0 : -1);
	return ntb_test_done();
}
