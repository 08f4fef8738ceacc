/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_DWEDMA_DEV_H
#define NTB_DWEDMA_DEV_H

/**
 * Layer 7: the rawdev. One struct per device, whatever probed it (PCI on
 * a board, the virtual link in emulation): the probe fills `nd` (the NTB
 * device), `intr_res` and `hw_ops`, and everything above (queue pairs,
 * attributes, xstats, events) is common.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>
#include <rte_rawdev.h>
#include <rte_spinlock.h>

#include "ntb_compat.h"
#include "ntb_dev.h"
#include "ntb_intr.h"
#include "ntb_transport.h"
#include "rte_pmd_ntb_dwedma.h"

#define NTB_DWEDMA_MAX_QP		16
#define NTB_DWEDMA_NB_SPAD_USER		4
#define NTB_DWEDMA_LINK_PERIOD_MS	10	/* kernel NTB_LINK_DOWN_TIMEOUT */

struct ntb_dwedma_dev;

/** What the probe (PCI or virtual link) provides besides the ntb_dev. */
struct ntb_dwedma_hw_ops {
	/** Release the hardware/link resources (device close). */
	void (*fini)(struct ntb_dwedma_dev *d);
	/**
	 * Fds the control thread waits on besides its period (link vector,
	 * peer death...); returns the count written to fds (<= max).
	 */
	unsigned int (*ctrl_fds)(struct ntb_dwedma_dev *d, int *fds,
				 unsigned int max);
	/** One of those fds is readable: consume it. */
	void (*ctrl_event)(struct ntb_dwedma_dev *d, int fd);
	/**
	 * Control thread, after each link work (every period and event):
	 * slow hardware work such as reconnecting to a new peer. Must not
	 * block for long (the link work of the device waits). May be NULL.
	 */
	void (*ctrl_tick)(struct ntb_dwedma_dev *d);
	/** PCIe link speed (generation) and width, 0 when unknown. */
	void (*pcie_link)(struct ntb_dwedma_dev *d, uint8_t *speed,
			  uint8_t *width);
	/**
	 * Accesses to the (emulated) eDMA dropped because its lock, in
	 * memory the peer writes, stayed held. May be NULL (none).
	 */
	uint64_t (*edma_lock_timeouts)(struct ntb_dwedma_dev *d);
};

/** User-tunable options shared by every probe (devargs). */
struct ntb_dwedma_opts {
	enum ntb_intr_mode intr;	/**< intr= */
	uint32_t transport_mtu;		/**< transport_mtu= (frame size) */
	uint64_t max_mw_size;		/**< max_mw_size= */
	uint16_t num_qps;		/**< num_qps= (max_num_clients), 0: auto */
	enum ntbt_copy copy;		/**< copy= (Tx payload copies) */
	uint32_t liveness_ms;		/**< liveness_ms= (RC heartbeat), 0: off */
};

/*
 * RC heartbeat: a kernel EP polls commands every 5 ms (7.2 with MSI
 * doorbells: 500 ms); under QEMU TCG on a loaded two-core machine its
 * answers took up to 26 ms (rawdev guide). 2 s leaves a wide margin.
 */
#define NTB_DWEDMA_LIVENESS_DEFAULT_MS	2000
#define NTB_DWEDMA_LIVENESS_MAX_MS	60000

struct ntb_dwedma_qp {
	struct ntbt_qp *tq;		/**< NULL until the device starts */
	struct rte_mempool *rx_mp;
	uint16_t nb_desc;
	uint16_t tx_free_thresh;
	bool configured;
	struct rte_pmd_ntb_dwedma_qp_stats stats_off; /**< at the last reset */
};

struct ntb_dwedma_cb {
	rte_pmd_ntb_dwedma_event_cb_t fn;
	void *arg;
};

#define NTB_DWEDMA_MAX_CB		8

struct ntb_dwedma_dev {
	struct rte_rawdev *rawdev;
	uint16_t dev_id;
	int socket_id;
	bool is_ep;
	struct ntb_dwedma_opts opts;

	/* filled by the probe */
	struct ntb_dev *nd;
	struct ntb_intr_res intr_res;
	const struct ntb_dwedma_hw_ops *hw_ops;
	void *hw;			/**< the probe's state */

	/* configuration (rte_pmd_ntb.h attributes and structs) */
	uint16_t queue_size;		/**< attr queue_size */
	uint16_t queue_num;		/**< attr queue_num */
	uint16_t max_qp;		/**< what the device and backend allow */
	uint64_t mw_size[NTB_MAX_MW];	/**< reported in ntb_dev_info */
	bool configured;

	struct ntb_intr intr;
	bool intr_ready;
	struct ntb_intr_deliver intr_dl;	/**< the queues' Rx interrupt fds */
	struct ntb_intr_stats intr_stats_off;	/**< at the last xstats reset */
	uint64_t edma_lock_timeouts_off;	/**< at the last xstats reset */
	uint64_t heartbeats_off;		/**< at the last xstats reset */
	uint64_t liveness_timeouts_off;		/**< at the last xstats reset */
	struct ntbt *t;
	struct ntb_dwedma_qp qp[NTB_DWEDMA_MAX_QP];
	uint16_t nb_qp;			/**< transport queue pairs */

	/* control thread: link work, events, interrupt fan-out */
	rte_thread_t ctrl_tid;
	bool ctrl_running;
	volatile bool ctrl_stop;
	int ctrl_epfd;
	int ctrl_wake_fd;		/**< eventfd to wake the thread */
	volatile uint8_t link_up;	/**< queue pair 0 up */
	uint64_t qp_up_mask;
	uint64_t link_up_events;
	uint64_t link_down_events;

	rte_spinlock_t cb_lock;
	struct ntb_dwedma_cb cb[NTB_DWEDMA_MAX_CB];

	/* RC: the EP's exported DMA as dmadev <rawdev name>_dma */
	int dma_dev_id;			/**< -1: none */
	char dma_name[RTE_RAWDEV_NAME_MAX_LEN + 8];
	bool dma_copy;			/**< configured and started for copy= */
};

/* ntb_dwedma_dma.c */
void ntb_dwedma_dma_attach(struct ntb_dwedma_dev *d);
void ntb_dwedma_dma_detach(struct ntb_dwedma_dev *d);
/**
 * copy=: fill tc's copy fields, configuring and starting the dmadev for
 * the transport's Tx copies when it is used. 0, or -errno when copy=dma
 * cannot be had (one message naming the reason).
 */
int ntb_dwedma_dma_copy_setup(struct ntb_dwedma_dev *d, struct ntbt_conf *tc,
			      uint16_t nb_qp);
/** Stop the dmadev if copy= started it (after the transport is gone). */
void ntb_dwedma_dma_copy_teardown(struct ntb_dwedma_dev *d);

static inline struct ntb_dwedma_dev *
ntb_dwedma_priv(const struct rte_rawdev *rawdev)
{
	return rawdev->dev_private;
}

/** Queue pairs the device could carry: one doorbell bit each. */
static inline uint16_t
ntb_dwedma_max_qp(const struct ntb_dwedma_dev *d)
{
	unsigned int n = d->nd->db_count;

	if (n == 0)
		n = 1;
	return n > NTB_DWEDMA_MAX_QP ? NTB_DWEDMA_MAX_QP : n;
}

/** What a probe hands over to make its rawdev. */
struct ntb_dwedma_probe {
	const char *name;
	struct rte_device *device;
	const char *driver_name;	/**< RTE_PMD_NTB_DWEDMA_DRIVER_* */
	int socket_id;
	const struct ntb_dwedma_opts *opts;	/**< parsed devargs */
	const struct ntb_dwedma_hw_ops *hw_ops;
	void *hw;			/**< the probe's state; hw_ops->fini frees it */
	bool is_ep;
};

struct rte_vdev_device;

/* rawdev/ntb_dwedma_probe.c: the steps every probe shares */
/** In a secondary process, say so and return true: probe nothing. */
bool ntb_dwedma_probe_secondary(const char *name);
/**
 * Make the rawdev around p->hw. On error nothing is made and p->hw is
 * still the probe's to free.
 */
int ntb_dwedma_dev_create(const struct ntb_dwedma_probe *p,
			  struct ntb_dwedma_dev **out);
/**
 * RC side (PCI, virtual link, kernel peer): device and interrupt
 * resources. nd is the vntb_rc's own ntb_dev, or a platform's wrapper of
 * it; intr_mw is the window that carries interrupts, the platform's
 * choice (vntb_rc_intr_mw()), -1: none.
 */
void ntb_dwedma_dev_set_rc(struct ntb_dwedma_dev *d, struct ntb_dev *nd,
			   int intr_mw);
/**
 * The probe's tail, given the result of its own attach step (which fills
 * nd and intr_res): ready the device, or on ret < 0 release hw
 * (hw_ops->fini) and the rawdev and return ret.
 */
int ntb_dwedma_dev_finish(struct ntb_dwedma_dev *d, int ret);
/** The remove of every bus: destroy the named device (primary only). */
int ntb_dwedma_remove(const char *name);
int ntb_dwedma_vdev_remove(struct rte_vdev_device *vdev);

/* rawdev/ntb_dwedma_rawdev.c: the rawdev ops */
int ntb_dwedma_dev_destroy(struct ntb_dwedma_dev *d);
extern const struct rte_rawdev_ops ntb_dwedma_ops;

/* rawdev/ntb_dwedma_queue.c: queue ops of the NTB rawdev contract */
int ntb_dwedma_queue_def_conf(struct rte_rawdev *dev, uint16_t qid,
			      rte_rawdev_obj_t obj, size_t size);
int ntb_dwedma_queue_setup(struct rte_rawdev *dev, uint16_t qid,
			   rte_rawdev_obj_t obj, size_t size);
int ntb_dwedma_queue_release(struct rte_rawdev *dev, uint16_t qid);
uint16_t ntb_dwedma_queue_count(struct rte_rawdev *dev);
int ntb_dwedma_enqueue(struct rte_rawdev *dev, struct rte_rawdev_buf **bufs,
		       unsigned int count, rte_rawdev_obj_t ctx);
int ntb_dwedma_dequeue(struct rte_rawdev *dev, struct rte_rawdev_buf **bufs,
		       unsigned int count, rte_rawdev_obj_t ctx);

/* rawdev/ntb_dwedma_ctrl.c: control thread and events */
int ntb_dwedma_ctrl_start(struct ntb_dwedma_dev *d);
void ntb_dwedma_ctrl_stop(struct ntb_dwedma_dev *d);

/* rawdev/ntb_dwedma_attr.c */
int ntb_dwedma_attr_get(struct rte_rawdev *dev, const char *name,
			uint64_t *value);
int ntb_dwedma_attr_set(struct rte_rawdev *dev, const char *name,
			const uint64_t value);

/* rawdev/ntb_dwedma_xstats.c */
int ntb_dwedma_xstats_get(const struct rte_rawdev *dev,
			  const unsigned int ids[], uint64_t values[],
			  unsigned int n);
int ntb_dwedma_xstats_get_names(const struct rte_rawdev *dev,
				struct rte_rawdev_xstats_name *names,
				unsigned int size);
uint64_t ntb_dwedma_xstats_get_by_name(const struct rte_rawdev *dev,
				       const char *name, unsigned int *id);
int ntb_dwedma_xstats_reset(struct rte_rawdev *dev, const uint32_t ids[],
			    uint32_t nb_ids);
void ntb_dwedma_qp_stats(const struct ntb_dwedma_dev *d, uint16_t q,
			 struct rte_pmd_ntb_dwedma_qp_stats *s);
/* NTBT_QP_XSTATS names (rawdev xstats, telemetry) and values, by row. */
extern const char *const ntb_dwedma_qp_xstat_names[];
extern const unsigned int ntb_dwedma_nb_qp_xstats;
uint64_t ntb_dwedma_qp_xstat(const struct rte_pmd_ntb_dwedma_qp_stats *s,
			     unsigned int i);

/* rawdev/ntb_dwedma_selftest.c */
int ntb_dwedma_selftest(uint16_t dev_id);

/* rawdev/ntb_dwedma_devargs.c */
int ntb_dwedma_opts_parse(const char *args, struct ntb_dwedma_opts *opts,
			  const char *const *extra_keys,
			  int (*extra_handler)(const char *key,
					       const char *value, void *arg),
			  void *extra_arg);
const char *ntb_dwedma_intr_mode_name(enum ntb_intr_mode mode);

#endif /* NTB_DWEDMA_DEV_H */
