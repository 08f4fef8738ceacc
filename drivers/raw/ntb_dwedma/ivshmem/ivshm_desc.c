/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The EPC descriptor at offset 0 of the ivshmem file: copied once under
 * the guest's sequence lock, then every address and size in the copy is
 * checked against the file it points into before anything uses it.
 */

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <rte_atomic.h>
#include <rte_byteorder.h>

#include "ivshm.h"
#include "ntb_dwedma_log.h"

/* the layout is the ABI: both sides assert it */
_Static_assert(offsetof(struct epc_ivshmem_desc, vendor_id) == 0x10, "abi");
_Static_assert(offsetof(struct epc_ivshmem_desc, started) == 0x20, "abi");
_Static_assert(offsetof(struct epc_ivshmem_desc, bar) == EPC_IVSHMEM_OFF_BAR,
	       "abi");
_Static_assert(offsetof(struct epc_ivshmem_desc, ob) == EPC_IVSHMEM_OFF_OB,
	       "abi");
_Static_assert(offsetof(struct epc_ivshmem_desc, rc_peer_id) ==
	       EPC_IVSHMEM_OFF_HOST, "abi");
_Static_assert(sizeof(struct epc_ivshmem_bar) == 24, "abi");
_Static_assert(sizeof(struct epc_ivshmem_ob) == 32, "abi");
_Static_assert(sizeof(struct epc_ivshmem_desc) <= EPC_IVSHMEM_DESC_SIZE,
	       "abi");
/* fields are used as read: the ABI is little-endian */
_Static_assert(RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN,
	       "the ivshmem platform needs a little-endian host");

/* seq odd (guest writing) or changed during the copy: try again */
#define IVSHM_DESC_TRIES	200
#define IVSHM_DESC_WAIT_US	50

uint32_t
ivshm_desc_seq(const struct ivshm *s)
{
	const struct epc_ivshmem_desc *d = (const void *)s->shm;

	return __atomic_load_n(&d->seq, __ATOMIC_ACQUIRE);
}

uint32_t
ivshm_desc_class(const struct epc_ivshmem_desc *d)
{
	return (uint32_t)d->baseclass << 16 | (uint32_t)d->subclass << 8 |
		d->progif;
}

void
ivshm_desc_set_host(struct ivshm *s, int32_t peer_id, uint32_t vectors)
{
	struct epc_ivshmem_desc *d = (void *)s->shm;

	__atomic_store_n(&d->rc_peer_id, peer_id, __ATOMIC_RELAXED);
	__atomic_store_n(&d->rc_vectors, vectors, __ATOMIC_RELAXED);
	/* release: the guest that sees the new rc_seq sees both */
	__atomic_fetch_add(&d->rc_seq, 1, __ATOMIC_RELEASE);
}

/* end = off + len without wrapping, within limit */
static bool
ivshm_range_ok(uint64_t off, uint64_t len, uint64_t limit)
{
	return len <= limit && off <= limit - len;
}

static int
ivshm_desc_check(const struct ivshm *s, const struct epc_ivshmem_desc *d,
		 bool quiet)
{
	uint64_t pg = s->page_sz;
	unsigned int i;

#define IVSHM_BAD(...) do {						\
		if (!quiet)						\
			NTB_LOG(ERR, __VA_ARGS__);			\
		return -EINVAL;						\
	} while (0)

	if (d->magic != EPC_IVSHMEM_MAGIC)
		IVSHM_BAD("%s: ivshmem descriptor magic %#x, expected %#x (is the guest's pci_epc_ivshmem loaded on this ivshmem device?)",
			  s->name, d->magic, EPC_IVSHMEM_MAGIC);
	if (d->abi != EPC_IVSHMEM_ABI)
		IVSHM_BAD("%s: ivshmem descriptor ABI %u, this driver speaks %u",
			  s->name, d->abi, EPC_IVSHMEM_ABI);
	for (i = 0; i < EPC_IVSHMEM_NUM_BARS; i++) {
		const struct epc_ivshmem_bar *b = &d->bar[i];
		uint64_t len = RTE_ALIGN_CEIL(b->size, pg);

		if (!(b->flags & EPC_IVSHMEM_BAR_SET))
			continue;
		if (b->size == 0 || len < b->size)
			IVSHM_BAD("%s: descriptor bar[%u].size %#" PRIx64 " is not a usable BAR size",
				  s->name, i, b->size);
		if (b->phys == 0)
			continue;	/* no backing yet: the RC maps a void */
		if (b->phys % pg != 0)
			IVSHM_BAD("%s: descriptor bar[%u].phys %#" PRIx64 " is not page aligned",
				  s->name, i, b->phys);
		if (!ivshm_range_ok(b->phys, len, s->ram_len))
			IVSHM_BAD("%s: descriptor bar[%u] [%#" PRIx64 ", +%#" PRIx64 ") is outside the guest RAM file (%#" PRIx64 " bytes)",
				  s->name, i, b->phys, b->size, s->ram_len);
	}
	if (d->ob_size != 0 &&
	    (d->ob_base % pg != 0 || d->ob_base < EPC_IVSHMEM_DESC_SIZE ||
	     !ivshm_range_ok(d->ob_base, d->ob_size, s->shm_len)))
		IVSHM_BAD("%s: descriptor outbound space [%#" PRIx64 ", +%#" PRIx64 ") is unaligned, over the descriptor or outside the ivshmem file (%#zx bytes)",
			  s->name, d->ob_base, d->ob_size, s->shm_len);
	for (i = 0; i < EPC_IVSHMEM_NUM_OB; i++) {
		const struct epc_ivshmem_ob *o = &d->ob[i];

		if (!o->active)
			continue;
		if (o->size == 0 || o->shm_offset < d->ob_base ||
		    !ivshm_range_ok(o->shm_offset - d->ob_base, o->size,
				    d->ob_size))
			IVSHM_BAD("%s: descriptor ob[%u] [%#" PRIx64 ", +%#" PRIx64 ") is outside the outbound space [%#" PRIx64 ", +%#" PRIx64 ")",
				  s->name, i, o->shm_offset, o->size,
				  d->ob_base, d->ob_size);
	}
#undef IVSHM_BAD
	return 0;
}

int
ivshm_desc_read(struct ivshm *s, struct epc_ivshmem_desc *out, bool quiet)
{
	const struct epc_ivshmem_desc *d = (const void *)s->shm;
	unsigned int i;

	for (i = 0; i < IVSHM_DESC_TRIES; i++) {
		uint32_t s1 = __atomic_load_n(&d->seq, __ATOMIC_ACQUIRE);

		if ((s1 & 1) == 0) {
			memcpy(out, d, sizeof(*out));
			rte_smp_rmb();	/* the copy completes before seq is re-read */
			if (__atomic_load_n(&d->seq, __ATOMIC_RELAXED) == s1 &&
			    out->seq == s1)
				return ivshm_desc_check(s, out, quiet);
		}
		usleep(IVSHM_DESC_WAIT_US);
	}
	if (!quiet)
		NTB_LOG(ERR, "%s: the ivshmem descriptor kept changing (seq odd or moving) over %u reads",
			s->name, IVSHM_DESC_TRIES);
	return -EAGAIN;
}
