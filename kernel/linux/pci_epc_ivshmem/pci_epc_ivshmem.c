// SPDX-License-Identifier: (BSD-3-Clause OR GPL-2.0)
/* Copyright(c) 2026 dpdk-vntb developers */

/*
 * pci_epc_ivshmem: a PCI endpoint controller (EPC) for a QEMU guest,
 * built on the ivshmem-doorbell device (1af4:1110). There is no real
 * PCIe link: everything an RC would see is published in shared memory
 * for a host process playing the RC (see epc_ivshmem_abi.h):
 *  - a descriptor at ivshmem offset 0 (header, BARs, outbound maps),
 *  - BAR memory in guest RAM (pci_epf_alloc_space), which is a shared
 *    file on the host, found by guest physical address,
 *  - the outbound address space: ivshmem BAR2 from 1 MiB to the end,
 *  - MSI: a write to the ivshmem Doorbell register, which fires one of
 *    the host peer's eventfds.
 */

#include <linux/io.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-epc.h>
#include <linux/random.h>
#include <linux/stddef.h>
#include <linux/version.h>

#include "epc_ivshmem_abi.h"

#define EPC_IVSHMEM_DRV		"pci_epc_ivshmem"
#define EPC_IVSHMEM_REG_BAR	0	/* ivshmem registers */
#define EPC_IVSHMEM_SHM_BAR	2	/* ivshmem shared memory */
#define EPC_IVSHMEM_IVPOSITION	8	/* own peer id register */
#define EPC_IVSHMEM_OB_OFFSET	SZ_1M	/* outbound space start */
#define EPC_IVSHMEM_PAGE	SZ_4K
#define EPC_IVSHMEM_MAX_PEER	0xffff
#define EPC_IVSHMEM_MAX_VECTOR	0xff	/* QEMU takes val & 0xff */
/* the BARs offered: 64-bit, at any address, of any power-of-two size */
#define EPC_IVSHMEM_BARS	(BIT(BAR_0) | BIT(BAR_2) | BIT(BAR_4))
/*
 * bar45_32=1: BAR4 and BAR5 are two 32-bit BARs instead of one 64-bit
 * BAR4, so that vNTB finds a BAR for MW2 where ntb_hw_epf's i.MX8 map
 * expects it (BAR5): a second memory window (num_mws=2).
 */
#define EPC_IVSHMEM_BARS_45_32	(BIT(BAR_0) | BIT(BAR_2) | BIT(BAR_4) | \
				 BIT(BAR_5))

/*
 * Kernel API differences, all here. Tested: 6.1 (Debian bookworm) and
 * 7.2 (Debian forky); other series fail to build until checked.
 *  - pci_epc_features: 6.1 has bitmaps (bar_fixed_64bit, reserved_bar),
 *    7.2 one pci_epc_bar_desc per BAR (type, only_64bit);
 *  - set_msi/get_msi: 6.1 passes and expects log2 of the MSI vector
 *    count (the MSI MMC encoding), 7.2 the count itself;
 *  - raise_irq's type: enum pci_epc_irq_type (PCI_EPC_IRQ_MSI) in 6.1,
 *    unsigned int (PCI_IRQ_MSI) in 7.2;
 *  - pcim_iomap_regions()/pcim_iomap_table() are deprecated in 7.2 for
 *    pcim_iomap_region().
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0) || \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0) && \
	 LINUX_VERSION_CODE < KERNEL_VERSION(7, 2, 0))
#error "pci_epc_ivshmem: tested on 6.1 and 7.2 only; check the compat section"
#endif
#define EPC_IVSHMEM_NEW_API (LINUX_VERSION_CODE >= KERNEL_VERSION(7, 2, 0))

#if EPC_IVSHMEM_NEW_API
#define EPC_IVSHMEM_IRQ_TYPE	unsigned int
#define EPC_IVSHMEM_IRQ_MSI	PCI_IRQ_MSI
#define EPC_IVSHMEM_BAR64	{ .type = BAR_PROGRAMMABLE, .only_64bit = true }
/* the upper halves of the 64-bit BARs are not BARs of their own */
#define EPC_IVSHMEM_BAR_HI	{ .type = BAR_DISABLED }
#define EPC_IVSHMEM_FEATURE_BARS .bar = {				\
	[BAR_0] = EPC_IVSHMEM_BAR64, [BAR_1] = EPC_IVSHMEM_BAR_HI,	\
	[BAR_2] = EPC_IVSHMEM_BAR64, [BAR_3] = EPC_IVSHMEM_BAR_HI,	\
	[BAR_4] = EPC_IVSHMEM_BAR64, [BAR_5] = EPC_IVSHMEM_BAR_HI }
#define EPC_IVSHMEM_BAR32	{ .type = BAR_PROGRAMMABLE }
#define EPC_IVSHMEM_FEATURE_BARS_45_32 .bar = {			\
	[BAR_0] = EPC_IVSHMEM_BAR64, [BAR_1] = EPC_IVSHMEM_BAR_HI,	\
	[BAR_2] = EPC_IVSHMEM_BAR64, [BAR_3] = EPC_IVSHMEM_BAR_HI,	\
	[BAR_4] = EPC_IVSHMEM_BAR32, [BAR_5] = EPC_IVSHMEM_BAR32 }

/* set_msi's argument -> MSI vectors offered, 0 if out of range */
static u32 epc_ivshmem_msi_arg_count(u8 nr_irqs)
{
	return nr_irqs >= 1 && nr_irqs <= 32 ?
		1u << order_base_2(nr_irqs) : 0;
}

/* MSI vectors offered -> what get_msi returns */
static int epc_ivshmem_msi_ret(u32 count)
{
	return count;
}

static void __iomem *epc_ivshmem_map_bar(struct pci_dev *pdev, int bar)
{
	return pcim_iomap_region(pdev, bar, EPC_IVSHMEM_DRV);
}
#else
#define EPC_IVSHMEM_IRQ_TYPE	enum pci_epc_irq_type
#define EPC_IVSHMEM_IRQ_MSI	PCI_EPC_IRQ_MSI
#define EPC_IVSHMEM_FEATURE_BARS					\
	.reserved_bar = 0, .bar_fixed_64bit = EPC_IVSHMEM_BARS
#define EPC_IVSHMEM_FEATURE_BARS_45_32				\
	.reserved_bar = 0, .bar_fixed_64bit = BIT(BAR_0) | BIT(BAR_2)

static u32 epc_ivshmem_msi_arg_count(u8 encoded)
{
	return encoded <= 5 ? 1u << encoded : 0;
}

static int epc_ivshmem_msi_ret(u32 count)
{
	return ilog2(count);
}

static void __iomem *epc_ivshmem_map_bar(struct pci_dev *pdev, int bar)
{
	int ret = pcim_iomap_regions(pdev, BIT(bar), EPC_IVSHMEM_DRV);

	return ret ? IOMEM_ERR_PTR(ret) : pcim_iomap_table(pdev)[bar];
}
#endif

static_assert(offsetof(struct epc_ivshmem_desc, vendor_id) == 0x10);
static_assert(offsetof(struct epc_ivshmem_desc, started) == 0x20);
static_assert(offsetof(struct epc_ivshmem_desc, bar) == EPC_IVSHMEM_OFF_BAR);
static_assert(offsetof(struct epc_ivshmem_desc, ob) == EPC_IVSHMEM_OFF_OB);
static_assert(offsetof(struct epc_ivshmem_desc, irq_raised) == 0x1d0);
static_assert(offsetof(struct epc_ivshmem_desc, rc_peer_id) ==
	      EPC_IVSHMEM_OFF_HOST);
static_assert(sizeof(struct epc_ivshmem_desc) <= EPC_IVSHMEM_DESC_SIZE);
static_assert(EPC_IVSHMEM_DESC_SIZE <= EPC_IVSHMEM_OB_OFFSET);

struct epc_ivshmem {
	struct pci_dev *pdev;
	struct pci_epc *epc;
	void __iomem *regs;		/* BAR0 */
	void __iomem *shm;		/* BAR2, descriptor at 0 */
	phys_addr_t shm_phys;
	resource_size_t shm_size;
	struct mutex lock;		/* descriptor writer side */
	u32 seq;
	u32 msi_count;			/* MSI vectors offered, 0: none */
	phys_addr_t ob_phys[EPC_IVSHMEM_NUM_OB];	/* map_addr addr */
	u32 bars_set;			/* BIT(barno) between set/clear_bar */
	bool started;
	bool pinned;			/* holds a reference on this module */
	u64 irq_raised;
	u64 irq_dropped;
};

static const struct pci_epc_features epc_ivshmem_features = {
	.msi_capable = true,
	EPC_IVSHMEM_FEATURE_BARS,
	.align = EPC_IVSHMEM_PAGE,
};

static const struct pci_epc_features epc_ivshmem_features_45_32 = {
	.msi_capable = true,
	EPC_IVSHMEM_FEATURE_BARS_45_32,
	.align = EPC_IVSHMEM_PAGE,
};

static bool bar45_32;
module_param(bar45_32, bool, 0444);
MODULE_PARM_DESC(bar45_32, "BAR4 and BAR5 as two 32-bit BARs (a second memory window for vNTB's num_mws=2)");

static u32 epc_ivshmem_bars(void)
{
	return bar45_32 ? EPC_IVSHMEM_BARS_45_32 : EPC_IVSHMEM_BARS;
}

#define DESC_OFF(field) offsetof(struct epc_ivshmem_desc, field)

/* Seqlock writer: seq odd, fields, seq even; caller holds ep->lock. */
static void epc_ivshmem_begin(struct epc_ivshmem *ep)
{
	ep->seq |= 1;
	iowrite32(ep->seq, ep->shm + DESC_OFF(seq));
	/* the odd seq is visible before any field changes */
	wmb();
}

static void epc_ivshmem_end(struct epc_ivshmem *ep)
{
	/* every field is visible before the even seq */
	wmb();
	ep->seq++;
	iowrite32(ep->seq, ep->shm + DESC_OFF(seq));
}

static void epc_ivshmem_w64(struct epc_ivshmem *ep, size_t off, u64 val)
{
	iowrite32(lower_32_bits(val), ep->shm + off);
	iowrite32(upper_32_bits(val), ep->shm + off + 4);
}

static struct epc_ivshmem *epc_to_ep(struct pci_epc *epc)
{
	return epc_get_drvdata(epc);
}

/*
 * While a function holds resources here (a BAR, an outbound window, the
 * started link), this module stays loaded: the EPC core pins nothing for
 * a bound function (its configfs group pins ops->owner for good, so that
 * is left NULL). Caller holds ep->lock.
 */
static void epc_ivshmem_update_pin(struct epc_ivshmem *ep)
{
	bool busy = ep->started || ep->bars_set;
	unsigned int i;

	for (i = 0; i < EPC_IVSHMEM_NUM_OB; i++)
		busy = busy || ep->ob_phys[i];
	if (busy && !ep->pinned)
		__module_get(THIS_MODULE);
	else if (!busy && ep->pinned)
		module_put(THIS_MODULE);
	ep->pinned = busy;
}

static int epc_ivshmem_write_header(struct pci_epc *epc, u8 func_no,
				    u8 vfunc_no, struct pci_epf_header *hdr)
{
	struct epc_ivshmem *ep = epc_to_ep(epc);

	if (func_no != 0 || vfunc_no > 1)
		return -EINVAL;
	mutex_lock(&ep->lock);
	epc_ivshmem_begin(ep);
	iowrite16(hdr->vendorid, ep->shm + DESC_OFF(vendor_id));
	iowrite16(hdr->deviceid, ep->shm + DESC_OFF(device_id));
	iowrite8(hdr->revid, ep->shm + DESC_OFF(revid));
	iowrite8(hdr->progif_code, ep->shm + DESC_OFF(progif));
	iowrite8(hdr->subclass_code, ep->shm + DESC_OFF(subclass));
	iowrite8(hdr->baseclass_code, ep->shm + DESC_OFF(baseclass));
	iowrite16(hdr->subsys_vendor_id, ep->shm + DESC_OFF(subsys_vendor_id));
	iowrite16(hdr->subsys_id, ep->shm + DESC_OFF(subsys_id));
	iowrite32(1, ep->shm + DESC_OFF(header_valid));
	epc_ivshmem_end(ep);
	mutex_unlock(&ep->lock);
	return 0;
}

static size_t epc_ivshmem_bar_off(enum pci_barno barno)
{
	return EPC_IVSHMEM_OFF_BAR + barno * sizeof(struct epc_ivshmem_bar);
}

static void epc_ivshmem_put_bar(struct epc_ivshmem *ep, enum pci_barno barno,
				u64 phys, u64 size, u32 flags)
{
	size_t off = epc_ivshmem_bar_off(barno);

	epc_ivshmem_w64(ep, off + offsetof(struct epc_ivshmem_bar, phys), phys);
	epc_ivshmem_w64(ep, off + offsetof(struct epc_ivshmem_bar, size), size);
	iowrite32(flags, ep->shm + off + offsetof(struct epc_ivshmem_bar, flags));
}

static int epc_ivshmem_set_bar(struct pci_epc *epc, u8 func_no, u8 vfunc_no,
			       struct pci_epf_bar *epf_bar)
{
	struct epc_ivshmem *ep = epc_to_ep(epc);
	enum pci_barno barno = epf_bar->barno;
	u32 flags = EPC_IVSHMEM_BAR_SET;

	if (func_no != 0 || barno < BAR_0 || barno > BAR_5 ||
	    !(epc_ivshmem_bars() & BIT(barno))) {
		dev_err(&ep->pdev->dev, "set_bar: BAR%d does not exist\n",
			barno);
		return -EINVAL;
	}
	if (epf_bar->flags & PCI_BASE_ADDRESS_SPACE_IO) {
		dev_err(&ep->pdev->dev, "set_bar: BAR%d: no I/O BARs\n",
			barno);
		return -EINVAL;
	}
	if (epf_bar->size && !is_power_of_2(epf_bar->size)) {
		dev_err(&ep->pdev->dev,
			"set_bar: BAR%d size %#llx is not a power of two\n",
			barno, (u64)epf_bar->size);
		return -EINVAL;
	}
	if (epf_bar->flags & PCI_BASE_ADDRESS_MEM_PREFETCH)
		flags |= EPC_IVSHMEM_BAR_PREFETCH;
	if (!(bar45_32 && barno >= BAR_4))
		flags |= EPC_IVSHMEM_BAR_64;

	mutex_lock(&ep->lock);
	epc_ivshmem_begin(ep);
	/* phys 0 (an MW BAR before ntb_transport gives it memory) stays 0 */
	epc_ivshmem_put_bar(ep, barno, epf_bar->phys_addr, epf_bar->size,
			    flags);
	epc_ivshmem_end(ep);
	ep->bars_set |= BIT(barno);
	epc_ivshmem_update_pin(ep);
	mutex_unlock(&ep->lock);
	return 0;
}

static void epc_ivshmem_clear_bar(struct pci_epc *epc, u8 func_no,
				  u8 vfunc_no, struct pci_epf_bar *epf_bar)
{
	struct epc_ivshmem *ep = epc_to_ep(epc);
	enum pci_barno barno = epf_bar->barno;

	if (barno < BAR_0 || barno > BAR_5)
		return;
	mutex_lock(&ep->lock);
	epc_ivshmem_begin(ep);
	epc_ivshmem_put_bar(ep, barno, 0, 0, 0);
	epc_ivshmem_end(ep);
	ep->bars_set &= ~BIT(barno);
	epc_ivshmem_update_pin(ep);
	mutex_unlock(&ep->lock);
}

static size_t epc_ivshmem_ob_off(unsigned int i)
{
	return EPC_IVSHMEM_OFF_OB + i * sizeof(struct epc_ivshmem_ob);
}

static void epc_ivshmem_put_ob(struct epc_ivshmem *ep, unsigned int i,
			       u64 shm_offset, u64 pci_addr, u64 size,
			       u32 active)
{
	size_t off = epc_ivshmem_ob_off(i);

	epc_ivshmem_w64(ep, off + offsetof(struct epc_ivshmem_ob, shm_offset),
			shm_offset);
	epc_ivshmem_w64(ep, off + offsetof(struct epc_ivshmem_ob, pci_addr),
			pci_addr);
	epc_ivshmem_w64(ep, off + offsetof(struct epc_ivshmem_ob, size), size);
	iowrite32(active, ep->shm + off + offsetof(struct epc_ivshmem_ob, active));
}

static int epc_ivshmem_map_addr(struct pci_epc *epc, u8 func_no, u8 vfunc_no,
				phys_addr_t addr, u64 pci_addr, size_t size)
{
	struct epc_ivshmem *ep = epc_to_ep(epc);
	phys_addr_t ob_lo = ep->shm_phys + EPC_IVSHMEM_OB_OFFSET;
	phys_addr_t ob_hi = ep->shm_phys + ep->shm_size;
	int slot = -1;
	unsigned int i;

	if (func_no != 0 || !size || addr < ob_lo || addr >= ob_hi ||
	    size > ob_hi - addr) {
		dev_err(&ep->pdev->dev,
			"map_addr: %pa + %#zx is outside the outbound space\n",
			&addr, size);
		return -EINVAL;
	}
	mutex_lock(&ep->lock);
	/* a second map of the same address replaces the first */
	for (i = 0; i < EPC_IVSHMEM_NUM_OB; i++) {
		if (ep->ob_phys[i] == addr) {
			slot = i;
			break;
		}
		if (slot < 0 && !ep->ob_phys[i])
			slot = i;
	}
	if (slot < 0) {
		mutex_unlock(&ep->lock);
		dev_err(&ep->pdev->dev, "map_addr: all %d windows in use\n",
			EPC_IVSHMEM_NUM_OB);
		return -ENOSPC;
	}
	ep->ob_phys[slot] = addr;
	epc_ivshmem_begin(ep);
	epc_ivshmem_put_ob(ep, slot, addr - ep->shm_phys, pci_addr, size, 1);
	epc_ivshmem_end(ep);
	epc_ivshmem_update_pin(ep);
	mutex_unlock(&ep->lock);
	return 0;
}

static void epc_ivshmem_unmap_addr(struct pci_epc *epc, u8 func_no,
				   u8 vfunc_no, phys_addr_t addr)
{
	struct epc_ivshmem *ep = epc_to_ep(epc);
	unsigned int i;

	mutex_lock(&ep->lock);
	for (i = 0; i < EPC_IVSHMEM_NUM_OB; i++) {
		if (!addr || ep->ob_phys[i] != addr)
			continue;
		ep->ob_phys[i] = 0;
		epc_ivshmem_begin(ep);
		epc_ivshmem_put_ob(ep, i, 0, 0, 0, 0);
		epc_ivshmem_end(ep);
	}
	epc_ivshmem_update_pin(ep);
	mutex_unlock(&ep->lock);
}

static int epc_ivshmem_set_msi(struct pci_epc *epc, u8 func_no, u8 vfunc_no,
			       u8 arg)
{
	struct epc_ivshmem *ep = epc_to_ep(epc);
	u32 count = epc_ivshmem_msi_arg_count(arg);

	if (func_no != 0 || !count)
		return -EINVAL;
	mutex_lock(&ep->lock);
	ep->msi_count = count;
	epc_ivshmem_begin(ep);
	iowrite32(count, ep->shm + DESC_OFF(msi_count));
	epc_ivshmem_end(ep);
	mutex_unlock(&ep->lock);
	return 0;
}

static int epc_ivshmem_get_msi(struct pci_epc *epc, u8 func_no, u8 vfunc_no)
{
	struct epc_ivshmem *ep = epc_to_ep(epc);

	if (func_no != 0 || !ep->msi_count)
		return -EINVAL;
	return epc_ivshmem_msi_ret(ep->msi_count);
}

static void epc_ivshmem_count_irq(struct epc_ivshmem *ep, bool delivered)
{
	epc_ivshmem_begin(ep);
	if (delivered)
		epc_ivshmem_w64(ep, DESC_OFF(irq_raised), ++ep->irq_raised);
	else
		epc_ivshmem_w64(ep, DESC_OFF(irq_dropped), ++ep->irq_dropped);
	epc_ivshmem_end(ep);
}

static int epc_ivshmem_raise_irq(struct pci_epc *epc, u8 func_no,
				 u8 vfunc_no, EPC_IVSHMEM_IRQ_TYPE type,
				 u16 interrupt_num)
{
	struct epc_ivshmem *ep = epc_to_ep(epc);
	u32 own_id, rc_vectors, vector;
	s32 rc_peer;
	int ret = 0;

	if (func_no != 0)
		return -EINVAL;
	mutex_lock(&ep->lock);
	if (type != EPC_IVSHMEM_IRQ_MSI || interrupt_num < 1 ||
	    interrupt_num > ep->msi_count) {
		dev_err_ratelimited(&ep->pdev->dev,
				    "raise_irq: type %u vector %u not offered\n",
				    (unsigned int)type, interrupt_num);
		epc_ivshmem_count_irq(ep, false);
		mutex_unlock(&ep->lock);
		return -EINVAL;
	}
	/* host fields: read once, then checked */
	rc_peer = (s32)ioread32(ep->shm + DESC_OFF(rc_peer_id));
	rc_vectors = ioread32(ep->shm + DESC_OFF(rc_vectors));
	own_id = ioread32(ep->regs + EPC_IVSHMEM_IVPOSITION);
	vector = interrupt_num - 1;
	if (rc_peer < 0 || rc_peer > EPC_IVSHMEM_MAX_PEER ||
	    (u32)rc_peer == own_id || vector >= rc_vectors ||
	    vector > EPC_IVSHMEM_MAX_VECTOR) {
		/* no RC listening on that vector: the MSI is lost */
		epc_ivshmem_count_irq(ep, false);
	} else {
		iowrite32(((u32)rc_peer << 16) | vector,
			  ep->regs + EPC_IVSHMEM_DOORBELL);
		epc_ivshmem_count_irq(ep, true);
	}
	mutex_unlock(&ep->lock);
	return ret;
}

static int epc_ivshmem_set_started(struct epc_ivshmem *ep, u32 started)
{
	mutex_lock(&ep->lock);
	epc_ivshmem_begin(ep);
	iowrite32(started, ep->shm + DESC_OFF(started));
	epc_ivshmem_end(ep);
	ep->started = started;
	epc_ivshmem_update_pin(ep);
	mutex_unlock(&ep->lock);
	return 0;
}

static int epc_ivshmem_start(struct pci_epc *epc)
{
	return epc_ivshmem_set_started(epc_to_ep(epc), 1);
}

static void epc_ivshmem_stop(struct pci_epc *epc)
{
	epc_ivshmem_set_started(epc_to_ep(epc), 0);
}

static const struct pci_epc_features *
epc_ivshmem_get_features(struct pci_epc *epc, u8 func_no, u8 vfunc_no)
{
	if (func_no != 0)
		return NULL;
	return bar45_32 ? &epc_ivshmem_features_45_32 : &epc_ivshmem_features;
}

static const struct pci_epc_ops epc_ivshmem_ops = {
	.write_header = epc_ivshmem_write_header,
	.set_bar = epc_ivshmem_set_bar,
	.clear_bar = epc_ivshmem_clear_bar,
	.map_addr = epc_ivshmem_map_addr,
	.unmap_addr = epc_ivshmem_unmap_addr,
	.set_msi = epc_ivshmem_set_msi,
	.get_msi = epc_ivshmem_get_msi,
	.raise_irq = epc_ivshmem_raise_irq,
	.start = epc_ivshmem_start,
	.stop = epc_ivshmem_stop,
	.get_features = epc_ivshmem_get_features,
	/* no .owner: see epc_ivshmem_update_pin() */
};

/* A fresh descriptor; the HOST fields are left as the host wrote them. */
static void epc_ivshmem_init_desc(struct epc_ivshmem *ep)
{
	u32 boot_id;
	size_t off;

	/* keep the previous seq parity rule: start from what is there */
	ep->seq = ioread32(ep->shm + DESC_OFF(seq)) & ~1u;
	do
		boot_id = get_random_u32();
	while (!boot_id || boot_id == ioread32(ep->shm + DESC_OFF(boot_id)));

	mutex_lock(&ep->lock);
	epc_ivshmem_begin(ep);
	for (off = DESC_OFF(boot_id); off < EPC_IVSHMEM_OFF_HOST; off += 4)
		iowrite32(0, ep->shm + off);
	iowrite32(EPC_IVSHMEM_MAGIC, ep->shm + DESC_OFF(magic));
	iowrite32(EPC_IVSHMEM_ABI, ep->shm + DESC_OFF(abi));
	iowrite32(boot_id, ep->shm + DESC_OFF(boot_id));
	epc_ivshmem_w64(ep, DESC_OFF(ob_base), EPC_IVSHMEM_OB_OFFSET);
	epc_ivshmem_w64(ep, DESC_OFF(ob_size),
			ep->shm_size - EPC_IVSHMEM_OB_OFFSET);
	epc_ivshmem_end(ep);
	mutex_unlock(&ep->lock);
}

static int epc_ivshmem_probe(struct pci_dev *pdev,
			     const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct epc_ivshmem *ep;
	int ret;

	ep = devm_kzalloc(dev, sizeof(*ep), GFP_KERNEL);
	if (!ep)
		return -ENOMEM;
	ep->pdev = pdev;
	mutex_init(&ep->lock);

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ep->regs = epc_ivshmem_map_bar(pdev, EPC_IVSHMEM_REG_BAR);
	if (IS_ERR(ep->regs)) {
		dev_err(dev, "cannot map ivshmem BAR0: %ld\n",
			PTR_ERR(ep->regs));
		return PTR_ERR(ep->regs);
	}
	ep->shm = epc_ivshmem_map_bar(pdev, EPC_IVSHMEM_SHM_BAR);
	if (IS_ERR(ep->shm)) {
		dev_err(dev, "cannot map ivshmem BAR2: %ld\n",
			PTR_ERR(ep->shm));
		return PTR_ERR(ep->shm);
	}
	ep->shm_phys = pci_resource_start(pdev, EPC_IVSHMEM_SHM_BAR);
	ep->shm_size = pci_resource_len(pdev, EPC_IVSHMEM_SHM_BAR);
	if (ep->shm_size < 2 * EPC_IVSHMEM_OB_OFFSET) {
		dev_err(dev, "ivshmem memory of %pa bytes: need 2 MiB at least\n",
			&ep->shm_size);
		return -ENOSPC;
	}

	epc_ivshmem_init_desc(ep);

	ep->epc = devm_pci_epc_create(dev, &epc_ivshmem_ops);
	if (IS_ERR(ep->epc)) {
		dev_err(dev, "cannot create the EPC: %ld\n",
			PTR_ERR(ep->epc));
		return PTR_ERR(ep->epc);
	}
	ep->epc->max_functions = 1;
	epc_set_drvdata(ep->epc, ep);

	ret = pci_epc_mem_init(ep->epc, ep->shm_phys + EPC_IVSHMEM_OB_OFFSET,
			       ep->shm_size - EPC_IVSHMEM_OB_OFFSET,
			       EPC_IVSHMEM_PAGE);
	if (ret) {
		dev_err(dev, "cannot set up the outbound space: %d\n", ret);
		return ret;
	}
	pci_set_drvdata(pdev, ep);
	dev_info(dev, "EPC %s: shm %pa + %pa, outbound from +%#x, peer id %u\n",
		 dev_name(&ep->epc->dev), &ep->shm_phys, &ep->shm_size,
		 EPC_IVSHMEM_OB_OFFSET,
		 ioread32(ep->regs + EPC_IVSHMEM_IVPOSITION));
	return 0;
}

static void epc_ivshmem_remove(struct pci_dev *pdev)
{
	struct epc_ivshmem *ep = pci_get_drvdata(pdev);

	/* nothing is in use: epc_ivshmem_update_pin() holds the module else */
	pci_epc_mem_exit(ep->epc);
	mutex_lock(&ep->lock);
	epc_ivshmem_begin(ep);
	iowrite32(0, ep->shm + DESC_OFF(started));
	iowrite32(0, ep->shm + DESC_OFF(header_valid));
	iowrite32(0, ep->shm + DESC_OFF(magic));
	epc_ivshmem_end(ep);
	mutex_unlock(&ep->lock);
	/* devres destroys the EPC and unmaps the BARs */
}

static const struct pci_device_id epc_ivshmem_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x1110) },	/* QEMU ivshmem */
	{ }
};
MODULE_DEVICE_TABLE(pci, epc_ivshmem_ids);

static struct pci_driver epc_ivshmem_driver = {
	.name = EPC_IVSHMEM_DRV,
	.id_table = epc_ivshmem_ids,
	.probe = epc_ivshmem_probe,
	.remove = epc_ivshmem_remove,
	.driver.suppress_bind_attrs = true,
};
module_pci_driver(epc_ivshmem_driver);

MODULE_DESCRIPTION("PCI endpoint controller on a QEMU ivshmem device");
MODULE_AUTHOR("dpdk-vntb developers");
MODULE_LICENSE("Dual BSD/GPL");
