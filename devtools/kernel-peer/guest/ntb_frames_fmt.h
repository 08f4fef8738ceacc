/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_FRAMES_FMT_H
#define NTB_FRAMES_FMT_H

/*
 * The raw-frame test format both ends of the kernel-peer checks build
 * and check byte for byte: the guest's ntb_frames (this folder, built by
 * devtools/kernel-peer.sh with gcc -static) and the host's kpeer_frames
 * (tests/interop, built by meson). C99 and libc only.
 *
 * Frame format (multi-byte fields big-endian):
 *   0  dst MAC, 6  src MAC, 12 EtherType 0x88B5
 *   14 magic "NTBF", 18 seq (u32, from 0), 22 length (u16, whole frame),
 *   24 reserved (u16, 0), 26 FNV-1a 32 of bytes 14..25 then 30..length-1,
 *   30 pattern: byte at frame offset 30 + k is (seq * 7 + k) & 0xff.
 * A size range A-B gives frame s A + (s * 997) % (B - A + 1) bytes.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define NTBF_ETHERTYPE	0x88B5
#define NTBF_HDR_LEN	30	/* Ethernet + test header */
#define NTBF_MAGIC	"NTBF"

static inline uint32_t
ntbf_fnv1a(uint32_t h, const uint8_t *p, size_t n)
{
	while (n--) {
		h ^= *p++;
		h *= 16777619u;
	}
	return h;
}

/* FNV-1a 32 of frame bytes 14..25 (test header) then 30..len-1 */
static inline uint32_t
ntbf_csum(const uint8_t *f, unsigned int len)
{
	return ntbf_fnv1a(ntbf_fnv1a(2166136261u, f + 14, 12),
			  f + NTBF_HDR_LEN, len - NTBF_HDR_LEN);
}

static inline void
ntbf_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint32_t
ntbf_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

/* Length of frame seq for the size range lo..hi. */
static inline unsigned int
ntbf_size_of(unsigned int lo, unsigned int hi, uint32_t seq)
{
	if (hi == lo)
		return lo;
	return lo + (unsigned int)(((uint64_t)seq * 997) % (hi - lo + 1));
}

/* Build test frame seq of len bytes from offset 12 (MACs: the caller). */
static inline void
ntbf_build(uint8_t *f, uint32_t seq, unsigned int len)
{
	unsigned int k;

	f[12] = NTBF_ETHERTYPE >> 8;
	f[13] = NTBF_ETHERTYPE & 0xff;
	memcpy(f + 14, NTBF_MAGIC, 4);
	ntbf_put32(f + 18, seq);
	f[22] = (uint8_t)(len >> 8);
	f[23] = (uint8_t)len;
	f[24] = 0;
	f[25] = 0;
	for (k = 0; k < len - NTBF_HDR_LEN; k++)
		f[NTBF_HDR_LEN + k] = (uint8_t)(seq * 7 + k);
	ntbf_put32(f + 26, ntbf_csum(f, len));
}

/* 1 if f (n bytes received) is a test frame, byte for byte; else 0. */
static inline int
ntbf_check(const uint8_t *f, size_t n, uint32_t *seq)
{
	unsigned int len, k;

	if (n < NTBF_HDR_LEN || memcmp(f + 14, NTBF_MAGIC, 4) != 0)
		return 0;
	len = (unsigned int)f[22] << 8 | f[23];
	if (len != n || f[24] || f[25])
		return 0;
	*seq = ntbf_get32(f + 18);
	for (k = 0; k < len - NTBF_HDR_LEN; k++)
		if (f[NTBF_HDR_LEN + k] != (uint8_t)(*seq * 7 + k))
			return 0;
	return ntbf_get32(f + 26) == ntbf_csum(f, len);
}

#endif /* NTB_FRAMES_FMT_H */
