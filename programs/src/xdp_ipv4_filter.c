// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_ipv4_filter: a small stateless edge filter. Ethernet -> IPv4 ->
 * TCP/UDP ports, all in one function:
 *   - non-IPv4 traffic passes untouched;
 *   - IPv4 headers with a bad header checksum are dropped (options-free
 *     headers only; those with options go to the stack, which checks them);
 *   - TCP to telnet (23) is dropped;
 *   - UDP from chargen (19) or SSDP (1900), typical reflection sources, is
 *     dropped.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* TCP and UDP both start with source and destination port. */
struct l4_ports {
	__be16 source;
	__be16 dest;
};

SEC("xdp")
int xdp_ipv4_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct l4_ports *ports = (void *)(iph + 1);
	__u16 *word = (__u16 *)iph;
	__u32 sum = 0;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (iph->ihl != 5)
		return XDP_PASS;

	/* A correct header sums to 0xffff in ones' complement arithmetic. */
#pragma unroll
	for (int i = 0; i < 10; i++)
		sum += word[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	if (sum != 0xffff)
		return XDP_DROP;

	/* Ports exist only in the first fragment. */
	if (iph->frag_off & bpf_htons(0x1fff))
		return XDP_PASS;
	if ((void *)(ports + 1) > data_end)
		return XDP_PASS;

	if (iph->protocol == IPPROTO_TCP && ports->dest == bpf_htons(23))
		return XDP_DROP;
	if (iph->protocol == IPPROTO_UDP &&
	    (ports->source == bpf_htons(19) || ports->source == bpf_htons(1900)))
		return XDP_DROP;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
