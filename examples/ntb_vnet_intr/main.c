/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * ntb_vnet_intr: an echo server that sleeps on Rx interrupts.
 *
 * It polls one port; after --idle-polls empty polls it arms the Rx
 * interrupt, polls once more (a packet may have arrived before arming),
 * sleeps in rte_epoll_wait and disarms on wakeup. Every received packet
 * goes back out with source and destination MAC swapped. At the end
 * (SIGINT, SIGTERM or --duration) it prints one JSON object: packets
 * echoed, wakeups, time asleep and awake, CPU time used.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_epoll.h>
#include <rte_ethdev.h>
#include <rte_interrupts.h>
#include <rte_mbuf.h>

#define BURST		32
#define NB_MBUFS	2047
#define NB_DESC		256

struct app_opts {
	uint16_t port;
	double duration;	/* seconds, 0: until a signal */
	unsigned int idle_polls;
	int timeout_ms;
};

struct app_report {
	uint64_t rx;
	uint64_t echoed;
	uint64_t tx_dropped;
	uint64_t sleeps;
	uint64_t wakeups;	/* sleeps ended by an interrupt */
	double slept;
	double total;
};

static volatile sig_atomic_t quit;

static void
on_signal(int sig __rte_unused)
{
	quit = 1;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [EAL args] -- [--port N] [--duration S] [--idle-polls N] [--timeout-ms MS]\n"
		"  --port N         port to serve (default 0)\n"
		"  --duration S     stop after S seconds (default: on SIGINT/SIGTERM)\n"
		"  --idle-polls N   empty polls before sleeping (default 64)\n"
		"  --timeout-ms MS  longest single sleep (default 100)\n",
		prog);
}

static int
parse_opts(int argc, char **argv, struct app_opts *o)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "duration", required_argument, NULL, 'd' },
		{ "idle-polls", required_argument, NULL, 'i' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	long v;
	int c;

	o->port = 0;
	o->duration = 0;
	o->idle_polls = 64;
	o->timeout_ms = 100;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		errno = 0;
		switch (c) {
		case 'p':
			v = strtol(optarg, &end, 10);
			if (*end != '\0' || v < 0 || v >= RTE_MAX_ETHPORTS) {
				fprintf(stderr, "--port %s: not a port id\n",
					optarg);
				return -1;
			}
			o->port = (uint16_t)v;
			break;
		case 'd':
			o->duration = strtod(optarg, &end);
			if (*end != '\0' || o->duration < 0) {
				fprintf(stderr, "--duration %s: expected seconds >= 0\n",
					optarg);
				return -1;
			}
			break;
		case 'i':
			v = strtol(optarg, &end, 10);
			if (*end != '\0' || v < 0 || v > 1000000) {
				fprintf(stderr, "--idle-polls %s: expected 0..1000000\n",
					optarg);
				return -1;
			}
			o->idle_polls = (unsigned int)v;
			break;
		case 't':
			v = strtol(optarg, &end, 10);
			if (*end != '\0' || v < 1 || v > 60000) {
				fprintf(stderr, "--timeout-ms %s: expected 1..60000\n",
					optarg);
				return -1;
			}
			o->timeout_ms = (int)v;
			break;
		default:
			usage(argv[0]);
			return -1;
		}
	}
	return 0;
}

static int
port_init(uint16_t port, struct rte_mempool *mp)
{
	struct rte_eth_conf conf = { .intr_conf.rxq = 1 };
	int ret;

	if (!rte_eth_dev_is_valid_port(port)) {
		fprintf(stderr, "port %u does not exist\n", port);
		return -ENODEV;
	}
	ret = rte_eth_dev_configure(port, 1, 1, &conf);
	if (ret != 0) {
		fprintf(stderr, "port %u: configure with Rx interrupts failed: %s (net_ntb_vnet needs mode=intr)\n",
			port, rte_strerror(-ret));
		return ret;
	}
	ret = rte_eth_rx_queue_setup(port, 0, NB_DESC,
			rte_eth_dev_socket_id(port), NULL, mp);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(port, 0, NB_DESC,
				rte_eth_dev_socket_id(port), NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(port);
	if (ret != 0) {
		fprintf(stderr, "port %u: setup failed: %s\n", port,
			rte_strerror(-ret));
		return ret;
	}
	/* After start: the PMD builds the interrupt vectors in dev_start. */
	ret = rte_eth_dev_rx_intr_ctl_q(port, 0, RTE_EPOLL_PER_THREAD,
			RTE_INTR_EVENT_ADD, NULL);
	if (ret != 0) {
		fprintf(stderr, "port %u: rx_intr_ctl_q: %s\n", port,
			rte_strerror(-ret));
		return ret;
	}
	return 0;
}

static void
echo(uint16_t port, struct rte_mbuf **pkts, uint16_t n,
		struct app_report *r)
{
	uint16_t i, sent;

	for (i = 0; i < n; i++) {
		struct rte_ether_hdr *eth;
		struct rte_ether_addr tmp;

		if (pkts[i]->data_len < sizeof(*eth))
			continue;
		eth = rte_pktmbuf_mtod(pkts[i], struct rte_ether_hdr *);
		rte_ether_addr_copy(&eth->src_addr, &tmp);
		rte_ether_addr_copy(&eth->dst_addr, &eth->src_addr);
		rte_ether_addr_copy(&tmp, &eth->dst_addr);
	}
	sent = rte_eth_tx_burst(port, 0, pkts, n);
	if (sent < n) {
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		r->tx_dropped += n - sent;
	}
	r->rx += n;
	r->echoed += sent;
}

/* Arm, poll once more, sleep, disarm. Returns packets found. */
static uint16_t
sleep_until_rx(const struct app_opts *o, struct rte_mbuf **pkts,
		struct app_report *r)
{
	struct rte_epoll_event ev;
	double t0;
	uint16_t n;
	int ret;

	if (rte_eth_dev_rx_intr_enable(o->port, 0) != 0)
		return 0;
	n = rte_eth_rx_burst(o->port, 0, pkts, BURST);
	if (n == 0) {
		t0 = now_s();
		ret = rte_epoll_wait_interruptible(RTE_EPOLL_PER_THREAD, &ev,
				1, o->timeout_ms);
		r->slept += now_s() - t0;
		r->sleeps++;
		if (ret > 0)
			r->wakeups++;
	}
	rte_eth_dev_rx_intr_disable(o->port, 0);
	return n;
}

static void
serve(const struct app_opts *o, struct app_report *r)
{
	struct rte_mbuf *pkts[BURST];
	double start = now_s();
	unsigned int empty = 0;
	uint16_t n;

	while (!quit && (o->duration == 0 || now_s() - start < o->duration)) {
		n = rte_eth_rx_burst(o->port, 0, pkts, BURST);
		if (n == 0 && ++empty >= o->idle_polls) {
			n = sleep_until_rx(o, pkts, r);
			empty = 0;
		}
		if (n != 0) {
			echo(o->port, pkts, n, r);
			empty = 0;
		}
	}
	r->total = now_s() - start;
}

static double
tv_s(const struct timeval *tv)
{
	return tv->tv_sec + tv->tv_usec / 1e6;
}

static void
report(const struct app_report *r)
{
	struct rusage ru;
	double cpu;

	getrusage(RUSAGE_SELF, &ru);
	cpu = tv_s(&ru.ru_utime) + tv_s(&ru.ru_stime);
	printf("{\"packets_received\": %" PRIu64 ", \"packets_echoed\": %"
		PRIu64 ", \"tx_dropped\": %" PRIu64 ", \"sleeps\": %" PRIu64
		", \"wakeups\": %" PRIu64 ", \"time_total_s\": %.3f"
		", \"time_slept_s\": %.3f, \"time_awake_s\": %.3f"
		", \"cpu_user_s\": %.3f, \"cpu_sys_s\": %.3f"
		", \"cpu_percent\": %.1f}\n",
		r->rx, r->echoed, r->tx_dropped, r->sleeps, r->wakeups,
		r->total, r->slept, r->total - r->slept,
		tv_s(&ru.ru_utime), tv_s(&ru.ru_stime),
		r->total > 0 ? 100.0 * cpu / r->total : 0.0);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct app_report r = { 0 };
	struct rte_mempool *mp;
	struct app_opts o;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	argc -= ret;
	argv += ret;
	if (parse_opts(argc, argv, &o) != 0) {
		rte_eal_cleanup();
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	mp = rte_pktmbuf_pool_create("echo_pool", NB_MBUFS, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (mp == NULL || port_init(o.port, mp) != 0) {
		rte_eal_cleanup();
		return 1;
	}
	serve(&o, &r);
	report(&r);

	rte_eth_dev_rx_intr_ctl_q(o.port, 0, RTE_EPOLL_PER_THREAD,
		RTE_INTR_EVENT_DEL, NULL);
	rte_eth_dev_stop(o.port);
	rte_eth_dev_close(o.port);
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return 0;
}
