/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Kernel-peer platform life cycle: the two shared files and the server
 * connection (see ivshm.h).
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ivshm.h"
#include "ntb_dwedma_log.h"

static int
ivshm_map_shm(struct ivshm *s)
{
	struct stat st;
	void *p;

	if (fstat(s->cl.shm_fd, &st) < 0)
		return -errno;
	if (st.st_size < (off_t)EPC_IVSHMEM_DESC_SIZE ||
	    (uint64_t)st.st_size % s->page_sz != 0) {
		NTB_LOG(ERR, "%s: the ivshmem shared memory is %jd bytes: it must hold the EPC descriptor (%u bytes) and be a whole number of pages",
			s->name, (intmax_t)st.st_size, EPC_IVSHMEM_DESC_SIZE);
		return -EINVAL;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 s->cl.shm_fd, 0);
	if (p == MAP_FAILED) {
		NTB_LOG(ERR, "%s: cannot map the ivshmem shared memory (%jd bytes): %s",
			s->name, (intmax_t)st.st_size, strerror(errno));
		return -errno;
	}
	s->shm = p;
	s->shm_len = (size_t)st.st_size;
	return 0;
}

static int
ivshm_open_ram(struct ivshm *s, const char *ram)
{
	struct stat st;

	s->ram_fd = open(ram, O_RDWR | O_CLOEXEC);
	if (s->ram_fd < 0) {
		NTB_LOG(ERR, "%s: cannot open the guest RAM file %s: %s",
			s->name, ram, strerror(errno));
		return -errno;
	}
	if (fstat(s->ram_fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_size <= 0) {
		NTB_LOG(ERR, "%s: guest RAM file %s is not a non-empty regular file (QEMU memory-backend-file, share=on)",
			s->name, ram);
		return -EINVAL;
	}
	s->ram_len = (uint64_t)st.st_size;
	return 0;
}

int
ivshm_open(struct ivshm *s, const char *name, const char *server,
	   const char *ram, unsigned int settle_ms, unsigned int wait_ms)
{
	int ret;

	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->ram_path, sizeof(s->ram_path), "%s", ram);
	s->ram_fd = -1;
	s->guest_id = -1;
	s->refused_seq = UINT32_MAX;	/* odd: never a settled seq */
	s->cl.sock = -1;
	s->cl.shm_fd = -1;
	s->page_sz = (size_t)sysconf(_SC_PAGESIZE);
	pthread_mutex_init(&s->lock, NULL);
	ret = ivshm_client_connect(&s->cl, server, settle_ms, wait_ms);
	if (ret < 0)
		goto fail;
	s->connected = true;
	if (s->cl.nb_peers > 0)
		s->guest_id = s->cl.peer_id[0];
	if (s->cl.nb_peers > 1)
		NTB_LOG(WARNING, "%s: %u other peers on the ivshmem server; the guest is taken to be peer %" PRId64,
			name, s->cl.nb_peers, s->guest_id);
	ret = ivshm_map_shm(s);
	if (ret == 0)
		ret = ivshm_open_ram(s, ram);
	if (ret < 0)
		goto fail;
	ivshm_desc_set_host(s, (int32_t)s->cl.own_id, s->cl.nb_vectors);
	NTB_LOG(INFO, "%s: ivshmem peer %" PRId64 ", %u vectors, shm %zu bytes, guest RAM %" PRIu64 " bytes, guest peer %" PRId64,
		name, s->cl.own_id, s->cl.nb_vectors, s->shm_len, s->ram_len,
		s->guest_id);
	return 0;
fail:
	ivshm_close(s);
	return ret;
}

void
ivshm_close(struct ivshm *s)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(s->ob); i++)
		ivshm_ob_detach(s, i);
	ivshm_bars_unmap(s);
	if (s->shm != NULL) {
		/* the guest must not signal a peer that is gone */
		ivshm_desc_set_host(s, -1, 0);
		munmap(s->shm, s->shm_len);
	}
	s->shm = NULL;
	if (s->ram_fd >= 0)
		close(s->ram_fd);
	s->ram_fd = -1;
	ivshm_client_close(&s->cl);
	s->connected = false;
	pthread_mutex_destroy(&s->lock);
}

enum ivshm_guest_ev
ivshm_server_event(struct ivshm *s)
{
	enum ivshm_guest_ev ev = IVSHM_GUEST_SAME;
	int64_t peer = -1;
	int ret;

	while (s->connected) {
		ret = ivshm_client_poll(&s->cl, &peer);
		if (ret == IVSHM_EV_NONE)
			break;
		if (ret < 0) {
			NTB_LOG(ERR, "%s: ivshmem server connection lost (%s): no new peers will be seen",
				s->name, strerror(-ret));
			/* stop watching: the socket stays readable at EOF */
			s->connected = false;
			break;
		}
		if (ret == IVSHM_EV_PEER_GONE && peer == s->guest_id &&
		    !s->guest_gone) {
			NTB_LOG(ERR, "%s: the guest (ivshmem peer %" PRId64 ") is gone",
				s->name, peer);
			s->guest_gone = true;
			ev = IVSHM_GUEST_GONE;
		} else if (ret == IVSHM_EV_PEER_VECTOR &&
			   (s->guest_id < 0 || s->guest_gone) &&
			   peer != s->guest_id) {
			/* first vector of a new peer: the (restarted) guest */
			s->guest_id = peer;
			s->guest_gone = false;
			NTB_LOG(NOTICE, "%s: guest is now ivshmem peer %" PRId64,
				s->name, peer);
			ev = IVSHM_GUEST_NEW;
		}
	}
	return ev;
}

bool
ivshm_ram_same(const struct ivshm *s)
{
	struct stat a, b;

	return stat(s->ram_path, &a) == 0 && fstat(s->ram_fd, &b) == 0 &&
		a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}
