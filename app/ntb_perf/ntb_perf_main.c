/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * dpdk-ntb-perf [EAL args] -- --test pingpong|stream --role ROLE [options]
 *
 * Argument parsing, port setup and the helpers the tests share. The
 * port is configured with one Rx and one Tx queue; in intr mode with
 * Rx interrupts, added to this thread's epoll set.
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_epoll.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "ntb_perf.h"

volatile bool perf_quit;
static struct rte_mempool *pool;

static const char *const test_names[] = { "pingpong", "stream" };
static const char *const mode_names[] = { "poll", "intr" };

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: dpdk-ntb-perf [EAL args] -- --test pingpong|stream --role ROLE [options]\n"
		"  --test pingpong    one packet in flight; the client reports the round trip\n"
		"  --test stream      one side sends, the other receives and checks\n"
		"  --role ROLE        pingpong: client|server; stream: tx|rx\n"
		"                     (client and tx are the same side, so are server and rx)\n"
		"  --mode poll|intr   intr: receivers sleep on Rx interrupts (default poll)\n"
		"  --size BYTES       frame length with Ethernet header, %u..%u (default 64)\n"
		"  --duration SEC     measurement time of the client/sender (default 5)\n"
		"  --link-timeout SEC wait this long for link up and for the peer (default 30)\n"
		"  --burst N          Tx/Rx burst, 1..512 (default 32)\n"
		"  --warmup N         pingpong round trips not measured (default 1000)\n"
		"  --check all|seq    check the whole payload or only sequence numbers (default all)\n"
		"  --port N           ethdev port (default 0)\n"
		"  --mbufs N          mbufs in the pool (default 8191)\n"
		"  --count N          stream: send N data packets, or stop at --duration\n"
		"The last output line is a JSON object with every figure.\n",
		(unsigned int)PERF_MIN_SIZE, PERF_MAX_SIZE);
}

static int
parse_u32(const char *name, const char *s, uint32_t lo, uint32_t hi,
	  uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' ||
	    v < lo || v > hi) {
		fprintf(stderr, "dpdk-ntb-perf: --%s %s: expected an integer in %u..%u\n",
			name, s, lo, hi);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int
parse_sec(const char *name, const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi)) {
		fprintf(stderr, "dpdk-ntb-perf: --%s %s: expected seconds in %g..%g\n",
			name, s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int
parse_args(int argc, char **argv, struct perf_opts *o)
{
	enum { O_TEST = 256, O_ROLE, O_MODE, O_SIZE, O_DURATION, O_LINK,
	       O_BURST, O_WARMUP, O_CHECK, O_PORT, O_MBUFS, O_COUNT, O_HELP };
	static const struct option longopts[] = {
		{ "test", required_argument, NULL, O_TEST },
		{ "role", required_argument, NULL, O_ROLE },
		{ "mode", required_argument, NULL, O_MODE },
		{ "size", required_argument, NULL, O_SIZE },
		{ "duration", required_argument, NULL, O_DURATION },
		{ "link-timeout", required_argument, NULL, O_LINK },
		{ "burst", required_argument, NULL, O_BURST },
		{ "warmup", required_argument, NULL, O_WARMUP },
		{ "check", required_argument, NULL, O_CHECK },
		{ "port", required_argument, NULL, O_PORT },
		{ "mbufs", required_argument, NULL, O_MBUFS },
		{ "count", required_argument, NULL, O_COUNT },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	const char *role = NULL;
	bool have_test = false;
	uint32_t v;
	int c;

	*o = (struct perf_opts){
		.size = 64, .burst = 32, .duration = 5.0, .link_timeout = 30.0,
		.warmup = 1000, .nb_mbufs = 8191,
	};
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case O_TEST:
			if (strcmp(optarg, "pingpong") == 0)
				o->test = PERF_PINGPONG;
			else if (strcmp(optarg, "stream") == 0)
				o->test = PERF_STREAM;
			else {
				fprintf(stderr, "dpdk-ntb-perf: --test %s: expected pingpong or stream\n",
					optarg);
				return -1;
			}
			have_test = true;
			break;
		case O_ROLE:
			role = optarg;
			break;
		case O_MODE:
			if (strcmp(optarg, "poll") == 0)
				o->mode = PERF_POLL;
			else if (strcmp(optarg, "intr") == 0)
				o->mode = PERF_INTR;
			else {
				fprintf(stderr, "dpdk-ntb-perf: --mode %s: expected poll or intr\n",
					optarg);
				return -1;
			}
			break;
		case O_SIZE:
			if (parse_u32("size", optarg, PERF_MIN_SIZE,
				      PERF_MAX_SIZE, &o->size) < 0)
				return -1;
			break;
		case O_DURATION:
			if (parse_sec("duration", optarg, 0.01, 86400,
				      &o->duration) < 0)
				return -1;
			break;
		case O_LINK:
			if (parse_sec("link-timeout", optarg, 0.1, 3600,
				      &o->link_timeout) < 0)
				return -1;
			break;
		case O_BURST:
			if (parse_u32("burst", optarg, 1, 512, &o->burst) < 0)
				return -1;
			break;
		case O_WARMUP:
			if (parse_u32("warmup", optarg, 0, 100000000,
				      &o->warmup) < 0)
				return -1;
			break;
		case O_CHECK:
			if (strcmp(optarg, "all") == 0)
				o->check = PERF_CHECK_ALL;
			else if (strcmp(optarg, "seq") == 0)
				o->check = PERF_CHECK_SEQ;
			else {
				fprintf(stderr, "dpdk-ntb-perf: --check %s: expected all or seq\n",
					optarg);
				return -1;
			}
			break;
		case O_PORT:
			if (parse_u32("port", optarg, 0, RTE_MAX_ETHPORTS - 1,
				      &v) < 0)
				return -1;
			o->port = (uint16_t)v;
			break;
		case O_MBUFS:
			if (parse_u32("mbufs", optarg, 1024, 1u << 22,
				      &o->nb_mbufs) < 0)
				return -1;
			break;
		case O_COUNT:
			if (parse_u32("count", optarg, 1, UINT32_MAX, &v) < 0)
				return -1;
			o->count = v;
			break;
		case 'h':
		case O_HELP:
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dpdk-ntb-perf: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (!have_test || role == NULL) {
		fprintf(stderr, "dpdk-ntb-perf: --test and --role are required\n");
		usage(stderr);
		return -1;
	}
	if (o->test == PERF_PINGPONG && strcmp(role, "client") == 0)
		o->role = PERF_CLIENT;
	else if (o->test == PERF_PINGPONG && strcmp(role, "server") == 0)
		o->role = PERF_SERVER;
	else if (o->test == PERF_STREAM && strcmp(role, "tx") == 0)
		o->role = PERF_CLIENT;
	else if (o->test == PERF_STREAM && strcmp(role, "rx") == 0)
		o->role = PERF_SERVER;
	else {
		fprintf(stderr, "dpdk-ntb-perf: --role %s: expected %s with --test %s\n",
			role, o->test == PERF_PINGPONG ? "client or server" :
			"tx or rx", o->test == PERF_PINGPONG ? "pingpong" : "stream");
		return -1;
	}
	return 0;
}

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	perf_quit = true;
}

uint64_t
perf_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

double
perf_cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

struct rte_mempool *
perf_pool(void)
{
	return pool;
}

void
perf_json_common(struct perf_json *j, const struct perf_opts *o)
{
	struct rte_eth_dev_info info;

	perf_json_str(j, "tool", "dpdk-ntb-perf");
	perf_json_str(j, "test", test_names[o->test]);
	perf_json_str(j, "role", o->test == PERF_PINGPONG ?
		      (o->role == PERF_CLIENT ? "client" : "server") :
		      (o->role == PERF_CLIENT ? "tx" : "rx"));
	perf_json_str(j, "mode", mode_names[o->mode]);
	if (rte_eth_dev_info_get(o->port, &info) == 0)
		perf_json_str(j, "driver", info.driver_name);
	perf_json_u64(j, "size", o->size);
	perf_json_u64(j, "burst", o->burst);
	perf_json_str(j, "check", o->check == PERF_CHECK_ALL ? "all" : "seq");
	perf_json_u64(j, "lcore", rte_lcore_id());
}

uint16_t
perf_rx_wait(const struct perf_opts *o, struct rte_mbuf **pkts, uint16_t n,
	     int timeout_ms)
{
	struct rte_epoll_event ev;
	uint16_t nb;

	if (o->mode != PERF_INTR)
		return 0;
	if (rte_eth_dev_rx_intr_enable(o->port, 0) != 0)
		return 0;
	/* a packet may have landed between the last poll and arming */
	nb = rte_eth_rx_burst(o->port, 0, pkts, n);
	if (nb == 0)
		rte_epoll_wait_interruptible(RTE_EPOLL_PER_THREAD, &ev, 1,
					     timeout_ms);
	rte_eth_dev_rx_intr_disable(o->port, 0);
	return nb;
}

bool
perf_tx_all(const struct perf_opts *o, struct rte_mbuf **pkts, uint16_t n,
	    uint64_t deadline_ns)
{
	uint16_t done = 0;
	uint32_t spins = 0;

	while (done < n) {
		done += perf_tx_burst(o->port, pkts + done, n - done);
		if (done == n)
			break;
		/* --count (instruction counts): let the receiver drain so that
		 * the next burst is a full one, whatever the timing
		 */
		if (o->count != 0)
			rte_delay_us_sleep(1000);
		if (perf_quit || ((++spins & 1023) == 0 &&
				  perf_ns() > deadline_ns)) {
			rte_pktmbuf_free_bulk(pkts + done, n - done);
			return false;
		}
	}
	return true;
}

static int
port_setup(const struct perf_opts *o)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint16_t nb_rxd = 1024, nb_txd = 1024;
	uint32_t room;
	int ret;

	if (!rte_eth_dev_is_valid_port(o->port)) {
		fprintf(stderr, "dpdk-ntb-perf: --port %u: no such ethdev (%u available; give one with --vdev)\n",
			o->port, rte_eth_dev_count_avail());
		return -1;
	}
	ret = rte_eth_dev_info_get(o->port, &info);
	if (ret != 0) {
		fprintf(stderr, "dpdk-ntb-perf: port %u: info: %s\n", o->port,
			rte_strerror(-ret));
		return -1;
	}
	room = RTE_MAX(o->size, (uint32_t)RTE_ETHER_MAX_LEN) +
		RTE_PKTMBUF_HEADROOM;
	pool = rte_pktmbuf_pool_create("ntb_perf", o->nb_mbufs, 256, 0,
				       (uint16_t)RTE_MAX(room,
					(uint32_t)RTE_MBUF_DEFAULT_BUF_SIZE),
				       rte_socket_id());
	if (pool == NULL) {
		fprintf(stderr, "dpdk-ntb-perf: mbuf pool of %u: %s (raise EAL -m)\n",
			o->nb_mbufs, rte_strerror(rte_errno));
		return -1;
	}
	perf_pkt_prefill(pool);
	if (o->mode == PERF_INTR)
		conf.intr_conf.rxq = 1;
	if (o->size > RTE_ETHER_MAX_LEN)
		conf.rxmode.mtu = o->size - RTE_ETHER_HDR_LEN;
	ret = rte_eth_dev_configure(o->port, 1, 1, &conf);
	if (ret != 0) {
		fprintf(stderr, "dpdk-ntb-perf: port %u (%s): configure%s: %s\n",
			o->port, info.driver_name,
			o->mode == PERF_INTR ? " with Rx interrupts" : "",
			rte_strerror(-ret));
		return -1;
	}
	rte_eth_dev_adjust_nb_rx_tx_desc(o->port, &nb_rxd, &nb_txd);
	ret = rte_eth_rx_queue_setup(o->port, 0, nb_rxd, rte_socket_id(),
				     NULL, pool);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(o->port, 0, nb_txd,
					     rte_socket_id(), NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(o->port);
	if (ret != 0) {
		fprintf(stderr, "dpdk-ntb-perf: port %u (%s): queue setup/start: %s\n",
			o->port, info.driver_name, rte_strerror(-ret));
		return -1;
	}
	if (o->mode == PERF_INTR) {
		ret = rte_eth_dev_rx_intr_ctl_q(o->port, 0,
						RTE_EPOLL_PER_THREAD,
						RTE_INTR_EVENT_ADD, NULL);
		if (ret != 0) {
			fprintf(stderr, "dpdk-ntb-perf: port %u (%s): Rx interrupts: %s\n",
				o->port, info.driver_name, rte_strerror(-ret));
			return -1;
		}
	}
	return 0;
}

static int
wait_link(const struct perf_opts *o)
{
	uint64_t deadline = perf_ns() + (uint64_t)(o->link_timeout * 1e9);
	struct rte_eth_link link;

	while (!perf_quit) {
		if (rte_eth_link_get_nowait(o->port, &link) == 0 &&
		    link.link_status == RTE_ETH_LINK_UP)
			return 0;
		if (perf_ns() > deadline)
			break;
		rte_delay_us_sleep(10000);
	}
	fprintf(stderr, "dpdk-ntb-perf: port %u: link down after %g s (is the peer running?)\n",
		o->port, o->link_timeout);
	return -1;
}

static void
port_close(const struct perf_opts *o)
{
	if (o->mode == PERF_INTR)
		rte_eth_dev_rx_intr_ctl_q(o->port, 0, RTE_EPOLL_PER_THREAD,
					  RTE_INTR_EVENT_DEL, NULL);
	rte_eth_dev_stop(o->port);
	rte_eth_dev_close(o->port);
}

int
main(int argc, char **argv)
{
	struct perf_opts o;
	int ret, status;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "dpdk-ntb-perf: EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return 2;
	}
	argc -= ret;
	argv += ret;
	argv[0] = (char *)(uintptr_t)"dpdk-ntb-perf";
	if (parse_args(argc, argv, &o) < 0) {
		rte_eal_cleanup();
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* vhost-user: a peer that exits first must not kill us mid-report */
	signal(SIGPIPE, SIG_IGN);
	perf_pkt_template_init(o.size);
	if (port_setup(&o) < 0) {
		rte_eal_cleanup();
		return 1;
	}
	if (wait_link(&o) < 0) {
		status = 1;
		goto out;
	}
	printf("dpdk-ntb-perf: port %u link up, %s %s, %s mode, %u-byte frames\n",
	       o.port, test_names[o.test],
	       o.test == PERF_PINGPONG ?
	       (o.role == PERF_CLIENT ? "client" : "server") :
	       (o.role == PERF_CLIENT ? "tx" : "rx"),
	       mode_names[o.mode], o.size);
	fflush(stdout);
	if (o.test == PERF_PINGPONG)
		status = o.role == PERF_CLIENT ? perf_pingpong_client(&o) :
			perf_pingpong_server(&o);
	else
		status = o.role == PERF_CLIENT ? perf_stream_tx(&o) :
			perf_stream_rx(&o);
out:
	port_close(&o);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return status;
}
