/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * ntb_frames: raw Ethernet test frames for the kernel peer guest
 * (built with gcc -static, runs in the busybox initramfs).
 *
 *   ntb_frames send IF DSTMAC COUNT SIZE [GAP_US]
 *   ntb_frames recv IF COUNT TIMEOUT_MS
 *   ntb_frames echo IF COUNT TIMEOUT_MS
 *   ntb_frames selftest   (checks the checker; run at build time)
 *
 * SIZE is the whole frame length in bytes (Ethernet header included,
 * no FCS), N or A-B: frame number s is then A + (s * 997) % (B - A + 1)
 * bytes long. Frame format: ntb_frames_fmt.h (shared with the host's
 * tests/interop/kpeer_frames.c).
 * recv checks every byte of each frame against what the sender made
 * from its seq and length; echo returns every good frame to its sender
 * (MACs swapped, payload unchanged).
 * Each mode prints one line of key=value fields and exits 0 only if
 * everything was good (recv/echo: COUNT good frames, no bad one).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ntb_frames_fmt.h"

#define NF_ETHERTYPE	NTBF_ETHERTYPE
#define NF_HDR_LEN	NTBF_HDR_LEN
#define NF_MAX_FRAME	65535

struct nf_sizes {
	unsigned int lo;
	unsigned int hi;
};

static unsigned int nf_size_of(const struct nf_sizes *sz, uint32_t seq)
{
	return ntbf_size_of(sz->lo, sz->hi, seq);
}

/*
 * selftest: every frame built passes nf_check, and a change of any one
 * byte after the MACs and EtherType, or of the length, fails it.
 */
static int nf_selftest(void)
{
	static uint8_t f[2048];
	unsigned long checked = 0, missed = 0;
	unsigned int len, off;
	uint32_t seq, got;

	for (len = NF_HDR_LEN; len <= sizeof(f); len += 37) {
		seq = len * 2654435761u;
		ntbf_build(f, seq, len);
		if (!ntbf_check(f, len, &got) || got != seq)
			missed++;
		if (len > NF_HDR_LEN && ntbf_check(f, len - 1, &got))
			missed++;
		for (off = 14; off < len; off++) {
			f[off] ^= 0x5a;
			if (ntbf_check(f, len, &got))
				missed++;
			f[off] ^= 0x5a;
			checked++;
		}
	}
	printf("ntb_frames selftest checked=%lu missed=%lu\n", checked,
	       missed);
	return missed ? 1 : 0;
}

static int nf_usage(void)
{
	fprintf(stderr,
		"usage: ntb_frames send IF DSTMAC COUNT SIZE[-MAX] [GAP_US]\n"
		"       ntb_frames recv IF COUNT TIMEOUT_MS\n"
		"       ntb_frames echo IF COUNT TIMEOUT_MS\n"
		"       ntb_frames selftest\n");
	return 2;
}

static int nf_number(const char *s, const char *what, unsigned long max,
		     unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	if (errno || end == s || *end || *out > max) {
		fprintf(stderr, "ntb_frames: bad %s '%s' (0..%lu)\n", what, s,
			max);
		return -1;
	}
	return 0;
}

static int nf_parse_sizes(const char *s, struct nf_sizes *sz)
{
	unsigned long lo, hi;
	char buf[64];
	char *dash;

	snprintf(buf, sizeof(buf), "%s", s);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (nf_number(buf, "SIZE", NF_MAX_FRAME, &lo) ||
	    nf_number(dash ? dash + 1 : buf, "SIZE", NF_MAX_FRAME, &hi))
		return -1;
	if (lo < NF_HDR_LEN || hi < lo) {
		fprintf(stderr, "ntb_frames: SIZE '%s': want %d..%d, low-high\n",
			s, NF_HDR_LEN, NF_MAX_FRAME);
		return -1;
	}
	sz->lo = lo;
	sz->hi = hi;
	return 0;
}

static int nf_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6) {
		fprintf(stderr, "ntb_frames: bad MAC '%s'\n", s);
		return -1;
	}
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff) {
			fprintf(stderr, "ntb_frames: bad MAC '%s'\n", s);
			return -1;
		}
		mac[i] = b[i];
	}
	return 0;
}

/* AF_PACKET socket bound to ifname for our EtherType; its MAC in mac. */
static int nf_open(const char *ifname, uint8_t mac[6], int *ifindex)
{
	int rcvbuf = 64 << 20;
	struct sockaddr_ll sll;
	struct ifreq ifr;
	int fd;

	fd = socket(AF_PACKET, SOCK_RAW, htons(NF_ETHERTYPE));
	if (fd < 0) {
		perror("ntb_frames: socket(AF_PACKET)");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
		fprintf(stderr, "ntb_frames: no interface '%s': %s\n", ifname,
			strerror(errno));
		close(fd);
		return -1;
	}
	*ifindex = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		perror("ntb_frames: SIOCGIFHWADDR");
		close(fd);
		return -1;
	}
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	/* a burst must not overflow the socket: frames lost there are ours */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(NF_ETHERTYPE);
	sll.sll_ifindex = *ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("ntb_frames: bind");
		close(fd);
		return -1;
	}
	return fd;
}

/* Sends one frame; retries while the device queue is full. */
static int nf_xmit(int fd, int ifindex, const uint8_t *f, size_t len)
{
	struct sockaddr_ll sll;
	int tries;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, f, 6);
	for (tries = 0; tries < 1000; tries++) {
		if (sendto(fd, f, len, 0, (struct sockaddr *)&sll,
			   sizeof(sll)) == (ssize_t)len)
			return 0;
		if (errno != ENOBUFS && errno != EAGAIN)
			break;
		usleep(1000);
	}
	return -1;
}

static int nf_send(int argc, char **argv)
{
	static uint8_t f[NF_MAX_FRAME];
	unsigned long count, gap = 0;
	unsigned long sent = 0, failed = 0, bytes = 0;
	struct nf_sizes sz;
	uint8_t mac[6];
	int fd, ifindex;
	uint32_t seq;

	if (argc < 6 || argc > 7)
		return nf_usage();
	if (nf_parse_mac(argv[3], f) ||
	    nf_number(argv[4], "COUNT", UINT32_MAX, &count) ||
	    nf_parse_sizes(argv[5], &sz) ||
	    (argc == 7 && nf_number(argv[6], "GAP_US", 10000000, &gap)))
		return 2;
	fd = nf_open(argv[2], mac, &ifindex);
	if (fd < 0)
		return 1;
	memcpy(f + 6, mac, 6);
	for (seq = 0; seq < count; seq++) {
		unsigned int len = nf_size_of(&sz, seq);

		ntbf_build(f, seq, len);
		if (nf_xmit(fd, ifindex, f, len) == 0) {
			sent++;
			bytes += len;
		} else {
			failed++;
		}
		if (gap)
			usleep(gap);
	}
	close(fd);
	printf("ntb_frames send if=%s sent=%lu failed=%lu bytes=%lu\n",
	       argv[2], sent, failed, bytes);
	return failed ? 1 : 0;
}

static long nf_ms_left(const struct timespec *end)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (end->tv_sec - now.tv_sec) * 1000 +
		(end->tv_nsec - now.tv_nsec) / 1000000;
}

/* recv and echo: count good/bad frames until COUNT good or timeout. */
static int nf_recv(int argc, char **argv, int echo)
{
	static uint8_t f[NF_MAX_FRAME];
	unsigned long count, timeout_ms;
	unsigned long good = 0, bad = 0, disorder = 0, bytes = 0, echoed = 0;
	long first = -1, last = -1;
	struct tpacket_stats st;
	socklen_t stlen = sizeof(st);
	struct timespec end;
	uint8_t mac[6];
	int fd, ifindex, timed_out = 0;

	if (argc != 5)
		return nf_usage();
	if (nf_number(argv[3], "COUNT", UINT32_MAX, &count) ||
	    nf_number(argv[4], "TIMEOUT_MS", 86400000, &timeout_ms))
		return 2;
	fd = nf_open(argv[2], mac, &ifindex);
	if (fd < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += timeout_ms / 1000;
	end.tv_nsec += (timeout_ms % 1000) * 1000000;
	if (end.tv_nsec >= 1000000000) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000;
	}
	while (good < count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t fromlen = sizeof(from);
		long left = nf_ms_left(&end);
		uint32_t seq;
		ssize_t n;

		if (left <= 0) {
			timed_out = 1;
			break;
		}
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = recvfrom(fd, f, sizeof(f), MSG_TRUNC,
			     (struct sockaddr *)&from, &fromlen);
		if (n < 0 || from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (n > (ssize_t)sizeof(f) || !ntbf_check(f, n, &seq)) {
			bad++;
			continue;
		}
		good++;
		bytes += n;
		if (first < 0)
			first = seq;
		else if ((long)seq != last + 1)
			disorder++;
		last = seq;
		if (echo) {
			uint8_t tmp[6];

			memcpy(tmp, f, 6);
			memcpy(f, f + 6, 6);
			memcpy(f + 6, tmp, 6);
			if (nf_xmit(fd, ifindex, f, n) == 0)
				echoed++;
		}
	}
	/* frames the kernel delivered but dropped at this socket (full) */
	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &stlen) < 0)
		st.tp_drops = 0;
	close(fd);
	printf("ntb_frames %s if=%s good=%lu bad=%lu out_of_order=%lu "
	       "first=%ld last=%ld bytes=%lu timeout=%d drops=%u",
	       echo ? "echo" : "recv", argv[2], good, bad, disorder, first,
	       last, bytes, timed_out, st.tp_drops);
	if (echo)
		printf(" echoed=%lu", echoed);
	printf("\n");
	return good == count && !bad && (!echo || echoed == good) ? 0 : 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return nf_usage();
	if (!strcmp(argv[1], "send"))
		return nf_send(argc, argv);
	if (!strcmp(argv[1], "recv"))
		return nf_recv(argc, argv, 0);
	if (!strcmp(argv[1], "echo"))
		return nf_recv(argc, argv, 1);
	if (!strcmp(argv[1], "selftest"))
		return nf_selftest();
	return nf_usage();
}
