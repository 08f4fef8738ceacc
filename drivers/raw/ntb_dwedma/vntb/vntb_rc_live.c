/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Peer liveness and late bring-up of the RC, run by the device's control
 * thread. The vNTB command CONFIGURE_DOORBELL is the heartbeat: both
 * kernels' epf_ntb_cmd_handler (6.1 and 7.2) answer it with
 * COMMAND_STATUS_OK and nothing else, our emulated EP likewise, and
 * ntb_hw_epf sends it at every probe, so an EP sees nothing new.
 *
 * The probe is posted (ARGUMENT, COMMAND) and its status read on later
 * passes: the control thread never waits for the EP. An EP that does
 * not answer within liveness_ms is unresponsive: the link reads down
 * (the transport takes it down, LSC), other commands are refused, and
 * the probe is rewritten every VNTB_RC_RETRY_MS until the EP answers
 * (after SIGCONT, a guest resumed, a board that finished booting); then
 * the layout is checked again and LINK_DOWN, LINK_UP are sent so that
 * the EP's transport starts over with ours.
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_cycles.h>

#include "ntb_dwedma_log.h"
#include "vntb_rc_internal.h"

static void
vntb_rc_probe_post(struct vntb_rc *rc, uint64_t now)
{
	uint32_t arg = (rc->msix ? VNTB_MSIX_ENABLE : 0) | rc->nb_msi;

	ntb_bar_write16(rc->ctrl, VNTB_CTRL_CMD_STATUS, 0);
	ntb_bar_write32(rc->ctrl, VNTB_CTRL_ARGUMENT, arg);
	ntb_bar_write32(rc->ctrl, VNTB_CTRL_COMMAND,
			VNTB_CMD_CONFIGURE_DOORBELL);
	if (!rc->probe_posted)
		rc->probe_sent_us = now;
	rc->probe_posted = true;
}

/* The probe got an answer (OK or ERROR: either way the EP runs). */
static void
vntb_rc_probe_answered(struct vntb_rc *rc, uint64_t now)
{
	ntb_bar_write16(rc->ctrl, VNTB_CTRL_CMD_STATUS, 0);
	rc->probe_posted = false;
	if (!rc->unresponsive) {
		uint64_t lat = now - rc->probe_sent_us;

		__atomic_fetch_add(&rc->heartbeats, 1, __ATOMIC_RELAXED);
		if (lat > rc->heartbeat_max_us) {
			rc->heartbeat_max_us = lat;
			NTB_LOG(INFO, "%s: heartbeat answered in %" PRIu64 " us, the slowest so far (bound %u ms)",
				rc->name, lat, rc->liveness_ms);
		}
		rc->next_probe_us = now + (uint64_t)rc->liveness_ms * 1000u;
	}
}

static bool
vntb_rc_status_answered(const struct vntb_rc *rc)
{
	uint16_t status = ntb_bar_read16(rc->ctrl, VNTB_CTRL_CMD_STATUS);

	return status == VNTB_CMD_STATUS_OK ||
		status == VNTB_CMD_STATUS_ERROR;
}

static void
vntb_rc_mark_lost(struct vntb_rc *rc, uint64_t now)
{
	rc->unresponsive = true;
	rc->lost_up = true;
	__atomic_fetch_add(&rc->liveness_timeouts, 1, __ATOMIC_RELAXED);
	rc->next_probe_us = now + VNTB_RC_RETRY_MS * 1000u;
	NTB_LOG(WARNING, "%s: no answer to the heartbeat (CONFIGURE_DOORBELL) within %u ms: the EP is stopped or hung; link down until it answers",
		rc->name, rc->liveness_ms);
}

void
vntb_rc_probe_finish(struct vntb_rc *rc)
{
	uint64_t now;

	for (;;) {
		now = vntb_rc_now_us();
		if (vntb_rc_status_answered(rc)) {
			vntb_rc_probe_answered(rc, now);
			return;
		}
		if (now > rc->probe_deadline_us) {
			vntb_rc_mark_lost(rc, now);
			return;
		}
		rte_delay_us_sleep(VNTB_CMD_POLL_US * 20);
	}
}

/*
 * The EP answers again: same layout as at init (the transport and the
 * application were sized on it), then the link again if it was asked
 * for. Control thread, without cmd_lock.
 */
static void
vntb_rc_bringup(struct vntb_rc *rc, uint64_t down_us)
{
	bool relink;
	int ret;

	ret = vntb_rc_recheck(rc);
	pthread_mutex_lock(&rc->cmd_lock);
	if (ret != 0) {
		/* logged by vntb_rc_recheck; the probe goes on */
		rc->next_probe_us = vntb_rc_now_us() + 1000000u;
		pthread_mutex_unlock(&rc->cmd_lock);
		return;
	}
	rc->unresponsive = false;
	rc->ep_silent = false;
	relink = rc->lost_up;
	rc->lost_up = false;
	__atomic_store_n(&rc->db_val, 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&rc->cmd_lock);

	/* the EP's transport may still be up from before: start it over */
	if (relink && rc->link_wanted)
		vntb_rc_send_command(rc, VNTB_CMD_LINK_DOWN, 0);
	ret = rc->link_wanted ?
		vntb_rc_send_command(rc, VNTB_CMD_LINK_UP, 0) : 0;

	pthread_mutex_lock(&rc->cmd_lock);
	rc->bringups++;
	if (!rc->unresponsive)
		rc->next_probe_us = vntb_rc_now_us() +
			(uint64_t)rc->liveness_ms * 1000u;
	pthread_mutex_unlock(&rc->cmd_lock);
	NTB_LOG(NOTICE, "%s: the EP answers vNTB commands again after %" PRIu64 " ms%s",
		rc->name, down_us / 1000,
		!rc->link_wanted ? "" :
		ret == 0 ? ": LINK_UP sent" : ": LINK_UP failed, retrying");
}

bool
vntb_rc_live_tick(struct vntb_rc *rc)
{
	bool changed = false, recovered = false;
	uint64_t now, down_us = 0;

	if (rc == NULL || !rc->initialised ||
	    __atomic_load_n(&rc->peer_gone, __ATOMIC_ACQUIRE))
		return false;
	/* a command of another thread holds the registers: next pass */
	if (pthread_mutex_trylock(&rc->cmd_lock) != 0)
		return false;
	if (rc->closing || (!rc->unresponsive && rc->liveness_ms == 0)) {
		pthread_mutex_unlock(&rc->cmd_lock);
		return false;
	}
	now = vntb_rc_now_us();
	if (rc->probe_posted && vntb_rc_status_answered(rc)) {
		recovered = rc->unresponsive;
		down_us = now - rc->probe_sent_us;
		vntb_rc_probe_answered(rc, now);
	} else if (rc->unresponsive) {
		if (now >= rc->next_probe_us) {
			/* rewritten: a restarted EP may have cleared it */
			vntb_rc_probe_post(rc, now);
			rc->next_probe_us = now + VNTB_RC_RETRY_MS * 1000u;
		}
	} else if (rc->probe_posted) {
		if (now > rc->probe_deadline_us) {
			vntb_rc_mark_lost(rc, now);
			changed = true;
		}
	} else if (now >= rc->next_probe_us) {
		vntb_rc_probe_post(rc, now);
		rc->probe_deadline_us = now + (uint64_t)rc->liveness_ms * 1000u;
	}
	pthread_mutex_unlock(&rc->cmd_lock);
	if (recovered) {
		vntb_rc_bringup(rc, down_us);
		changed = true;
	}
	return changed;
}
