/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Peer death and restart on the virtual link, either side: argv[1] is
 * the side that dies ("ep" or "rc"); the other side survives in one
 * process the whole time. For each of NTB_CYCLES (default 20) cycles a
 * new victim process starts, the survivor sees the link come up, sends
 * NB_PKTS numbered packets that the victim echoes (checked byte for
 * byte, in order), reports its fd, memzone and /proc/self/maps line
 * counts, and the parent kills the victim with SIGKILL; the survivor
 * must see the link go down. Then one more victim is stopped (SIGSTOP).
 * A stopped RC, for STOP_S seconds, longer than connect_timeout_ms, while
 * the EP survivor sends: the survivor must keep running (it says so
 * after a second without echoes) and, after SIGCONT, every packet must
 * come back byte-exact. A stopped EP: the RC survivor's heartbeat
 * (liveness_ms, default) must take its link down; after SIGCONT the link
 * must come up again and every packet come back byte-exact. The counts after the last cycle must equal those after
 * the second (the first connection may allocate for good), and the
 * survivor must have seen one LINK_DOWN per kill and one LINK_UP per
 * victim.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_pmd_ntb.h>
#include <rte_rawdev.h>

#include "ntb_test.h"
#include "ntb_test_rawdev.h"
#include "rte_pmd_ntb_dwedma.h"

#define NB_PKTS		200
#define BURST		32
#define NB_DESC		256
#define STEP_S		30	/* bound of every wait */
#define STOP_S		3	/* SIGSTOP length, > connect_timeout_ms */
#define MAX_CYCLES	100

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
		"test_peer_cycles", "--no-huge", "--no-pci", "-m", "256",
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

	mp = rte_pktmbuf_pool_create("pc_mp", 4095, 0, 0,
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

static bool victim_is_ep;
static unsigned int nb_cycles = 20;

static void
vdev_of(bool ep, char *vdev, size_t len)
{
	snprintf(vdev, len, "raw_ntb_vsim%d,role=%s,link=%s,profile=rcar-s4",
		 ep ? 0 : 1, ep ? "ep" : "rc", sock_path);
}

/* ---------------- victim: echo until the survivor goes (bounded) ------ */

static int
victim_main(int cycle)
{
	struct rte_mempool *mp;
	struct rte_mbuf *pkts[BURST];
	uint64_t end;
	bool was_up = false, flapped = false;
	char vdev[160], tag[32];
	int id;

	vdev_of(victim_is_ep, vdev, sizeof(vdev));
	snprintf(tag, sizeof(tag), "v%d", cycle);
	if (eal_up(tag, vdev, "0") < 0)
		return 2;
	id = dev_up(victim_is_ep ? "raw_ntb_vsim0" : "raw_ntb_vsim1", &mp);
	if (id < 0)
		return 3;
	end = rte_get_timer_cycles() + rte_get_timer_hz() * 4 * STEP_S;
	while (rte_get_timer_cycles() < end) {
		uint16_t n, sent = 0;

		if (link_up(id)) {
			was_up = true;
		} else if (was_up) {
			/*
			 * The survivor closed: done. The stopped EP's link
			 * also goes down once after SIGCONT (the RC's
			 * heartbeat took the link down and starts over):
			 * the last victim waits for it to come back, once.
			 */
			if (cycle != (int)nb_cycles || !victim_is_ep ||
			    flapped || !wait_link(id, true))
				break;
			flapped = true;
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

static unsigned int
count_fds(void)
{
	unsigned int n = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void
mz_count(const struct rte_memzone *mz, void *arg)
{
	RTE_SET_USED(mz);
	(*(unsigned int *)arg)++;
}

/*
 * Under AddressSanitizer its allocator maps anonymous regions as the run
 * goes: there only mappings with a name (files, memfds, [stack]...) are
 * counted. Without it every line counts.
 */
static bool
maps_ignored(const char *line)
{
#ifdef __SANITIZE_ADDRESS__
	unsigned long inode;
	int pos = 0;

	if (sscanf(line, "%*s %*s %*s %*s %lu %n", &inode, &pos) == 1 &&
	    inode == 0 && line[pos] == '\0')
		return true;
#else
	RTE_SET_USED(line);
#endif
	return false;
}

/* Mappings of the process, by line, and those of shared memory files. */
static void
count_maps(unsigned int *all, unsigned int *memfd)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	*all = 0;
	*memfd = 0;
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		*all += !maps_ignored(line);
		if (strstr(line, "memfd:") != NULL)
			(*memfd)++;
	}
	fclose(f);
}

struct usage {
	unsigned int fds, mzs, maps, memfd_maps;
};

static void
usage_get(struct usage *u)
{
	u->fds = count_fds();
	u->mzs = 0;
	rte_memzone_walk(mz_count, &u->mzs);
	count_maps(&u->maps, &u->memfd_maps);
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

/*
 * NB_PKTS out, every echo back in order and byte-exact. With out >= 0,
 * say "W" once after a second without an echo (the survivor runs on
 * while its peer is stopped).
 */
static int
round_trip(int id, struct rte_mempool *mp, uint32_t round, int out)
{
	uint64_t hz = rte_get_timer_hz();
	uint64_t end = rte_get_timer_cycles() + hz * STEP_S;
	uint64_t last = rte_get_timer_cycles();
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
		if (n > 0) {
			last = rte_get_timer_cycles();
		} else if (out >= 0 && rte_get_timer_cycles() - last > hz) {
			say(out, "W\n");
			out = -1;
		}
	}
	if (rx != NB_PKTS || tx != NB_PKTS || bad != 0)
		printf("# survivor round %u: sent %u, echoed %u, bad %u\n",
		       round, tx, rx, bad);
	return rx == NB_PKTS && tx == NB_PKTS && bad == 0 ? 0 : -1;
}

/*
 * Per cycle c: link up, a round, "R c <usage>", link down, "D c". The
 * last cycle (c == nb_cycles) is the SIGSTOP one: after "R", wait for the
 * parent's byte (victim stopped), a round that must wait ("W"), "S".
 */
static int
survivor_main(int out)
{
	struct rte_mempool *mp;
	struct usage u;
	char vdev[160], go;
	unsigned int c;
	int id;

	vdev_of(!victim_is_ep, vdev, sizeof(vdev));
	if (eal_up("surv", vdev, "1") < 0)
		return 2;
	id = rte_rawdev_get_dev_id(victim_is_ep ? "raw_ntb_vsim1" :
				   "raw_ntb_vsim0");
	if (id < 0 ||
	    rte_pmd_ntb_dwedma_callback_register(id, on_event, NULL) != 0)
		return 3;
	id = dev_up(victim_is_ep ? "raw_ntb_vsim1" : "raw_ntb_vsim0", &mp);
	if (id < 0)
		return 3;
	for (c = 0; c <= nb_cycles; c++) {
		if (!wait_link(id, true)) {
			say(out, "F link not up in cycle %u\n", c);
			return 4;
		}
		if (round_trip(id, mp, c, -1) < 0) {
			say(out, "F round %u\n", c);
			return 5;
		}
		usage_get(&u);
		say(out, "R %u %u %u %u %u %u %u\n", c, u.fds, u.mzs, u.maps,
		    u.memfd_maps,
		    __atomic_load_n(&ev_down, __ATOMIC_RELAXED),
		    __atomic_load_n(&ev_up, __ATOMIC_RELAXED));
		if (c == nb_cycles)
			break;
		if (!wait_link(id, false)) {
			say(out, "F link still up after kill %u\n", c);
			return 6;
		}
		say(out, "D %u\n", c);
	}
	/* the parent stopped the victim: block until it says so */
	if (read(out, &go, 1) != 1)
		return 7;
	if (victim_is_ep) {
		/*
		 * The RC's heartbeat (liveness_ms) sees the stopped EP:
		 * link down; after SIGCONT (the parent's second byte) the
		 * link comes back and the round below runs on it.
		 */
		uint64_t t0 = rte_get_timer_cycles();

		if (!wait_link(id, false)) {
			say(out, "F link still up with the EP stopped\n");
			return 9;
		}
		say(out, "L %" PRIu64 "\n", (rte_get_timer_cycles() - t0) *
		    1000 / rte_get_timer_hz());
		if (read(out, &go, 1) != 1)
			return 7;
		if (!wait_link(id, true)) {
			say(out, "F link not up after SIGCONT\n");
			return 10;
		}
	}
	if (round_trip(id, mp, c + 1, victim_is_ep ? -1 : out) < 0) {
		say(out, "F round after SIGCONT\n");
		return 8;
	}
	usage_get(&u);
	say(out, "S %u %u %u %u %u %u %u\n", c + 1, u.fds, u.mzs, u.maps,
	    u.memfd_maps, __atomic_load_n(&ev_down, __ATOMIC_RELAXED),
	    __atomic_load_n(&ev_up, __ATOMIC_RELAXED));
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

struct rline {
	unsigned int c, fds, mzs, maps, memfd_maps, down, up;
};

static int
parse(const char *line, char phase, struct rline *r)
{
	char fmt[] = "X %u %u %u %u %u %u %u";

	fmt[0] = phase;
	return sscanf(line, fmt, &r->c, &r->fds, &r->mzs, &r->maps,
		      &r->memfd_maps, &r->down, &r->up) == 7 ? 0 : -1;
}

static bool
same_usage(const struct rline *a, const struct rline *b)
{
	return a->fds == b->fds && a->mzs == b->mzs && a->maps == b->maps &&
	       a->memfd_maps == b->memfd_maps;
}

int
main(int argc, char **argv)
{
	struct rline r, base, last;
	char line[256], what[160];
	const char *env = getenv("NTB_CYCLES");
	unsigned int c, grew = 0;
	int sp[2], ret;

	if (argc != 2 || (strcmp(argv[1], "ep") != 0 &&
			  strcmp(argv[1], "rc") != 0)) {
		printf("Bail out! usage: test_peer_cycles ep|rc\n");
		return 1;
	}
	victim_is_ep = strcmp(argv[1], "ep") == 0;
	if (env != NULL)
		nb_cycles = (unsigned int)atoi(env);
	if (nb_cycles < 2 || nb_cycles > MAX_CYCLES) {
		printf("Bail out! NTB_CYCLES must be 2..%u\n", MAX_CYCLES);
		return 1;
	}
	snprintf(prefix_base, sizeof(prefix_base), "pc%s_%d", argv[1],
		 (int)getpid());
	snprintf(sock_path, sizeof(sock_path), "%s/ntb_pc_%d.sock",
		 access("/run", W_OK) == 0 ? "/run" : "/tmp", (int)getpid());
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) < 0)
		return 1;
	atexit(cleanup);
	printf("# %s dies %u times (SIGKILL), then SIGSTOP %d s\n",
	       argv[1], nb_cycles, STOP_S);

	kids[1] = spawn(survivor_main, sp[1]);
	close(sp[1]);
	memset(&base, 0, sizeof(base));
	memset(&last, 0, sizeof(last));
	for (c = 0; c <= nb_cycles; c++) {
		kids[0] = spawn(victim_main, (int)c);
		ret = expect(sp[0], 'R', line, sizeof(line));
		if (ret == 0)
			ret = parse(line, 'R', &r);
		snprintf(what, sizeof(what),
			 "cycle %u: link up, %d packets echoed byte-exact", c,
			 NB_PKTS);
		NTB_TEST_RUN_RESULT(what, ret);
		if (ret < 0)
			return ntb_test_done();
		if (c == 1)
			base = r;
		if (c >= 1 && !same_usage(&r, &base)) {
			printf("# cycle %u: fds %u/%u memzones %u/%u maps %u/%u memfd maps %u/%u (now/cycle 1)\n",
			       c, r.fds, base.fds, r.mzs, base.mzs, r.maps,
			       base.maps, r.memfd_maps, base.memfd_maps);
			grew++;
		}
		last = r;
		if (c == nb_cycles)
			break;
		kill(kids[0], SIGKILL);
		ret = reap(kids[0], STEP_S);
		kids[0] = 0;
		ret = ret == 128 + SIGKILL ?
			expect(sp[0], 'D', line, sizeof(line)) : -1;
		snprintf(what, sizeof(what),
			 "cycle %u: %s killed (SIGKILL), survivor saw link down",
			 c, argv[1]);
		NTB_TEST_RUN_RESULT(what, ret);
		if (ret < 0)
			return ntb_test_done();
	}
	printf("# survivor after cycle 1: fds %u, memzones %u, maps %u (memfd %u); after cycle %u: %u, %u, %u (%u)\n",
	       base.fds, base.mzs, base.maps, base.memfd_maps, nb_cycles,
	       last.fds, last.mzs, last.maps, last.memfd_maps);
	NTB_TEST_RUN_RESULT("survivor: no fd, memzone or mapping growth over the cycles",
			    grew == 0 ? 0 : -1);
	printf("# survivor events: %u down, %u up\n", last.down, last.up);
	NTB_TEST_RUN_RESULT("survivor: one LINK_DOWN per kill, one LINK_UP per victim",
			    last.down == nb_cycles &&
			    last.up == nb_cycles + 1 ? 0 : -1);

	/*
	 * SIGSTOP the last victim. A stopped RC: the EP survivor keeps
	 * sending and waits. A stopped EP: the RC's heartbeat takes its
	 * link down; after SIGCONT the link comes back up.
	 */
	kill(kids[0], SIGSTOP);
	ret = write(sp[0], "g", 1) == 1 ? 0 : -1;
	if (ret == 0 && victim_is_ep) {
		ret = expect(sp[0], 'L', line, sizeof(line));
		if (ret == 0)
			printf("# EP stopped: RC link down after %s ms\n",
			       strtok(line + 2, "\n"));
		NTB_TEST_RUN_RESULT("EP stopped (SIGSTOP): the RC's heartbeat takes the link down",
				    ret);
	} else {
		if (ret == 0)
			ret = expect(sp[0], 'W', line, sizeof(line));
		NTB_TEST_RUN_RESULT("victim stopped: survivor keeps running",
				    ret);
		sleep(STOP_S);
	}
	kill(kids[0], SIGCONT);
	if (victim_is_ep && write(sp[0], "c", 1) != 1)
		printf("# cannot tell the survivor\n");
	ret = expect(sp[0], 'S', line, sizeof(line));
	if (ret == 0)
		ret = parse(line, 'S', &r);
	NTB_TEST_RUN_RESULT(victim_is_ep ?
			    "after SIGCONT: link up again, every packet echoed byte-exact" :
			    "after SIGCONT: every packet echoed byte-exact",
			    ret);
	if (ret == 0)
		printf("# after SIGSTOP: fds %u, memzones %u, maps %u (memfd %u), events %u down %u up\n",
		       r.fds, r.mzs, r.maps, r.memfd_maps, r.down, r.up);
	NTB_TEST_RUN_RESULT("after SIGCONT: no growth",
			    ret == 0 && same_usage(&r, &base) ? 0 : -1);
	ret = reap(kids[1], STEP_S);
	kids[1] = 0;
	NTB_TEST_RUN_RESULT("survivor closed and exited 0", ret == 0 ? 0 : -1);
	ret = reap(kids[0], STEP_S);
	kids[0] = 0;
	NTB_TEST_RUN_RESULT("last victim saw the survivor go and exited 0",
			    ret == 0 ? 0 : -1);
	return ntb_test_done();
}
