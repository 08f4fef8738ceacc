/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_TEST_VSIM_H
#define NTB_TEST_VSIM_H

/*
 * A vsim side for the tests that drive the virtual link below the rawdev
 * (tests/{unit,link,faults}/vsim): created from its role, its socket and
 * further parameters, a bounded wait for its link state, and an RC's
 * bounded reconnect.
 *
 *	vs = ntb_test_vsim_make("rc", sock, "profile", "rcar-s4", NULL);
 *	ntb_test_vsim_wait_state(vs, VSIM_LINK_CONNECTED, 5000);
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_cycles.h>

#include "vsim.h"

/* role and link, then name/value pairs, NULL last. NULL on any error. */
static inline struct vsim *
ntb_test_vsim_make(const char *role, const char *link, ...)
{
	struct vsim_params p;
	const char *k, *v;
	va_list ap;
	int bad = 0;

	vsim_params_init(&p);
	if (vsim_params_set(&p, "role", role) < 0 ||
	    vsim_params_set(&p, "link", link) < 0)
		return NULL;
	va_start(ap, link);
	while (!bad && (k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		bad = v == NULL || vsim_params_set(&p, k, v) < 0;
	}
	va_end(ap);
	return bad ? NULL : vsim_create(&p);
}

/* 0 once vs is in state st, -1 if it is not within bound_ms. */
static inline int
ntb_test_vsim_wait_state(struct vsim *vs, enum vsim_link_state st,
			 unsigned int bound_ms)
{
	unsigned int i;

	for (i = 0; i < bound_ms && vsim_state(vs) != st; i++)
		rte_delay_us_sleep(1000);
	return vsim_state(vs) == st ? 0 : -1;
}

/*
 * RC after DEAD: vsim_rc_reconnect_try every millisecond while no EP
 * listens (-ENOTCONN), up to bound_ms. 0, or the last error.
 */
static inline int
ntb_test_vsim_reconnect(struct vsim *vs, unsigned int bound_ms)
{
	unsigned int i;
	int ret = vsim_rc_reconnect_try(vs);

	for (i = 0; i < bound_ms && ret == -ENOTCONN; i++) {
		rte_delay_us_sleep(1000);
		ret = vsim_rc_reconnect_try(vs);
	}
	return ret;
}

/* A raw connection to the link socket at path (a fake peer), or -1. */
static inline int
ntb_test_vsim_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

#endif /* NTB_TEST_VSIM_H */
