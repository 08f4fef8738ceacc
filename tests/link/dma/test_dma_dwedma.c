/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * dma_dwedma on the virtual link, two processes. The EP (raw_ntb_vsim,
 * role=ep, dma_num_chans=2) exports its eDMA READ channels; the RC's
 * rawdev creates the dmadev "<rawdev>_dma". The RC copies its own memory
 * into an EP buffer through the dmadev API only; the EP's engine thread
 * moves the bytes, and the EP checks them byte for byte on request over
 * a socketpair (the RC never reads EP memory). Covered: info, configure,
 * vchan setup (wrong direction refused), copy, copy_sg (one op, several
 * elements), bursts that wrap the LL ring many times, an ABORT from the
 * model (a source address outside RC memory: error status for that op
 * only, neighbours intact, counted), burst capacity, stop/start, stats,
 * dump, the second channel, the reset of one vchan whose engine does
 * not run (dma_dwedma_vchan_reset: its ops forgotten and never run, the
 * other vchan untouched), and an EP that exports nothing.
 */

#include <errno.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_memzone.h>
#include <rte_rawdev.h>

#include "dma_dwedma.h"
#include "ntb_test.h"
#include "ntb_test_proc.h"
#include "rte_pmd_ntb_dwedma.h"

#define DEV		"raw_ntb_vsim0"
#define BUF_LEN		(1u << 20)
#define FILL		0xEE
#define DESC		64

enum { OP_INFO = 1, OP_CHECK, OP_UNTOUCHED, OP_QUIT };

struct msg {
	uint32_t op;
	uint32_t seed;
	uint64_t off, len, iova;
	int32_t result;
	int32_t pid;		/* OP_INFO: the EP process */
};

static char sock_path[64];
static int pair[2];		/* RC <-> EP, inherited by both children */
static bool export_dma = true;
/* EP corrupts its header before the RC connects: 0 no, 1 magic, 2 an LL
 * window outside the slice */
static int corrupt;

static uint8_t
pat(uint32_t seed, uint64_t i)
{
	return (uint8_t)(seed * 131 + i * 7 + (i >> 8));
}

static int
ep_main(void *arg, int fd)
{
	char vdev[160];
	const char *extra[] = { "--vdev", vdev };
	const struct rte_memzone *mz;
	int sock = pair[1];
	struct msg m;
	uint64_t i;

	RTE_SET_USED(arg);
	RTE_SET_USED(fd);
	close(pair[0]);
	snprintf(vdev, sizeof(vdev), DEV ",role=ep,link=%s%s", sock_path,
		 export_dma ? ",dma_num_chans=2" : "");
	if (ntb_test_proc_eal_init("dma_ep", extra, 2) < 0)
		return 2;
	mz = rte_memzone_reserve_aligned("dma_dst", BUF_LEN, SOCKET_ID_ANY,
					 RTE_MEMZONE_IOVA_CONTIG, 4096);
	if (mz == NULL)
		return 3;
	memset(mz->addr, FILL, BUF_LEN);
	if (corrupt != 0) {
		/* the slice's header page (vsim_dma.c: "<device>_dma") */
		const struct rte_memzone *h = rte_memzone_lookup(DEV "_dma");

		if (h == NULL)
			return 7;
		if (corrupt == 1)
			((volatile uint32_t *)h->addr)[0] ^= 1;	/* magic */
		else	/* chans[1].desc_offset: far past the slice */
			((volatile uint32_t *)h->addr)[(0x20 + 24 + 4) / 4] =
				0x7FFFF000;
	}
	m = (struct msg){ .op = OP_INFO, .iova = mz->iova, .pid = getpid() };
	if (ntb_test_proc_send(sock, &m, sizeof(m)) < 0)
		return 4;
	for (;;) {
		const uint8_t *p = mz->addr;

		if (ntb_test_proc_recv(sock, &m, sizeof(m), 60000) < 0)
			return 5;
		if (m.op == OP_QUIT)
			break;
		m.result = 0;
		if (m.off > BUF_LEN || m.len > BUF_LEN - m.off) {
			m.result = -1;
		} else {
			for (i = 0; i < m.len; i++) {
				uint8_t want = m.op == OP_CHECK ?
					pat(m.seed, i) : FILL;

				if (p[m.off + i] != want) {
					printf("# EP: byte %" PRIu64 " of [%" PRIu64 ", +%" PRIu64 ") is 0x%02x, want 0x%02x\n",
					       i, m.off, m.len, p[m.off + i],
					       want);
					m.result = -1;
					break;
				}
			}
		}
		if (ntb_test_proc_send(sock, &m, sizeof(m)) < 0)
			return 6;
	}
	rte_eal_cleanup();
	return 0;
}

/* ---------------- RC ---------------- */

static int rc_sock;
static pid_t ep_pid;
static uint64_t ep_iova;
static int16_t dma_id;
static const struct rte_memzone *src_mz;

#define CHK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("# RC %s:%d: %s: ", __func__, __LINE__, #cond);	\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		return -1;						\
	}								\
} while (0)

static int
ep_check(uint32_t op, uint32_t seed, uint64_t off, uint64_t len)
{
	struct msg m = { .op = op, .seed = seed, .off = off, .len = len };

	if (ntb_test_proc_send(rc_sock, &m, sizeof(m)) < 0 ||
	    ntb_test_proc_recv(rc_sock, &m, sizeof(m), 30000) < 0)
		return -1;
	return m.result;
}

static void
fill_src(uint64_t off, uint64_t len, uint32_t seed)
{
	uint8_t *p = (uint8_t *)src_mz->addr + off;
	uint64_t i;

	for (i = 0; i < len; i++)
		p[i] = pat(seed, i);
}

static rte_iova_t
src_iova(uint64_t off)
{
	return src_mz->iova + off;
}

/* Poll completed() until n ops are back (bounded); returns how many. */
static uint16_t
wait_done(uint16_t vchan, uint16_t n, uint16_t *last, bool *err)
{
	uint16_t got = 0, l = 0;
	unsigned int spins;

	*err = false;
	for (spins = 0; got < n && spins < 200000 && !*err; spins++) {
		got += rte_dma_completed(dma_id, vchan, n - got, &l, err);
		if (got < n)
			rte_delay_us_sleep(10);
	}
	*last = l;
	return got;
}

static int
setup(uint16_t nb_vchans)
{
	struct rte_dma_conf conf = { .nb_vchans = nb_vchans };
	/* rte_dma_vchan_setup wants the PCIe side's port type */
	struct rte_dma_vchan_conf vc = { .direction = RTE_DMA_DIR_MEM_TO_DEV,
		.nb_desc = DESC, .dst_port.port_type = RTE_DMA_PORT_PCIE };
	struct rte_dma_vchan_conf bad = { .direction = RTE_DMA_DIR_DEV_TO_MEM,
		.nb_desc = DESC, .src_port.port_type = RTE_DMA_PORT_PCIE };
	uint16_t v;

	CHK(rte_dma_configure(dma_id, &conf) == 0, "configure");
	CHK(rte_dma_vchan_setup(dma_id, 0, &bad) < 0,
	    "a READ channel accepted DEV_TO_MEM");
	for (v = 0; v < nb_vchans; v++)
		CHK(rte_dma_vchan_setup(dma_id, v, &vc) == 0, "vchan %u", v);
	CHK(rte_dma_start(dma_id) == 0, "start");
	return 0;
}

static int
t_info(void)
{
	struct rte_dma_info info;

	CHK(rte_dma_info_get(dma_id, &info) == 0, "info_get");
	CHK(info.max_vchans == 2, "max_vchans %u", info.max_vchans);
	CHK((info.dev_capa & RTE_DMA_CAPA_MEM_TO_DEV) &&
	    (info.dev_capa & RTE_DMA_CAPA_OPS_COPY) &&
	    (info.dev_capa & RTE_DMA_CAPA_OPS_COPY_SG) &&
	    (info.dev_capa & RTE_DMA_CAPA_HANDLES_ERRORS) &&
	    !(info.dev_capa & RTE_DMA_CAPA_DEV_TO_MEM),
	    "capa 0x%" PRIx64, info.dev_capa);
	/* 4 KiB LL window: 170 elements, one for the link, one kept free */
	CHK(info.max_desc == 168, "max_desc %u", info.max_desc);
	return setup(2);
}

static int
t_copy(void)
{
	uint16_t last;
	bool err;
	int idx;

	fill_src(0, 4096, 1);
	idx = rte_dma_copy(dma_id, 0, src_iova(0), ep_iova + 0, 4096,
			   RTE_DMA_OP_FLAG_SUBMIT);
	CHK(idx == 0, "first ring_idx %d", idx);
	CHK(wait_done(0, 1, &last, &err) == 1 && !err && last == 0,
	    "completion (last %u err %d)", last, err);
	CHK(ep_check(OP_CHECK, 1, 0, 4096) == 0, "EP data");
	CHK(ep_check(OP_UNTOUCHED, 0, 4096, 4096) == 0, "past the copy");
	return 0;
}

/* 1000 ops of 256 B in bursts of 40: the 169-element ring wraps ~6 times */
static int
t_bursts(void)
{
	const uint64_t base = 0x10000, len = 256;
	uint16_t expect = 1, last = 0;
	unsigned int i = 0, done = 0;
	bool err;

	fill_src(base, 1000 * len, 2);
	while (done < 1000) {
		unsigned int b = 0;

		while (b < 40 && i < 1000) {
			uint16_t cap = rte_dma_burst_capacity(dma_id, 0);
			int idx = rte_dma_copy(dma_id, 0,
					       src_iova(base + i * len),
					       ep_iova + base + i * len,
					       (uint32_t)len, 0);

			if (idx == -ENOSPC)
				break;
			/* one op, one element: capacity drops by one */
			CHK(rte_dma_burst_capacity(dma_id, 0) == cap - 1,
			    "capacity %u after %u", rte_dma_burst_capacity(
				    dma_id, 0), cap);
			CHK(idx == (uint16_t)(expect + i), "ring_idx %d op %u",
			    idx, i);
			b++;
			i++;
		}
		CHK(rte_dma_submit(dma_id, 0) == 0, "submit");
		done += wait_done(0, (uint16_t)(i - done), &last, &err);
		CHK(!err, "error at op %u", done);
		CHK(done == i, "%u of %u back", done, i);
		CHK(last == (uint16_t)(expect + i - 1), "last_idx %u", last);
	}
	CHK(ep_check(OP_CHECK, 2, base, 1000 * len) == 0, "EP data");
	CHK(ep_check(OP_UNTOUCHED, 0, base + 1000 * len, 4096) == 0,
	    "past the copies");
	CHK(rte_dma_burst_capacity(dma_id, 0) == DESC, "capacity %u",
	    rte_dma_burst_capacity(dma_id, 0));
	return 0;
}

/* One op of 3 source and 2 destination pieces, at odd offsets. */
static int
t_copy_sg(void)
{
	const uint64_t s = 0x60000, d = 0x60000;
	struct rte_dma_sge src[3] = {
		{ .addr = src_iova(s), .length = 100 },
		{ .addr = src_iova(s + 100), .length = 300 },
		{ .addr = src_iova(s + 400), .length = 624 },
	};
	struct rte_dma_sge dst[2] = {
		{ .addr = ep_iova + d, .length = 512 },
		{ .addr = ep_iova + d + 512, .length = 512 },
	};
	uint16_t last;
	bool err;
	int idx;

	fill_src(s, 1024, 3);
	idx = rte_dma_copy_sg(dma_id, 0, src, dst, 3, 2,
			      RTE_DMA_OP_FLAG_SUBMIT);
	CHK(idx >= 0, "copy_sg %d", idx);
	CHK(wait_done(0, 1, &last, &err) == 1 && !err && last == idx,
	    "one completion for the op (last %u)", last);
	CHK(ep_check(OP_CHECK, 3, d, 1024) == 0, "EP data");
	dst[1].length = 511;
	CHK(rte_dma_copy_sg(dma_id, 0, src, dst, 3, 2, 0) == -EINVAL,
	    "lengths that differ accepted");
	return 0;
}

/* A source outside RC memory: the model ABORTs that op only. */
static int
t_abort(void)
{
	const uint64_t a = 0x70000, b = 0x71000, c = 0x72000;
	enum rte_dma_status_code st[4];
	struct rte_dma_stats before, after;
	uint16_t last = 0, n;
	bool err;
	int ia, ib, ic;

	CHK(rte_dma_stats_get(dma_id, 0, &before) == 0, "stats");
	fill_src(a, 2048, 4);
	fill_src(c, 2048, 5);
	ia = rte_dma_copy(dma_id, 0, src_iova(a), ep_iova + a, 2048, 0);
	ib = rte_dma_copy(dma_id, 0, 0x10, ep_iova + b, 2048, 0);
	ic = rte_dma_copy(dma_id, 0, src_iova(c), ep_iova + c, 2048,
			  RTE_DMA_OP_FLAG_SUBMIT);
	CHK(ia >= 0 && ib >= 0 && ic >= 0, "enqueue");
	n = wait_done(0, 3, &last, &err);
	if (!(n == 1 && err))
		rte_dma_dump(dma_id, stdout);
	CHK(n == 1 && err && last == ia, "completed: %u op(s), error %d, last %u",
	    n, err, last);
	/* completed() keeps stopping at the failed op */
	for (unsigned int k = 0; k < 3; k++) {
		err = false;
		n = rte_dma_completed(dma_id, 0, 3, &last, &err);
		CHK(n == 0 && err && last == ia, "completed again: %u, %d, %u",
		    n, err, last);
	}
	n = 0;
	for (unsigned int k = 0; k < 200000 && n < 2; k++) {
		n += rte_dma_completed_status(dma_id, 0, 2 - n, &last,
					      st + n);
		if (n < 2)
			rte_delay_us_sleep(10);
	}
	CHK(n == 2 && last == ic, "completed_status %u op(s), last %u", n,
	    last);
	CHK(st[0] != RTE_DMA_STATUS_SUCCESSFUL, "aborted op reported %d",
	    st[0]);
	CHK(st[1] == RTE_DMA_STATUS_SUCCESSFUL, "op after it: %d", st[1]);
	CHK(rte_dma_stats_get(dma_id, 0, &after) == 0, "stats");
	CHK(after.errors == before.errors + 1, "errors %" PRIu64 " -> %" PRIu64,
	    before.errors, after.errors);
	/* dmadev counts a failed op as completed too (dmadev_autotest) */
	CHK(after.completed == before.completed + 3 &&
	    after.submitted == before.submitted + 3,
	    "completed %" PRIu64 " -> %" PRIu64, before.completed,
	    after.completed);
	CHK(ep_check(OP_CHECK, 4, a, 2048) == 0, "op before the abort");
	CHK(ep_check(OP_UNTOUCHED, 0, b, 2048) == 0, "aborted op's target");
	CHK(ep_check(OP_CHECK, 5, c, 2048) == 0, "op after the abort");
	/* the channel goes on */
	fill_src(0x73000, 4096, 8);
	ia = rte_dma_copy(dma_id, 0, src_iova(0x73000), ep_iova + 0x73000,
			  4096, RTE_DMA_OP_FLAG_SUBMIT);
	CHK(ia == (uint16_t)(ic + 1), "ring_idx after the abort %d", ia);
	CHK(wait_done(0, 1, &last, &err) == 1 && !err && last == ia,
	    "completion after the abort");
	CHK(ep_check(OP_CHECK, 8, 0x73000, 4096) == 0, "EP data");
	return 0;
}

/*
 * kill(SIGSTOP) returns before the target has stopped: the thread that
 * takes the signal stops the others only once it runs, and meanwhile the
 * EP's engine thread can still run a doorbell. True once every thread of
 * pid is in the stopped state (/proc/<pid>/task/<tid>/stat, "T").
 */
static bool
all_threads_stopped(pid_t pid)
{
	char path[64];
	struct dirent *e;
	bool stopped = true;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (d == NULL)
		return false;
	while (stopped && (e = readdir(d)) != NULL) {
		char line[512], *p;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(line, sizeof(line), "/proc/%d/task/%s/stat",
			 (int)pid, e->d_name);
		f = fopen(line, "r");
		if (f == NULL)
			continue;	/* thread gone */
		p = fgets(line, sizeof(line), f) != NULL ?
			strrchr(line, ')') : NULL;
		fclose(f);
		stopped = p != NULL && (p[2] == 'T' || p[2] == 't');
	}
	closedir(d);
	return stopped;
}

/*
 * The EP's engine thread moves the bytes, not the RC: with the EP
 * process stopped (SIGSTOP) a submitted copy cannot complete, however
 * long the RC polls; once the EP runs again it does.
 */
static int
t_ep_moves_the_bytes(void)
{
	uint16_t last = 0, n = 0;
	unsigned int k;
	bool err = false;
	int idx, rc = 0;

	fill_src(0xA0000, 65536, 9);
	CHK(kill(ep_pid, SIGSTOP) == 0, "SIGSTOP the EP");
	for (k = 0; k < 50000 && !all_threads_stopped(ep_pid); k++)
		rte_delay_us_sleep(100);
	if (!all_threads_stopped(ep_pid)) {
		kill(ep_pid, SIGCONT);
		CHK(false, "the EP's threads did not stop");
	}
	idx = rte_dma_copy(dma_id, 0, src_iova(0xA0000), ep_iova + 0xA0000,
			   65536, RTE_DMA_OP_FLAG_SUBMIT);
	for (k = 0; k < 2000 && idx >= 0; k++) {
		n += rte_dma_completed(dma_id, 0, 1, &last, &err);
		rte_delay_us_sleep(100);
	}
	if (idx < 0 || n != 0) {
		printf("# RC: copy %d completed %u time(s) with the EP stopped\n",
		       idx, n);
		rc = -1;
	}
	kill(ep_pid, SIGCONT);
	CHK(rc == 0, "no completion while the EP is stopped");
	CHK(wait_done(0, 1, &last, &err) == 1 && !err && last == idx,
	    "completion once the EP runs");
	CHK(ep_check(OP_CHECK, 9, 0xA0000, 65536) == 0, "EP data");
	return 0;
}

/*
 * dma_dwedma_vchan_reset: with the EP stopped (its engine cannot run),
 * one copy on each vchan; vchan 0 is reset. Its copy is forgotten: no
 * status ever comes for it and, once the EP runs again, its bytes never
 * land; vchan 1's copy completes as if nothing happened; vchan 0 takes
 * new copies (ring_idx from 0) that complete.
 */
static int
t_vchan_reset(void)
{
	struct rte_dma_stats before, after;
	uint16_t last = 0, n = 0;
	unsigned int k;
	bool err = false;
	int i0, i1, r;

	CHK(dma_dwedma_vchan_reset(dma_id, 2) == -EINVAL, "vchan 2 reset");
	CHK(dma_dwedma_vchan_reset(RTE_DMADEV_DEFAULT_MAX - 1, 0) == -EINVAL,
	    "a dmadev that does not exist reset");
	CHK(rte_dma_stats_get(dma_id, 0, &before) == 0, "stats");
	fill_src(0xB0000, 8192, 10);
	fill_src(0xB2000, 8192, 11);
	CHK(kill(ep_pid, SIGSTOP) == 0, "SIGSTOP the EP");
	for (k = 0; k < 50000 && !all_threads_stopped(ep_pid); k++)
		rte_delay_us_sleep(100);
	if (!all_threads_stopped(ep_pid)) {
		kill(ep_pid, SIGCONT);
		CHK(false, "the EP's threads did not stop");
	}
	i0 = rte_dma_copy(dma_id, 0, src_iova(0xB0000), ep_iova + 0xB0000,
			  8192, RTE_DMA_OP_FLAG_SUBMIT);
	i1 = rte_dma_copy(dma_id, 1, src_iova(0xB2000), ep_iova + 0xB2000,
			  8192, RTE_DMA_OP_FLAG_SUBMIT);
	r = dma_dwedma_vchan_reset(dma_id, 0);
	kill(ep_pid, SIGCONT);
	CHK(i0 >= 0 && i1 >= 0, "enqueue %d %d", i0, i1);
	CHK(r == 1, "reset forgot %d op(s), want 1", r);
	CHK(wait_done(1, 1, &last, &err) == 1 && !err && last == i1,
	    "vchan 1: its copy completes");
	CHK(ep_check(OP_CHECK, 11, 0xB2000, 8192) == 0, "vchan 1 data");
	/* the EP's engine ran vchan 1's doorbell, and vchan 0's too */
	for (k = 0; k < 200; k++) {
		n += rte_dma_completed(dma_id, 0, 1, &last, &err);
		rte_delay_us_sleep(1000);
	}
	CHK(n == 0 && !err, "vchan 0: %u status(es) for the forgotten copy",
	    n);
	CHK(ep_check(OP_UNTOUCHED, 0, 0xB0000, 8192) == 0,
	    "the forgotten copy never ran");
	CHK(rte_dma_stats_get(dma_id, 0, &after) == 0 &&
	    after.errors == before.errors + 1, "counted in errors");
	fill_src(0xB4000, 4096, 12);
	i0 = rte_dma_copy(dma_id, 0, src_iova(0xB4000), ep_iova + 0xB4000,
			  4096, RTE_DMA_OP_FLAG_SUBMIT);
	CHK(i0 == 0, "ring_idx after the reset %d", i0);
	CHK(wait_done(0, 1, &last, &err) == 1 && !err && last == 0,
	    "vchan 0: a new copy completes");
	CHK(ep_check(OP_CHECK, 12, 0xB4000, 4096) == 0, "vchan 0 data");
	return 0;
}

static int
t_stop_start(void)
{
	struct rte_dma_stats st;
	uint16_t last;
	bool err;
	int idx;

	CHK(rte_dma_stop(dma_id) == 0, "stop");
	CHK(rte_dma_start(dma_id) == 0, "start");
	fill_src(0x80000, 8192, 6);
	idx = rte_dma_copy(dma_id, 0, src_iova(0x80000), ep_iova + 0x80000,
			   8192, RTE_DMA_OP_FLAG_SUBMIT);
	CHK(idx == 0, "ring_idx after restart %d", idx);
	CHK(wait_done(0, 1, &last, &err) == 1 && !err, "completion");
	CHK(ep_check(OP_CHECK, 6, 0x80000, 8192) == 0, "EP data");
	/* the second delegated channel */
	fill_src(0x90000, 4096, 7);
	idx = rte_dma_copy(dma_id, 1, src_iova(0x90000), ep_iova + 0x90000,
			   4096, RTE_DMA_OP_FLAG_SUBMIT);
	CHK(idx == 0, "vchan 1 ring_idx %d", idx);
	CHK(wait_done(1, 1, &last, &err) == 1 && !err, "vchan 1 completion");
	CHK(ep_check(OP_CHECK, 7, 0x90000, 4096) == 0, "vchan 1 data");
	CHK(rte_dma_stats_get(dma_id, RTE_DMA_ALL_VCHAN, &st) == 0 &&
	    st.submitted >= 2 && st.completed >= 2, "stats");
	CHK(rte_dma_stats_reset(dma_id, RTE_DMA_ALL_VCHAN) == 0, "reset");
	CHK(rte_dma_stats_get(dma_id, 0, &st) == 0 && st.submitted == 0,
	    "after reset");
	{
		FILE *f = fopen("/dev/null", "w");

		CHK(f != NULL && rte_dma_dump(dma_id, f) == 0, "dump");
		fclose(f);
	}
	return 0;
}

static int
rc_main(void *arg, int fd)
{
	char vdev[160];
	const char *extra[] = { "--vdev", vdev };
	struct msg m;
	int raw, id, fails = 0;

	RTE_SET_USED(arg);
	RTE_SET_USED(fd);
	close(pair[1]);
	rc_sock = pair[0];
	if (ntb_test_proc_recv(rc_sock, &m, sizeof(m), 30000) < 0 ||
	    m.op != OP_INFO)
		return 2;
	ep_iova = m.iova;
	ep_pid = m.pid;
	snprintf(vdev, sizeof(vdev), DEV ",role=rc,link=%s", sock_path);
	if (ntb_test_proc_eal_init("dma_rc", extra, 2) < 0)
		return 3;
	src_mz = rte_memzone_reserve_aligned("dma_src", BUF_LEN,
					     SOCKET_ID_ANY,
					     RTE_MEMZONE_IOVA_CONTIG, 4096);
	raw = rte_rawdev_get_dev_id(DEV);
	if (src_mz == NULL || raw < 0)
		return 4;
	id = rte_pmd_ntb_dwedma_dma_dev_id((uint16_t)raw);
	if (!export_dma || corrupt) {
		/*
		 * no locator, or a header the dmadev refuses: no dmadev,
		 * nothing named like one, and the rawdev still works
		 */
		uint64_t v = 0;

		fails = id == -ENODEV &&
			rte_dma_get_dev_id_by_name(DEV "_dma") < 0 ? 0 : 1;
		if (fails)
			printf("# RC: dmadev id %d without a usable export\n",
			       id);
		if (rte_rawdev_get_attr((uint16_t)raw, "mw_count", &v) < 0 ||
		    v != 2) {
			printf("# RC: rawdev mw_count %" PRIu64 "\n", v);
			fails++;
		}
		goto quit;
	}
	if (id < 0 || rte_dma_get_dev_id_by_name(DEV "_dma") != id) {
		printf("# RC: no dmadev %s_dma (%d)\n", DEV, id);
		fails = 1;
		goto quit;
	}
	dma_id = (int16_t)id;
	fails += t_info() != 0;
	if (fails == 0) {
		fails += t_copy() != 0;
		fails += t_bursts() != 0;
		fails += t_copy_sg() != 0;
		fails += t_abort() != 0;
		fails += t_ep_moves_the_bytes() != 0;
		fails += t_vchan_reset() != 0;
		fails += t_stop_start() != 0;
	}
quit:
	m = (struct msg){ .op = OP_QUIT };
	ntb_test_proc_send(rc_sock, &m, sizeof(m));
	rte_eal_cleanup();
	return fails ? 10 + fails : 0;
}

static int
run_pair(void)
{
	struct ntb_test_proc ep, rc;
	int s_ep, s_rc;

	snprintf(sock_path, sizeof(sock_path), "/tmp/dmadw_%d.sock",
		 (int)getpid());
	NTB_TEST_ASSERT(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, pair) == 0,
			"socketpair");
	ntb_test_proc_start(&ep, "ep", ep_main, NULL);
	ntb_test_proc_start(&rc, "rc", rc_main, NULL);
	close(pair[0]);
	close(pair[1]);
	s_rc = ntb_test_proc_wait(&rc, 120);
	s_ep = ntb_test_proc_wait(&ep, 30);
	unlink(sock_path);
	NTB_TEST_ASSERT(s_rc == 0, "RC exit %d", s_rc);
	NTB_TEST_ASSERT(s_ep == 0, "EP exit %d", s_ep);
	return 0;
}

static int
test_dmadev_ops_two_processes(void)
{
	export_dma = true;
	return run_pair();
}

static int
test_no_export_no_dmadev(void)
{
	export_dma = false;
	return run_pair();
}

static int
test_bad_header_refused(void)
{
	int rc;

	export_dma = true;
	corrupt = 1;
	rc = run_pair();
	if (rc == 0) {
		corrupt = 2;
		rc = run_pair();
	}
	corrupt = 0;
	return rc;
}

int
main(void)
{
	NTB_TEST_RUN(test_dmadev_ops_two_processes);
	NTB_TEST_RUN(test_no_export_no_dmadev);
	NTB_TEST_RUN(test_bad_header_refused);
	return ntb_test_done();
}
