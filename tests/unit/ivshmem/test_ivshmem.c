/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The kernel-peer platform (drivers/raw/ntb_dwedma/ivshmem/) against a
 * fake ivshmem server, a fake EPC descriptor and a fake guest RAM file,
 * all made here. It tests the platform's parsing, validation and
 * mapping, not interoperation with the guest (tests/interop does that).
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "ivshm.h"
#include "ntb_test.h"
#include "ntb_test_proc.h"

#define RAM_SIZE	(4u << 20)
#define SHM_SIZE	(1u << 20)
#define OB_BASE		0x10000u
#define OB_SIZE		0x80000u
#define PG		4096u

#define OWN_ID		7
#define GUEST_ID	3
#define OWN_VECTORS	4
#define GUEST_VECTORS	2

enum script {
	SCRIPT_OK,
	SCRIPT_BAD_VERSION,
	SCRIPT_BAD_ID,
	SCRIPT_SHM_NO_FD,
	SCRIPT_TWO_FDS,
	SCRIPT_SHORT,
};

struct fake_srv {
	char path[108];
	int lsock;
	int conn;
	enum script script;
	int shm_fd;
	int own_efd[OWN_VECTORS];	/* the test's copies of our vectors */
	pthread_t tid;
};

static int ram_fd = -1, shm_fd = -1;
static char ram_path[64];
static uint8_t *shm_map;		/* the test's view of the ivshmem file */
static uint8_t *ram_map;		/* the test's view of guest RAM */

static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n++;
	closedir(d);
	return n;
}

static int
srv_send(int sock, int64_t val, const int *fds, unsigned int nfds)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 2)];
	struct iovec iov = { &val, sizeof(val) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	memset(cbuf, 0, sizeof(cbuf));
	if (nfds > 0) {
		struct cmsghdr *cm;

		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	}
	return sendmsg(sock, &mh, MSG_NOSIGNAL) == sizeof(val) ? 0 : -1;
}

static void *
srv_thread(void *arg)
{
	struct fake_srv *f = arg;
	int efd = eventfd(0, 0);
	int two[2] = { efd, efd };
	unsigned int i;
	int c;

	c = accept(f->lsock, NULL, NULL);
	f->conn = c;
	if (c < 0)
		goto out;
	switch (f->script) {
	case SCRIPT_BAD_VERSION:
		srv_send(c, 1, NULL, 0);
		goto out;
	case SCRIPT_BAD_ID:
		srv_send(c, 0, NULL, 0);
		srv_send(c, 70000, NULL, 0);
		goto out;
	case SCRIPT_SHM_NO_FD:
		srv_send(c, 0, NULL, 0);
		srv_send(c, OWN_ID, NULL, 0);
		srv_send(c, -1, NULL, 0);
		goto out;
	default:
		break;
	}
	srv_send(c, 0, NULL, 0);
	srv_send(c, OWN_ID, NULL, 0);
	srv_send(c, -1, &f->shm_fd, 1);
	for (i = 0; i < GUEST_VECTORS; i++)
		srv_send(c, GUEST_ID, &efd, 1);
	if (f->script == SCRIPT_TWO_FDS) {
		srv_send(c, OWN_ID, two, 2);
		goto out;
	}
	if (f->script == SCRIPT_SHORT) {
		uint8_t half[4] = { 0 };

		if (write(c, half, sizeof(half)) < 0)
			goto out;
		shutdown(c, SHUT_WR);
		goto out;
	}
	for (i = 0; i < OWN_VECTORS; i++)
		srv_send(c, OWN_ID, &f->own_efd[i], 1);
out:
	close(efd);
	return NULL;
}

static int
srv_start(struct fake_srv *f, enum script script)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->conn = -1;
	f->script = script;
	f->shm_fd = shm_fd;
	snprintf(f->path, sizeof(f->path), "/tmp/ivshm_ut_%d.sock",
		 (int)getpid());
	unlink(f->path);
	strcpy(sa.sun_path, f->path);
	f->lsock = socket(AF_UNIX, SOCK_STREAM, 0);
	if (f->lsock < 0 || bind(f->lsock, (void *)&sa, sizeof(sa)) < 0 ||
	    listen(f->lsock, 1) < 0)
		return -1;
	for (i = 0; i < OWN_VECTORS; i++)
		f->own_efd[i] = eventfd(0, EFD_NONBLOCK);
	return pthread_create(&f->tid, NULL, srv_thread, f) == 0 ? 0 : -1;
}

static void
srv_stop(struct fake_srv *f)
{
	unsigned int i;

	pthread_join(f->tid, NULL);
	if (f->conn >= 0)
		close(f->conn);
	close(f->lsock);
	unlink(f->path);
	for (i = 0; i < OWN_VECTORS; i++)
		close(f->own_efd[i]);
}

static struct epc_ivshmem_desc *
desc(void)
{
	return (struct epc_ivshmem_desc *)shm_map;
}

/* guest side of the seqlock */
static void
desc_begin(void)
{
	__atomic_store_n(&desc()->seq, desc()->seq | 1, __ATOMIC_RELEASE);
}

static void
desc_end(void)
{
	__atomic_store_n(&desc()->seq, desc()->seq + 1, __ATOMIC_RELEASE);
}

/* A vNTB i.MX8 function: ctrl BAR0, doorbells BAR2, MW1 BAR4 (phys 0). */
static void
desc_reset(void)
{
	struct epc_ivshmem_desc *d = desc();

	memset(d, 0, EPC_IVSHMEM_DESC_SIZE);
	d->magic = EPC_IVSHMEM_MAGIC;
	d->abi = EPC_IVSHMEM_ABI;
	d->seq = 2;
	d->boot_id = 0x1234;
	d->vendor_id = 0x1957;
	d->device_id = 0x0809;
	d->baseclass = 0x05;
	d->header_valid = 1;
	d->started = 1;
	d->msi_count = 16;
	d->ob_base = OB_BASE;
	d->ob_size = OB_SIZE;
	d->bar[0] = (struct epc_ivshmem_bar){ 0x100000, 0x8000,
		EPC_IVSHMEM_BAR_SET | EPC_IVSHMEM_BAR_64, 0 };
	d->bar[2] = (struct epc_ivshmem_bar){ 0x110000, 0x1000,
		EPC_IVSHMEM_BAR_SET | EPC_IVSHMEM_BAR_64, 0 };
	d->bar[4] = (struct epc_ivshmem_bar){ 0, 0x10000,
		EPC_IVSHMEM_BAR_SET | EPC_IVSHMEM_BAR_64, 0 };
	d->rc_peer_id = -1;
}

static int
open_ok(struct ivshm *s, struct fake_srv *f)
{
	desc_reset();
	if (srv_start(f, SCRIPT_OK) < 0)
		return -1;
	return ivshm_open(s, "ut", f->path, ram_path, 100, 2000);
}

static int
test_connect(void)
{
	struct fake_srv f;
	struct ivshm s;
	uint64_t v = 1, got = 0;
	unsigned int i;
	int ret;

	NTB_TEST_ASSERT(open_ok(&s, &f) == 0, "open");
	NTB_TEST_ASSERT(s.cl.own_id == OWN_ID, "own id %" PRId64, s.cl.own_id);
	NTB_TEST_ASSERT(s.cl.nb_vectors == OWN_VECTORS, "vectors %u",
			s.cl.nb_vectors);
	NTB_TEST_ASSERT(s.guest_id == GUEST_ID, "guest %" PRId64, s.guest_id);
	NTB_TEST_ASSERT(desc()->rc_peer_id == OWN_ID, "rc_peer_id %d",
			desc()->rc_peer_id);
	NTB_TEST_ASSERT(desc()->rc_vectors == OWN_VECTORS, "rc_vectors");
	NTB_TEST_ASSERT(desc()->rc_seq == 1, "rc_seq %" PRIu64,
			desc()->rc_seq);
	/* vector v is the v-th own fd: fire 2, only 2 is readable */
	NTB_TEST_ASSERT(write(f.own_efd[2], &v, sizeof(v)) == sizeof(v), "w");
	for (i = 0; i < OWN_VECTORS; i++) {
		ret = (int)read(s.cl.vec_fd[i], &got, sizeof(got));
		if (i == 2)
			NTB_TEST_ASSERT(ret == sizeof(got) && got == 1,
					"vector 2 did not fire");
		else
			NTB_TEST_ASSERT(ret < 0 && errno == EAGAIN,
					"vector %u fired", i);
	}
	ivshm_close(&s);
	srv_stop(&f);
	NTB_TEST_ASSERT(desc()->rc_peer_id == -1 && desc()->rc_vectors == 0,
			"host fields not cleared at close");
	return 0;
}

static int
test_server_garbage(void)
{
	static const enum script bad[] = {
		SCRIPT_BAD_VERSION, SCRIPT_BAD_ID, SCRIPT_SHM_NO_FD,
		SCRIPT_TWO_FDS, SCRIPT_SHORT,
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		struct fake_srv f;
		struct ivshm s;
		int before, after, ret;

		desc_reset();
		before = count_fds();
		NTB_TEST_ASSERT(srv_start(&f, bad[i]) == 0, "server");
		ret = ivshm_open(&s, "ut", f.path, ram_path, 100, 2000);
		srv_stop(&f);
		after = count_fds();
		NTB_TEST_ASSERT(ret < 0, "script %u accepted", bad[i]);
		NTB_TEST_ASSERT(before == after, "script %u: %d fds before, %d after (leak)",
				bad[i], before, after);
		NTB_TEST_ASSERT(desc()->rc_peer_id == -1,
				"script %u: host fields written", bad[i]);
	}
	return 0;
}

static int
test_desc_checks(void)
{
	struct epc_ivshmem_desc d;
	struct fake_srv f;
	struct ivshm s;

	NTB_TEST_ASSERT(open_ok(&s, &f) == 0, "open");
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &d, true) == 0, "good desc refused");
	NTB_TEST_ASSERT(d.vendor_id == 0x1957 && ivshm_desc_class(&d) == 0x050000,
			"header");

	desc()->magic ^= 1;
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &d, true) == -EINVAL, "bad magic");
	desc()->magic ^= 1;
	desc()->abi = 2;
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &d, true) == -EINVAL, "bad abi");
	desc()->abi = EPC_IVSHMEM_ABI;

	/* BAR ends past the RAM file */
	desc()->bar[0].phys = RAM_SIZE - PG;
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &d, true) == -EINVAL,
			"BAR outside the RAM file");
	/* wrapping end */
	desc()->bar[0].phys = UINT64_MAX - PG + 1;
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &d, true) == -EINVAL, "wrap");
	desc()->bar[0].phys = 0x100800;
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &d, true) == -EINVAL, "unaligned");
	desc()->bar[0].phys = 0x100000;
	/* an unset BAR is not looked at */
	desc()->bar[5].phys = UINT64_MAX;
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &d, true) == 0, "unset BAR checked");

	/* outbound windows: inside the outbound space only */
	desc()->ob[1] = (struct epc_ivshmem_ob){ OB_BASE + OB_SIZE - PG,
		0x5000, 2 * PG, 1, 0 };
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &d, true) == -EINVAL,
			"ob past the outbound space");
	desc()->ob[1].active = 0;
	desc()->ob_size = SHM_SIZE;
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &d, true) == -EINVAL,
			"outbound space past the shm file");
	desc()->ob_size = OB_SIZE;

	/* a writer in the middle (odd seq) is never copied */
	desc()->seq |= 1;
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &d, true) == -EAGAIN, "odd seq");
	desc()->seq += 1;
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &d, true) == 0, "even seq");
	ivshm_close(&s);
	srv_stop(&f);
	return 0;
}

/* mx8 map: ctrl BAR0, doorbells BAR2; MW1 BAR4, MW2 BAR5 (unset here) */
#define MX8_NEED	(RTE_BIT32(0) | RTE_BIT32(2))
#define MX8_MW		(RTE_BIT32(4) | RTE_BIT32(5))

static int
test_bars_map_void_remap(void)
{
	struct epc_ivshmem_desc d;
	struct fake_srv f;
	struct ivshm s;
	uint8_t *va4;

	NTB_TEST_ASSERT(open_ok(&s, &f) == 0, "open");
	memset(ram_map, 0x5a, RAM_SIZE);
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &s.desc, false) == 0, "desc");
	NTB_TEST_ASSERT(ivshm_bars_map(&s, MX8_NEED, MX8_MW) == 0, "map");
	NTB_TEST_ASSERT(s.bar[0].len == 0x8000 && s.bar[4].len == 0x10000,
			"BAR lengths");
	NTB_TEST_ASSERT(s.bar[5].va == NULL, "unset MW BAR mapped");

	/* BAR0 is guest RAM at its phys, both ways */
	s.bar[0].va[0x10] = 0xa1;
	NTB_TEST_ASSERT(ram_map[0x100010] == 0xa1, "RC write not in RAM");
	ram_map[0x107ff0] = 0xb2;
	NTB_TEST_ASSERT(s.bar[0].va[0x7ff0] == 0xb2, "RAM not seen by RC");

	/* BAR4, phys 0: a void, never guest address 0 */
	va4 = s.bar[4].va;
	memset(va4, 0xee, 0x10000);
	NTB_TEST_ASSERT(ram_map[0] == 0x5a && ram_map[0xffff] == 0x5a,
			"void BAR wrote guest RAM at 0");

	/* no change: nothing to do */
	NTB_TEST_ASSERT(ivshm_sync(&s) == 0, "sync without change");

	/* the EP's ntb_transport moves BAR4 onto its buffer */
	desc_begin();
	desc()->bar[4].phys = 0x200000;
	desc_end();
	NTB_TEST_ASSERT(ivshm_sync(&s) == 1, "move not seen");
	NTB_TEST_ASSERT(s.bar[4].va == va4, "BAR4 VA changed");
	va4[0x20] = 0xc3;
	NTB_TEST_ASSERT(ram_map[0x200020] == 0xc3, "moved BAR4 not at new phys");
	NTB_TEST_ASSERT(ram_map[0x20] == 0x5a, "write reached the old place");
	NTB_TEST_ASSERT(s.bar[0].va[0x10] == 0xa1, "BAR0 lost its mapping");

	/* a re-probed EPC (boot_id) with the same seq is seen too */
	desc()->boot_id++;
	desc()->bar[4].phys = 0x300000;
	NTB_TEST_ASSERT(ivshm_sync(&s) == 1, "boot_id change not seen");
	va4[0x30] = 0xd4;
	NTB_TEST_ASSERT(ram_map[0x300030] == 0xd4, "BAR4 not re-mapped");

	/* a bad descriptor is refused, the mappings stay */
	desc_begin();
	desc()->bar[4].phys = RAM_SIZE;
	desc_end();
	NTB_TEST_ASSERT(ivshm_sync(&s) < 0, "bad move accepted");
	NTB_TEST_ASSERT(s.refused == 1, "refused %" PRIu64, s.refused);
	va4[0x40] = 0xe5;
	NTB_TEST_ASSERT(ram_map[0x300040] == 0xe5, "mapping lost on refusal");

	/* cleared BAR: void again */
	desc_begin();
	desc()->bar[4] = (struct epc_ivshmem_bar){ 0, 0, 0, 0 };
	desc_end();
	NTB_TEST_ASSERT(ivshm_sync(&s) == 1, "clear not seen");
	va4[0x50] = 0x11;
	NTB_TEST_ASSERT(ram_map[0x300050] != 0x11, "cleared BAR still mapped");
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &d, true) == 0, "desc");
	ivshm_close(&s);
	srv_stop(&f);
	return 0;
}

static int
test_bar_unset_refused(void)
{
	struct fake_srv f;
	struct ivshm s;

	NTB_TEST_ASSERT(open_ok(&s, &f) == 0, "open");
	desc()->bar[2].flags = 0;
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &s.desc, false) == 0, "desc");
	NTB_TEST_ASSERT(ivshm_bars_map(&s, MX8_NEED, MX8_MW) == -ENODEV,
			"a needed BAR the EPC has not set was accepted");
	ivshm_close(&s);
	srv_stop(&f);
	return 0;
}

/* fd and offset of the memory segment under va, as EAL knows it */
static int
memseg_file(void *va, int *fd, size_t *off)
{
	const struct rte_memseg *ms;
	int ret = -1;

	rte_mcfg_mem_read_lock();
	ms = rte_mem_virt2memseg(va, NULL);
	if (ms != NULL) {
		*fd = rte_memseg_get_fd_thread_unsafe(ms);
		if (*fd >= 0 &&
		    rte_memseg_get_fd_offset_thread_unsafe(ms, off) == 0)
			ret = 0;
		*off += (uintptr_t)va - (uintptr_t)ms->addr;
	}
	rte_mcfg_mem_read_unlock();
	return ret;
}

#define MZ_SIZE		0x10000u
#define WIN_OFF		(OB_BASE + 0x20000u)

static int
test_ob_translate_restore(void)
{
	const struct rte_memzone *mz;
	struct fake_srv f;
	struct ivshm s;
	uint8_t *buf, byte = 0;
	size_t off = 0;
	int fd = -1;
	unsigned int i;

	NTB_TEST_ASSERT(open_ok(&s, &f) == 0, "open");
	mz = rte_memzone_reserve_aligned("ivshm_ut_rx", MZ_SIZE, SOCKET_ID_ANY,
					 RTE_MEMZONE_IOVA_CONTIG, PG);
	NTB_TEST_ASSERT(mz != NULL && mz->iova != RTE_BAD_IOVA, "memzone");
	buf = mz->addr;
	for (i = 0; i < MZ_SIZE; i++)
		buf[i] = (uint8_t)(i * 7);
	memset(shm_map + WIN_OFF, 0, MZ_SIZE);

	/* refused: not page aligned; no window for that address */
	NTB_TEST_ASSERT(ivshm_ob_attach(&s, 0, mz->iova, MZ_SIZE - 64) == -EINVAL,
			"unaligned size accepted");
	NTB_TEST_ASSERT(ivshm_ob_attach(&s, 0, mz->iova + 64, PG) == -EINVAL,
			"unaligned address accepted");
	NTB_TEST_ASSERT(ivshm_ob_attach(&s, 0, mz->iova, MZ_SIZE) == -EIO,
			"attached without an EP window");
	NTB_TEST_ASSERT(buf[5] == 35, "refusal touched the buffer");

	/* the guest EPC's map_addr */
	desc_begin();
	desc()->ob[3] = (struct epc_ivshmem_ob){ WIN_OFF, mz->iova, MZ_SIZE,
		1, 0 };
	desc_end();
	NTB_TEST_ASSERT(ivshm_ob_attach(&s, 0, mz->iova, MZ_SIZE) == 0,
			"attach");
	/* what the RC had in the buffer went to the window */
	for (i = 0; i < MZ_SIZE; i++)
		NTB_TEST_ASSERT(shm_map[WIN_OFF + i] == (uint8_t)(i * 7),
				"window byte %u not copied", i);
	/* EP writes (ivshmem file) are the buffer, both ways */
	shm_map[WIN_OFF + 0x1234] = 0x42;
	NTB_TEST_ASSERT(buf[0x1234] == 0x42, "EP write not in the buffer");
	buf[0xfff0] = 0x43;
	NTB_TEST_ASSERT(shm_map[WIN_OFF + 0xfff0] == 0x43, "not shared");

	/* clear: the buffer is the memory segment's again, with the data */
	ivshm_ob_detach(&s, 0);
	NTB_TEST_ASSERT(buf[0x1234] == 0x42 && buf[0xfff0] == 0x43,
			"contents not kept");
	shm_map[WIN_OFF + 0x1234] = 0x99;
	NTB_TEST_ASSERT(buf[0x1234] == 0x42, "still mapped on the window");
	NTB_TEST_ASSERT(memseg_file(buf + 0x2000, &fd, &off) == 0,
			"memseg fd (--no-huge memfd)");
	buf[0x2000] = 0x77;
	NTB_TEST_ASSERT(pread(fd, &byte, 1, (off_t)off) == 1 && byte == 0x77,
			"buffer is not the memory segment's memory");

	/* attach again, then close: close restores too */
	NTB_TEST_ASSERT(ivshm_ob_attach(&s, 0, mz->iova, MZ_SIZE) == 0,
			"attach again");
	shm_map[WIN_OFF + 0x3000] = 0x55;
	ivshm_close(&s);
	buf[0x3001] = 0x66;
	NTB_TEST_ASSERT(buf[0x3000] == 0x55 && shm_map[WIN_OFF + 0x3001] != 0x66,
			"close did not restore");
	srv_stop(&f);
	rte_memzone_free(mz);
	return 0;
}

/* ntb_dev standing in for the vntb_rc: records what it was asked */
static int inner_set_ret;
static unsigned int inner_set_calls, inner_clear_calls;
static uint32_t inner_spad;
static int inner_closing = -1;

static int
inner_set(struct ntb_dev *nd, unsigned int idx, rte_iova_t a, uint64_t sz)
{
	RTE_SET_USED(nd);
	RTE_SET_USED(idx);
	RTE_SET_USED(a);
	RTE_SET_USED(sz);
	inner_set_calls++;
	return inner_set_ret;
}

static int
inner_clear(struct ntb_dev *nd, unsigned int idx)
{
	RTE_SET_USED(nd);
	RTE_SET_USED(idx);
	inner_clear_calls++;
	return 0;
}

static uint32_t
inner_spad_read(struct ntb_dev *nd, unsigned int idx)
{
	RTE_SET_USED(nd);
	RTE_SET_USED(idx);
	return inner_spad;
}

static void
inner_set_closing(struct ntb_dev *nd, bool closing)
{
	RTE_SET_USED(nd);
	inner_closing = closing ? 1 : 0;
}

static int
test_wrapper(void)
{
	static const struct ntb_dev_ops ops = {
		.mw_set_trans = inner_set,
		.mw_clear_trans = inner_clear,
		.spad_read = inner_spad_read,
		.set_closing = inner_set_closing,
	};
	struct ntb_dev inner = { .ops = &ops, .name = "inner", .mw_count = 1,
				 .link_fd = -1 };
	const struct rte_memzone *mz;
	struct ivshm_ntb w;
	struct ntb_dev *nd;
	struct fake_srv f;
	struct ivshm s;
	uint8_t *buf;

	NTB_TEST_ASSERT(open_ok(&s, &f) == 0, "open");
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &s.desc, false) == 0 &&
			ivshm_bars_map(&s, MX8_NEED, MX8_MW) == 0, "map");
	nd = ivshm_ntb_wrap(&w, &inner, &s);
	NTB_TEST_ASSERT(nd->mw_count == 1 && nd->link_fd == -1, "fields");
	/* closing reaches the vNTB RC under the wrapper */
	ntb_dev_set_closing(nd, true);
	NTB_TEST_ASSERT(inner_closing == 1, "closing not passed on");
	ntb_dev_set_closing(nd, false);
	NTB_TEST_ASSERT(inner_closing == 0, "end of closing not passed on");
	mz = rte_memzone_reserve_aligned("ivshm_ut_w", MZ_SIZE, SOCKET_ID_ANY,
					 RTE_MEMZONE_IOVA_CONTIG, PG);
	NTB_TEST_ASSERT(mz != NULL, "memzone");
	buf = mz->addr;

	/* refused before any command when not page aligned */
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 0, mz->iova, 100) == -EINVAL &&
			inner_set_calls == 0, "unaligned reached the EP");
	/* the command failed: no translation */
	inner_set_ret = -EIO;
	desc_begin();
	desc()->ob[0] = (struct epc_ivshmem_ob){ WIN_OFF, mz->iova, MZ_SIZE,
		1, 0 };
	desc_end();
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 0, mz->iova, MZ_SIZE) == -EIO,
			"failed command");
	NTB_TEST_ASSERT(!s.ob[0].active, "translated after a failed command");
	/* the command worked: translated */
	inner_set_ret = 0;
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 0, mz->iova, MZ_SIZE) == 0,
			"set");
	shm_map[WIN_OFF + 8] = 0x81;
	NTB_TEST_ASSERT(buf[8] == 0x81, "not translated");
	/* the EP has no window (map_addr missing): undone, error */
	NTB_TEST_ASSERT(nd->ops->mw_clear_trans(nd, 0) == 0 &&
			inner_clear_calls == 1, "clear");
	shm_map[WIN_OFF + 8] = 0x82;
	NTB_TEST_ASSERT(buf[8] == 0x81, "clear kept the translation");
	desc_begin();
	desc()->ob[0].active = 0;
	desc_end();
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 0, mz->iova, MZ_SIZE) == -EIO &&
			inner_clear_calls == 2, "no window: not torn down");

	/* spad read: the BAR moved before the EP wrote the spad */
	desc_begin();
	desc()->bar[4].phys = 0x240000;
	desc_end();
	inner_spad = 0xabcd;
	NTB_TEST_ASSERT(nd->ops->spad_read(nd, 0) == 0xabcd, "spad value");
	s.bar[4].va[0] = 0x3c;
	NTB_TEST_ASSERT(ram_map[0x240000] == 0x3c,
			"BAR not re-mapped after a spad read");
	ivshm_close(&s);
	srv_stop(&f);
	rte_memzone_free(mz);
	return 0;
}

static int
test_guest_lost(void)
{
	struct fake_srv f;
	struct ivshm s;

	NTB_TEST_ASSERT(open_ok(&s, &f) == 0, "open");
	NTB_TEST_ASSERT(ivshm_desc_read(&s, &s.desc, false) == 0 &&
			ivshm_bars_map(&s, MX8_NEED, MX8_MW) == 0, "map");
	memset(ram_map + 0x100000, 0x5a, 0x8000);
	ivshm_guest_lost(&s);
	/* every BAR is a void: the gone guest's memory is not written */
	s.bar[0].va[0x10] = 0x77;
	NTB_TEST_ASSERT(ram_map[0x100010] == 0x5a, "BAR0 still on guest RAM");
	/* its descriptor changing again (same boot) is not mapped */
	desc_begin();
	desc()->bar[4].phys = 0x200000;
	desc_end();
	NTB_TEST_ASSERT(ivshm_sync(&s) == 0 && s.bar[0].phys == 0,
			"the gone guest's descriptor was mapped");
	/* a new boot is */
	desc_begin();
	desc()->boot_id++;
	desc_end();
	NTB_TEST_ASSERT(ivshm_sync(&s) == 1 && !s.dead, "new boot not mapped");
	s.bar[0].va[0x20] = 0x78;
	NTB_TEST_ASSERT(ram_map[0x100020] == 0x78, "BAR0 not back on RAM");
	ivshm_close(&s);
	srv_stop(&f);
	return 0;
}

static int
test_peer_gone(void)
{
	struct fake_srv f;
	struct ivshm s;
	int efd = eventfd(0, 0);

	NTB_TEST_ASSERT(open_ok(&s, &f) == 0, "open");
	pthread_join(f.tid, NULL);
	/* another peer comes: not our guest */
	NTB_TEST_ASSERT(srv_send(f.conn, 9, &efd, 1) == 0, "send");
	NTB_TEST_ASSERT(!ivshm_server_event(&s), "peer 9 taken as gone");
	NTB_TEST_ASSERT(s.guest_id == GUEST_ID, "guest changed");
	/* peer 9 goes: not our guest either */
	NTB_TEST_ASSERT(srv_send(f.conn, 9, NULL, 0) == 0, "send");
	NTB_TEST_ASSERT(!ivshm_server_event(&s) && !s.guest_gone,
			"peer 9 leaving taken as the guest");
	/* the guest goes */
	NTB_TEST_ASSERT(srv_send(f.conn, GUEST_ID, NULL, 0) == 0, "send");
	NTB_TEST_ASSERT(ivshm_server_event(&s) == IVSHM_GUEST_GONE &&
			s.guest_gone, "guest gone not seen");
	/* a rebooted guest is a new peer */
	NTB_TEST_ASSERT(srv_send(f.conn, 11, &efd, 1) == 0, "send");
	NTB_TEST_ASSERT(ivshm_server_event(&s) == IVSHM_GUEST_NEW &&
			s.guest_id == 11 && !s.guest_gone, "new guest not seen");
	NTB_TEST_ASSERT(ivshm_ram_same(&s), "RAM file taken as replaced");
	/* garbage later: the connection is dropped, no crash */
	NTB_TEST_ASSERT(srv_send(f.conn, -5, NULL, 0) == 0, "send");
	ivshm_server_event(&s);
	NTB_TEST_ASSERT(!s.connected, "garbage kept the connection");
	close(efd);
	ivshm_close(&s);
	close(f.conn);
	f.conn = -1;
	close(f.lsock);
	unlink(f.path);
	for (unsigned int i = 0; i < OWN_VECTORS; i++)
		close(f.own_efd[i]);
	return 0;
}

int
main(int argc, char **argv)
{
	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	if (ntb_test_proc_eal_args("ivshm_unit", "-m", "64",
				   "--log-level=eal:error", NULL) < 0) {
		printf("Bail out! EAL init failed\n");
		return 1;
	}
	ram_fd = memfd_create("ivshm_ut_ram", 0);
	shm_fd = memfd_create("ivshm_ut_shm", 0);
	if (ram_fd < 0 || shm_fd < 0 || ftruncate(ram_fd, RAM_SIZE) < 0 ||
	    ftruncate(shm_fd, SHM_SIZE) < 0) {
		printf("Bail out! memfd\n");
		return 1;
	}
	snprintf(ram_path, sizeof(ram_path), "/proc/self/fd/%d", ram_fd);
	ram_map = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		       ram_fd, 0);
	shm_map = mmap(NULL, SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		       shm_fd, 0);
	if (ram_map == MAP_FAILED || shm_map == MAP_FAILED) {
		printf("Bail out! mmap\n");
		return 1;
	}

	NTB_TEST_RUN(test_connect);
	NTB_TEST_RUN(test_server_garbage);
	NTB_TEST_RUN(test_desc_checks);
	NTB_TEST_RUN(test_bars_map_void_remap);
	NTB_TEST_RUN(test_bar_unset_refused);
	NTB_TEST_RUN(test_ob_translate_restore);
	NTB_TEST_RUN(test_wrapper);
	NTB_TEST_RUN(test_guest_lost);
	NTB_TEST_RUN(test_peer_gone);
	rte_eal_cleanup();
	return ntb_test_done();
}
