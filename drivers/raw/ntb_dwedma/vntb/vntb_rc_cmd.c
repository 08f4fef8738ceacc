/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#include <errno.h>
#include <time.h>

#include "ntb_dwedma_log.h"
#include "vntb_rc_internal.h"

/* Name of a VNTB_CMD_* code, for logs. */
static const char *
vntb_cmd_name(uint32_t cmd)
{
	switch (cmd) {
	case VNTB_CMD_CONFIGURE_DOORBELL:
		return "CONFIGURE_DOORBELL";
	case VNTB_CMD_TEARDOWN_DOORBELL:
		return "TEARDOWN_DOORBELL";
	case VNTB_CMD_CONFIGURE_MW:
		return "CONFIGURE_MW";
	case VNTB_CMD_TEARDOWN_MW:
		return "TEARDOWN_MW";
	case VNTB_CMD_LINK_UP:
		return "LINK_UP";
	case VNTB_CMD_LINK_DOWN:
		return "LINK_DOWN";
	default:
		return "UNKNOWN";
	}
}

uint64_t
vntb_rc_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void
vntb_sleep_us(unsigned int us)
{
	struct timespec ts = {
		.tv_sec = 0,
		.tv_nsec = (long)us * 1000,
	};

	nanosleep(&ts, NULL);
}

int
vntb_rc_send_command(struct vntb_rc *rc, uint32_t cmd, uint32_t arg)
{
	const struct ntb_bar *ctrl = rc->ctrl;
	uint64_t deadline;
	uint16_t status;
	bool expired, gone;
	int ret;

	pthread_mutex_lock(&rc->cmd_lock);
	/* the control thread's probe first: one command at a time */
	if (rc->probe_posted && !rc->unresponsive)
		vntb_rc_probe_finish(rc);
	gone = __atomic_load_n(&rc->peer_gone, __ATOMIC_ACQUIRE) ||
		rc->unresponsive;
	if (gone || (rc->closing && rc->ep_silent)) {
		NTB_LOG(DEBUG, "%s: %s not sent: the EP %s", rc->name,
			vntb_cmd_name(cmd),
			gone ? "is gone" : "does not answer");
		ret = gone ? -ENOTCONN : -ETIMEDOUT;
		pthread_mutex_unlock(&rc->cmd_lock);
		return ret;
	}
	/* the EP latches the argument when it sees the command: arg first */
	ntb_bar_write32(ctrl, VNTB_CTRL_ARGUMENT, arg);
	ntb_bar_write32(ctrl, VNTB_CTRL_COMMAND, cmd);

	deadline = vntb_rc_now_us() + rc->cmd_timeout_us;
	for (;;) {
		/* sample the clock before the status: a late OK still counts */
		expired = vntb_rc_now_us() > deadline;
		status = ntb_bar_read16(ctrl, VNTB_CTRL_CMD_STATUS);
		if (status == VNTB_CMD_STATUS_OK) {
			ret = 0;
			break;
		}
		if (__atomic_load_n(&rc->peer_gone, __ATOMIC_ACQUIRE)) {
			NTB_LOG(NOTICE, "%s: %s abandoned: the EP is gone",
				rc->name, vntb_cmd_name(cmd));
			ret = -ENOTCONN;
			break;
		}
		if (status == VNTB_CMD_STATUS_ERROR) {
			NTB_LOG(ERR, "%s: EP answered ERROR to %s (argument %#x)",
				rc->name, vntb_cmd_name(cmd), arg);
			ret = -EIO;
			break;
		}
		if (expired && rc->closing) {
			NTB_LOG(WARNING, "%s: no answer to %s (argument %#x) within %u us while closing: the EP does not answer, the remaining teardown commands are skipped",
				rc->name, vntb_cmd_name(cmd), arg,
				rc->cmd_timeout_us);
			rc->ep_silent = true;
			ret = -ETIMEDOUT;
			break;
		}
		if (expired && rc->wait_ep) {
			/*
			 * The command stays posted as the probe: the
			 * control thread sees the EP's late answer and
			 * brings the link up again.
			 */
			NTB_LOG(WARNING, "%s: no answer to %s (argument %#x) within %u us: EP not ready or hung; link down until it answers",
				rc->name, vntb_cmd_name(cmd), arg,
				rc->cmd_timeout_us);
			rc->unresponsive = true;
			rc->lost_up = true;
			rc->probe_posted = true;
			rc->probe_sent_us = vntb_rc_now_us();
			rc->next_probe_us = rc->probe_sent_us +
				VNTB_RC_RETRY_MS * 1000u;
			ret = -ETIMEDOUT;
			break;
		}
		if (expired) {
			NTB_LOG(ERR, "%s: no answer to %s (argument %#x) within %u us: is the EP's vNTB function running?",
				rc->name, vntb_cmd_name(cmd), arg,
				rc->cmd_timeout_us);
			ret = -ETIMEDOUT;
			break;
		}
		vntb_sleep_us(VNTB_CMD_POLL_US);
	}
	if (ret != -ETIMEDOUT)
		rc->ep_silent = false;	/* it answers (again) */
	ntb_bar_write16(ctrl, VNTB_CTRL_CMD_STATUS, 0);
	pthread_mutex_unlock(&rc->cmd_lock);
	return ret;
}

void
vntb_rc_set_closing(struct vntb_rc *rc, bool closing)
{
	if (rc == NULL || !rc->initialised)
		return;
	pthread_mutex_lock(&rc->cmd_lock);
	rc->closing = closing;
	pthread_mutex_unlock(&rc->cmd_lock);
}

void
vntb_rc_set_peer_gone(struct vntb_rc *rc, bool gone)
{
	if (rc == NULL || !rc->initialised)
		return;
	/* no lock: a command waiting for the gone EP sees it and returns */
	__atomic_store_n(&rc->peer_gone, gone, __ATOMIC_RELEASE);
}
