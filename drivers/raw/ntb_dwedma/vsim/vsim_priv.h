/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef VSIM_PRIV_H
#define VSIM_PRIV_H

/* Internal state of the virtual link, shared by vsim_*.c only. */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_bitops.h>
#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_memzone.h>
#include <rte_rwlock.h>

#include "ntb_compat.h"

#include "dw_edma_v0_model.h"
#include "vntb_ctrl.h"
#include "vntb_ep.h"
#include "vsim.h"
#include "vsim_proto.h"

#define VSIM_PAGE_SIZE		4096u
#define VSIM_ACK_TIMEOUT_MS	2000
#define VSIM_HELLO_TIMEOUT_MS	5000
#define VSIM_POLL_MS		50	/* link threads check stop this often */
#define VSIM_EDMA_PAGE_SIZE	RTE_ALIGN_CEIL(DW_EDMA_V0_REG_SIZE, \
					       VSIM_PAGE_SIZE)
#define VSIM_DB_ENTRY_SIZE	4	/* polling mode doorbells */
#define VSIM_BUS_BASE		0x4000000000ull	/* fake BAR bus addresses */
#define VSIM_RC_MSI_ADDR	0xFEE00000ull	/* fake RC MSI address */

/** A side's shared memory, as fds + IOVA ranges (+ local mappings). */
struct vsim_memtab {
	unsigned int nb_files;
	int fds[VSIM_PROTO_MAX_FILES];
	bool owns_fds;		/* peer table: fds and mappings are ours */
	unsigned int nb_sealed;	/* peer files sealed against shrinking */
	unsigned int nb_regions;
	struct {
		uint64_t iova, len, fd_off;
		uint32_t fd_idx;
		uint8_t *va;
	} r[VSIM_PROTO_MAX_REGIONS];
};

/** Model state in EP memory that both processes update. */
struct vsim_shared {
	struct dw_edma_model_shared edma;
};

struct vsim_win {
	uint8_t kind, bar, idx;
	uint64_t offset, size;
	uint64_t target, target_size;	/* EP IOVA; 0/0 = staging */
};

/**
 * The EP's interrupt inputs and register pages, under the same names in
 * both processes: the EP makes them, the RC receives them in the EP's
 * hello. A write the hardware would turn into an interrupt signals one
 * of these eventfds in whichever process does the write.
 */
struct vsim_ep_side {
	uint64_t edma_iova;			/* eDMA register page */
	uint64_t msi_iova;			/* MSI controller page */
	unsigned int db_count;			/* doorbell slots */
	uint32_t db_entry_size;			/* slot stride */
	unsigned int nb_msi;			/* MSI controller vectors */
	int slot_fds[NTB_MAX_DB];		/* doorbell slot n written */
	int edma_irq_fd;			/* eDMA IRQ line rose */
	int msi_fds[VSIM_EP_MSI_VECTORS];	/* MSI controller vector v */
	int engine_fd;				/* RC doorbells posted: run them */
};

/** An outbound window of the EP: reserved VA, staging until mapped. */
struct vsim_ob {
	uint8_t *va;
	size_t len;
	struct ntb_bar win;			/* the mapped window */
	bool mapped;
};

enum vsim_ep_zone {
	VSIM_ZONE_CTRL, VSIM_ZONE_DB, VSIM_ZONE_EDMA, VSIM_ZONE_MSI,
	VSIM_ZONE_STATE, VSIM_NB_ZONES,
};

/**
 * role=ep only: the endpoint controller (vsim_epc.c implements
 * struct vntb_epc_ops on it) and the vNTB function it carries.
 */
struct vsim_epc {
	const struct rte_memzone *mz[VSIM_NB_ZONES];
	const struct rte_memzone *dma_mz;	/* exported DMA slice (vsim_dma.c) */
	uint8_t *ctrl;
	uint8_t *db_page;
	uint8_t *edma_regs;
	uint8_t *msi_page;
	uint64_t db_iova;
	int link_fd;				/* the EP NTB client's link event */
	struct vsim_ob ob[NTB_MAX_MW];
	struct vntb_ep fn;			/* pci-epf-vntb on this EPC */
	struct ntb_intr_res ires;
	struct ntb_bar edma_bar, msi_bar;	/* EP-local, trapped */
	rte_thread_t cmd_thread;
	bool cmd_running;
	uint32_t cmd_delay_us;			/* fault: slow command handler */
	/*
	 * The eDMA engine: doorbells the RC posts (through the interrupt
	 * window or the exported DMA slice) run in this thread.
	 */
	rte_thread_t engine_thread;
	bool engine_running;
	bool engine_hold;			/* fault: the engine does not run */
};

/** role=rc only: the EP's BARs as reserved VA ranges. */
struct vsim_rc_bars {
	uint8_t *va[VNTB_PCI_BARS];
	size_t map_len[VNTB_PCI_BARS];
};

struct vsim {
	struct vsim_params p;
	uint32_t state;			/* enum vsim_link_state, atomic */
	int event_fd;
	vsim_event_cb_t cb;
	void *cb_arg;
	char name[24];

	/* the socket and its link thread */
	int sock;
	int listen_fd;
	rte_thread_t thread;
	bool thread_running;
	volatile bool stop;
	pthread_mutex_t lock;		/* socket sends, acks, windows */
	pthread_cond_t cond;
	uint32_t seq, ack_seq;
	int ack_status;
	rte_rwlock_t peer_lock;		/* peer fds/tables vs their users */

	/* what both processes share */
	struct vsim_memtab local, peer;
	struct vsim_win wins[VSIM_PROTO_MAX_WINS];
	unsigned int nb_wins;
	struct dw_edma_model edma;	/* ops: vsim_edma_cb_ops */
	struct vsim_shared *sh;

	/* each side's interrupt inputs, made there, received by the other */
	struct vsim_ep_side ep;
	struct vsim_rc_res rc;		/* the RC's MSI vectors (and its BARs) */

	struct vsim_epc epc;		/* role=ep */
	struct vsim_rc_bars bars;	/* role=rc */
};

/* vsim_mem.c */
int vsim_memtab_local(struct vsim_memtab *t);
void vsim_memtab_to_wire(const struct vsim_memtab *t,
			 struct vsim_mem_table *w);
int vsim_memtab_from_wire(struct vsim_memtab *t,
			  const struct vsim_mem_table *w, const int *fds,
			  unsigned int nb_fds);
int vsim_memtab_map(struct vsim_memtab *t);
void vsim_memtab_release(struct vsim_memtab *t);
void vsim_memtab_neutralize(struct vsim_memtab *t);
void *vsim_memtab_va(const struct vsim_memtab *t, uint64_t iova,
		     size_t len);
int vsim_memtab_find(const struct vsim_memtab *t, uint64_t iova, size_t len,
		     int *fd, uint64_t *fd_off);
void *vsim_va_reserve(size_t len);
int vsim_va_map(void *va, size_t len, int fd, uint64_t fd_off);
int vsim_va_map_iova(const struct vsim_memtab *t, void *va, size_t len,
		     uint64_t iova, size_t map_len);

/* vsim_params_check.c */
/** The vNTB function's layout of validated params (no memory set). */
void vsim_params_ep_layout(const struct vsim_params *p,
			   struct vntb_ep_config *cfg);

/* vsim_link.c */
int vsim_link_listen(const char *path);
int vsim_link_connect(const char *path, unsigned int timeout_ms);
int vsim_link_send(int sock, uint32_t type, uint32_t seq, const void *msg,
		   size_t len, const int *fds, unsigned int nb_fds);
int vsim_link_recv(int sock, struct vsim_msg_hdr *hdr, void *msg,
		   size_t max, int *fds, unsigned int *nb_fds,
		   int timeout_ms);
void vsim_set_state(struct vsim *vs, enum vsim_link_state st);
void vsim_eventfd_signal(int fd);
void vsim_close_fds(int *fds, unsigned int n);

/* vsim_edma_cb.c: the eDMA model's callbacks, for either side */
extern const struct dw_edma_model_ops vsim_edma_cb_ops;

/* vsim_ep.c / vsim_rc.c: create and destroy a side */
int vsim_ep_create(struct vsim *vs);
void vsim_ep_destroy(struct vsim *vs);
int vsim_rc_create(struct vsim *vs);
void vsim_rc_destroy(struct vsim *vs);

/* vsim_epc.c: the EPC under the EP's vNTB function */
extern const struct vntb_epc_ops vsim_epc_ops;
void vsim_epc_ob_unmap_all(struct vsim *vs);

/* vsim_ep_engine.c: the EP's own eDMA / MSI pages and its engine */
void vsim_ep_engine_bars(struct vsim *vs);
uint32_t vsim_ep_engine_thread(void *arg);

/* vsim_ep_link.c: the EP's end of the socket */
uint32_t vsim_ep_link_thread(void *arg);
int vsim_ep_link_mw_map(struct vsim *vs, unsigned int idx, uint64_t iova,
			uint64_t size);

/* vsim_rc_bars.c: the RC's view of the EP's BARs */
int vsim_rc_bars_staging(struct vsim *vs);
int vsim_rc_bars_reserve(struct vsim *vs, const struct vsim_msg_ep_hello *h);
/* vsim_rc_link.c: the board row of the EP's IDs (and map), as on a board */
const struct vntb_platform *vsim_rc_platform(struct vsim *vs,
					     uint16_t vendor_id,
					     uint16_t device_id,
					     const int8_t *barno);
int vsim_rc_bars_map_window(struct vsim *vs, const struct vsim_win *w);
void vsim_rc_bars_unmap(struct vsim *vs);

/* vsim_rc_link.c: the RC's end of the socket */
int vsim_rc_link_connect(struct vsim *vs, unsigned int timeout_ms);
uint32_t vsim_rc_link_thread(void *arg);

/* vsim_dma.c: the EP's exported DMA slice */
int vsim_dma_ep_init(struct vsim *vs);
void vsim_dma_ep_add_windows(struct vsim *vs);
void vsim_dma_ep_fini(struct vsim *vs);

#endif /* VSIM_PRIV_H */
