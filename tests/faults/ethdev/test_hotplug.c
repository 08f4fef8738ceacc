/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Hot-plug: in one RC process, NTB_HOTPLUG_CYCLES (default 100) times
 * rte_dev_probe / rte_dev_remove of the rawdev (raw_ntb_vsim, role=rc)
 * with NB_PKTS packets echoed by an EP process in between, then as many
 * times of the rawdev with the ethdev (net_ntb_vnet) on it, packets sent
 * and received through the ethdev. Every echo is checked byte for byte.
 * The RC's fd count, memzone count and /proc/self/maps line count after
 * the last cycle must equal those after the first of each kind. The RC
 * process ends with exit() after rte_eal_cleanup, so that in a sanitizer
 * build with ASAN_OPTIONS detect_leaks=1 LeakSanitizer checks it.
 *
 * The EP follows at most NTBT_FLAP_BURST (8) peer restarts in a row and
 * then one per second (H7): so that a cycle does not wait for that, the
 * parent starts a new EP process every EP_CYCLES cycles, when the RC
 * asks (all devices removed then).
 *
 * When a round fails, both sides print what explains it: the RC's and
 * the EP's rawdev xstats that are not 0 (heartbeats, liveness timeouts,
 * packets, ring full...), the LINK_UP / LINK_DOWN events each saw and
 * the frames the EP's echo dropped because its link read down (the RC
 * asks the parent, which asks the EP through its control socket), and
 * how old the RC's device is: a round that fails has waited STEP_S for
 * its echoes, so its device has answered heartbeats for that long.
 *
 * Each rawdev cycle checks that the new device's peer_heartbeats starts
 * from zero: at most one heartbeat per LIVENESS_MS of the device's age.
 * The first device lives until it has had one, so that a counter kept
 * across devices would show in the next.
 */

#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_pmd_ntb.h>
#include <rte_rawdev.h>

#include "ntb_test.h"
#include "ntb_test_pkt.h"
#include "ntb_test_proc.h"
#include "ntb_test_rawdev.h"
#include "ntb_test_usage.h"
#include "rte_pmd_ntb_dwedma.h"

#define NB_PKTS		64
#define BURST		32
#define NB_DESC		256
#define STEP_S		30
#define RAW_RC		"raw_ntb_vsim1"
#define ETH_RC		"net_ntb_vnet0"
#define EP_CYCLES	7
#define LIVENESS_MS	2000	/* the RC's liveness_ms (its default) */

static char sock_path[108];
static unsigned int nb_cycles = 100;
static int parent_fd = -1;
static unsigned int nb_ep_restarts;
/* link events of the device of this process (RC: of the current cycle) */
static struct ntb_test_link_events link_ev;
/* timer cycles before the RC's rawdev of the current cycle was probed */
static uint64_t probe_tsc;

static uint64_t
device_age_ms(void)
{
	return (rte_get_timer_cycles() - probe_tsc) * 1000 /
		rte_get_timer_hz();
}

/* The xstats of rawdev id that are not 0, one line, after what. */
static void
xstats_print(int id, const char *what)
{
	struct rte_rawdev_xstats_name names[128];
	unsigned int ids[RTE_DIM(names)];
	uint64_t values[RTE_DIM(names)];
	int n, i;

	n = rte_rawdev_xstats_names_get(id, names, RTE_DIM(names));
	if (n <= 0 || n > (int)RTE_DIM(names)) {
		printf("# %s: no xstats (%d)\n", what, n);
		return;
	}
	for (i = 0; i < n; i++)
		ids[i] = (unsigned int)i;
	if (rte_rawdev_xstats_get(id, ids, values, n) != n) {
		printf("# %s: xstats get failed\n", what);
		return;
	}
	printf("# %s: link %s, LINK_UP events %u, LINK_DOWN events %u; xstats:",
	       what, ntb_test_rawdev_link_up(id) ? "up" : "down",
	       __atomic_load_n(&link_ev.up, __ATOMIC_RELAXED),
	       __atomic_load_n(&link_ev.down, __ATOMIC_RELAXED));
	for (i = 0; i < n; i++)
		if (values[i] != 0)
			printf(" %s=%" PRIu64, names[i].name, values[i]);
	printf("\n");
	fflush(stdout);
}

static int
eal_up(const char *role, const char *vdev)
{
	return ntb_test_proc_eal_args(role, "-l", "0",
				      "--log-level", "lib.eal:warning",
				      "--log-level", "pmd.raw.ntb_dwedma:warning",
				      "--log-level", "pmd.net.ntb_vnet:warning",
				      vdev != NULL ? "--vdev" : NULL, vdev, NULL);
}

/* ---------------- EP: echo until the parent closes its socket -------- */

/* The parent closed its end of the EP's control socket (or wrote)? */
static bool
parent_done(void *arg)
{
	struct pollfd p = { .fd = *(int *)arg, .events = POLLIN };

	return poll(&p, 1, 0) != 0;
}

/*
 * Echo every packet back on queue 0 until the parent is done (at most
 * bound_s). Frames received while the link reads down are dropped and
 * counted in *dropped.
 */
static void
ep_echo(int id, int ctl, unsigned int bound_s, uint64_t *dropped)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * bound_s;
	struct rte_mbuf *pkts[BURST];

	while (rte_get_timer_cycles() < end && !parent_done(&ctl)) {
		uint16_t n, sent = 0;

		n = rte_pmd_ntb_dwedma_rx_burst(id, 0, pkts, RTE_DIM(pkts));
		while (sent < n && ntb_test_rawdev_link_up(id) &&
		       rte_get_timer_cycles() < end)
			sent += rte_pmd_ntb_dwedma_tx_burst(id, 0, pkts + sent,
							    n - sent);
		*dropped += n - sent;
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		if (n == 0)
			rte_delay_us_sleep(100);
	}
}

static int
ep_main(void *arg, int ctl)
{
	struct rte_mempool *mp;
	uint64_t dropped = 0;
	char vdev[160];
	char c;
	int id;

	RTE_SET_USED(arg);
	snprintf(vdev, sizeof(vdev),
		 "raw_ntb_vsim0,role=ep,link=%s,profile=rcar-s4", sock_path);
	if (eal_up("hp_ep", vdev) < 0)
		return 2;
	id = ntb_test_rawdev_pool_up("raw_ntb_vsim0", "hp_ep", NB_DESC, &mp);
	if (id < 0 ||
	    rte_pmd_ntb_dwedma_callback_register((uint16_t)id,
						 ntb_test_rawdev_count,
						 &link_ev) != 0)
		return 3;
	/* through the RC's removals, until the parent is done */
	ep_echo(id, ctl, 600, &dropped);
	/* 'D': a round failed, the RC wants to know what the EP saw */
	if (read(ctl, &c, 1) == 1 && c == 'D') {
		printf("# EP: echo dropped %" PRIu64 " frames (link read down)\n",
		       dropped);
		xstats_print(id, "EP");
	}
	rte_pmd_ntb_dwedma_callback_unregister((uint16_t)id,
					       ntb_test_rawdev_count, &link_ev);
	ntb_test_rawdev_down(id);
	rte_eal_cleanup();
	return 0;
}

/* ---------------- RC: probe, traffic, remove ---------------- */

typedef uint16_t (*burst_fn)(uint16_t id, struct rte_mbuf **p, uint16_t n);

static uint16_t
raw_tx(uint16_t id, struct rte_mbuf **p, uint16_t n)
{
	return rte_pmd_ntb_dwedma_tx_burst(id, 0, p, n);
}

static uint16_t
raw_rx(uint16_t id, struct rte_mbuf **p, uint16_t n)
{
	return rte_pmd_ntb_dwedma_rx_burst(id, 0, p, n);
}

static uint16_t
eth_tx(uint16_t id, struct rte_mbuf **p, uint16_t n)
{
	return rte_eth_tx_burst(id, 0, p, n);
}

static uint16_t
eth_rx(uint16_t id, struct rte_mbuf **p, uint16_t n)
{
	return rte_eth_rx_burst(id, 0, p, n);
}

static int
round_trip(uint16_t id, burst_fn tx_fn, burst_fn rx_fn,
	   struct rte_mempool *mp, uint32_t round)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * STEP_S;
	uint32_t tx = 0, rx = 0, bad = 0;
	struct rte_mbuf *pkts[BURST];

	while (rx < NB_PKTS && rte_get_timer_cycles() < end) {
		uint16_t n, i;

		if (tx < NB_PKTS) {
			struct rte_mbuf *m = ntb_test_pkt_make(mp, round, tx);

			if (m != NULL) {
				if (tx_fn(id, &m, 1) == 1)
					tx++;
				else
					rte_pktmbuf_free(m);
			}
		}
		n = rx_fn(id, pkts, BURST);
		for (i = 0; i < n; i++) {
			if (!ntb_test_pkt_ok(pkts[i], round, rx))
				bad++;
			rx++;
		}
		rte_pktmbuf_free_bulk(pkts, n);
		if (n == 0)
			rte_delay_us_sleep(50);
	}
	if (rx != NB_PKTS || bad != 0)
		printf("# round %u: sent %u, echoed %u, bad %u\n", round, tx,
		       rx, bad);
	return rx == NB_PKTS && tx == NB_PKTS && bad == 0 ? 0 : -1;
}

/* /proc/self/maps at the first cycle, to name what a later one added. */
static char maps_then[1 << 20];

static void
maps_save(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	size_t n = 0;

	maps_then[0] = '\0';
	if (f == NULL)
		return;
	n = fread(maps_then, 1, sizeof(maps_then) - 1, f);
	maps_then[n] = '\0';
	fclose(f);
}

static void
maps_print_new(void)
{
	char line[512];
	unsigned int shown = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL && shown < 20)
		if (!ntb_test_maps_ignored(line) && strstr(maps_then, line) == NULL) {
			printf("# new mapping: %s", line);
			shown++;
		}
	fclose(f);
}

static bool
usage_same(const struct ntb_test_usage *a,
	   const struct ntb_test_usage *b, const char *what)
{
	if (a->fds == b->fds && a->mzs == b->mzs && a->maps == b->maps)
		return true;
	printf("# %s: fds %u -> %u, memzones %u -> %u, maps %u -> %u\n",
	       what, a->fds, b->fds, a->mzs, b->mzs, a->maps, b->maps);
	maps_print_new();
	return false;
}

static int
raw_probe(void)
{
	char devargs[200];

	snprintf(devargs, sizeof(devargs),
		 RAW_RC ",role=rc,link=%s,profile=rcar-s4,liveness_ms=%u",
		 sock_path, LIVENESS_MS);
	probe_tsc = rte_get_timer_cycles();
	return rte_dev_probe(devargs);
}

static int
wait_raw_up(int id)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * STEP_S;

	while (rte_get_timer_cycles() < end) {
		if (ntb_test_rawdev_link_up(id))
			return 0;
		rte_delay_us_sleep(1000);
	}
	return -1;
}

static int
wait_eth_up(uint16_t port)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * STEP_S;
	struct rte_eth_link l;

	while (rte_get_timer_cycles() < end) {
		if (rte_eth_link_get_nowait(port, &l) == 0 &&
		    l.link_status == RTE_ETH_LINK_UP)
			return 0;
		rte_delay_us_sleep(1000);
	}
	return -1;
}

/* Every EP_CYCLES cycles: ask the parent for a new EP (see above). */
static int
maybe_new_ep(void)
{
	static unsigned int n;
	char c = 'E';

	if (++n % EP_CYCLES != 0)
		return 0;
	if (write(parent_fd, &c, 1) != 1 || read(parent_fd, &c, 1) != 1 ||
	    c != 'k')
		return -1;
	nb_ep_restarts++;
	return 0;
}

/* Count the link events of the RC's rawdev from now on (0 or -1). */
static int
rc_events_on(void)
{
	int id = rte_rawdev_get_dev_id(RAW_RC);

	link_ev.up = 0;
	link_ev.down = 0;
	return id < 0 ? -1 :
		rte_pmd_ntb_dwedma_callback_register((uint16_t)id,
						     ntb_test_rawdev_count,
						     &link_ev);
}

static void
rc_events_off(void)
{
	int id = rte_rawdev_get_dev_id(RAW_RC);

	if (id >= 0)
		rte_pmd_ntb_dwedma_callback_unregister((uint16_t)id,
						       ntb_test_rawdev_count,
						       &link_ev);
}

/* A round failed: what the RC's rawdev and then the EP saw. */
static void
round_diag(void)
{
	char c = 'D';

	printf("# RC: its rawdev was probed %" PRIu64 " ms ago (a heartbeat every %u ms)\n",
	       device_age_ms(), LIVENESS_MS);
	xstats_print(rte_rawdev_get_dev_id(RAW_RC), "RC");
	/* the parent relays to the EP, which prints and ends; then 'k' */
	if (write(parent_fd, &c, 1) != 1 || read(parent_fd, &c, 1) != 1)
		printf("# no answer from the parent for the EP's diagnostics\n");
}

/*
 * The new device's peer_heartbeats: none before LIVENESS_MS, then at most
 * one per LIVENESS_MS (the next is sent that long after an answer), so
 * never more than age / LIVENESS_MS; more is a count from an older
 * device. With first: wait (bounded) until the device had one.
 */
static int
heartbeats_fresh(int id, bool first)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * STEP_S;
	unsigned int xid;
	uint64_t n, age;

	for (;;) {
		/* the age after the count: every heartbeat counted is older */
		n = rte_rawdev_xstats_by_name_get((uint16_t)id,
						  "peer_heartbeats", &xid);
		age = device_age_ms();
		if (n > age / LIVENESS_MS) {
			printf("# peer_heartbeats %" PRIu64 " on a device %" PRIu64 " ms old: at most %" PRIu64 "\n",
			       n, age, age / LIVENESS_MS);
			return -1;
		}
		if (!first || n > 0)
			return 0;
		if (rte_get_timer_cycles() > end) {
			printf("# no heartbeat answered in %u s\n", STEP_S);
			return -1;
		}
		rte_delay_us_sleep(50 * 1000);
	}
}

/* One rawdev cycle: probe, up, echo, stop, close, remove. */
static int
raw_cycle(struct rte_mempool *mp, uint32_t round)
{
	int id, rc;

	if (maybe_new_ep() != 0 || raw_probe() != 0)
		return -1;
	if (rc_events_on() != 0)
		id = -1;
	else
		id = ntb_test_rawdev_up(RAW_RC, mp, NB_DESC);
	rc = id < 0 ? -2 : wait_raw_up(id) < 0 ? -3 :
		round_trip((uint16_t)id, raw_tx, raw_rx, mp, round) < 0 ?
		-4 : heartbeats_fresh(id, round == 0) < 0 ? -6 : 0;
	if (rc == -3 || rc == -4)
		round_diag();
	rc_events_off();
	if (id >= 0) {
		rte_rawdev_stop(id);
		rte_rawdev_close(id);
	}
	if (rte_eal_hotplug_remove("vdev", RAW_RC) != 0)
		rc = rc != 0 ? rc : -5;
	return rc;
}

/* One ethdev cycle: rawdev and ethdev probed, port up, traffic, all removed. */
static int
eth_cycle(struct rte_mempool *mp, uint32_t round)
{
	struct rte_eth_conf conf;
	char devargs[64];
	uint16_t port;
	int rc = 0;

	if (maybe_new_ep() != 0 || raw_probe() != 0)
		return -1;
	if (rc_events_on() != 0) {
		rte_eal_hotplug_remove("vdev", RAW_RC);
		return -2;
	}
	snprintf(devargs, sizeof(devargs), ETH_RC ",rawdev=" RAW_RC);
	if (rte_dev_probe(devargs) != 0 ||
	    rte_eth_dev_get_port_by_name(ETH_RC, &port) != 0) {
		rc_events_off();
		rte_eal_hotplug_remove("vdev", RAW_RC);
		return -2;
	}
	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_configure(port, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(port, 0, NB_DESC, SOCKET_ID_ANY, NULL,
				   mp) != 0 ||
	    rte_eth_tx_queue_setup(port, 0, NB_DESC, SOCKET_ID_ANY,
				   NULL) != 0 ||
	    rte_eth_dev_start(port) != 0)
		rc = -3;
	else if (wait_eth_up(port) < 0)
		rc = -4;
	else if (round_trip(port, eth_tx, eth_rx, mp, round) < 0)
		rc = -5;
	if (rc == -4 || rc == -5)
		round_diag();
	rc_events_off();
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	if (rte_eal_hotplug_remove("vdev", ETH_RC) != 0)
		rc = rc != 0 ? rc : -6;
	if (rte_eal_hotplug_remove("vdev", RAW_RC) != 0)
		rc = rc != 0 ? rc : -7;
	return rc;
}

static void
result(int ok, const char *what)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++ntb_test_count, what);
	if (!ok)
		ntb_test_failed++;
	fflush(stdout);
}

static int
rc_main(void)
{
	struct rte_mempool *mp;
	struct ntb_test_usage u_raw1, u_raw, u_eth1, u_eth;
	unsigned int i, failed = 0;
	char what[128];
	int rc;

	if (eal_up("hp_rc", NULL) < 0) {
		printf("Bail out! EAL init failed\n");
		return 1;
	}
	mp = rte_pktmbuf_pool_create("hp_rc", 4095, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (mp == NULL) {
		printf("Bail out! mempool\n");
		return 1;
	}
	for (i = 0; i < nb_cycles && failed == 0; i++) {
		rc = raw_cycle(mp, i);
		if (rc != 0) {
			snprintf(what, sizeof(what),
				 "rawdev cycle %u failed (%d)", i, rc);
			result(0, what);
			failed++;
		}
		if (i == 0) {
			ntb_test_usage_get(&u_raw1);
			maps_save();
		}
	}
	ntb_test_usage_get(&u_raw);
	snprintf(what, sizeof(what),
		 "rawdev probed and removed %u times, %u packets echoed byte-exact each",
		 i, NB_PKTS);
	result(failed == 0, what);
	result(usage_same(&u_raw1, &u_raw, "rawdev cycles"),
	       "rawdev cycles: no fd, memzone or mapping growth");
	for (i = 0; i < nb_cycles && failed == 0; i++) {
		rc = eth_cycle(mp, 1000 + i);
		if (rc != 0) {
			snprintf(what, sizeof(what),
				 "ethdev cycle %u failed (%d)", i, rc);
			result(0, what);
			failed++;
		}
		if (i == 0) {
			ntb_test_usage_get(&u_eth1);
			maps_save();
		}
	}
	ntb_test_usage_get(&u_eth);
	snprintf(what, sizeof(what),
		 "ethdev (and its rawdev) probed and removed %u times, %u packets each byte-exact",
		 i, NB_PKTS);
	result(failed == 0, what);
	result(usage_same(&u_eth1, &u_eth, "ethdev cycles"),
	       "ethdev cycles: no fd, memzone or mapping growth");
	printf("# after the first / last rawdev cycle: fds %u/%u, memzones %u/%u, maps %u/%u\n",
	       u_raw1.fds, u_raw.fds, u_raw1.mzs, u_raw.mzs, u_raw1.maps,
	       u_raw.maps);
	printf("# after the first / last ethdev cycle: fds %u/%u, memzones %u/%u, maps %u/%u\n",
	       u_eth1.fds, u_eth.fds, u_eth1.mzs, u_eth.mzs, u_eth1.maps,
	       u_eth.maps);
	printf("# EP processes restarted %u times (peer restart rate limit)\n",
	       nb_ep_restarts);
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return ntb_test_done();
}

/* Close the EP's control socket (its cue to stop) and reap it, bounded. */
static void
ep_stop(struct ntb_test_proc *ep)
{
	close(ep->fd);
	ep->fd = -1;
	ntb_test_proc_wait(ep, 30);
}

/* arg: the EP, whose control socket only the parent may hold */
static int
rc_child(void *arg, int fd)
{
	close(((struct ntb_test_proc *)arg)->fd);
	parent_fd = fd;
	/* exit(), not a return to _exit(): LeakSanitizer runs at exit */
	exit(rc_main());
}

int
main(void)
{
	const char *env = getenv("NTB_HOTPLUG_CYCLES");
	struct ntb_test_proc ep, rc;
	int ret;
	uint64_t i;

	if (env != NULL)
		nb_cycles = (unsigned int)atoi(env);
	if (nb_cycles < 2 || nb_cycles > 10000) {
		printf("Bail out! NTB_HOTPLUG_CYCLES must be 2..10000\n");
		return 1;
	}
	ntb_test_proc_sock_path(sock_path, sizeof(sock_path), "hp");
	if (ntb_test_proc_start(&ep, "ep", ep_main, NULL) < 0 ||
	    ntb_test_proc_start(&rc, "rc", rc_child, &ep) < 0)
		return 1;
	ret = -1;
	for (i = 0; i < 600 * 20; i++) {
		struct pollfd p = { .fd = rc.fd, .events = POLLIN };
		siginfo_t si = { .si_pid = 0 };
		char c;

		/* the RC's own bound: served here, reaped below */
		if (waitid(P_PID, (id_t)rc.pid, &si,
			   WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == rc.pid) {
			ret = 0;
			break;
		}
		if (poll(&p, 1, 50) != 1 || read(rc.fd, &c, 1) != 1)
			continue;
		if (c == 'E') {
			ep_stop(&ep);
			c = 'k';
			if (ntb_test_proc_start(&ep, "ep", ep_main, NULL) < 0 ||
			    write(rc.fd, &c, 1) != 1)
				break;
		} else if (c == 'D') {
			/* a round failed: the EP prints what it saw, ends */
			if (ep.pid <= 0 || write(ep.fd, &c, 1) != 1)
				printf("# EP gone: no diagnostics from it\n");
			if (ep.pid > 0)
				ep_stop(&ep);
			c = 'k';
			if (write(rc.fd, &c, 1) != 1)
				break;
		}
	}
	if (ret < 0)
		printf("# RC process past its bound: killed\n");
	ret = ntb_test_proc_wait(&rc, ret < 0 ? 0 : 30);
	if (ep.pid > 0)
		ep_stop(&ep);
	unlink(sock_path);
	if (ret != 0)
		printf("# RC process exit status %d\n", ret);
	return ret;
}
