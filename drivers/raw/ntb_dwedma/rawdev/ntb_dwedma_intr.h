/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_DWEDMA_INTR_H
#define NTB_DWEDMA_INTR_H

/**
 * Rx interrupts of the rawdev's queue pairs: the device's side of the
 * delivery contract in ntb_intr.h. The interrupt layer decides which fd
 * each queue gets and acks, fans out and re-arms; the device hands those
 * fds to the application (rte_pmd_ntb_dwedma_rx_intr_fd, and through
 * net_ntb_vnet to DPDK's rte_intr machinery), lends the control thread's
 * epoll, and tells the peer through the transport whether to kick.
 */

#include <stdbool.h>

#include "ntb_dwedma_dev.h"

int ntb_dwedma_intr_setup(struct ntb_dwedma_dev *d);
void ntb_dwedma_intr_teardown(struct ntb_dwedma_dev *d);
/** Attach the transport's queues (d->qp[].tq) and give them their fds. */
int ntb_dwedma_intr_start(struct ntb_dwedma_dev *d);
/** Detach them; no fan-out runs once this returns. */
void ntb_dwedma_intr_stop(struct ntb_dwedma_dev *d);
/** Control thread: fd fired; true when it was an interrupt (handled). */
bool ntb_dwedma_intr_event(struct ntb_dwedma_dev *d, int fd);
int ntb_dwedma_intr_enable(struct ntb_dwedma_dev *d, uint16_t q);
int ntb_dwedma_intr_disable(struct ntb_dwedma_dev *d, uint16_t q);

/* control thread hooks (ntb_dwedma_ctrl.c) */
int ntb_dwedma_ctrl_watch(struct ntb_dwedma_dev *d, int fd);
void ntb_dwedma_ctrl_unwatch(struct ntb_dwedma_dev *d, int fd);
void ntb_dwedma_qp_event(struct ntbt *t, uint16_t qp, bool up, void *arg);

#endif /* NTB_DWEDMA_INTR_H */
