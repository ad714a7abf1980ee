// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/* Walks the TCP options of an IPv4 SYN for the window scale. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int vf_tcp_options(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct tcphdr *th;
	__u32 off, end;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_TCP)
		return XDP_PASS;
	th = (void *)ip + ip->ihl * 4;
	if ((void *)(th + 1) > data_end || !th->syn)
		return XDP_PASS;
	off = sizeof(*th);
	end = th->doff * 4;
#pragma clang loop unroll(disable)
	for (int i = 0; i < 8 && off < end; i++) {
		__u8 *opt = (void *)th + off;

		if ((void *)(opt + 1) > data_end)
			return XDP_PASS;
		if (*opt == 0)
			break;
		if (*opt == 1) {
			off++;
			continue;
		}
		if ((void *)(opt + 3) > data_end)
			return XDP_PASS;
		if (*opt == 3 && opt[1] == 3)
			return opt[2] > 14 ? XDP_DROP : XDP_PASS;
		if (opt[1] < 2)
			return XDP_DROP;
		off += opt[1];
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
