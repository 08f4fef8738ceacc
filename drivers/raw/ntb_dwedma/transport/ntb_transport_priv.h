/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_TRANSPORT_PRIV_H
#define NTB_TRANSPORT_PRIV_H

/* State shared by the transport's control files and its data path file. */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_io.h>
#include <rte_memzone.h>
#include <rte_pause.h>

#include "ntb_transport.h"
#include "ntb_transport_wire.h"

/* Smallest frame we set up: a payload of at least 52 bytes. */
#define NTBT_MIN_FRAME		64

/*
 * Link flap limiter: a peer may bring the transport (which allocates and
 * clears a receive buffer per MW) or a queue pair up NTBT_FLAP_BURST
 * times in a row, then once per NTBT_FLAP_PERIOD_MS.
 */
#define NTBT_FLAP_BURST		8u
#define NTBT_FLAP_PERIOD_MS	1000u

struct ntbt_bucket {
	uint32_t tokens;
	uint64_t last;		/* timer cycles of the last refill */
};

/*
 * One up allowed at now (timer cycles)? NTBT_FLAP_BURST, then one per
 * period cycles. A function of its arguments only: the transport passes
 * the timer, the unit test a clock of its own.
 */
static inline bool
ntbt_bucket_take_at(struct ntbt_bucket *b, uint64_t now, uint64_t period)
{
	uint64_t n = period != 0 ? (now - b->last) / period : NTBT_FLAP_BURST;

	if (n != 0) {
		b->tokens = (uint32_t)RTE_MIN((uint64_t)NTBT_FLAP_BURST,
					      b->tokens + n);
		b->last = b->tokens == NTBT_FLAP_BURST ? now :
			b->last + n * period;
	}
	if (b->tokens == 0)
		return false;
	b->tokens--;
	return true;
}

static inline void
ntbt_bucket_init(struct ntbt_bucket *b)
{
	b->tokens = NTBT_FLAP_BURST;
	b->last = rte_get_timer_cycles();
}

/* One link up allowed now? (NTBT_FLAP_BURST, then one per period) */
static inline bool
ntbt_bucket_take(struct ntbt_bucket *b)
{
	return ntbt_bucket_take_at(b, rte_get_timer_cycles(),
				   rte_get_timer_hz() * NTBT_FLAP_PERIOD_MS /
				   1000);
}

struct ntbt_qp {
	/* Tx side: only the Tx thread (or control while the gate is shut) */
	uint8_t *tx_base;		/* slice in the peer's memory */
	const volatile uint32_t *tx_remote_entry; /* local: peer's consumed idx */
	uint32_t tx_max_frame;
	uint32_t tx_max_entry;
	uint32_t tx_index;
	uint32_t tx_seq;		/* hdr.ver of the next frame */
	bool tx_hdr_aligned;		/* ntbt_hdrs_aligned(tx ring) */
	uint32_t tx_busy;		/* gate, see ntbt_gate_enter */
	struct ntb_intr *it;		/* for the kick */
	uint16_t qp_num;
	/* local: the receiver's kick wish (NULL: always kick), see
	 * NTBT_KICK_WORD_SIZE in ntb_transport_wire.h
	 */
	const volatile uint32_t *tx_kick_word;
	/* copy=dma this session (NULL: the CPU copies), ntb_transport_dma.h */
	struct ntbt_dma_qp *tx_dma;

	/* Rx side: only the Rx thread (or control while the gate is shut) */
	uint8_t *rx_base __rte_cache_aligned;	/* slice in our memory */
	volatile uint32_t *rx_remote_entry;	/* peer memory: our consumed idx */
	uint32_t rx_max_frame;
	uint32_t rx_max_entry;
	uint32_t rx_index;
	uint32_t rx_seq;		/* expected hdr.ver */
	bool rx_hdr_aligned;		/* ntbt_hdrs_aligned(rx ring) */
	uint32_t rx_busy;
	volatile uint32_t *rx_kick_word;	/* peer memory, or NULL */
	uint32_t rx_kick_want;		/* NTBT_KICK_ON/OFF, set by arm */
	uint32_t rx_kick_pub;		/* last value written; 0: none yet */
	/*
	 * Set by the Rx thread when the first frame of a session is bad
	 * (ver not 0, len too long): the two sides' ring layouts likely
	 * differ. The control thread logs it (the data path does not).
	 */
	uint32_t rx_layout_bad;		/* 0, or 1 + the ver seen */

	/* shared */
	uint32_t up __rte_cache_aligned;	/* data path may run */
	struct ntbt_qp_stats tx_stats __rte_cache_aligned;
	struct ntbt_qp_stats rx_stats __rte_cache_aligned;

	/* control only */
	struct ntbt *t __rte_cache_aligned;
	bool ctl_up;			/* control's view, for events */
	struct ntbt_bucket flaps;	/* QP ups */
	bool flap_logged;
	bool layout_logged;		/* this session's mismatch told */
	uint64_t tx_rx_info_base;	/* tx_err_rx_info at QP up */
	struct ntbt_dma_qp *dma;	/* a DMA channel of its own, or NULL */
};

struct ntbt_mw {
	struct ntb_bar win;		/* outbound window (our Tx) */
	uint64_t tx_size;		/* window size capped; told to peer */
	const struct rte_memzone *mz;	/* our Rx buffer */
	uint64_t rx_size;		/* peer-reported, mapped by mw_set_trans */
};

struct ntbt {
	struct ntb_dev *nd;
	struct ntb_intr *it;
	struct ntbt_conf conf;
	int socket_id;
	/*
	 * Layouts (ntbt_layout): "plain" (every MW carries data, a stock
	 * kernel) and, when the intr mode has an interrupt MW, "intr" (the
	 * last MW and one doorbell bit reserved, kernel use_msi). With
	 * conf.intr_auto the handshake takes the one the peer publishes.
	 */
	bool intr_capable;		/* the intr layout is possible */
	uint16_t mw_plain, qp_plain, mw_intr, qp_intr;
	uint16_t qp_alloc;		/* entries of qp[]: max of both */
	bool use_intr;			/* current layout: interrupt MW */
	bool desc_published;		/* our descriptors are in our spads */
	bool desc_unstable_logged;	/* "keeps changing" said once */
	uint64_t intr_db_bit;		/* "descriptors changed" doorbell */
	uint16_t mw_count;		/* of the current layout */
	uint16_t qp_count;		/* of the current layout */
	bool started;
	bool link_up;			/* transport handshake done */
	int last_refusal;		/* to log a refusal once, not per retry */
	struct ntbt_bucket handshakes;	/* transport link ups (allocations) */
	uint64_t layout_log_tsc;	/* last layout message (rate limit) */
	struct ntbt_mw mw[NTB_MAX_MW];
	struct ntbt_qp *qp;		/* qp_count entries */
};

/* Reasons for a refused handshake, logged once until they change. */
enum ntbt_refusal {
	NTBT_OK = 0,
	NTBT_REF_WINDOW,
	NTBT_REF_VERSION,
	NTBT_REF_NUM_QPS,
	NTBT_REF_NUM_MWS,
	NTBT_REF_MW_SIZE,
	NTBT_REF_ALLOC,
	NTBT_REF_RATE,
};

static inline bool
ntbt_refuse_first(struct ntbt *t, enum ntbt_refusal r)
{
	bool first = t->last_refusal != (int)r;

	t->last_refusal = r;
	return first;
}

/* ntb_transport.c: the current layout, plain or with the interrupt MW. */
void ntbt_set_layout(struct ntbt *t, bool use_intr);

/* ntb_transport_handshake.c */
int ntbt_check_mw(struct ntbt *t, unsigned int i, uint64_t size);
int ntbt_handshake(struct ntbt *t);

/* ntb_transport_rings.c */
bool ntbt_mw_size_ok(const struct ntbt *t, unsigned int mw, uint64_t size);
void ntbt_free_mw(struct ntbt *t, unsigned int i);
int ntbt_set_mw(struct ntbt *t, unsigned int i, uint64_t size);
void ntbt_qp_setup_rings(struct ntbt *t, struct ntbt_qp *qp);
void ntbt_qp_reset(struct ntbt_qp *qp);

/* ntb_transport_desc.c */
void ntbt_read_peer_desc(struct ntbt *t, struct ntbt_qp *qp);
void ntbt_publish_local_desc(struct ntbt *t);

/*
 * Data path gate (Dekker style): a burst announces itself in *busy and
 * then checks qp->up; the control thread clears qp->up and then waits
 * for *busy to drop. With sequentially consistent accesses on both
 * sides, either the burst sees up == 0 or the control thread sees the
 * burst and waits, so ring memory is never reset or freed under a
 * running burst. Cost: one atomic store per burst.
 */
static inline bool
ntbt_gate_enter(struct ntbt_qp *qp, uint32_t *busy)
{
	__atomic_store_n(busy, 1, __ATOMIC_SEQ_CST);
	if (likely(__atomic_load_n(&qp->up, __ATOMIC_SEQ_CST) != 0))
		return true;
	__atomic_store_n(busy, 0, __ATOMIC_RELEASE);
	return false;
}

static inline void
ntbt_gate_exit(uint32_t *busy)
{
	__atomic_store_n(busy, 0, __ATOMIC_RELEASE);
}

static inline void
ntbt_gate_shut(struct ntbt_qp *qp)
{
	__atomic_store_n(&qp->up, 0, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&qp->tx_busy, __ATOMIC_SEQ_CST) != 0 ||
	       __atomic_load_n(&qp->rx_busy, __ATOMIC_SEQ_CST) != 0)
		rte_pause();
}

static inline uint32_t
ntbt_next(uint32_t idx, uint32_t max)
{
	return idx + 1 == max ? 0 : idx + 1;
}

/*
 * Free frames from tx_index up to the peer's consumed index (one slot
 * stays empty), read from our local memory; an out-of-range value from
 * the peer reads as "ring full". No division: the ring wraps at most once.
 */
static inline int
ntbt_tx_room(struct ntbt_qp *qp, uint32_t *room)
{
	uint32_t e = *qp->tx_remote_entry;

	if (unlikely(e >= qp->tx_max_entry)) {
		qp->tx_stats.tx_err_rx_info++;
		return -1;
	}
	*room = e >= qp->tx_index ? e - qp->tx_index :
		e + qp->tx_max_entry - qp->tx_index;
	return 0;
}

/*
 * Kick the peer after frames were published, unless its receiver said
 * it polls (NTBT_KICK_OFF in our local kick word). The full barrier
 * orders our DONE flags before the read of the word: with the
 * receiver's word write + barrier + last poll, one of the two sides
 * always sees the other (no lost wakeup).
 */
static inline void
ntbt_tx_kick(struct ntbt_qp *qp)
{
	rte_mb();
	if (qp->tx_kick_word != NULL && *qp->tx_kick_word == NTBT_KICK_OFF)
		return;
	ntb_intr_kick(qp->it, qp->qp_num);
}

/* Frame idx of a ring at base. */
static inline uint8_t *
ntbt_frame(uint8_t *base, uint32_t max_frame, uint32_t idx)
{
	return base + (size_t)max_frame * idx;
}

/* The header of frame idx: its last NTBT_HDR_SIZE bytes. */
static inline uint8_t *
ntbt_hdr(uint8_t *base, uint32_t max_frame, uint32_t idx)
{
	return base + (size_t)max_frame * ((size_t)idx + 1) - NTBT_HDR_SIZE;
}

/*
 * Header fields, at NTBT_HDR_* of a header. The kernel places the header
 * in the last 12 bytes of a frame of max_frame bytes, and max_frame is
 * half a slice when a small window is split: it need not be a multiple
 * of 4, and then neither are the fields' addresses. x86 stores them
 * anyway, C calls such an access undefined, and arm64 faults on it in
 * device memory (vfio maps BARs so): an unaligned field is accessed byte
 * by byte, in host order like the aligned one.
 *
 * Whether every header of a ring is aligned is known when the ring is
 * set up (ntbt_hdrs_aligned); the bursts decide it once per call and
 * pass a constant "aligned" to ntbt_hdr_read/ntbt_hdr_write, so their
 * fast path has no per-field test. ntbt_hdr_get/set look at the address
 * (control path).
 */
static inline bool
ntbt_hdrs_aligned(const uint8_t *base, uint32_t max_frame)
{
	/* header i at base + max_frame * (i + 1) - 12, fields 4 apart */
	return (((uintptr_t)base | max_frame) & 3) == 0;
}

static __rte_always_inline uint32_t
ntbt_hdr_read(const uint8_t *hdr, unsigned int field, bool aligned)
{
	const volatile uint8_t *p = hdr + field;
	uint32_t v;
	uint8_t *b = (uint8_t *)&v;

	if (aligned)
		return rte_read32_relaxed(p);
	b[0] = p[0];
	b[1] = p[1];
	b[2] = p[2];
	b[3] = p[3];
	return v;
}

static __rte_always_inline void
ntbt_hdr_write(uint8_t *hdr, unsigned int field, uint32_t v, bool aligned)
{
	volatile uint8_t *p = hdr + field;
	const uint8_t *b = (const uint8_t *)&v;

	if (aligned) {
		rte_write32_relaxed(v, p);
		return;
	}
	p[0] = b[0];
	p[1] = b[1];
	p[2] = b[2];
	p[3] = b[3];
}

static inline uint32_t
ntbt_hdr_get(const uint8_t *hdr, unsigned int field)
{
	return ntbt_hdr_read(hdr, field, ((uintptr_t)(hdr + field) & 3) == 0);
}

static inline void
ntbt_hdr_set(uint8_t *hdr, unsigned int field, uint32_t v)
{
	ntbt_hdr_write(hdr, field, v, ((uintptr_t)(hdr + field) & 3) == 0);
}

/* ntb_transport_rxtx.c, for the control thread's link work */
bool ntbt_qp_rx_link_down(struct ntbt_qp *qp);

#endif /* NTB_TRANSPORT_PRIV_H */
