/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * One board table (vntb/vntb_platform_rows.h): the PCI driver's ID table
 * and every virtual-link profile are derived from it and lead back, through
 * the lookup a board's probe uses (vntb_pci_id_match()), to the same row.
 * The boards expected here are written out independently of the rows
 * (ntb_hw_epf's ID table, kernel-facts 2.1, and the documented profile
 * names), so a dropped or shadowed row fails.
 */

#include <string.h>

#include "ntb_dwedma_pci.h"
#include "ntb_test.h"
#include "vntb_platform.h"
#include "vsim.h"

static const struct {
	uint16_t vendor_id, device_id;
	const char *name;	/* row name = BAR map name = vsim profile */
} boards[] = {
	{ 0x104c, 0xb00d, "j721e" },	/* TI J721E */
	{ 0x1957, 0x0809, "mx8" },	/* NXP i.MX8 */
	{ 0x1912, 0x0030, "rcar-s4" },	/* Renesas R-Car S4 */
};

static unsigned int
pci_ids_count(void)
{
	unsigned int n = 0;

	while (ntb_dwedma_pci_ids[n].vendor_id != 0)
		n++;
	return n;
}

/* Index of the PCI table entry with these IDs, or -1. */
static int
pci_ids_find(uint16_t vendor_id, uint16_t device_id)
{
	unsigned int i, n = pci_ids_count();

	for (i = 0; i < n; i++)
		if (ntb_dwedma_pci_ids[i].vendor_id == vendor_id &&
		    ntb_dwedma_pci_ids[i].device_id == device_id)
			return (int)i;
	return -1;
}

/* Entry i of the PCI table is row i, and the lookup finds that row. */
static int
test_pci_ids_are_the_rows(void)
{
	unsigned int i, n = pci_ids_count();

	NTB_TEST_ASSERT(n == VNTB_PLATFORM_COUNT, "%u PCI IDs for %u rows", n,
			(unsigned int)VNTB_PLATFORM_COUNT);
	for (i = 0; i < n; i++) {
		const struct rte_pci_id *e = &ntb_dwedma_pci_ids[i];
		const struct vntb_platform *row = &vntb_platforms[i];

		NTB_TEST_ASSERT(e->vendor_id == row->vendor_id &&
				e->device_id == row->device_id,
				"entry %u: %04x:%04x, row %s %04x:%04x", i,
				e->vendor_id, e->device_id, row->map.name,
				row->vendor_id, row->device_id);
		/* the bus compares classes exactly: the probe masks them */
		NTB_TEST_ASSERT(e->class_id == RTE_CLASS_ANY_ID &&
				e->subsystem_vendor_id == RTE_PCI_ANY_ID &&
				e->subsystem_device_id == RTE_PCI_ANY_ID,
				"entry %u matches more than vendor/device", i);
		NTB_TEST_ASSERT(vntb_pci_id_match(e->vendor_id, e->device_id,
						  row->class_id) == row,
				"entry %u (%04x:%04x) does not resolve to row %s",
				i, e->vendor_id, e->device_id, row->map.name);
	}
	return 0;
}

/* Every ntb_hw_epf board is in the PCI table and resolves to its row. */
static int
test_every_board_has_a_row(void)
{
	const struct vntb_platform *row;
	unsigned int b, i;

	for (b = 0; b < RTE_DIM(boards); b++) {
		NTB_TEST_ASSERT(pci_ids_find(boards[b].vendor_id,
					     boards[b].device_id) >= 0,
				"%04x:%04x (%s) not in the PCI ID table",
				boards[b].vendor_id, boards[b].device_id,
				boards[b].name);
		row = vntb_pci_id_match(boards[b].vendor_id,
					boards[b].device_id,
					VNTB_PCI_CLASS_MEMORY_RAM);
		NTB_TEST_ASSERT(row != NULL &&
				strcmp(row->map.name, boards[b].name) == 0,
				"%04x:%04x resolves to %s, not %s",
				boards[b].vendor_id, boards[b].device_id,
				row != NULL ? row->map.name : "nothing",
				boards[b].name);
		for (i = 0; i < VNTB_PLATFORM_COUNT; i++)
			NTB_TEST_ASSERT(&vntb_platforms[i] == row ||
					strcmp(vntb_platforms[i].map.name,
					       boards[b].name) != 0,
					"rows %u and %s share the name %s", i,
					row->map.name, boards[b].name);
	}
	return 0;
}

/*
 * A profile the link accepts (profile=<name>) emulates a row: the IDs its
 * EP shows resolve, through the board lookup, to the row the profile
 * names, whose BAR map the params use; and it is a board the PCI driver
 * binds to.
 */
static int
check_profile(const char *name)
{
	const struct vntb_platform *row;
	struct vsim_params p;
	unsigned int i;
	int k;

	vsim_params_init(&p);
	NTB_TEST_ASSERT(vsim_params_set(&p, "role", "ep") == 0 &&
			vsim_params_set(&p, "link", "/x") == 0 &&
			vsim_params_set(&p, "profile", name) == 0,
			"profile %s: %s", name, p.err);
	NTB_TEST_ASSERT(vsim_params_validate(&p) == 0, "profile %s: %s", name,
			p.err);
	row = p.platform;
	NTB_TEST_ASSERT(row != NULL && strcmp(row->map.name, name) == 0,
			"profile %s: row %s", name,
			row != NULL ? row->map.name : "none");
	NTB_TEST_ASSERT(vntb_pci_id_match(row->vendor_id, row->device_id,
					  VNTB_PCI_CLASS_MEMORY_RAM) == row,
			"profile %s: %04x:%04x resolves to another row", name,
			row->vendor_id, row->device_id);
	k = pci_ids_find(row->vendor_id, row->device_id);
	NTB_TEST_ASSERT(k >= 0 && &vntb_platforms[k] == row,
			"profile %s: PCI entry %d is not its row", name, k);
	/* the params follow the row's map */
	NTB_TEST_ASSERT(p.ctrl_bar == row->map.bar[VNTB_BAR_CONFIG] &&
			p.db_bar == row->map.bar[VNTB_BAR_DB],
			"profile %s: ctrl/db BAR", name);
	for (i = 0; i < p.num_mws; i++)
		NTB_TEST_ASSERT(p.mw_bar[i] == vntb_barmap_mw_bar(&row->map, i),
				"profile %s: MW%u BAR", name, i + 1);
	return 0;
}

/* Every profile resolves to its row; the documented ones all exist. */
static int
test_vsim_profiles_are_rows(void)
{
	unsigned int i;

	for (i = 0; i < VSIM_PROFILE_COUNT; i++)
		if (check_profile(vsim_profile_name(i)) < 0)
			return -1;
	for (i = 0; i < RTE_DIM(boards); i++)
		if (check_profile(boards[i].name) < 0)
			return -1;
	return 0;
}

int
main(void)
{
	NTB_TEST_RUN(test_pci_ids_are_the_rows);
	NTB_TEST_RUN(test_every_board_has_a_row);
	NTB_TEST_RUN(test_vsim_profiles_are_rows);
	return ntb_test_done();
}
