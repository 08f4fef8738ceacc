/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_TRANSPORT_WIRE_H
#define NTB_TRANSPORT_WIRE_H

/**
 * Wire format of Linux ntb_transport, protocol version 4
 * (drivers/ntb/ntb_transport.c), plus one dpdk-vntb extension that Linux
 * ignores (the kick word in the pad, NTBT_KICK_*). A DPDK side that
 * follows this file talks to a kernel ntb_transport/ntb_netdev peer.
 *
 * Scratchpads (u32 each). "Own" spads are read with spad_read, the
 * peer's with peer_spad_read.
 *  - Indices 0 .. 5+2i: each side WRITES THE PEER'S spads
 *    (peer_spad_write) and READS ITS OWN. Written in the order MW sizes,
 *    NUM_MWS, NUM_QPS, VERSION, so VERSION == 4 means the rest is there.
 *  - QP_LINKS: side X sets bit q in the peer's QP_LINKS when X's queue
 *    pair q is ready; X's qp q is up when X's own QP_LINKS has bit q.
 *  - Interrupt descriptors (only when both sides use an interrupt MW,
 *    kernel use_msi/use_intr): the exception, each side writes ITS OWN
 *    spads at intr_spad(mw_count, q) (+1 for data) and the peer reads
 *    them with peer_spad_read. We write "none" as {0, UINT32_MAX}:
 *    mainline reads addr_offset 0 as none, the RFC series UINT32_MAX;
 *    we read either as none.
 *  - A side that cleans its transport up zeroes all its own spads.
 *
 * Per queue pair and direction, a slice of S bytes of the receiver's
 * memory (sender writes it through its outbound memory window):
 *
 *   [frame 0][frame 1]...[frame max_entry-1][pad][struct ntb_rx_info]
 *   (the last 4 bytes of a pad of 4 or more: the kick word, below)
 *    usable = S - 4, max_frame = min(transport_mtu, usable / 2),
 *    max_entry = usable / max_frame, frame i at i * max_frame.
 *   frame = [payload ....][struct ntb_payload_header] (header in the
 *            LAST 12 bytes of the frame, max payload = max_frame - 12)
 *
 * Single-writer rule:
 *  - frames (payload, header ver/len/flags = DONE[|LINK_DOWN]): written
 *    by the sender; the receiver only writes hdr.flags = 0 after it
 *    consumed the frame (in its own memory).
 *  - ntb_rx_info at the tail of a slice: written by the OTHER side. The
 *    receiver of ring R writes its consumed index into the tail of ITS
 *    OWN TX slice (= the tail of the peer's RX slice); so a sender finds
 *    how far its TX ring was consumed in the tail of its LOCAL RX slice
 *    and never reads remote memory. Sender ring full when
 *    tx_index == rx_info.entry (one slot always empty); initial value
 *    max_entry - 1.
 *  - hdr.ver = low 32 bits of the sender's frame counter of this ring;
 *    the receiver expects exactly its own frame counter.
 */

#include <stddef.h>
#include <stdint.h>

#define NTBT_VERSION		4	/**< NTB_TRANSPORT_VERSION */

/* Scratchpad indices */
#define NTBT_SPAD_VERSION	0	/**< written by peer: 4 */
#define NTBT_SPAD_QP_LINKS	1	/**< written by peer: bitmap of its ready QPs */
#define NTBT_SPAD_NUM_QPS	2	/**< written by peer: its qp_count */
#define NTBT_SPAD_NUM_MWS	3	/**< written by peer: its mw_count */
#define NTBT_SPAD_MW0_SZ_HIGH	4	/**< + 2i: upper 32 bits of MW i size */
#define NTBT_SPAD_MW0_SZ_LOW	5	/**< + 2i: lower 32 bits of MW i size */
#define NTBT_MIN_SPADS		(NTBT_SPAD_MW0_SZ_HIGH + 2)
/**
 * Most spads the transport touches: 4 + 2 * 4 MWs + 2 * 32 QPs (76)
 * fits; a teardown zeroes no more than this many.
 */
#define NTBT_MAX_SPADS		128u

static inline unsigned int
ntbt_spad_mw_sz_high(unsigned int mw)
{
	return NTBT_SPAD_MW0_SZ_HIGH + 2 * mw;
}

static inline unsigned int
ntbt_spad_mw_sz_low(unsigned int mw)
{
	return NTBT_SPAD_MW0_SZ_LOW + 2 * mw;
}

/** First interrupt descriptor spad (kernel msi_spad_offset). */
static inline unsigned int
ntbt_intr_spad_offset(unsigned int mw_count)
{
	return NTBT_SPAD_MW0_SZ_HIGH + 2 * mw_count;
}

/** Spad of QP q's descriptor addr_offset (data at + 1); written by owner. */
static inline unsigned int
ntbt_intr_spad(unsigned int mw_count, unsigned int q)
{
	return ntbt_intr_spad_offset(mw_count) + 2 * q;
}

/**
 * Receive buffer addresses for copy=dma, a dpdk-vntb extension that Linux
 * ignores (pci-epf-vntb does not publish them and no posted series
 * defines a layout). A side that publishes them (our EP) writes ITS OWN
 * spads, like the interrupt descriptors, right after the descriptor spads
 * of the current layout (whether those are used or not):
 *   b = ntbt_rx_addr_spad(mw_count, qp_count)
 *   b          NTBT_RX_ADDR_MAGIC (the marker and ABI version)
 *   b + 1 + 2i low 32 bits of MW i's receive buffer address, as the
 *              publisher's DMA engine (its eDMA) reaches it
 *   b + 2 + 2i high 32 bits
 * Absent, 0 or another marker: not published. The publisher's transport
 * teardown zeroes its spads, so a stale address is never read.
 */
#define NTBT_RX_ADDR_MAGIC	0x31415045u	/* "EPA1" */
/** A published address is aligned so (vNTB mw_get_align addr_align). */
#define NTBT_RX_ADDR_ALIGN	4096u

static inline unsigned int
ntbt_rx_addr_spad(unsigned int mw_count, unsigned int qp_count)
{
	return ntbt_intr_spad(mw_count, qp_count);
}

/** Spads the block needs: the marker and two per MW. */
static inline unsigned int
ntbt_rx_addr_spads(unsigned int mw_count)
{
	return 1 + 2 * mw_count;
}

/** "No descriptor" as we write it (see above). */
#define NTBT_DESC_NONE_ADDR	0u
#define NTBT_DESC_NONE_DATA	UINT32_MAX

/* ntb_payload_header.flags */
#define NTBT_DESC_DONE_FLAG	(1u << 0)	/**< frame complete, owned by receiver */
#define NTBT_LINK_DOWN_FLAG	(1u << 1)	/**< sender's QP is going down */

/** At the end of every frame; three u32 in this order, 12 bytes. */
struct ntbt_payload_header {
	uint32_t ver;	/**< low 32 bits of the sender's frame counter */
	uint32_t len;	/**< payload bytes at the start of the frame */
	uint32_t flags;	/**< NTBT_*_FLAG, written last (after a barrier) */
};

/** Last 4 bytes of a slice: consumed index, written by the other side. */
struct ntbt_rx_info {
	uint32_t entry;	/**< index of the last frame the receiver consumed */
};

#define NTBT_HDR_SIZE		12
/* byte offsets of the header fields (the header may sit unaligned) */
#define NTBT_HDR_VER		0
#define NTBT_HDR_LEN		4
#define NTBT_HDR_FLAGS		8
#define NTBT_RX_INFO_SIZE	4

_Static_assert(offsetof(struct ntbt_payload_header, ver) == NTBT_HDR_VER &&
	       offsetof(struct ntbt_payload_header, len) == NTBT_HDR_LEN &&
	       offsetof(struct ntbt_payload_header, flags) == NTBT_HDR_FLAGS,
	       "ntb_payload_header field order");
_Static_assert(sizeof(struct ntbt_payload_header) == NTBT_HDR_SIZE,
	       "ntb_payload_header is 12 bytes on the wire");
_Static_assert(sizeof(struct ntbt_rx_info) == NTBT_RX_INFO_SIZE,
	       "ntb_rx_info is 4 bytes on the wire");

/**
 * Kick suppression, a dpdk-vntb extension that Linux ignores: the
 * receiver of a ring tells the sender whether it wants kicks, through a
 * word in the pad just before ntb_rx_info of the slice (so, like
 * rx_info, in the sender's local memory, written by the receiver through
 * its window). Only NTBT_KICK_OFF stops the kicks: a Linux receiver never
 * writes the word and the sender zeroes it at ring setup, so a Linux peer
 * is always kicked. A slice whose pad is under 4 bytes has no word (the
 * sender always kicks). Ordering (Dekker): the sender publishes DONE
 * flags, full barrier, reads the word; the receiver writes the word,
 * full barrier, polls its ring once more before it sleeps.
 */
#define NTBT_KICK_WORD_SIZE	4
#define NTBT_KICK_ON		0x6b6f6e31u	/* "kon1": kick me */
#define NTBT_KICK_OFF		0x6b6f6666u	/* "koff": I am polling */

/** Kernel default transport_mtu: largest frame including the header. */
#define NTBT_DEFAULT_MTU	0x10000

/** Retry period of the link and QP handshakes (NTB_LINK_DOWN_TIMEOUT). */
#define NTBT_LINK_RETRY_MS	10

#endif /* NTB_TRANSPORT_WIRE_H */
