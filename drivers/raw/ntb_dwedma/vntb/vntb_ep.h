/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef VNTB_EP_H
#define VNTB_EP_H

/**
 * Layers 2 and 3, EP side: what Linux's pci-epf-vntb does, as a struct
 * ntb_dev for the EP's transport. The vNTB function logic (ctrl region
 * init, the command handler, the doorbell scan, the EP's ntb_dev ops)
 * lives here; everything that touches the PCIe link goes through an
 * endpoint-controller ops table (struct vntb_epc_ops), as pci-epf-vntb
 * goes through pci_epc_ops. The virtual link (vsim) implements that
 * table for emulation, as our kernel module pci_epc_ivshmem implements
 * pci_epc_ops for the kernel peer. Nothing here knows which EPC it runs
 * on.
 *
 * The RC is untrusted: every value it writes in the ctrl region
 * (command, argument, addr, size) is copied once, checked, then used.
 */

#include <stdbool.h>
#include <stdint.h>

#include "ntb_bar.h"
#include "ntb_dev.h"
#include "vntb_ctrl.h"

#define VNTB_EP_MW_ALIGN	4096u	/* mw_get_align; the iATU's page */

/**
 * The endpoint controller under the vNTB function. epc is the
 * controller's own pointer, given to vntb_ep_init. MW indices are
 * checked by the caller (idx < num_mws).
 */
struct vntb_epc_ops {
	/**
	 * Inbound translation (pci_epc_set_bar): the RC's access to MW idx
	 * of its BAR reaches EP memory [addr, addr + size) from now on.
	 * addr is VNTB_EP_MW_ALIGN aligned. -EINVAL when it is not EP
	 * memory (logged).
	 */
	int (*set_bar)(void *epc, unsigned int idx, uint64_t addr,
		       uint64_t size);
	/** Inbound MW idx back to its state before set_bar (clear_bar). */
	int (*clear_bar)(void *epc, unsigned int idx);
	/**
	 * Outbound window idx (allocated at bind) onto RC bus addresses
	 * [pci_addr, pci_addr + size) (pci_epc_map_addr, CONFIGURE_MW).
	 * pci_addr is page aligned. <0 when it reaches no RC memory (logged).
	 */
	int (*map_addr)(void *epc, unsigned int idx, uint64_t pci_addr,
			uint64_t size);
	/** Outbound window idx back to staging (pci_epc_unmap_addr). */
	void (*unmap_addr)(void *epc, unsigned int idx);
	/**
	 * CPU view of outbound window idx (vNTB's vpci_mw_phy[idx]): where
	 * map_addr pointed it, or a staging window of the MW's size before.
	 */
	void (*ob_window)(void *epc, unsigned int idx, struct ntb_bar *win);
	/**
	 * Raise MSI vector (pci_epc_raise_irq, vector numbered from 0):
	 * 0, -ENOTCONN while no RC is there, -EINVAL for a vector the RC
	 * did not enable.
	 */
	int (*raise_irq)(void *epc, unsigned int vector);
	/** The PCIe link is up: an RC is there (pci_epc_linkup). */
	bool (*linked)(void *epc);
	/**
	 * link_status changed (LINK_UP/LINK_DOWN): tell the EP's own NTB
	 * client, as vNTB's ntb_link_event does.
	 */
	void (*link_event)(void *epc);
};

/** The function's layout, as the vNTB configfs attributes set it. */
struct vntb_ep_config {
	const char *name;			/**< for logs */
	uint8_t *ctrl;				/**< ctrl region + both spad halves */
	size_t ctrl_len;			/**< bytes, zeroed at init */
	uint32_t version;			/**< VNTB_CTRL_VERSION_* */
	unsigned int num_mws;			/**< 1..NTB_MAX_MW */
	uint64_t mw_offset[NTB_MAX_MW];	/**< in its BAR */
	uint64_t mw_size[NTB_MAX_MW];
	uint32_t spad_offset;			/**< from ctrl */
	uint32_t spad_count;			/**< per side */
	uint8_t *db_page;			/**< doorbell slots the RC writes */
	unsigned int db_count;			/**< slots, incl. link + reserved */
	uint32_t db_entry_size;			/**< slot stride */
	/**
	 * Interrupts of the EP's NTB client (-1: none): link_fd is raised
	 * by the EPC's link_event; slot_fds[n] (db_count entries, or NULL)
	 * when the RC writes doorbell slot n.
	 */
	int link_fd;
	const int *slot_fds;
};

struct vntb_ep {
	struct ntb_dev nd;			/**< what the EP's transport uses */
	struct vntb_ep_config cfg;
	const struct vntb_epc_ops *epc_ops;
	void *epc;
	uint64_t db_bits;			/**< atomic: doorbells seen */
};

/**
 * The ctrl image the function shows from bind: version, num_mws, MW
 * offsets (and sizes, v1), spad offset/count, doorbell entry size, data
 * and offsets. Written over ctrl (cfg->ctrl is not used), so that a
 * platform can show the layout before the EP answers.
 */
void vntb_ep_ctrl_image(const struct vntb_ep_config *cfg, uint8_t *ctrl);

/**
 * Bind: zero cfg->ctrl, write the ctrl image, fill ep->nd (the EP's
 * ntb_dev, ops in vntb_ep_ops.c). The caller runs vntb_ep_cmd_handler
 * periodically (vNTB: every 5 ms). 0, or -EINVAL (bad config, logged).
 */
int vntb_ep_init(struct vntb_ep *ep, const struct vntb_ep_config *cfg,
		 const struct vntb_epc_ops *ops, void *epc);

/**
 * One run of vNTB's epf_ntb_cmd_handler: scan the doorbell slots, then
 * latch and serve a command (status written after the command, as the
 * kernel does; an unknown command writes no status).
 */
void vntb_ep_cmd_handler(struct vntb_ep *ep);

/**
 * Polling-mode doorbells: slot k + 2 -> bit k, each slot zeroed when
 * seen. Returns every bit seen and not yet cleared.
 */
uint64_t vntb_ep_scan_doorbells(struct vntb_ep *ep);

/** Set or clear link_status bit 0; a change raises the EPC's link_event. */
void vntb_ep_set_link(struct vntb_ep *ep, bool up);

/** link_status bit 0, as the EP wrote it last. */
bool vntb_ep_link_status(const struct vntb_ep *ep);

static inline struct ntb_dev *
vntb_ep_ntb_dev(struct vntb_ep *ep)
{
	return &ep->nd;
}

#endif /* VNTB_EP_H */
