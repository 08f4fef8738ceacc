/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef VNTB_RC_H
#define VNTB_RC_H

/**
 * Layers 2 and 3, RC side: what Linux's ntb_hw_epf does, as a struct
 * ntb_dev for the transport. It runs unchanged over BARs mapped by VFIO
 * (trap NULL) and over the virtual link's BARs (trap set on side-effect
 * registers): every register access goes through the ntb_bar accessors.
 *
 * The ctrl region is written by the EP, which is untrusted: every value
 * used as an offset, size or count is checked once at init against the
 * BAR lengths, and the checked values are cached (ntb_hw_epf re-reads
 * them at each use; caching saves a non-posted PCIe read per doorbell
 * and keeps a value checked once from changing under us).
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "ntb_bar.h"
#include "ntb_dev.h"
#include "vntb_platform.h"
#include "vntb_ctrl.h"

/* ntb_hw_epf asks for 4..32 MSI vectors: link, reserved, >= 2 doorbells */
#define VNTB_RC_MIN_VECTORS		4
#define VNTB_RC_MAX_VECTORS		32
#define VNTB_MW_ALIGN			4096u	/* mw_get_align addr_align */

struct vntb_rc_params {
	const char *name;			/**< for logs */
	const struct ntb_bar *bars;		/**< [VNTB_PCI_BARS], va NULL if absent */
	const struct vntb_barmap *map;
	/**
	 * MSI vectors the RC owns (4..32). msi_fds[v] is the eventfd of
	 * vector v (0 link, 1 reserved, 2 + k doorbell k), or -1; msi_fds
	 * may be NULL (no interrupts: the transport polls).
	 */
	const int *msi_fds;
	unsigned int nb_msi;
	bool msix;				/**< MSIX_ENABLE in CONFIGURE_DOORBELL */
	uint32_t cmd_timeout_us;		/**< 0: VNTB_CMD_TIMEOUT_US (1 s) */
	/**
	 * The EP is not there yet: parse the layout the platform expects
	 * (its BARs show it), send no command and start with peer_gone
	 * set; vntb_rc_reinit() configures the EP when it answers.
	 */
	bool ep_absent;
	/**
	 * The EP may be slow to start its vNTB function (a board booting,
	 * a guest stopped): a CONFIGURE_DOORBELL that times out at init
	 * leaves the RC initialised with the EP unresponsive (link down)
	 * instead of failing; vntb_rc_live_tick() brings it up later.
	 */
	bool wait_ep;
	/**
	 * Heartbeat period and answer bound in ms (0: none): while the EP
	 * answers, CONFIGURE_DOORBELL is sent every liveness_ms; no answer
	 * within liveness_ms marks the EP unresponsive (link down).
	 */
	uint32_t liveness_ms;
};

struct vntb_rc_mw {
	unsigned int bar;
	uint64_t offset;			/**< in the BAR, 4 KiB aligned */
	uint64_t size;
};

/** Ctrl v1 DMA locator (0x154-0x164), copied once; abi 0: none. */
struct vntb_rc_dma {
	uint32_t abi, bar, offset, size, num_chans;
};

struct vntb_rc {
	struct ntb_dev nd;			/**< what the transport uses */
	char name[32];
	struct ntb_bar bars[VNTB_PCI_BARS];
	const struct vntb_barmap *map;
	const struct ntb_bar *ctrl;		/**< &bars[CONFIG] */
	const struct ntb_bar *db;		/**< &bars[DB] */
	struct ntb_bar peer_spad;		/**< window on the peer's spads */

	uint32_t version;			/**< 0 legacy, 1 v1 */
	unsigned int num_mws;
	struct vntb_rc_mw mw[NTB_MAX_MW];
	uint32_t spad_offset;			/**< own spads, in the ctrl BAR */
	uint32_t spad_count;
	struct vntb_rc_dma dma;			/**< exported DMA, if any */

	unsigned int nb_msi;
	unsigned int db_count;			/**< ntb_hw_epf's: nb_msi - 1 */
	size_t db_slot_off[NTB_MAX_DB];		/**< slot n, in the DB BAR */
	uint32_t db_slot_data[NTB_MAX_DB];
	uint64_t db_val;			/**< atomic: bits set by vectors */
	int msi_fds[VNTB_RC_MAX_VECTORS];
	uint64_t reserved_vector_events;	/**< vector 1 hits (should be 0) */

	pthread_mutex_t cmd_lock;		/**< one command at a time */
	uint32_t cmd_timeout_us;
	bool initialised;
	bool msix;				/**< kept for vntb_rc_reinit */

	/*
	 * Commands to an EP that cannot answer would each wait the full
	 * timeout. closing: the device is being torn down, and the first
	 * timeout marks the EP silent (ep_silent) so that the remaining
	 * teardown commands are skipped. peer_gone: the link layer knows
	 * the EP is gone: no command is sent and the link reads down.
	 */
	bool closing;
	bool ep_silent;
	bool peer_gone;

	/*
	 * Liveness and late bring-up (vntb_rc_live.c, control thread;
	 * fields under cmd_lock). unresponsive: the EP did not answer a
	 * command in time: the link reads down, commands other than the
	 * probe return -ENOTCONN, and a CONFIGURE_DOORBELL probe stays
	 * posted (rewritten every VNTB_RC_RETRY_MS) until the EP answers;
	 * then the layout is checked again and LINK_UP resent.
	 * probe_posted: a CONFIGURE_DOORBELL written by the control thread
	 * whose status was not read yet; a synchronous command finishes it
	 * first (commands are serialised on the one register set).
	 */
	uint32_t liveness_ms;
	bool wait_ep;			/**< vntb_rc_params.wait_ep */
	bool unresponsive;
	bool probe_posted;
	bool link_wanted;		/**< LINK_UP asked by link_enable */
	bool lost_up;			/**< unresponsive after a heartbeat miss */
	uint64_t probe_sent_us;		/**< when the probe was (re)posted */
	uint64_t probe_deadline_us;	/**< heartbeat: answer bound */
	uint64_t next_probe_us;		/**< next heartbeat or retry */
	uint64_t liveness_timeouts;	/**< heartbeats not answered in time */
	uint64_t heartbeats;		/**< heartbeats answered */
	uint64_t heartbeat_max_us;	/**< slowest answer seen */
	uint64_t bringups;		/**< late or renewed bring-ups done */
};

/** Retry period of the probe while the EP does not answer. */
#define VNTB_RC_RETRY_MS		100

/**
 * Control thread, every pass (at least every 10 ms): send or check the
 * heartbeat, retry the bring-up of an unresponsive EP. Never waits for
 * the EP (a few register accesses; it skips the pass if a command of
 * another thread holds the registers). After the EP answers again it
 * checks the layout and sends LINK_DOWN/LINK_UP (bounded by the command
 * timeout). Returns true when the link may have changed (run the link
 * work).
 */
bool vntb_rc_live_tick(struct vntb_rc *rc);

/** Microseconds of CLOCK_MONOTONIC. */
uint64_t vntb_rc_now_us(void);

/**
 * Read and check the ctrl region, fill rc->nd and send CONFIGURE_DOORBELL
 * (argument: MSIX flag | nb_msi, as ntb_hw_epf's probe; not with
 * p->ep_absent, which leaves the EP gone until vntb_rc_reinit). Sets O_NONBLOCK
 * on the MSI eventfds. Returns 0 or -EINVAL (bad layout, every error
 * logged with the field), -ETIMEDOUT (the EP does not serve commands;
 * with p->wait_ep 0 instead, the EP unresponsive until it answers),
 * -EIO (the EP answered ERROR).
 */
int vntb_rc_init(struct vntb_rc *rc, const struct vntb_rc_params *p);

/**
 * TEARDOWN_DOORBELL (argument db_count + 1, as ntb_hw_epf), release.
 * Skipped when the EP is gone or stayed silent during the teardown.
 */
void vntb_rc_fini(struct vntb_rc *rc);

/**
 * Teardown begins (closing) or ends: while closing, the first command
 * the EP does not answer logs one WARNING and every later command
 * returns -ETIMEDOUT at once, so that closing next to a dead EP takes
 * one timeout instead of one per command.
 */
void vntb_rc_set_closing(struct vntb_rc *rc, bool closing);

/**
 * The link layer reports the EP gone (true) or back (false). While gone,
 * commands return -ENOTCONN without touching the BAR and link_is_up is
 * false, so that the transport takes its link down at once.
 */
void vntb_rc_set_peer_gone(struct vntb_rc *rc, bool gone);

/**
 * A new EP serves the same BARs (reconnect): read and check its ctrl
 * region again and send CONFIGURE_DOORBELL. The layout must equal the
 * one of the first init (the transport and the application sized their
 * queues on it). Clears peer_gone on success. 0, -EINVAL (different or
 * bad layout, logged), -ETIMEDOUT/-EIO (CONFIGURE_DOORBELL), -ENOMEM.
 */
int vntb_rc_reinit(struct vntb_rc *rc);

static inline struct ntb_dev *
vntb_rc_ntb_dev(struct vntb_rc *rc)
{
	return &rc->nd;
}

/**
 * The EP's interrupt window, the platform's rule: the last MW when the
 * EP exposes several (R-Car S4: MW2 next to MW1 in BAR2; the kernel's
 * ntb_msi takes the last MW too), else -1 (every window carries data).
 */
static inline int
vntb_rc_intr_mw(const struct vntb_rc *rc)
{
	return rc->nd.mw_count > 1 ? (int)rc->nd.mw_count - 1 : -1;
}

/**
 * The command protocol, used by every op: under cmd_lock write ARGUMENT
 * then COMMAND, poll the u16 CMD_STATUS every VNTB_CMD_POLL_US up to the
 * timeout, then write 0 to CMD_STATUS. 0 on OK, -EIO on ERROR,
 * -ETIMEDOUT (logged with the command's name) when the EP never answers
 * (with wait_ep the EP is then unresponsive), -ENOTCONN when the EP is
 * gone or unresponsive (nothing sent). A heartbeat in flight is
 * finished first.
 */
int vntb_rc_send_command(struct vntb_rc *rc, uint32_t cmd, uint32_t arg);

/**
 * An MSI vector fired (the caller consumed its eventfd). Vector 0: the
 * link event, returns 1 so the caller re-reads the link; vector 1:
 * reserved, counted and warned about; vector 2 + k: sets doorbell bit k.
 * Returns 0 otherwise, -EINVAL for a vector we do not own.
 */
int vntb_rc_vector_event(struct vntb_rc *rc, unsigned int vector);

#endif /* VNTB_RC_H */
