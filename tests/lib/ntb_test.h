/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_TEST_H
#define NTB_TEST_H

/**
 * Minimal TAP producer for the project's C tests (meson protocol 'tap').
 *
 *	NTB_TEST_CHECK(cond, "what")	 one assertion, never aborts
 *	NTB_TEST_RUN(fn)		 run `int fn(void)`, one TAP line
 *	NTB_TEST_RUN_RESULT("what", rc)	 one TAP line for a result (0: ok)
 *	return ntb_test_done();		 plan line + exit status
 *
 * A test function returns 0 on success; a failed NTB_TEST_ASSERT prints
 * a diagnostic with file:line and returns -1 from the test function.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ntb_test_count;
static int ntb_test_failed;

#define NTB_TEST_ASSERT(cond, ...) do {					\
	if (!(cond)) {							\
		printf("# %s:%d: assertion failed: %s: ",		\
		       __FILE__, __LINE__, #cond);			\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		return -1;						\
	}								\
} while (0)

#define NTB_TEST_RUN(fn) do {						\
	int rc_ = (fn)();						\
	ntb_test_count++;						\
	if (rc_ == 0) {							\
		printf("ok %d - %s\n", ntb_test_count, #fn);		\
	} else if (rc_ > 0) {						\
		printf("ok %d - %s # SKIP\n", ntb_test_count, #fn);	\
	} else {							\
		ntb_test_failed++;					\
		printf("not ok %d - %s\n", ntb_test_count, #fn);	\
	}								\
	fflush(stdout);							\
} while (0)

/* One TAP line per result: rc 0 is ok, anything else not ok. */
#define NTB_TEST_RUN_RESULT(what, rc) do {				\
	ntb_test_count++;						\
	if ((rc) == 0) {						\
		printf("ok %d - %s\n", ntb_test_count, what);		\
	} else {							\
		ntb_test_failed++;					\
		printf("not ok %d - %s\n", ntb_test_count, what);	\
	}								\
	fflush(stdout);							\
} while (0)

static inline int
ntb_test_done(void)
{
	printf("1..%d\n", ntb_test_count);
	return ntb_test_failed == 0 && ntb_test_count > 0 ?
		EXIT_SUCCESS : EXIT_FAILURE;
}

#endif /* NTB_TEST_H */
