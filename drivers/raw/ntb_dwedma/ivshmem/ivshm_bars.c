/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * BARs of the vNTB function: a VA range of the BAR's size each, the
 * guest RAM file mapped there at the guest physical address the EPC
 * published. The RC keeps bar->va for its life: when the EP points a BAR
 * at new memory (vNTB binds its MW BARs with phys 0, the EP's
 * ntb_transport moves them onto its own buffer), the new backing is
 * mapped over the same range (MAP_FIXED), as an inbound iATU retargets
 * a BAR without the host seeing its BAR address change.
 *
 * A BAR without backing (phys 0) is a "void": private anonymous memory.
 * RC writes there go nowhere the EP can see, reads return what the RC
 * wrote or zeros; guest physical address 0 is never mapped.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>

#include "ivshm.h"
#include "ntb_dwedma_log.h"

static int
ivshm_void(uint8_t *va, size_t len)
{
	if (len == 0)
		return 0;
	if (mmap(va, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		return -errno;
	return 0;
}

/* Back BAR i with guest RAM at phys (0: void), size from the EPC. */
static int
ivshm_bar_place(struct ivshm *s, unsigned int i, uint64_t phys, uint64_t size)
{
	struct ivshm_bar *b = &s->bar[i];
	uint64_t want = phys != 0 ? RTE_ALIGN_CEIL(size, s->page_sz) : 0;
	uint64_t n = RTE_MIN(want, (uint64_t)b->len);
	int ret = 0;

	if (want > b->len)
		NTB_LOG(WARNING, "%s: BAR%u now %#" PRIx64 " bytes, larger than the %#zx the RC mapped at first: only those are reachable",
			s->name, i, size, b->len);
	if (n != 0 &&
	    mmap(b->va, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 s->ram_fd, (off_t)phys) == MAP_FAILED)
		ret = -errno;
	if (ret == 0)
		ret = ivshm_void(b->va + n, b->len - n);
	if (ret < 0) {
		/* never leave a half-mapped BAR: all void */
		NTB_LOG(ERR, "%s: cannot map BAR%u onto guest RAM %#" PRIx64 " (+%#" PRIx64 "): %s",
			s->name, i, phys, size, strerror(-ret));
		ivshm_void(b->va, b->len);
		n = 0;
		phys = 0;
	}
	b->phys = phys;
	b->mapped = n;
	return ret;
}

int
ivshm_bars_map(struct ivshm *s, uint8_t need, uint8_t want)
{
	uint8_t mask = need | want;
	unsigned int i;
	int ret;

	for (i = 0; i < EPC_IVSHMEM_NUM_BARS; i++) {
		const struct epc_ivshmem_bar *db = &s->desc.bar[i];
		struct ivshm_bar *b = &s->bar[i];
		void *va;

		if (!(mask & RTE_BIT32(i)))
			continue;
		if (!(db->flags & EPC_IVSHMEM_BAR_SET) &&
		    !(need & RTE_BIT32(i)))
			continue;
		if (!(db->flags & EPC_IVSHMEM_BAR_SET)) {
			NTB_LOG(ERR, "%s: the EPC has not set BAR%u, which the BAR map needs (is the vNTB function bound and started?)",
				s->name, i);
			return -ENODEV;
		}
		b->len = RTE_ALIGN_CEIL(db->size, s->page_sz);
		va = mmap(NULL, b->len, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (va == MAP_FAILED) {
			NTB_LOG(ERR, "%s: cannot reserve %zu bytes for BAR%u: %s",
				s->name, b->len, i, strerror(errno));
			b->len = 0;
			return -errno;
		}
		b->va = va;
		s->bar_mask |= RTE_BIT32(i);
		ret = ivshm_bar_place(s, i, db->phys, db->size);
		if (ret < 0)
			return ret;
		NTB_LOG(INFO, "%s: BAR%u: %#zx bytes, guest RAM %#" PRIx64 "%s",
			s->name, i, b->len, db->phys,
			db->phys == 0 ? " (no backing yet: void)" : "");
	}
	s->seen_seq = s->desc.seq;
	s->seen_boot = s->desc.boot_id;
	return 0;
}

void
ivshm_bars_get(const struct ivshm *s, struct ntb_bar bars[VNTB_PCI_BARS])
{
	unsigned int i;

	memset(bars, 0, sizeof(*bars) * VNTB_PCI_BARS);
	for (i = 0; i < VNTB_PCI_BARS && i < EPC_IVSHMEM_NUM_BARS; i++) {
		bars[i].va = s->bar[i].va;
		bars[i].len = s->bar[i].va != NULL ? s->bar[i].len : 0;
	}
}

int
ivshm_sync(struct ivshm *s)
{
	const struct epc_ivshmem_desc *live = (const void *)s->shm;
	struct epc_ivshmem_desc nd;
	uint32_t seq = ivshm_desc_seq(s);
	uint32_t boot = __atomic_load_n(&live->boot_id, __ATOMIC_RELAXED);
	unsigned int i;
	int ret, moved = 0;

	if (seq == s->seen_seq && boot == s->seen_boot)
		return 0;
	pthread_mutex_lock(&s->lock);
	ret = ivshm_desc_read(s, &nd, seq == s->refused_seq);
	if (ret == -EAGAIN) {
		ret = 0;	/* the guest is writing: next time */
		goto out;
	}
	if (ret < 0) {
		/* logged once; the old mappings stay until a good one */
		if (seq != s->refused_seq)
			s->refused++;
		s->refused_seq = seq;
		s->seen_seq = seq;
		s->seen_boot = boot;
		goto out;
	}
	if (s->dead && nd.boot_id == s->dead_boot) {
		/* the gone guest's descriptor: its memory is not ours */
		s->seen_seq = nd.seq;
		s->seen_boot = nd.boot_id;
		goto out;
	}
	s->dead = false;
	if (nd.boot_id != s->desc.boot_id)
		NTB_LOG(NOTICE, "%s: the guest's EPC was probed again (boot_id %#x -> %#x)",
			s->name, s->desc.boot_id, nd.boot_id);
	for (i = 0; i < EPC_IVSHMEM_NUM_BARS; i++) {
		const struct epc_ivshmem_bar *b = &nd.bar[i];
		uint64_t phys = (b->flags & EPC_IVSHMEM_BAR_SET) ? b->phys : 0;
		uint64_t size = RTE_ALIGN_CEIL(b->size, s->page_sz);

		if (!(s->bar_mask & RTE_BIT32(i)))
			continue;
		if (phys == s->bar[i].phys &&
		    (phys == 0 ||
		     RTE_MIN(size, (uint64_t)s->bar[i].len) == s->bar[i].mapped))
			continue;
		NTB_LOG(INFO, "%s: BAR%u moved: guest RAM %#" PRIx64 " -> %#" PRIx64 " (%#" PRIx64 " bytes)",
			s->name, i, s->bar[i].phys, phys, b->size);
		if (ivshm_bar_place(s, i, phys, b->size) == 0)
			moved = 1;
		s->remaps++;
	}
	s->desc = nd;
	s->seen_seq = nd.seq;
	s->seen_boot = nd.boot_id;
	ret = moved;
out:
	pthread_mutex_unlock(&s->lock);
	return ret;
}

void
ivshm_guest_lost(struct ivshm *s)
{
	unsigned int i;

	pthread_mutex_lock(&s->lock);
	s->dead = true;
	s->dead_boot = s->desc.boot_id;
	for (i = 0; i < EPC_IVSHMEM_NUM_BARS; i++)
		if (s->bar[i].va != NULL)
			ivshm_bar_place(s, i, 0, 0);
	pthread_mutex_unlock(&s->lock);
}

void
ivshm_bars_unmap(struct ivshm *s)
{
	unsigned int i;

	for (i = 0; i < EPC_IVSHMEM_NUM_BARS; i++) {
		if (s->bar[i].va != NULL)
			munmap(s->bar[i].va, s->bar[i].len);
		memset(&s->bar[i], 0, sizeof(s->bar[i]));
	}
	s->bar_mask = 0;
}
