// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/*
 * IPv4 options: the header length comes from the packet, so every option
 * is read at a variable offset, checked where it is read.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int vf_ipv4_options(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__u32 hlen, off;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	hlen = ip->ihl * 4;
	if (hlen < sizeof(*ip))
		return XDP_DROP;
	off = sizeof(*ip);
#pragma clang loop unroll(disable)
	for (int i = 0; i < 10 && off < hlen; i++) {
		__u8 *opt = (void *)ip + off;

		if ((void *)(opt + 2) > data_end)
			return XDP_DROP;
		if (opt[0] == IPOPT_END)
			break;
		if (opt[0] == IPOPT_NOOP) {
			off++;
			continue;
		}
		if (opt[0] == IPOPT_RR)
			return XDP_DROP;	/* record-route: refused */
		if (opt[1] < 2)
			return XDP_DROP;
		off += opt[1];
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
