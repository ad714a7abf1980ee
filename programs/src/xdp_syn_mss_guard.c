// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_syn_mss_guard: drops TCP SYNs that announce a tiny MSS (below
 * MIN_MSS), the trigger of the "SACK panic" family of attacks, wherever
 * the TCP header is: behind up to two VLAN tags (802.1Q / 802.1ad), IPv4
 * options, or IPv6 extension headers (hop-by-hop, routing, destination
 * options, fragment). The MSS is found by walking the TCP options.
 *
 * Every header here has a variable length, so all offsets are variables;
 * each loop has a fixed trip bound, and every read is bounds-checked at the
 * offset where it happens. Counters show what the parser met.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define MIN_MSS		500
#define MAX_VLAN_TAGS	2
#define MAX_EXT_HDRS	6
#define MAX_TCP_OPTS	12	/* options fit in 40 bytes; NOPs count too */

#define TCPOPT_EOL	0
#define TCPOPT_NOP	1
#define TCPOPT_MSS	2

struct vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

struct ipv6_frag {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off;	/* offset in 8-byte units, low 3 bits are flags */
	__be32 id;
};

enum {
	STAT_SYN,
	STAT_SYN_DROPPED,
	STAT_VLAN,
	STAT_IPV4_OPTIONS,
	STAT_IPV6_EXT,
	STAT_TCP_OPT_MALFORMED,
	STAT_MAX,
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} parse_stats SEC(".maps");

static __always_inline void count(__u32 stat)
{
	__u64 *cnt = bpf_map_lookup_elem(&parse_stats, &stat);

	if (cnt)
		*cnt += 1;
}

/* Walks IPv6 extension headers; returns the upper-layer protocol or -1. */
static __always_inline int skip_ipv6_ext(void *data, void *data_end, __u32 *off, __u8 nexthdr)
{
	for (int i = 0; i < MAX_EXT_HDRS; i++) {
		switch (nexthdr) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS: {
			struct ipv6_opt_hdr *oh = data + *off;

			if ((void *)(oh + 1) > data_end)
				return -1;
			nexthdr = oh->nexthdr;
			*off += (oh->hdrlen + 1) * 8;	/* hdrlen excludes the first 8 bytes */
			break;
		}
		case IPPROTO_FRAGMENT: {
			struct ipv6_frag *fh = data + *off;

			if ((void *)(fh + 1) > data_end)
				return -1;
			if (fh->frag_off & bpf_htons(0xfff8))
				return -1;	/* not the first fragment */
			nexthdr = fh->nexthdr;
			*off += sizeof(*fh);
			break;
		}
		default:
			return nexthdr;
		}
		count(STAT_IPV6_EXT);
	}
	return -1;	/* too many headers to look through */
}

/* Returns the MSS option of a TCP header at th_off, 0 if absent or malformed. */
static __always_inline __u16 tcp_mss(void *data, void *data_end, __u32 th_off, __u32 opt_end)
{
	__u32 off = th_off + sizeof(struct tcphdr);

	for (int i = 0; i < MAX_TCP_OPTS && off < opt_end; i++) {
		__u8 *opt = data + off;
		__u8 len;

		if ((void *)(opt + 1) > data_end)
			return 0;
		if (opt[0] == TCPOPT_EOL)
			return 0;
		if (opt[0] == TCPOPT_NOP) {
			off++;
			continue;
		}
		if ((void *)(opt + 2) > data_end)
			return 0;
		len = opt[1];
		if (len < 2 || off + len > opt_end) {
			count(STAT_TCP_OPT_MALFORMED);
			return 0;
		}
		if (opt[0] == TCPOPT_MSS && len == 4) {
			if ((void *)(opt + 4) > data_end)
				return 0;
			return (opt[2] << 8) | opt[3];
		}
		off += len;
	}
	return 0;
}

SEC("xdp")
int xdp_syn_mss_guard(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct tcphdr *th;
	__u32 off = sizeof(*eth);
	__u16 proto, mss;
	int l4;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	proto = eth->h_proto;

	for (int i = 0; i < MAX_VLAN_TAGS; i++) {
		struct vlan_hdr *vh = data + off;

		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		if ((void *)(vh + 1) > data_end)
			return XDP_PASS;
		count(STAT_VLAN);
		proto = vh->encap_proto;
		off += sizeof(*vh);
	}

	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = data + off;
		__u32 hlen;

		if ((void *)(iph + 1) > data_end)
			return XDP_PASS;
		hlen = iph->ihl * 4;
		if (hlen < sizeof(*iph) || (iph->frag_off & bpf_htons(0x1fff)))
			return XDP_PASS;
		if (hlen > sizeof(*iph))
			count(STAT_IPV4_OPTIONS);
		l4 = iph->protocol;
		off += hlen;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6h = data + off;

		if ((void *)(ip6h + 1) > data_end)
			return XDP_PASS;
		off += sizeof(*ip6h);
		l4 = skip_ipv6_ext(data, data_end, &off, ip6h->nexthdr);
	} else {
		return XDP_PASS;
	}
	if (l4 != IPPROTO_TCP)
		return XDP_PASS;

	th = data + off;
	if ((void *)(th + 1) > data_end)
		return XDP_PASS;
	if (!th->syn || th->ack)
		return XDP_PASS;
	count(STAT_SYN);

	mss = tcp_mss(data, data_end, off, off + th->doff * 4);
	if (mss && mss < MIN_MSS) {
		count(STAT_SYN_DROPPED);
		return XDP_DROP;
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
