/* SPDX-License-Identifier: (BSD-3-Clause OR GPL-2.0) */
/* Copyright(c) 2026 dpdk-vntb developers */

#ifndef EPC_IVSHMEM_ABI_H
#define EPC_IVSHMEM_ABI_H

/*
 * Shared-memory ABI between pci_epc_ivshmem (an endpoint-controller
 * driver in a QEMU guest, on an ivshmem-doorbell device) and the host
 * process that plays the PCIe Root Complex (DPDK's raw_ntb_ivshmem).
 *
 * Two files are shared:
 *  - the ivshmem memory (guest: ivshmem BAR2; host: the shm fd the
 *    ivshmem server hands out). It starts with struct epc_ivshmem_desc
 *    (this file); [ob_base, ob_base + ob_size) is the EPC's outbound
 *    address space (pci_epc_mem_init): the EP's outbound windows.
 *  - the guest RAM file (QEMU memory-backend-file, share=on): BAR
 *    memory is guest RAM (pci_epf_alloc_space / the EP's ntb_transport
 *    buffers), found at file offset == guest physical address (q35,
 *    RAM below 2 GiB).
 *
 * The guest writes everything but the HOST fields, under a sequence
 * lock: seq is made odd, fields are written, seq is made even (with
 * write barriers between). The host copies the descriptor between two
 * reads of an even, equal seq and trusts nothing it copied: every
 * address and size is bounds-checked against the file it points into.
 *
 * Interrupts: the EPC raises MSI vector n (1-based, as
 * pci_epc_raise_irq) by writing (rc_peer_id << 16) | (n - 1) to the
 * ivshmem Doorbell register (BAR0 + 12): the host RC's ivshmem eventfd
 * number n - 1 fires. rc_peer_id is the host's ivshmem peer id, written
 * by the host after it connected to the ivshmem server.
 *
 * All fields little-endian. The layout is fixed: offsets are part of
 * the ABI (static asserts on both sides).
 */

#ifdef __KERNEL__
#include <linux/types.h>
typedef u8 epc_u8;
typedef u16 epc_u16;
typedef u32 epc_u32;
typedef u64 epc_u64;
typedef s32 epc_s32;
#else
#include <stdint.h>
typedef uint8_t epc_u8;
typedef uint16_t epc_u16;
typedef uint32_t epc_u32;
typedef uint64_t epc_u64;
typedef int32_t epc_s32;
#endif

#define EPC_IVSHMEM_MAGIC	0x43504576u	/* "vEPC" */
#define EPC_IVSHMEM_ABI		1u
#define EPC_IVSHMEM_NUM_BARS	6
#define EPC_IVSHMEM_NUM_OB	8
#define EPC_IVSHMEM_DESC_SIZE	4096u	/* descriptor page */
#define EPC_IVSHMEM_DOORBELL	12u	/* ivshmem BAR0 Doorbell register */

/* bar[].flags */
#define EPC_IVSHMEM_BAR_SET	(1u << 0)	/* set_bar done, not cleared */
#define EPC_IVSHMEM_BAR_64	(1u << 1)	/* 64-bit memory BAR */
#define EPC_IVSHMEM_BAR_PREFETCH (1u << 2)

struct epc_ivshmem_bar {
	epc_u64 phys;		/* guest physical address of the backing */
	epc_u64 size;		/* BAR size in bytes (power of two) */
	epc_u32 flags;		/* EPC_IVSHMEM_BAR_* */
	epc_u32 pad;
};

struct epc_ivshmem_ob {
	epc_u64 shm_offset;	/* offset of the window in the ivshmem file */
	epc_u64 pci_addr;	/* RC bus address it reaches (map_addr) */
	epc_u64 size;
	epc_u32 active;		/* 1 between map_addr and unmap_addr */
	epc_u32 pad;
};

struct epc_ivshmem_desc {
	/* 0x00: identity, written once at probe */
	epc_u32 magic;		/* EPC_IVSHMEM_MAGIC */
	epc_u32 abi;		/* EPC_IVSHMEM_ABI */
	epc_u32 seq;		/* sequence lock, see above */
	epc_u32 boot_id;	/* new value at every probe of the EPC */
	/* 0x10: the function's config header (write_header) */
	epc_u16 vendor_id;
	epc_u16 device_id;
	epc_u8 revid;
	epc_u8 progif;
	epc_u8 subclass;
	epc_u8 baseclass;
	epc_u16 subsys_vendor_id;
	epc_u16 subsys_id;
	epc_u32 header_valid;	/* 1 once write_header ran */
	/* 0x20: controller state */
	epc_u32 started;	/* 1 between start and stop */
	epc_u32 msi_count;	/* MSI vectors offered (set_msi) */
	epc_u64 ob_base;	/* outbound address space in the ivshmem file */
	epc_u64 ob_size;
	epc_u64 reserved0;
	/* 0x40 */
	struct epc_ivshmem_bar bar[EPC_IVSHMEM_NUM_BARS];	/* 6 x 24 */
	/* 0xd0 */
	struct epc_ivshmem_ob ob[EPC_IVSHMEM_NUM_OB];		/* 8 x 32 */
	/* 0x1d0: counters (guest) */
	epc_u64 irq_raised;	/* raise_irq calls delivered to a peer */
	epc_u64 irq_dropped;	/* raise_irq with no host peer / bad vector */
	/* 0x1e0: HOST fields: written by the host only */
	epc_s32 rc_peer_id;	/* host's ivshmem peer id; -1: none */
	epc_u32 rc_vectors;	/* eventfds the host listens on */
	epc_u64 rc_seq;		/* incremented by the host on every change */
};

#define EPC_IVSHMEM_OFF_BAR	0x40
#define EPC_IVSHMEM_OFF_OB	0xd0
#define EPC_IVSHMEM_OFF_HOST	0x1e0

#endif /* EPC_IVSHMEM_ABI_H */
