// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_icmp_echo: answers IPv4 ICMP echo requests from the driver, without
 * the stack: it turns the request into a reply in place and sends it back
 * out of the receiving interface with XDP_TX. Swaps MAC and IP addresses,
 * resets the TTL, recomputes the IPv4 header checksum and patches the ICMP
 * checksum incrementally (RFC 1624) for the type change. Anything else,
 * including requests with IP options, passes to the stack.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* <linux/icmp.h> drags in libc headers; the echo header is small (RFC 792). */
#define ICMP_ECHOREPLY	0
#define ICMP_ECHO	8

struct icmp_echo {
	__u8 type;
	__u8 code;
	__u16 checksum;
	__be16 id;
	__be16 sequence;
};

static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* Full checksum of an option-less IPv4 header (ten 16-bit words). */
static __always_inline __u16 ipv4_csum(struct iphdr *iph)
{
	__u16 *w = (__u16 *)iph;
	__u32 sum = 0;

	iph->check = 0;
#pragma unroll
	for (int i = 0; i < (int)sizeof(*iph) / 2; i++)
		sum += w[i];
	return csum_fold(sum);
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), on network-order words. */
static __always_inline __u16 csum_replace16(__u16 check, __u16 old, __u16 new)
{
	__u32 sum = (__u16)~check + (__u16)~old + new;

	return csum_fold(sum);
}

SEC("xdp")
int xdp_icmp_echo(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct icmp_echo *icmp = (void *)(iph + 1);
	__u8 mac[ETH_ALEN];
	__be32 addr;
	__u16 old_word, new_word;

	if ((void *)(icmp + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5 ||
	    iph->protocol != IPPROTO_ICMP)
		return XDP_PASS;
	if (icmp->type != ICMP_ECHO || icmp->code != 0)
		return XDP_PASS;
	/* Fragments would need reassembly to answer. */
	if (iph->frag_off & bpf_htons(0x3fff))
		return XDP_PASS;

	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);

	addr = iph->daddr;
	iph->daddr = iph->saddr;
	iph->saddr = addr;
	iph->ttl = 64;
	iph->check = ipv4_csum(iph);

	/* type and code share the first 16-bit word of the ICMP header. */
	old_word = *(__u16 *)icmp;
	icmp->type = ICMP_ECHOREPLY;
	new_word = *(__u16 *)icmp;
	icmp->checksum = csum_replace16(icmp->checksum, old_word, new_word);
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";
