/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * An application built outside the tree with pkg-config (dpdk-vntb):
 * it calls the rawdev's public API and asks for a raw_ntb_vsim device,
 * which only works if the driver is linked in (static) or loaded
 * (shared, through the DT_NEEDED the API call creates).
 * Prints "vntb_app: driver present" and exits 0 when the driver refused
 * the bogus device argument with its own error.
 */

#include <stdio.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_rawdev.h>

#include <rte_pmd_ntb_dwedma.h>

int
main(int argc, char **argv)
{
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "vntb_app: EAL init failed\n");
		return 1;
	}
	if (rte_pmd_ntb_dwedma_is_ntb_dwedma(0) != 0) {
		fprintf(stderr, "vntb_app: no device expected yet\n");
		return 1;
	}
	/* our driver refuses the unknown key; without it: "no driver" */
	ret = rte_vdev_init("raw_ntb_vsim0", "role=ep,bogus_key=1");
	printf("vntb_app: rte_vdev_init returned %d\n", ret);
	rte_eal_cleanup();
	return ret < 0 ? 0 : 1;
}
