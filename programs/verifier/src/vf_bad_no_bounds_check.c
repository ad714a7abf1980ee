// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: invalid access to packet, off=12 size=1, R1(id=0,off=12,r=0)
/* Reads the EtherType without checking the frame is long enough. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int vf_bad_no_bounds_check(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;

	return eth->h_proto == bpf_htons(ETH_P_IP) ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
