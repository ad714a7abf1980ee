// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_flow_verdict: a verdict per flow, so that a load test sees a mix of
 * them. For IPv4/UDP without IP options, the low two bits of the UDP source
 * port pick it: 0 DROP, 1 PASS, 2 TX, 3 DROP. Everything else passes.
 * jxdp's generator numbers its flows' source ports 1024 + k, so over many
 * flows the mix is about half DROP, a quarter PASS, a quarter TX.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int xdp_flow_verdict(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = data + sizeof(*eth);
	struct udphdr *udp = (void *)(iph + 1);

	if ((void *)(udp + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5 || iph->protocol != IPPROTO_UDP)
		return XDP_PASS;
	switch (bpf_ntohs(udp->source) & 3) {
	case 1:
		return XDP_PASS;
	case 2:
		return XDP_TX;
	default:
		return XDP_DROP;
	}
}

char _license[] SEC("license") = "BSD-2-Clause";
