// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc_snat: source NAT for IPv4 TCP and UDP. A packet from the address in the
 * .rodata knob from_addr (10.0.0.1 unless the loader sets it) leaves with
 * to_addr (192.0.2.1) as its source, its IPv4 header checksum and its TCP or
 * UDP checksum fixed incrementally (bpf_l3_csum_replace, bpf_l4_csum_replace
 * with BPF_F_PSEUDO_HDR, so that a checksum still to be completed, as a tap's
 * CHECKSUM_PARTIAL frames carry, is fixed as the kernel fixes it). Returns
 * TC_ACT_UNSPEC: the next filter, or the default, decides.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/pkt_cls.h>
#include <stddef.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

const volatile __u32 from_addr = 0x0a000001;	/* 10.0.0.1, host order */
const volatile __u32 to_addr = 0xc0000201;	/* 192.0.2.1 */

#define IP_OFF		ETH_HLEN
#define IP_CSUM_OFF	(IP_OFF + offsetof(struct iphdr, check))
#define IP_SRC_OFF	(IP_OFF + offsetof(struct iphdr, saddr))

SEC("tc")
int tc_snat(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = data + IP_OFF;
	__u32 from = bpf_htonl(from_addr), to = bpf_htonl(to_addr);
	__u32 l4_csum_off;
	__u64 l4_flags = BPF_F_PSEUDO_HDR | sizeof(to);

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_UNSPEC;
	if (iph->saddr != from || iph->ihl != 5 || (iph->frag_off & bpf_htons(0x1fff)))
		return TC_ACT_UNSPEC;
	if (iph->protocol == IPPROTO_TCP) {
		l4_csum_off = IP_OFF + sizeof(*iph) + 16;
	} else if (iph->protocol == IPPROTO_UDP) {
		l4_csum_off = IP_OFF + sizeof(*iph) + 6;
		l4_flags |= BPF_F_MARK_MANGLED_0;	/* a UDP checksum of 0 means none: keep it so */
	} else {
		return TC_ACT_UNSPEC;
	}
	bpf_l4_csum_replace(skb, l4_csum_off, from, to, l4_flags);
	bpf_l3_csum_replace(skb, IP_CSUM_OFF, from, to, sizeof(to));
	bpf_skb_store_bytes(skb, IP_SRC_OFF, &to, sizeof(to), 0);
	return TC_ACT_UNSPEC;
}

char _license[] SEC("license") = "BSD-2-Clause";
