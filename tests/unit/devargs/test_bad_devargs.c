/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Bad devargs, table-driven, for every key of every driver: raw_ntb_vsim
 * (its own keys and the common rawdev keys) and net_ntb_vnet are probed
 * with rte_vdev_init(); the PCI probe's parser (the common keys alone) is
 * called as the PCI probe calls it, since no device can be bound here.
 * Each bad value must be refused, with exactly one log message that names
 * the key (the log is captured with rte_openlog_stream).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_log.h>

#include "ntb_dwedma_dev.h"
#include "ntb_test.h"
#include "ntb_test_proc.h"
#include "vsim.h"

struct bad {
	const char *key;	/* the key the message must name */
	const char *args;	/* after the driver's fixed part */
};

static FILE *log_f;
static char *log_buf;
static size_t log_len, log_mark;
static char sock_path[64];
static unsigned int vdev_seq;

/* Lines logged since the last call that contain key. */
static unsigned int
lines_naming(const char *key, char *first, size_t first_len)
{
	unsigned int n = 0;
	char *p, *nl;

	fflush(log_f);
	first[0] = '\0';
	for (p = log_buf + log_mark; p < log_buf + log_len; p = nl + 1) {
		nl = memchr(p, '\n', log_buf + log_len - p);
		if (nl == NULL)
			nl = log_buf + log_len;
		*nl = '\0';
		if (strstr(p, key) != NULL) {
			if (n++ == 0)
				snprintf(first, first_len, "%s", p);
			else
				printf("#   also: %s\n", p);
		}
		*nl = '\n';
	}
	log_mark = log_len;
	return n;
}

static int
check_vdev(const char *drv, const char *fixed, const struct bad *b,
	   unsigned int nb)
{
	unsigned int i, fails = 0;

	for (i = 0; i < nb; i++) {
		char name[64], args[256], msg[512];
		unsigned int n;
		int ret;

		snprintf(name, sizeof(name), "%s%u", drv, 10 + vdev_seq++);
		snprintf(args, sizeof(args), "%s%s%s", fixed,
			 fixed[0] != '\0' ? "," : "", b[i].args);
		lines_naming(b[i].key, msg, sizeof(msg));	/* mark */
		ret = rte_vdev_init(name, args);
		n = lines_naming(b[i].key, msg, sizeof(msg));
		if (ret == 0) {
			printf("# %s %s: accepted\n", name, args);
			rte_vdev_uninit(name);
			fails++;
		} else if (n != 1) {
			printf("# %s %s: %u messages name \"%s\"%s%s\n", name,
			       args, n, b[i].key, n ? ", first: " : "", msg);
			fails++;
		}
	}
	printf("# %s: %u bad values, %u not refused with one message\n", drv,
	       nb, fails);
	return fails == 0 ? 0 : -1;
}

static const struct bad vsim_bad[] = {
	{ "role", "role=host" },
	{ "role", "role=" },
	{ "profile", "role=ep,profile=rcar-s5" },
	{ "num_mws", "role=ep,num_mws=x" },
	{ "num_mws", "role=ep,num_mws=9" },
	{ "mw1", "role=ep,mw1=-4096" },
	{ "mw2", "role=ep,mw2=4k" },
	{ "mw3", "role=ep,mw3=" },
	{ "mw4", "role=ep,mw4=0x" },
	{ "mw1_bar", "role=ep,mw1_bar=6" },
	{ "mw2_bar", "role=ep,mw2_bar=-1" },
	{ "mw3_bar", "role=ep,mw3_bar=x" },
	{ "mw4_bar", "role=ep,mw4_bar=" },
	{ "mw1_offset", "role=ep,mw1_offset=x" },
	{ "mw2_offset", "role=ep,mw2_offset=-1" },
	{ "mw3_offset", "role=ep,mw3_offset=" },
	{ "mw4_offset", "role=ep,mw4_offset=1y" },
	{ "ctrl_bar", "role=ep,ctrl_bar=7" },
	{ "db_bar", "role=ep,db_bar=x" },
	{ "spad_count", "role=ep,spad_count=x" },
	{ "db_count", "role=ep,db_count=-3" },
	{ "msi_interrupts", "role=ep,msi_interrupts=x" },
	{ "bar0_size", "role=ep,bar0_size=x" },
	{ "bar1_size", "role=ep,bar1_size=-1" },
	{ "bar2_size", "role=ep,bar2_size=" },
	{ "bar3_size", "role=ep,bar3_size=1z" },
	{ "bar4_size", "role=ep,bar4_size=x" },
	{ "bar5_size", "role=ep,bar5_size=x" },
	{ "cmd_period_us", "role=ep,cmd_period_us=x" },
	{ "cmd_period_us", "role=ep,cmd_period_us=20000000" },
	{ "connect_timeout_ms", "role=rc,connect_timeout_ms=x" },
	{ "connect_timeout_ms", "role=rc,connect_timeout_ms=-1" },
	/* values each parser takes, that the layout check refuses */
	{ "cmd_period_us", "role=ep,cmd_period_us=0" },
	{ "num_mws", "role=ep,num_mws=0" },
	{ "db_count", "role=ep,db_count=1" },
	{ "spad_count", "role=ep,spad_count=0" },
	{ "msi_interrupts", "role=rc,msi_interrupts=1" },
	{ "bar2_size", "role=ep,bar2_size=4097" },
	{ "mw1_offset", "role=ep,mw1_offset=0x123" },
	/* common rawdev keys through the virtual link's probe */
	{ "intr", "role=ep,intr=irq" },
	{ "intr", "role=ep,intr=" },
	{ "transport_mtu", "role=ep,transport_mtu=12" },
	{ "transport_mtu", "role=ep,transport_mtu=x" },
	{ "max_mw_size", "role=ep,max_mw_size=100" },
	{ "max_mw_size", "role=ep,max_mw_size=-1" },
	{ "num_qps", "role=ep,num_qps=0" },
	{ "num_qps", "role=ep,num_qps=999" },
	{ "liveness_ms", "role=ep,liveness_ms=60001" },
	{ "liveness_ms", "role=ep,liveness_ms=-5" },
	{ "bogus_key", "role=ep,bogus_key=1" },
};

/* without the fixed link= */
static const struct bad vsim_link_bad[] = {
	{ "link", "role=ep,link=" },
	{ "link", "role=ep" },
	{ "link", "role=ep,link=/tmp/0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789.sock" },
	{ "role", "link=/tmp/x.sock" },
};

static const struct bad vnet_bad[] = {
	{ "rawdev", "rawdev=" },
	{ "rawdev", "rawdev=no_such_rawdev" },
	{ "mode", "rawdev=x,mode=irq" },
	{ "mode", "rawdev=x,mode=" },
	{ "queues", "rawdev=x,queues=0" },
	{ "queues", "rawdev=x,queues=x" },
	{ "queues", "rawdev=x,queues=-1" },
	{ "mac", "rawdev=x,mac=01:02:03:04:05:06" },
	{ "mac", "rawdev=x,mac=zz" },
	{ "mac", "rawdev=x,mac=" },
	{ "bogus_key", "rawdev=x,bogus_key=1" },
};

static int
test_vsim(void)
{
	char fixed[96];

	snprintf(fixed, sizeof(fixed), "link=%s", sock_path);
	if (check_vdev("raw_ntb_vsim", "", vsim_link_bad,
		       RTE_DIM(vsim_link_bad)) < 0)
		return -1;
	return check_vdev("raw_ntb_vsim", fixed, vsim_bad, RTE_DIM(vsim_bad));
}

static int
test_vnet(void)
{
	return check_vdev("net_ntb_vnet", "", vnet_bad, RTE_DIM(vnet_bad));
}

/* The PCI probe's parser: the common keys, no extra keys. */
static int
test_pci_parser(void)
{
	static const struct bad pci_bad[] = {
		{ "intr", "intr=irq" },
		{ "intr", "intr=" },
		{ "transport_mtu", "transport_mtu=12" },
		{ "transport_mtu", "transport_mtu=1x" },
		{ "max_mw_size", "max_mw_size=4095" },
		{ "max_mw_size", "max_mw_size=" },
		{ "num_qps", "num_qps=0" },
		{ "num_qps", "num_qps=17" },
		{ "liveness_ms", "liveness_ms=1s" },
		{ "liveness_ms", "liveness_ms=" },
		{ "role", "role=ep" },	/* a virtual-link key: unknown here */
		{ "bogus_key", "bogus_key=1" },
	};
	struct ntb_dwedma_opts o;
	unsigned int i, fails = 0;
	char msg[512];

	for (i = 0; i < RTE_DIM(pci_bad); i++) {
		unsigned int n;
		int ret;

		lines_naming(pci_bad[i].key, msg, sizeof(msg));
		ret = ntb_dwedma_opts_parse(pci_bad[i].args, &o, NULL, NULL,
					    NULL);
		n = lines_naming(pci_bad[i].key, msg, sizeof(msg));
		if (ret == 0 || n != 1) {
			printf("# PCI %s: ret %d, %u messages name \"%s\"\n",
			       pci_bad[i].args, ret, n, pci_bad[i].key);
			fails++;
		}
	}
	printf("# PCI parser: %zu bad values, %u not refused with one message\n",
	       RTE_DIM(pci_bad), fails);
	NTB_TEST_ASSERT(ntb_dwedma_opts_parse("intr=poll,num_qps=2", &o, NULL,
					      NULL, NULL) == 0 &&
			o.intr == NTB_INTR_POLL && o.num_qps == 2 &&
			o.liveness_ms == NTB_DWEDMA_LIVENESS_DEFAULT_MS,
			"good values taken");
	NTB_TEST_ASSERT(ntb_dwedma_opts_parse("liveness_ms=0", &o, NULL,
					      NULL, NULL) == 0 &&
			o.liveness_ms == 0, "liveness_ms=0 (off) taken");
	return fails == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	int ret;

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	snprintf(sock_path, sizeof(sock_path), "/tmp/bad_devargs_%d.sock",
		 (int)getpid());
	log_f = open_memstream(&log_buf, &log_len);
	if (log_f == NULL) {
		printf("Bail out! open_memstream\n");
		return 1;
	}
	if (ntb_test_proc_eal_args("bad_devargs", "-m", "128", NULL) < 0) {
		printf("Bail out! EAL init failed\n");
		return 1;
	}
	rte_openlog_stream(log_f);
	NTB_TEST_RUN(test_vsim);
	NTB_TEST_RUN(test_vnet);
	NTB_TEST_RUN(test_pci_parser);
	rte_openlog_stream(NULL);
	ret = ntb_test_done();
	rte_eal_cleanup();
	unlink(sock_path);
	fclose(log_f);
	free(log_buf);
	return ret;
}
