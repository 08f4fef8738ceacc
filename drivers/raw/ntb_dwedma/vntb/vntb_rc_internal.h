/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef VNTB_RC_INTERNAL_H
#define VNTB_RC_INTERNAL_H

#include "vntb_rc.h"

/* the ntb_dev ops of the RC (vntb_rc_ops.c) */
extern const struct ntb_dev_ops vntb_rc_ops;

/*
 * Under cmd_lock, the EP answering: wait (up to the heartbeat's answer
 * bound) for the posted probe's status and consume it; past the bound
 * the EP is marked unresponsive (vntb_rc_live.c).
 */
void vntb_rc_probe_finish(struct vntb_rc *rc);

/*
 * Read and check the EP's ctrl region again, without a command: 0 when
 * it equals the first one, -EINVAL (logged) or -ENOMEM.
 */
int vntb_rc_recheck(struct vntb_rc *rc);

#endif /* VNTB_RC_INTERNAL_H */
