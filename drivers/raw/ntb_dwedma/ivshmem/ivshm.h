/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef IVSHM_H
#define IVSHM_H

/**
 * The kernel-peer platform: the RC's BARs, MSI eventfds and outbound
 * translations when the EP is Linux's vNTB in a QEMU guest on our
 * pci_epc_ivshmem endpoint controller (kernel/linux/pci_epc_ivshmem/,
 * ABI in epc_ivshmem_abi.h). What a board's PCI core and iATUs give the
 * RC, this file gives from two shared files:
 *  - BARs: the EPC publishes, per BAR, the guest physical address of its
 *    backing; the guest RAM file holds it at that offset. Each BAR is a
 *    VA range of its size, the RAM file mapped there (ivshm_bars.c) and
 *    re-mapped in place when the EP moves the BAR (set_bar again).
 *  - outbound windows: the EP writes into the ivshmem file where its EPC
 *    outbound space is; the RC's receive buffer is made that file region
 *    by mapping it over the buffer (ivshm_ob.c).
 *  - MSI: the RC's own ivshmem eventfds (ivshm_client.c).
 * The RC code above (vntb_rc, transport, ethdev) is a board's.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_bitops.h>
#include <rte_common.h>

#include "epc_ivshmem_abi.h"
#include "ivshm_client.h"
#include "ntb_bar.h"
#include "ntb_dev.h"
#include "vntb_platform.h"

/** One BAR as the RC sees it: a fixed VA range, remapped in place. */
struct ivshm_bar {
	uint8_t *va;		/**< reserved range, NULL: BAR not used */
	size_t len;		/**< BAR size when first mapped */
	uint64_t phys;		/**< guest phys mapped at va, 0: void */
	uint64_t mapped;	/**< bytes of RAM file at va (rest void) */
};

/** One outbound translation: EP window mapped over an RC buffer. */
struct ivshm_ob_trans {
	bool active;
	uint8_t *va;		/**< the receive buffer (DPDK memory) */
	uint64_t size;
	rte_iova_t iova;
	uint64_t shm_offset;	/**< the EP's window in the ivshmem file */
};

struct ivshm {
	char name[64];
	struct ivshm_client cl;
	bool connected;
	uint8_t *shm;		/**< the whole ivshmem file */
	size_t shm_len;
	int ram_fd;
	uint64_t ram_len;
	size_t page_sz;

	pthread_mutex_t lock;	/**< desc, bars, ob: control paths only */
	struct epc_ivshmem_desc desc;	/**< last accepted snapshot */
	uint32_t seen_seq;	/**< seq of the last snapshot looked at */
	uint32_t seen_boot;
	uint32_t refused_seq;	/**< last seq refused (logged once) */
	uint8_t bar_mask;	/**< BARs the BAR map uses */
	struct ivshm_bar bar[EPC_IVSHMEM_NUM_BARS];
	struct ivshm_ob_trans ob[NTB_MAX_MW];

	char ram_path[256];
	/* the guest peer (the other ivshmem peer), -1: none seen */
	int64_t guest_id;
	bool guest_gone;
	/*
	 * The guest that published boot_id dead_boot is gone: its BARs are
	 * voids and a descriptor of that boot is never mapped again (its
	 * memory may already belong to a new guest).
	 */
	bool dead;
	uint32_t dead_boot;

	uint64_t remaps;	/**< BAR re-mappings after the first */
	uint64_t refused;	/**< descriptor snapshots refused */
};

/* ivshm.c: life cycle */
/**
 * Connect to the server, map the ivshmem file, open the RAM file and
 * publish our peer id and vectors in the descriptor's HOST fields.
 * settle_ms/wait_ms: see ivshm_client_connect. 0 or -errno (logged).
 */
int ivshm_open(struct ivshm *s, const char *name, const char *server,
	       const char *ram, unsigned int settle_ms, unsigned int wait_ms);
/** Restore every translation, unmap everything, close every fd. */
void ivshm_close(struct ivshm *s);
enum ivshm_guest_ev {
	IVSHM_GUEST_SAME = 0,
	IVSHM_GUEST_GONE,	/**< the guest's peer left the server */
	IVSHM_GUEST_NEW,	/**< a (new) guest peer connected */
};
/**
 * Server messages (ctrl thread): the guest peer's departure or arrival
 * (a rebooted guest is a new peer).
 */
enum ivshm_guest_ev ivshm_server_event(struct ivshm *s);
/** The RAM file at the ram= path is still the one mapped (reboot). */
bool ivshm_ram_same(const struct ivshm *s);
/**
 * The guest is gone: every BAR becomes a void at once (its memory may
 * go to a new guest), and its descriptor (boot_id) is not mapped again.
 */
void ivshm_guest_lost(struct ivshm *s);

/* ivshm_desc.c: the descriptor */
/**
 * Copy the descriptor under its sequence lock (bounded retries) and
 * check it: magic, ABI, every BAR against the RAM file, every outbound
 * window against the ivshmem file. 0, -EAGAIN (never stable: the guest
 * keeps writing), -EINVAL (bad; why logged unless quiet).
 */
int ivshm_desc_read(struct ivshm *s, struct epc_ivshmem_desc *out,
		    bool quiet);
/** Sequence of the live descriptor (one read, no check). */
uint32_t ivshm_desc_seq(const struct ivshm *s);
/** Write rc_peer_id/rc_vectors and bump rc_seq. */
void ivshm_desc_set_host(struct ivshm *s, int32_t peer_id, uint32_t vectors);
/** PCI class code (base << 16 | sub << 8 | prog-if) of a descriptor. */
uint32_t ivshm_desc_class(const struct epc_ivshmem_desc *d);

/* ivshm_bars.c: BARs */
/**
 * Reserve and map the BARs in need | want from s->desc (the probe's
 * snapshot). Each BAR in need must be set by the EPC; a BAR only in want
 * (a memory window the EP may not have: the RC learns num_mws from the
 * ctrl region) is mapped if set and left out otherwise. 0 or -errno
 * (logged with the BAR).
 */
int ivshm_bars_map(struct ivshm *s, uint8_t need, uint8_t want);
/** The BARs as struct ntb_bar, for vntb_rc_init. */
void ivshm_bars_get(const struct ivshm *s, struct ntb_bar bars[VNTB_PCI_BARS]);
/**
 * If the descriptor changed since the last look (seq or boot_id),
 * re-read it and re-map the BARs whose backing moved, in place. Cheap
 * when nothing changed (one load). 1: re-mapped something, 0: nothing
 * to do, <0: the new descriptor was refused (old mappings kept).
 */
int ivshm_sync(struct ivshm *s);
/** Unmap the BARs. */
void ivshm_bars_unmap(struct ivshm *s);

/* ivshm_ob.c: outbound translations */
/**
 * The EP now maps its outbound window onto RC bus address addr (vNTB
 * CONFIGURE_MW done): find it in the descriptor, copy the buffer at
 * addr into it and map it over the buffer. 0 or -errno (logged).
 */
int ivshm_ob_attach(struct ivshm *s, unsigned int idx, rte_iova_t addr,
		    uint64_t size);
/**
 * Give the buffer of translation idx its own memory back, holding the
 * window's last contents. No-op if idx has none.
 */
void ivshm_ob_detach(struct ivshm *s, unsigned int idx);

/* ivshm_ntb.c: the platform's ntb_dev around the RC's */
struct ivshm_ntb {
	struct ntb_dev nd;		/**< what the transport uses */
	struct ntb_dev *inner;		/**< the RC's (vntb_rc) */
	struct ivshm *s;
};
/** Wrap inner: ops delegate; MW translations and BAR sync added. */
struct ntb_dev *ivshm_ntb_wrap(struct ivshm_ntb *w, struct ntb_dev *inner,
			       struct ivshm *s);

#endif /* IVSHM_H */
