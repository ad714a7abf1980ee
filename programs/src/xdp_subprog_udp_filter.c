// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_subprog_udp_filter: drops UDP packets to a closed port range (the
 * ephemeral range 32768..60999 unless a flow is expected) and to port 0,
 * and counts verdicts. It is written as separate functions the way larger
 * programs are structured, and keeps them out of line:
 *   - static __noinline parse_* functions: bpf-to-bpf calls verified in the
 *     caller's context, so they may take packet pointers;
 *   - a global function, record_verdict(): verified once on its own, so it
 *     only takes scalars.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define EPHEMERAL_LO	32768
#define EPHEMERAL_HI	60999

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);		/* indexed by XDP verdict */
	__type(key, __u32);
	__type(value, __u64);
} verdicts SEC(".maps");

/* Returns the L3 protocol (host order) and advances *off past Ethernet. */
static __noinline int parse_eth(void *data, void *data_end, __u32 *off)
{
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return -1;
	*off = sizeof(*eth);
	return bpf_ntohs(eth->h_proto);
}

/* Returns the IPv4 protocol and advances *off past the header. */
static __noinline int parse_ipv4(void *data, void *data_end, __u32 *off)
{
	struct iphdr *iph = data + sizeof(struct ethhdr);
	__u32 hlen;

	if ((void *)(iph + 1) > data_end)
		return -1;
	hlen = iph->ihl * 4;
	if (hlen < sizeof(*iph))
		return -1;
	/* Non-first fragments carry no UDP header. */
	if (iph->frag_off & bpf_htons(0x1fff))
		return -1;
	*off += hlen;
	return iph->protocol;
}

/* Port policy: nonzero when the destination port is closed. */
static __noinline int port_closed(__u16 dport)
{
	return dport == 0 || (dport >= EPHEMERAL_LO && dport <= EPHEMERAL_HI);
}

__noinline int record_verdict(__u32 verdict)
{
	__u64 *cnt = bpf_map_lookup_elem(&verdicts, &verdict);

	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return verdict;
}

SEC("xdp")
int xdp_udp_port_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct udphdr *udph;
	__u32 off = 0;

	if (parse_eth(data, data_end, &off) != ETH_P_IP)
		return record_verdict(XDP_PASS);
	if (parse_ipv4(data, data_end, &off) != IPPROTO_UDP)
		return record_verdict(XDP_PASS);

	off &= 0xff;	/* at most 14 + 60; tells the verifier the offset is small */
	udph = data + off;
	if ((void *)(udph + 1) > data_end)
		return record_verdict(XDP_PASS);
	if (port_closed(bpf_ntohs(udph->dest)))
		return record_verdict(XDP_DROP);
	return record_verdict(XDP_PASS);
}

char _license[] SEC("license") = "GPL";
