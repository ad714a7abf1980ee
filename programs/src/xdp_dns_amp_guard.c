// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_dns_amp_guard: DNS amplification guard for a host that does not run a
 * resolver for others: drops inbound UDP DNS responses larger than a limit
 * (reflection attacks send big ANY/DNSSEC answers), or only counts them.
 *
 * Configuration uses libbpf global data:
 *   .rodata  const volatile knobs, fixed by the loader before load, so the
 *            verifier sees them as constants and prunes dead branches;
 *   .data    a tunable that userspace may change while the program runs;
 *   .bss     zero-initialised counters that userspace reads.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* .rodata */
const volatile __u32 max_response_len = 512;	/* UDP payload bytes */
const volatile __u8 enforce = 1;		/* 0: count only */

/* .data */
__u16 dns_port = 53;

/* .bss */
__u64 responses_seen;
__u64 responses_oversized;
__u64 responses_dropped;

SEC("xdp")
int xdp_dns_amp_guard(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph;
	struct udphdr *udph;
	__u32 payload_len;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	iph = (void *)(eth + 1);
	if ((void *)(iph + 1) > data_end || iph->protocol != IPPROTO_UDP)
		return XDP_PASS;
	udph = (void *)iph + iph->ihl * 4;
	if ((void *)(udph + 1) > data_end)
		return XDP_PASS;
	if (udph->source != bpf_htons(dns_port))
		return XDP_PASS;

	__sync_fetch_and_add(&responses_seen, 1);
	/* Trust the UDP length field: fragments make data_end too short. */
	payload_len = bpf_ntohs(udph->len);
	if (payload_len < sizeof(*udph))
		return XDP_PASS;	/* malformed; the stack drops it */
	payload_len -= sizeof(*udph);
	if (payload_len <= max_response_len)
		return XDP_PASS;

	__sync_fetch_and_add(&responses_oversized, 1);
	if (!enforce)
		return XDP_PASS;
	__sync_fetch_and_add(&responses_dropped, 1);
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";
