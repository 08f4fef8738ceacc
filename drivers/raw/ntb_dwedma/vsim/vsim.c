/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The role-neutral entry points of vsim.h: create and destroy a side,
 * link state and its event, dropping the link.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ntb_dwedma_log.h"
#include "vsim_priv.h"

void
vsim_set_state(struct vsim *vs, enum vsim_link_state st)
{
	__atomic_store_n(&vs->state, st, __ATOMIC_RELEASE);
	vsim_eventfd_signal(vs->event_fd);
	if (vs->cb != NULL)
		vs->cb(vs, st, vs->cb_arg);
}

struct vsim *
vsim_create(const struct vsim_params *p)
{
	static uint32_t instance;
	struct vsim *vs;
	int rc;

	vs = calloc(1, sizeof(*vs));
	if (vs == NULL)
		return NULL;
	vs->p = *p;
	if (vsim_params_validate(&vs->p) < 0) {
		NTB_LOG(ERR, "%s: %s", p->name[0] != '\0' ? p->name : "vsim",
			vsim_params_error(&vs->p));
		free(vs);
		return NULL;
	}
	if (p->name[0] != '\0')	/* the device's name in every log */
		snprintf(vs->name, sizeof(vs->name), "%s", p->name);
	else
		snprintf(vs->name, sizeof(vs->name), "vsim%d_%u",
			 (int)getpid(),
			 __atomic_fetch_add(&instance, 1, __ATOMIC_RELAXED));
	vs->sock = -1;
	vs->listen_fd = -1;
	vs->event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	pthread_mutex_init(&vs->lock, NULL);
	pthread_cond_init(&vs->cond, NULL);
	rte_rwlock_init(&vs->peer_lock);
	if (vs->event_fd < 0) {
		free(vs);
		return NULL;
	}
	rc = vs->p.role == VSIM_ROLE_EP ? vsim_ep_create(vs) :
		vsim_rc_create(vs);
	if (rc < 0) {
		close(vs->event_fd);
		free(vs);
		return NULL;
	}
	return vs;
}

void
vsim_destroy(struct vsim *vs)
{
	if (vs == NULL)
		return;
	if (vs->p.role == VSIM_ROLE_EP)
		vsim_ep_destroy(vs);
	else
		vsim_rc_destroy(vs);
	close(vs->event_fd);
	pthread_mutex_destroy(&vs->lock);
	pthread_cond_destroy(&vs->cond);
	free(vs);
}

enum vsim_link_state
vsim_state(const struct vsim *vs)
{
	return __atomic_load_n(&vs->state, __ATOMIC_ACQUIRE);
}

int
vsim_event_fd(const struct vsim *vs)
{
	return vs->event_fd;
}

void
vsim_set_event_cb(struct vsim *vs, vsim_event_cb_t cb, void *arg)
{
	vs->cb_arg = arg;
	vs->cb = cb;
}

int
vsim_link_drop(struct vsim *vs)
{
	int rc = -ENOTCONN;

	pthread_mutex_lock(&vs->lock);
	/* both ends see EOF; each side's link thread then cleans up */
	if (vs->sock >= 0)
		rc = shutdown(vs->sock, SHUT_RDWR) == 0 ? 0 : -errno;
	pthread_mutex_unlock(&vs->lock);
	return rc;
}

uint64_t
vsim_edma_lock_timeouts(const struct vsim *vs)
{
	return dw_edma_model_lock_timeouts(&vs->edma);
}
