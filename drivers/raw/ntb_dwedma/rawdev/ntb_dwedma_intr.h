/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_DWEDMA_INTR_H
#define NTB_DWEDMA_INTR_H

/**
 * Rx interrupts of the rawdev's queue pairs: one fd per queue for the
 * application. Direct path: a queue whose backend fd is its own and
 * needs no ack beyond a read (RC MSI vectors, EP doorbell slots or MSI
 * vectors; the EP's DW eDMA IRQ when it serves one queue only, then
 * re-armed by rx_intr_enable: drain, clear, de-assert) hands that fd
 * over; the application's epoll reads it and the control thread never
 * watches it. Fan-out: for a shared fd serving several queues (the EP's
 * DW eDMA IRQ) each queue gets a private eventfd; the control thread
 * waits on the backend fd, acks and counts each interrupt by source
 * (struct ntb_intr_stats), and writes the eventfds of the armed queues
 * it serves (counted as rx_intr_wakeups). An EP in dw_edma/msi mode also
 * waits on the doorbell slots of its queues: the RC kicks by doorbell a
 * queue whose descriptor it refused; the control thread acks that and
 * writes the queue's fd (private, or the direct MSI vector's eventfd).
 * ntb_dwedma_intr_event: the control thread's entry, true when fd was
 * one of those backend fds (then handled). start/stop attach and detach
 * the transport queues; stop waits for a fan-out in flight (intr_lock),
 * so that no queue eventfd is written after it was closed.
 */

#include <stdbool.h>

#include "ntb_dwedma_dev.h"

int ntb_dwedma_intr_setup(struct ntb_dwedma_dev *d);
void ntb_dwedma_intr_teardown(struct ntb_dwedma_dev *d);
int ntb_dwedma_intr_start(struct ntb_dwedma_dev *d);
void ntb_dwedma_intr_stop(struct ntb_dwedma_dev *d);
bool ntb_dwedma_intr_event(struct ntb_dwedma_dev *d, int fd);
int ntb_dwedma_intr_enable(struct ntb_dwedma_dev *d, uint16_t q);
int ntb_dwedma_intr_disable(struct ntb_dwedma_dev *d, uint16_t q);

/* control thread hooks (ntb_dwedma_ctrl.c) */
int ntb_dwedma_ctrl_watch(struct ntb_dwedma_dev *d, int fd);
void ntb_dwedma_ctrl_unwatch(struct ntb_dwedma_dev *d, int fd);
void ntb_dwedma_qp_event(struct ntbt *t, uint16_t qp, bool up, void *arg);

#endif /* NTB_DWEDMA_INTR_H */
