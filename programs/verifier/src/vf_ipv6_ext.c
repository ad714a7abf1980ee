// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/* IPv6 extension headers: hop-by-hop, routing, destination options, fragment. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int vf_ipv6_ext(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6 = data + sizeof(*eth);
	__u32 off = sizeof(*eth) + sizeof(*ip6);
	__u8 next;

	if ((void *)(ip6 + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	next = ip6->nexthdr;
#pragma clang loop unroll(disable)
	for (int i = 0; i < 4; i++) {
		struct ipv6_opt_hdr *h = data + off;

		if (next != IPPROTO_HOPOPTS && next != IPPROTO_ROUTING && next != IPPROTO_DSTOPTS
		    && next != IPPROTO_FRAGMENT)
			break;
		if ((void *)(h + 1) > data_end)
			return XDP_DROP;
		next = h->nexthdr;
		off += next == IPPROTO_FRAGMENT ? 8 : (h->hdrlen + 1) * 8;
	}
	return next == IPPROTO_TCP || next == IPPROTO_UDP ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
