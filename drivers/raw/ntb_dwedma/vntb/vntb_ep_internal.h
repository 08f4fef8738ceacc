/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef VNTB_EP_INTERNAL_H
#define VNTB_EP_INTERNAL_H

#include "vntb_ep.h"

/* the ntb_dev ops of the EP (vntb_ep_ops.c) */
extern const struct ntb_dev_ops vntb_ep_ops;

#endif /* VNTB_EP_INTERNAL_H */
