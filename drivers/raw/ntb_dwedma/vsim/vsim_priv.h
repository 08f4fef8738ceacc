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

struct vsim {
	struct vsim_params p;
	uint32_t state;			/* enum vsim_link_state, atomic */
	int event_fd;
	vsim_event_cb_t cb;
	void *cb_arg;
	char name[24];

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

	struct vsim_memtab local, peer;
	struct vsim_win wins[VSIM_PROTO_MAX_WINS];
	unsigned int nb_wins;
	struct dw_edma_model edma;
	struct vsim_shared *sh;
	uint8_t *edma_regs;
	uint8_t *msi_page;
	uint64_t edma_iova, msi_iova, db_iova;

	/* EP */
	const struct rte_memzone *mz[5];
	uint8_t *ctrl;
	uint8_t *db_page;
	int slot_fds[32];
	int edma_irq_fd;
	int msi_fds[VSIM_EP_MSI_VECTORS];
	int ep_link_fd;
	int rc_msi_fds[VSIM_MAX_MSI];
	unsigned int nb_rc_msi;
	uint64_t rc_msi_addr;
	uint8_t *out_va[NTB_MAX_MW];
	size_t out_len[NTB_MAX_MW];
	struct ntb_bar out_win[NTB_MAX_MW];
	bool out_mapped[NTB_MAX_MW];
	struct ntb_dev nd;
	struct ntb_intr_res ires;
	struct ntb_bar edma_bar, msi_bar;
	uint64_t db_bits;
	rte_thread_t cmd_thread;
	bool cmd_running;
	uint32_t cmd_delay_us;
	/*
	 * The eDMA engine: doorbells the RC posts (through the interrupt
	 * window or the exported DMA slice) run in this thread.
	 */
	int engine_fd;			/* RC doorbells posted: run them */
	rte_thread_t engine_thread;
	bool engine_running;
	bool engine_hold;		/* fault: the engine does not run */

	/* exported DMA slice (vsim_dma.c): header and LL windows */
	const struct rte_memzone *dma_mz;

	/* RC */
	struct vsim_rc_res res;
	uint8_t *bar_va[VSIM_NB_BARS];
	size_t bar_map_len[VSIM_NB_BARS];
	uint64_t db_entry_size;
	unsigned int ep_db_count, ep_nb_msi;
	int ep_slot_fds[32];
	int ep_edma_irq_fd;
	int ep_msi_fds[VSIM_EP_MSI_VECTORS];
	int ep_engine_fd;
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

/* vsim_params.c */
void vsim_ctrl_image(const struct vsim_params *p, uint8_t *ctrl);

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

/* vsim_ep.c / vsim_rc.c */
int vsim_ep_create(struct vsim *vs);
void vsim_ep_destroy(struct vsim *vs);
int vsim_rc_create(struct vsim *vs);
void vsim_rc_destroy(struct vsim *vs);
void vsim_ep_force_link(struct vsim *vs, bool up);
void vsim_ep_hold_engine(struct vsim *vs, bool hold);

/* vsim_dma.c: the EP's exported DMA slice */
int vsim_dma_ep_init(struct vsim *vs);
void vsim_dma_ep_add_windows(struct vsim *vs);
void vsim_dma_ep_fini(struct vsim *vs);

#endif /* VSIM_PRIV_H */
