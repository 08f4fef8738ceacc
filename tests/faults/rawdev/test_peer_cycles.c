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

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_rawdev.h>

#include "ntb_test.h"
#include "ntb_test_proc.h"
#include "ntb_test_rawdev.h"
#include "ntb_test_usage.h"
#include "rte_pmd_ntb_dwedma.h"

#define NB_PKTS		200
#define NB_DESC		256
#define STEP_S		30	/* bound of every wait */
#define STOP_S		3	/* SIGSTOP length, > connect_timeout_ms */
#define MAX_CYCLES	100

static char sock_path[108];

static bool victim_is_ep;
static unsigned int nb_cycles = 20;

/* ---------------- victim: echo until the survivor goes (bounded) ------ */

static int
victim_main(void *arg, int fd)
{
	struct rte_mempool *mp;
	char tag[32];
	bool was_up;
	int id;

	RTE_SET_USED(fd);
	snprintf(tag, sizeof(tag), "v%u", (unsigned int)(uintptr_t)arg);
	if (ntb_test_rawdev_vsim_eal(tag, "0", victim_is_ep, sock_path, "") < 0)
		return 2;
	id = ntb_test_rawdev_pool_up(ntb_test_vsim_name(victim_is_ep), "pc_mp",
				     NB_DESC, &mp);
	if (id < 0)
		return 3;
	was_up = ntb_test_rawdev_echo(id, 4 * STEP_S, true, NULL, NULL);
	/*
	 * The stopped EP's link also goes down once after SIGCONT (the RC's
	 * heartbeat took the link down and starts over): the last victim
	 * waits for it to come back, once, and echoes again.
	 */
	if (was_up && victim_is_ep &&
	    (unsigned int)(uintptr_t)arg == nb_cycles &&
	    ntb_test_rawdev_wait_link(id, true, STEP_S))
		ntb_test_rawdev_echo(id, 4 * STEP_S, true, NULL, NULL);
	ntb_test_rawdev_child_end(id, NULL);
	return was_up ? 0 : 4;
}

static struct ntb_test_link_events ev;

/* Say "W" once after a second without an echo (the victim is stopped). */
static void
say_waiting(void *arg, uint64_t cycles)
{
	int *out = arg;

	if (*out >= 0 && cycles > rte_get_timer_hz()) {
		ntb_test_proc_say(*out, "W\n");
		*out = -1;
	}
}

/*
 * Per cycle c: link up, a round, "R c <usage>", link down, "D c". The
 * last cycle (c == nb_cycles) is the SIGSTOP one: after "R", wait for the
 * parent's byte (victim stopped), a round that must wait ("W"), "S".
 */
static int
survivor_main(void *arg, int out)
{
	struct ntb_test_round round = {
		.who = "survivor", .nb_pkts = NB_PKTS, .window = NB_DESC / 2,
		.bound_s = STEP_S,
	};
	struct rte_mempool *mp;
	struct ntb_test_usage u;
	char go;
	unsigned int c;
	int id, waiting = out;

	RTE_SET_USED(arg);
	if (ntb_test_rawdev_vsim_eal("surv", "1", !victim_is_ep, sock_path,
				     "") < 0)
		return 2;
	if (ntb_test_rawdev_count_events(ntb_test_vsim_name(!victim_is_ep),
					 &ev) < 0)
		return 3;
	id = ntb_test_rawdev_pool_up(ntb_test_vsim_name(!victim_is_ep), "pc_mp",
				     NB_DESC, &mp);
	if (id < 0)
		return 3;
	for (c = 0; c <= nb_cycles; c++) {
		if (ntb_test_rawdev_link_round(id, mp, c, &round, out) < 0)
			return 4;
		ntb_test_usage_get(&u);
		ntb_test_proc_say(out, "R %u %u %u %u %u %u %u\n", c, u.fds,
				  u.mzs, u.maps, u.memfd_maps,
				  __atomic_load_n(&ev.down, __ATOMIC_RELAXED),
				  __atomic_load_n(&ev.up, __ATOMIC_RELAXED));
		if (c == nb_cycles)
			break;
		if (!ntb_test_rawdev_wait_link(id, false, STEP_S)) {
			ntb_test_proc_say(out, "F link still up after kill %u\n", c);
			return 6;
		}
		ntb_test_proc_say(out, "D %u\n", c);
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

		if (!ntb_test_rawdev_wait_link(id, false, STEP_S)) {
			ntb_test_proc_say(out, "F link still up with the EP stopped\n");
			return 9;
		}
		ntb_test_proc_say(out, "L %" PRIu64 "\n",
				  (rte_get_timer_cycles() - t0) * 1000 /
				  rte_get_timer_hz());
		if (read(out, &go, 1) != 1)
			return 7;
		if (!ntb_test_rawdev_wait_link(id, true, STEP_S)) {
			ntb_test_proc_say(out, "F link not up after SIGCONT\n");
			return 10;
		}
	} else {
		round.idle = say_waiting;
		round.arg = &waiting;
	}
	if (ntb_test_rawdev_round_trip(id, mp, c + 1, &round) < 0) {
		ntb_test_proc_say(out, "F round after SIGCONT\n");
		return 8;
	}
	ntb_test_usage_get(&u);
	ntb_test_proc_say(out, "S %u %u %u %u %u %u %u\n", c + 1, u.fds,
			  u.mzs, u.maps, u.memfd_maps,
			  __atomic_load_n(&ev.down, __ATOMIC_RELAXED),
			  __atomic_load_n(&ev.up, __ATOMIC_RELAXED));
	ntb_test_rawdev_child_end(id, &ev);
	return 0;
}

/* ---------------- parent ---------------- */

static struct ntb_test_proc kids[2];

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
	struct ntb_test_proc *victim = &kids[0], *surv = &kids[1];
	int ret;

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
	ntb_test_proc_sock_path(sock_path, sizeof(sock_path), "pc");
	ntb_test_proc_cleanup_at_exit(kids, RTE_DIM(kids), sock_path);
	printf("# %s dies %u times (SIGKILL), then SIGSTOP %d s\n",
	       argv[1], nb_cycles, STOP_S);

	ntb_test_proc_start(surv, "survivor", survivor_main, NULL);
	memset(&base, 0, sizeof(base));
	memset(&last, 0, sizeof(last));
	for (c = 0; c <= nb_cycles; c++) {
		ntb_test_proc_start(victim, "victim", victim_main,
				    (void *)(uintptr_t)c);
		ret = ntb_test_proc_expect(surv->fd, 'R', line, sizeof(line),
					   STEP_S);
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
		kill(victim->pid, SIGKILL);
		ret = ntb_test_proc_wait(victim, STEP_S);
		ret = ret == NTB_TEST_PROC_SIGNALED &&
			victim->signo == SIGKILL ?
			ntb_test_proc_expect(surv->fd, 'D', line, sizeof(line),
					     STEP_S) : -1;
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
	kill(victim->pid, SIGSTOP);
	ret = ntb_test_proc_send(surv->fd, "g", 1);
	if (ret == 0 && victim_is_ep) {
		ret = ntb_test_proc_expect(surv->fd, 'L', line, sizeof(line),
					   STEP_S);
		if (ret == 0)
			printf("# EP stopped: RC link down after %s ms\n",
			       strtok(line + 2, "\n"));
		NTB_TEST_RUN_RESULT("EP stopped (SIGSTOP): the RC's heartbeat takes the link down",
				    ret);
	} else {
		if (ret == 0)
			ret = ntb_test_proc_expect(surv->fd, 'W', line,
						   sizeof(line), STEP_S);
		NTB_TEST_RUN_RESULT("victim stopped: survivor keeps running",
				    ret);
		sleep(STOP_S);
	}
	kill(victim->pid, SIGCONT);
	if (victim_is_ep && ntb_test_proc_send(surv->fd, "c", 1) != 0)
		printf("# cannot tell the survivor\n");
	ret = ntb_test_proc_expect(surv->fd, 'S', line, sizeof(line), STEP_S);
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
	ret = ntb_test_proc_wait(surv, STEP_S);
	NTB_TEST_RUN_RESULT("survivor closed and exited 0", ret == 0 ? 0 : -1);
	ret = ntb_test_proc_wait(victim, STEP_S);
	NTB_TEST_RUN_RESULT("last victim saw the survivor go and exited 0",
			    ret == 0 ? 0 : -1);
	return ntb_test_done();
}
