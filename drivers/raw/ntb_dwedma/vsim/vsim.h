/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef VSIM_H
#define VSIM_H

/**
 * Layer 9: the virtual vNTB link, a device model that stands in for a
 * PCIe link to an R-Car S4 (or i.MX8, J721E) endpoint running
 * pci-epf-vntb with a DesignWare eDMA.
 *
 * role=ep plays the EP SoC: it owns the vNTB control region, scratchpads,
 * doorbell page and eDMA register block in its DPDK memory, runs the vNTB
 * command handler and gives the transport a struct ntb_dev with vNTB
 * semantics plus the interrupt resources (struct ntb_intr_res).
 * role=rc plays the host side of the PCIe link: it gets the EP's BARs as
 * reserved VA ranges with each window mapped at its offset onto what the
 * hardware would reach, and the MSI vectors as eventfds. The RC-side vNTB
 * code then runs over these BARs exactly as over VFIO BARs.
 *
 * Both processes share their DPDK memory over a unix socket at connect
 * time (fds by SCM_RIGHTS, IOVA ranges), so an RC IOVA sent in
 * CONFIGURE_MW, or an eDMA element address, reaches real memory.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_bitops.h>
#include <rte_branch_prediction.h>
#include <rte_common.h>

#include "ntb_bar.h"
#include "ntb_dev.h"
#include "ntb_intr_res.h"
#include "vntb_platform.h"

#define VSIM_MAX_MSI		32	/* RC MSI vectors (vNTB programs 16) */
#define VSIM_EP_MSI_VECTORS	32	/* EP MSI-controller doorbell vectors */
#define VSIM_LINK_PATH_MAX	108	/* sizeof(sun_path) */
#define VSIM_ERR_MAX		160

/*
 * Exported DMA slice (pci_ep_dma_abi.h): header page, eDMA register
 * block (0x1200 rounded to pages), one 4 KiB LL window per channel.
 */
#define VSIM_DMA_HDR_SIZE	0x1000u
#define VSIM_DMA_REGS_SIZE	0x2000u
#define VSIM_DMA_LL_SIZE	0x1000u
#define VSIM_DMA_SLICE_SIZE(n)	(VSIM_DMA_HDR_SIZE + VSIM_DMA_REGS_SIZE + \
				 (uint64_t)(n) * VSIM_DMA_LL_SIZE)

enum vsim_role {
	VSIM_ROLE_NONE = 0,
	VSIM_ROLE_EP,
	VSIM_ROLE_RC,
};

enum vsim_profile {
	VSIM_PROFILE_RCAR_S4 = 0,
	VSIM_PROFILE_MX8,
	VSIM_PROFILE_J721E,
	VSIM_PROFILE_COUNT,
};

/**
 * Devargs of the link. Set keys with vsim_params_set() (any order; the
 * profile supplies what was not set), then vsim_params_validate() fills
 * the resolved layout. Field names follow the vNTB configfs attributes.
 */
struct vsim_params {
	char name[24];			/**< for logs (the device's); not a devarg */
	enum vsim_role role;
	char link[VSIM_LINK_PATH_MAX];
	enum vsim_profile profile;
	unsigned int num_mws;
	uint64_t mw_size[NTB_MAX_MW];
	int mw_bar[NTB_MAX_MW];
	uint64_t mw_offset[NTB_MAX_MW];
	int ctrl_bar;
	int db_bar;
	unsigned int spad_count;
	unsigned int db_count;		/**< slots, incl. link + reserved */
	unsigned int msi_interrupts;	/**< RC MSI vectors */
	uint64_t bar_size[VNTB_PCI_BARS];	/**< 0: smallest power of two */
	unsigned int cmd_period_us;
	unsigned int connect_timeout_ms;
	unsigned int dma_num_chans;	/**< delegated eDMA READ channels, 0 off */
	int dma_bar;			/**< BAR of the exported DMA slice */
	uint64_t dma_offset;		/**< slice offset in dma_bar */
	uint64_t set_mask;		/**< keys given explicitly */
	/* filled by vsim_params_validate() */
	uint64_t ctrl_size;		/**< ctrl + both spad halves, bytes */
	uint32_t spad_offset;
	uint32_t ctrl_version;		/**< 0 legacy, 1 v1 */
	uint64_t dma_size;		/**< DMA slice bytes, 0: no export */
	uint64_t db_win_size;		/**< DB window size in its BAR */
	uint64_t bar_len[VNTB_PCI_BARS];	/**< sizes, 0: BAR unused */
	/** the board row of the profile: IDs, BAR map, EPC limits */
	const struct vntb_platform *platform;
	char err[VSIM_ERR_MAX];		/**< last error, names the key */
};

/** NULL-terminated list of the keys vsim_params_set() accepts. */
extern const char *const vsim_params_keys[];

void vsim_params_init(struct vsim_params *p);
/** Parse one devarg; <0 and p->err names the key on bad input. */
int vsim_params_set(struct vsim_params *p, const char *key,
		    const char *value);
/** Apply the profile, check the layout like vNTB/DWC; <0 + p->err. */
int vsim_params_validate(struct vsim_params *p);
const char *vsim_params_error(const struct vsim_params *p);
/**
 * BAR of the peer scratchpads when it is not the ctrl BAR (j721e: BAR1,
 * backed by the EP's own scratchpad half, which then starts on a page:
 * ctrl + spad_offset + 4 * spad_count), else VNTB_NO_BAR.
 */
int vsim_params_peer_spad_bar(const struct vsim_params *p);
const char *vsim_profile_name(enum vsim_profile prof);

/* ------------------------------------------------------------------ */

struct vsim;

enum vsim_link_state {
	VSIM_LINK_WAITING = 0,	/**< EP: no RC yet; RC: never connected */
	VSIM_LINK_CONNECTED,	/**< memory and BARs are shared */
	VSIM_LINK_DEAD,		/**< the peer went away (EOF/HUP) */
};

typedef void (*vsim_event_cb_t)(struct vsim *vs, enum vsim_link_state st,
				void *arg);

/**
 * Create the link from validated params. EP: allocates the model memory,
 * listens and accepts RCs in a control thread (returns at once). RC:
 * connects with backoff until the EP listens (connect_timeout_ms) and
 * completes the handshake before returning. NULL on error (logged).
 */
struct vsim *vsim_create(const struct vsim_params *p);
void vsim_destroy(struct vsim *vs);

enum vsim_link_state vsim_state(const struct vsim *vs);
/** Eventfd signalled on every link state change (never drained here). */
int vsim_event_fd(const struct vsim *vs);
/** Callback from the link thread on state changes (NULL to remove). */
void vsim_set_event_cb(struct vsim *vs, vsim_event_cb_t cb, void *arg);
/**
 * Accesses to the eDMA model this process dropped because the model's
 * lock (in memory the peer writes) stayed held: xstat edma_lock_timeouts.
 */
uint64_t vsim_edma_lock_timeouts(const struct vsim *vs);
/**
 * Drop the connection as if the peer died (both sides see EOF): the RC
 * rawdev drops a new EP it could not take over.
 */
int vsim_link_drop(struct vsim *vs);

/* EP side */
struct ntb_dev *vsim_ep_ntb_dev(struct vsim *vs);
const struct ntb_intr_res *vsim_ep_intr_res(struct vsim *vs);

/* RC side: what VFIO would give the RC-side vNTB code. */
struct vsim_rc_res {
	struct ntb_bar bars[VNTB_PCI_BARS];	/**< len 0: BAR not present */
	uint16_t vendor_id, device_id;		/**< the function's PCI IDs */
	/** Their row (vntb_pci_id_match(), as on a board): the BAR map */
	const struct vntb_platform *platform;
	unsigned int nb_msi;			/**< MSI vectors */
	int msi_fds[VSIM_MAX_MSI];		/**< 0 link, 2+k doorbell k */
	uint64_t msi_addr;			/**< IMWr target of vectors */
};

/** Valid for the life of vs, across reconnects (BAR VAs do not move). */
const struct vsim_rc_res *vsim_rc_res(struct vsim *vs);
/**
 * After DEAD: connect to a new EP (same layout) at the same BAR VAs, in
 * one attempt without backoff (the caller retries on its own):
 * -ENOTCONN, not logged, while no EP listens; -EISCONN when connected,
 * -EINVAL on an EP. The old peer's memory, fds and windows are released.
 */
int vsim_rc_reconnect_try(struct vsim *vs);

#endif /* VSIM_H */
