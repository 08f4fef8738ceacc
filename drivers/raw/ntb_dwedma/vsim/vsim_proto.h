/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef VSIM_PROTO_H
#define VSIM_PROTO_H

/**
 * Wire format of the virtual vNTB link's control socket (AF_UNIX,
 * SOCK_SEQPACKET: one sendmsg = one message). Nothing but the format
 * lives here. Every message is a struct vsim_msg_hdr followed by a fixed
 * payload of the type's size; file descriptors ride along as SCM_RIGHTS
 * in the order the message type states.
 *
 * Sequence: RC connects and sends RC_HELLO; EP answers EP_HELLO; from
 * then on the EP sends MW_MAP whenever its inbound translation of a
 * window changes and the RC answers ACK with the same seq. EOF or HUP on
 * the socket means the peer died.
 * Both ends treat the other as untrusted: counts are bounded by the
 * *_MAX constants, fd counts must match, windows must fit their BAR.
 */

#include <stdint.h>

#include <rte_common.h>

#include "ntb_compat.h"

#define VSIM_PROTO_MAGIC	0x564E5442u	/* "VNTB" */
#define VSIM_PROTO_VERSION	2
#define VSIM_PROTO_MAX_FILES	32	/* memory fds per side */
#define VSIM_PROTO_MAX_REGIONS	64	/* IOVA ranges per side */
#define VSIM_PROTO_MAX_WINS	12	/* BAR windows */
#define VSIM_PROTO_MAX_FDS	(VSIM_PROTO_MAX_FILES + 32 + 1 + 32 + 1)

enum vsim_msg_type {
	VSIM_MSG_RC_HELLO = 1,	/* RC -> EP */
	VSIM_MSG_EP_HELLO = 2,	/* EP -> RC */
	VSIM_MSG_MW_MAP = 3,	/* EP -> RC, needs ACK */
	VSIM_MSG_ACK = 4,	/* RC -> EP */
};

struct __rte_packed_begin vsim_msg_hdr {
	uint32_t type;		/**< enum vsim_msg_type */
	uint32_t len;		/**< payload bytes after this header */
	uint32_t seq;		/**< request number, echoed by ACK */
	uint32_t nb_fds;	/**< SCM_RIGHTS fds attached */
} __rte_packed_end;

/** One IOVA range of shared memory, backed by files[fd_idx]. */
struct __rte_packed_begin vsim_mem_region {
	uint64_t iova;		/**< first IOVA of the range */
	uint64_t len;		/**< bytes, page multiple */
	uint64_t fd_offset;	/**< offset of iova in the file, page aligned */
	uint32_t fd_idx;	/**< index into the message's memory fds */
	uint32_t reserved;
} __rte_packed_end;

/** Memory table: fds [0, nb_files) of the message are the files. */
struct __rte_packed_begin vsim_mem_table {
	uint32_t nb_files;	/**< memory fds attached first */
	uint32_t nb_regions;	/**< valid entries of regions[] */
	struct vsim_mem_region regions[VSIM_PROTO_MAX_REGIONS];
} __rte_packed_end;

/* fds: memory files, then nb_msi MSI vector eventfds. */
struct __rte_packed_begin vsim_msg_rc_hello {
	uint32_t magic;		/**< VSIM_PROTO_MAGIC */
	uint32_t version;	/**< VSIM_PROTO_VERSION */
	uint32_t nb_msi;	/**< RC MSI vectors (eventfds) */
	uint32_t reserved;
	uint64_t msi_addr;	/**< RC address an IMWr targets for vectors */
	struct vsim_mem_table mem;	/**< the RC's DPDK memory */
} __rte_packed_end;

enum vsim_win_kind {
	VSIM_WIN_CTRL = 1,	/**< ctrl region + spads (EP memory) */
	VSIM_WIN_DB = 2,	/**< doorbell page (EP memory, trapped) */
	VSIM_WIN_MW = 3,	/**< memory window, EP inbound translation */
	/** exported DMA slice part (idx 0 header, 1 eDMA regs, 2 LL) */
	VSIM_WIN_DMA = 4,
};

/** A window at offset in BAR bar, mapped onto EP IOVA target. */
struct __rte_packed_begin vsim_win_desc {
	uint8_t kind;		/**< enum vsim_win_kind */
	uint8_t bar;		/**< BAR number 0..5 */
	uint8_t idx;		/**< MW index for VSIM_WIN_MW */
	uint8_t reserved[5];
	uint64_t offset;	/**< byte offset in the BAR, page aligned */
	uint64_t size;		/**< window size */
	uint64_t target;	/**< EP IOVA it maps onto; 0 = staging */
	uint64_t target_size;	/**< bytes mapped from target (<= size) */
} __rte_packed_end;

/*
 * fds: memory files, then db_count doorbell-slot eventfds, then the eDMA
 * IRQ eventfd, then nb_msi EP MSI-controller eventfds, then the eDMA
 * engine eventfd (an RC doorbell write wakes the EP's engine with it).
 */
struct __rte_packed_begin vsim_msg_ep_hello {
	uint32_t magic;		/**< VSIM_PROTO_MAGIC */
	uint32_t version;	/**< VSIM_PROTO_VERSION */
	uint32_t profile;	/**< enum vsim_profile */
	uint32_t db_count;	/**< doorbell slots */
	uint32_t nb_msi;	/**< EP MSI-controller vectors */
	uint32_t nb_wins;	/**< valid entries of wins[] */
	uint16_t vendor_id;	/**< what the RC's PCI config space shows */
	uint16_t device_id;
	int8_t barno[8];	/**< ntb_hw_epf map: CONFIG..MW4, -1 none */
	uint32_t reserved;
	uint64_t bar_len[6];	/**< BAR sizes, 0 = absent */
	uint64_t db_entry_size;	/**< slot stride in the DB window */
	uint64_t edma_iova;	/**< eDMA register page */
	uint64_t edma_size;	/**< register block bytes */
	uint64_t msi_iova;	/**< EP MSI-controller doorbell page */
	uint64_t state_iova;	/**< model state (struct vsim_shared) */
	struct vsim_win_desc wins[VSIM_PROTO_MAX_WINS];
	struct vsim_mem_table mem;	/**< the EP's DPDK memory */
} __rte_packed_end;

/** EP inbound translation of MW idx changed (size 0: staging). */
struct __rte_packed_begin vsim_msg_mw_map {
	uint32_t idx;		/**< MW index */
	uint32_t reserved;
	uint64_t target;	/**< EP IOVA */
	uint64_t size;		/**< bytes */
} __rte_packed_end;

struct __rte_packed_begin vsim_msg_ack {
	int32_t status;		/**< 0 or -errno */
} __rte_packed_end;

#endif /* VSIM_PROTO_H */
