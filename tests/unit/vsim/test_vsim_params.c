/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/* vsim devargs: profiles resolve to the documented layouts; bad input is
 * refused with an error that names the key. */

#include <string.h>

#include "ntb_test.h"
#include "vntb_ctrl.h"
#include "vsim.h"

static int
setup(struct vsim_params *p, const char *const *kv)
{
	vsim_params_init(p);
	for (; kv[0] != NULL; kv += 2)
		if (vsim_params_set(p, kv[0], kv[1]) < 0)
			return -1;
	return vsim_params_validate(p);
}

static int
test_rcar_default(void)
{
	const char *kv[] = { "role", "rc", "link", "/tmp/x", NULL };
	struct vsim_params p;

	NTB_TEST_ASSERT(setup(&p, kv) == 0, "%s", p.err);
	NTB_TEST_ASSERT(p.num_mws == 2, "num_mws %u", p.num_mws);
	NTB_TEST_ASSERT(p.bar_len[2] == 0x100000, "bar2 %#lx",
			(unsigned long)p.bar_len[2]);
	NTB_TEST_ASSERT(p.bar_len[4] == 256, "bar4 %#lx",
			(unsigned long)p.bar_len[4]);
	NTB_TEST_ASSERT(p.bar_len[0] == 0x1000, "bar0 %#lx",
			(unsigned long)p.bar_len[0]);
	NTB_TEST_ASSERT(p.bar_len[1] == 0 && p.bar_len[3] == 0 &&
			p.bar_len[5] == 0, "odd BARs unused");
	NTB_TEST_ASSERT(p.ctrl_version == VNTB_CTRL_VERSION_V1,
			"shared BAR2 needs v1");
	NTB_TEST_ASSERT(p.spad_offset == VNTB_CTRL_V1_SIZE, "spad_offset");
	NTB_TEST_ASSERT(p.platform->map.bar[VNTB_BAR_DB] == 4 &&
			p.platform->map.bar[VNTB_BAR_MW2] == 2, "rcar BAR map");
	return 0;
}

static int
test_mx8_j721e_legacy(void)
{
	const char *mx8[] = { "role", "ep", "link", "/tmp/x", "profile", "mx8",
			      NULL };
	const char *j7[] = { "role", "ep", "link", "/tmp/x", "profile",
			     "j721e", NULL };
	struct vsim_params p;

	NTB_TEST_ASSERT(setup(&p, mx8) == 0, "%s", p.err);
	NTB_TEST_ASSERT(p.ctrl_version == VNTB_CTRL_VERSION_LEGACY, "mx8 v0");
	NTB_TEST_ASSERT(p.bar_len[4] == 0x100000, "mx8 bar4");
	NTB_TEST_ASSERT(setup(&p, j7) == 0, "%s", p.err);
	NTB_TEST_ASSERT(p.ctrl_version == VNTB_CTRL_VERSION_LEGACY, "j721e v0");
	NTB_TEST_ASSERT(p.bar_len[2] == 0x100000 && p.bar_len[1] == 0x1000,
			"j721e bar2 DB+MW1, bar1 peer spad (one page)");
	/* BAR1 is backed by the EP's half, which must start on a page */
	NTB_TEST_ASSERT((p.spad_offset + 4 * p.spad_count) % 4096 == 0 &&
			p.spad_offset >= VNTB_CTRL_LEGACY_SIZE,
			"j721e EP spads page aligned (spad_offset %#x)",
			p.spad_offset);
	NTB_TEST_ASSERT(vsim_params_peer_spad_bar(&p) == 1, "j721e BAR1");
	return 0;
}

struct bad_case {
	const char *kv[12];
	const char *key;	/* must appear in the error */
};

static const struct bad_case bad[] = {
	{ { "role", "ep", "link", "/x", "mw2_offset", "0x80000", NULL },
	  "mw2_offset" },				/* overlap */
	{ { "role", "ep", "link", "/x", "mw2_offset", "0xF0100", NULL },
	  "mw2_offset" },				/* unaligned */
	{ { "role", "ep", "link", "/x", "mw2", "0x20000", "bar2_size",
	    "0x100000", NULL }, "mw2" },		/* past BAR end */
	{ { "role", "ep", "link", "/x", "num_mws", "1", "mw1", "0x200000",
	    "bar2_size", "0x100000", NULL }, "mw1" },	/* past BAR end */
	{ { "role", "ep", "link", "/x", "profile", "foo", NULL }, "profile" },
	{ { "role", "ep", NULL }, "link" },		/* missing link */
	{ { "link", "/x", NULL }, "role" },
	{ { "role", "ep", "link", "/x", "num_mws", "5", NULL }, "num_mws" },
	{ { "role", "ep", "link", "/x", "mw1_bar", "3", NULL }, "mw1_bar" },
	{ { "role", "ep", "link", "/x", "db_bar", "5", NULL }, "db_bar" },
	{ { "role", "ep", "link", "/x", "db_count", "33", NULL }, "db_count" },
	{ { "role", "ep", "link", "/x", "spad_count", "5", NULL },
	  "spad_count" },
	{ { "role", "ep", "link", "/x", "bar4_size", "4096", NULL },
	  "bar4_size" },				/* fixed 256 B */
	{ { "role", "ep", "link", "/x", "bar2_size", "0x180000", NULL },
	  "bar2_size" },				/* not pow2 */
	{ { "role", "ep", "link", "/x", "mw1", "0", NULL }, "mw1" },
	{ { "role", "xx", NULL }, "role" },
	{ { "role", "ep", "link", "/x", "mw1", "12x", NULL }, "mw1" },
	{ { "role", "ep", "link", "/x", "nosuchkey", "1", NULL }, "nosuchkey" },
	{ { "role", "ep", "link", "/x", "mw1_offset", "0x1000", NULL },
	  "mw1_offset" },				/* gap at 0 */
	{ { "role", "ep", "link", "/x", "dma_num_chans", "9", NULL },
	  "dma_num_chans" },				/* 8 READ channels */
	{ { "role", "ep", "link", "/x", "dma_num_chans", "1", "dma_bar", "0",
	    NULL }, "dma_bar" },			/* the ctrl BAR */
	{ { "role", "ep", "link", "/x", "dma_num_chans", "1", "dma_bar", "3",
	    NULL }, "dma_bar" },			/* 64-bit upper half */
	{ { "role", "ep", "link", "/x", "dma_num_chans", "1", "dma_offset",
	    "0xF8100", NULL }, "dma_offset" },		/* unaligned */
	{ { "role", "ep", "link", "/x", "dma_num_chans", "1", "dma_offset",
	    "0x80000", NULL }, "dma_offset" },		/* overlaps MW1 */
	{ { "role", "ep", "link", "/x", "dma_num_chans", "8", "bar2_size",
	    "0x100000", NULL }, "dma_num_chans" },	/* 44 KiB past BAR2 */
};

/*
 * DMA export as in the Mar-2026 series' R-Car example: the slice follows
 * the last window of MW1's BAR, the ctrl block becomes v1 and the spads
 * move past the locator.
 */
static int
test_dma_export(void)
{
	const char *rcar[] = { "role", "ep", "link", "/x", "dma_num_chans", "4",
			       NULL };
	const char *mx8[] = { "role", "ep", "link", "/x", "profile", "mx8",
			      "dma_num_chans", "1", NULL };
	const char *off[] = { "role", "ep", "link", "/x", NULL };
	struct vsim_params p;

	NTB_TEST_ASSERT(setup(&p, rcar) == 0, "%s", p.err);
	NTB_TEST_ASSERT(p.dma_bar == 2 && p.dma_offset == 0xF8000 &&
			p.dma_size == 0x7000, "rcar slice BAR%d 0x%lx 0x%lx",
			p.dma_bar, (unsigned long)p.dma_offset,
			(unsigned long)p.dma_size);
	NTB_TEST_ASSERT(p.bar_len[2] == 0x100000, "rcar BAR2 stays 1 MiB");
	NTB_TEST_ASSERT(p.spad_offset == VNTB_CTRL_V1_DMA_SIZE,
			"spads after the locator (%#x)", p.spad_offset);
	NTB_TEST_ASSERT(setup(&p, mx8) == 0, "%s", p.err);
	NTB_TEST_ASSERT(p.ctrl_version == VNTB_CTRL_VERSION_V1,
			"a DMA export needs the v1 block");
	NTB_TEST_ASSERT(p.dma_bar == 4 && p.dma_offset == 0x100000 &&
			p.bar_len[4] == 0x200000, "mx8 slice after MW1");
	NTB_TEST_ASSERT(setup(&p, off) == 0 && p.dma_size == 0 &&
			p.spad_offset == VNTB_CTRL_V1_SIZE, "off by default");
	return 0;
}

static int
test_bad_devargs(void)
{
	struct vsim_params p;
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		NTB_TEST_ASSERT(setup(&p, bad[i].kv) < 0, "case %u accepted",
				i);
		NTB_TEST_ASSERT(strstr(p.err, bad[i].key) == p.err,
				"case %u: error '%s' does not start with %s",
				i, p.err, bad[i].key);
	}
	return 0;
}

static int
test_keys_listed(void)
{
	unsigned int n = 0;

	while (vsim_params_keys[n] != NULL)
		n++;
	NTB_TEST_ASSERT(n == 32, "%u keys", n);
	return 0;
}

int
main(void)
{
	NTB_TEST_RUN(test_rcar_default);
	NTB_TEST_RUN(test_mx8_j721e_legacy);
	NTB_TEST_RUN(test_bad_devargs);
	NTB_TEST_RUN(test_keys_listed);
	NTB_TEST_RUN(test_dma_export);
	return ntb_test_done();
}
