/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Outbound translations, EP -> RC. On a board the EP's outbound iATU
 * sends its writes to the RC bus address the RC gave in CONFIGURE_MW:
 * they land in the RC's receive buffer. Here the EP's writes land in the
 * ivshmem file (its EPC outbound space); the guest EPC records where
 * (ob[]: shm_offset, pci_addr, size) when vNTB maps the window. The
 * translation is made by mapping that file region over the receive
 * buffer's VA, so the RC reads the EP's writes where it expects them.
 * This needs the buffer to be in whole pages of its memory segment:
 * 4 KiB with --no-huge.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_eal_memconfig.h>
#include <rte_memory.h>

#include "ivshm.h"
#include "ntb_dwedma_log.h"

/* Page size of the DPDK memory under [va, va + size), 0 if not all DPDK's. */
static size_t
ivshm_mem_page(uint8_t *va, uint64_t size)
{
	size_t pg = 0;
	uint64_t off = 0;

	rte_mcfg_mem_read_lock();
	while (off < size) {
		const struct rte_memseg *ms = rte_mem_virt2memseg(va + off, NULL);

		if (ms == NULL || ms->hugepage_sz == 0 ||
		    (pg != 0 && ms->hugepage_sz != pg)) {
			pg = 0;
			break;
		}
		pg = ms->hugepage_sz;
		off += pg;
	}
	rte_mcfg_mem_read_unlock();
	return pg;
}

static const struct epc_ivshmem_ob *
ivshm_ob_find(const struct epc_ivshmem_desc *d, rte_iova_t addr)
{
	unsigned int i;

	for (i = 0; i < EPC_IVSHMEM_NUM_OB; i++)
		if (d->ob[i].active && d->ob[i].pci_addr == addr)
			return &d->ob[i];
	return NULL;
}

int
ivshm_ob_attach(struct ivshm *s, unsigned int idx, rte_iova_t addr,
		uint64_t size)
{
	struct ivshm_ob_trans *t;
	struct epc_ivshmem_desc d;
	const struct epc_ivshmem_ob *o;
	uint8_t *va;
	size_t pg;
	int ret;

	if (idx >= RTE_DIM(s->ob))
		return -EINVAL;
	ivshm_ob_detach(s, idx);	/* set twice: the old buffer first */
	if (addr % s->page_sz != 0 || size == 0 || size % s->page_sz != 0) {
		NTB_LOG(ERR, "%s: MW%u receive buffer %#" PRIx64 " (+%#" PRIx64 ") is not page aligned: the EP's window cannot be mapped over it",
			s->name, idx + 1, (uint64_t)addr, size);
		return -EINVAL;
	}
	va = rte_mem_iova2virt(addr);
	if (va == NULL) {
		NTB_LOG(ERR, "%s: MW%u receive buffer IOVA %#" PRIx64 " is not DPDK memory",
			s->name, idx + 1, (uint64_t)addr);
		return -EINVAL;
	}
	pg = ivshm_mem_page(va, size);
	if (pg == 0 || (uintptr_t)va % pg != 0 || size % pg != 0) {
		NTB_LOG(ERR, "%s: MW%u receive buffer %p (+%#" PRIx64 ") is not in whole pages of DPDK memory (page %zu): run the RC with --no-huge",
			s->name, idx + 1, va, size, pg);
		return -EINVAL;
	}
	pthread_mutex_lock(&s->lock);
	ret = ivshm_desc_read(s, &d, false);
	if (ret < 0)
		goto out;
	o = ivshm_ob_find(&d, addr);
	if (o == NULL || o->size < size || o->shm_offset % s->page_sz != 0) {
		NTB_LOG(ERR, "%s: MW%u: the EP reports %s for RC address %#" PRIx64 " (+%#" PRIx64 ") after CONFIGURE_MW",
			s->name, idx + 1,
			o == NULL ? "no outbound window" :
			o->size < size ? "a smaller outbound window" :
			"an unaligned outbound window",
			(uint64_t)addr, size);
		ret = -EIO;
		goto out;
	}
	/*
	 * The EP writes only after the transport handshake, which follows
	 * this call: what the RC put in the buffer (its rx_info) is copied
	 * before any EP write can be overwritten by it.
	 */
	memcpy(s->shm + o->shm_offset, va, size);
	if (mmap(va, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 s->cl.shm_fd, (off_t)o->shm_offset) == MAP_FAILED) {
		ret = -errno;
		NTB_LOG(ERR, "%s: MW%u: cannot map the EP's window over the receive buffer: %s",
			s->name, idx + 1, strerror(errno));
		/* MAP_FIXED failed: the old mapping is intact */
		goto out;
	}
	t = &s->ob[idx];
	t->active = true;
	t->va = va;
	t->size = size;
	t->iova = addr;
	t->shm_offset = o->shm_offset;
	NTB_LOG(INFO, "%s: MW%u: EP window at ivshmem %#" PRIx64 " mapped over the receive buffer %#" PRIx64 " (+%#" PRIx64 ")",
		s->name, idx + 1, o->shm_offset, (uint64_t)addr, size);
out:
	pthread_mutex_unlock(&s->lock);
	return ret;
}

/*
 * Put the memory segment's own pages back under [va, va + size): its fd
 * at its offset (memfd with --no-huge, hugepage files otherwise). Where
 * EAL has no fd for a segment (anonymous memory), a fresh anonymous page
 * takes its place: the contents are copied back below, and with
 * IOVA == VA the buffer's IOVA stays valid. Returns how many pages took
 * the fallback.
 */
static unsigned int
ivshm_mem_restore(uint8_t *va, uint64_t size)
{
	unsigned int anon = 0;
	uint64_t off = 0;

	rte_mcfg_mem_read_lock();
	while (off < size) {
		const struct rte_memseg *ms = rte_mem_virt2memseg(va + off, NULL);
		size_t pg = ms != NULL ? ms->hugepage_sz : 0;
		size_t fd_off = 0;
		int fd = -1;

		if (pg == 0)
			break;	/* checked at attach; memory cannot go */
		fd = rte_memseg_get_fd_thread_unsafe(ms);
		if (fd < 0 || rte_memseg_get_fd_offset_thread_unsafe(ms, &fd_off) < 0 ||
		    mmap(va + off, pg, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, fd, (off_t)fd_off) == MAP_FAILED) {
			mmap(va + off, pg, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			anon++;
		}
		off += pg;
	}
	rte_mcfg_mem_read_unlock();
	return anon;
}

void
ivshm_ob_detach(struct ivshm *s, unsigned int idx)
{
	struct ivshm_ob_trans *t;
	unsigned int anon;

	if (idx >= RTE_DIM(s->ob) || !s->ob[idx].active)
		return;
	t = &s->ob[idx];
	anon = ivshm_mem_restore(t->va, t->size);
	/* the buffer keeps what the EP wrote last, as real memory would */
	memcpy(t->va, s->shm + t->shm_offset, t->size);
	if (anon != 0)
		NTB_LOG(WARNING, "%s: MW%u: %u page(s) of the receive buffer had no memory-segment fd: replaced by anonymous memory",
			s->name, idx + 1, anon);
	NTB_LOG(INFO, "%s: MW%u: receive buffer %#" PRIx64 " has its own memory again",
		s->name, idx + 1, (uint64_t)t->iova);
	memset(t, 0, sizeof(*t));
}
