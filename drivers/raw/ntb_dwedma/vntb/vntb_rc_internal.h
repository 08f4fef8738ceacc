/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef VNTB_RC_INTERNAL_H
#define VNTB_RC_INTERNAL_H

#include "vntb_rc.h"

/* the ntb_dev ops of the RC (vntb_rc_ops.c) */
extern const struct ntb_dev_ops vntb_rc_ops;

#endif /* VNTB_RC_INTERNAL_H */
