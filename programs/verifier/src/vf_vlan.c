// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/* Up to two VLAN tags (802.1Q / 802.1ad): the L3 offset depends on the frame. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct vlan_hdr {
	__be16 tci;
	__be16 proto;
};

SEC("xdp")
int vf_vlan(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 off = sizeof(*eth);
	__u16 proto;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	proto = eth->h_proto;
#pragma unroll
	for (int i = 0; i < 2; i++) {
		struct vlan_hdr *vh = data + off;

		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		if ((void *)(vh + 1) > data_end)
			return XDP_DROP;
		if ((bpf_ntohs(vh->tci) & 0x0fff) == 4095)
			return XDP_DROP;
		proto = vh->proto;
		off += sizeof(*vh);
	}
	return proto == bpf_htons(ETH_P_IP) || proto == bpf_htons(ETH_P_IPV6) ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
