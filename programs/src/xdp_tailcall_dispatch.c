// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_tailcall_dispatch: a dispatcher that parses up to IPv4 and tail-calls
 * a per-protocol policy program through a PROG_ARRAY indexed by the IP
 * protocol number. The array is filled at load time from `.values` (libbpf
 * resolves the program references), so no userspace setup is needed.
 * Unknown protocols, or a failed tail call, fall through to XDP_PASS.
 *
 * Policies: TCP drops impossible flag combinations (SYN+FIN, SYN+RST, no
 * flags at all); UDP drops port 0; ICMP drops everything but echo,
 * unreachable and time-exceeded messages.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* <linux/icmp.h> drags in libc headers, so spell out what is needed (RFC 792). */
#define ICMP_ECHOREPLY		0
#define ICMP_DEST_UNREACH	3
#define ICMP_ECHO		8
#define ICMP_TIME_EXCEEDED	11

struct icmp_hdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
};

int xdp_tcp_policy(struct xdp_md *ctx);
int xdp_udp_policy(struct xdp_md *ctx);
int xdp_icmp_policy(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 256);	/* one slot per IP protocol number */
	/* Sizes, not BTF types: the kernel keeps no BTF for fd arrays. */
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} l4_policy SEC(".maps") = {
	.values = {
		[IPPROTO_ICMP] = (void *)&xdp_icmp_policy,
		[IPPROTO_TCP] = (void *)&xdp_tcp_policy,
		[IPPROTO_UDP] = (void *)&xdp_udp_policy,
	},
};

/*
 * A tail call does not keep registers, so each policy program parses again;
 * returns the L4 header or NULL, needing at least l4_len bytes of it.
 */
static __always_inline void *l4_header(struct xdp_md *ctx, __u32 l4_len, __u8 *proto)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	void *l4;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return NULL;
	/* Only the first fragment has the L4 header. */
	if (iph->frag_off & bpf_htons(0x1fff))
		return NULL;
	l4 = (void *)iph + iph->ihl * 4;
	if (l4 + l4_len > data_end)
		return NULL;
	*proto = iph->protocol;
	return l4;
}

SEC("xdp")
int xdp_dispatch(struct xdp_md *ctx)
{
	__u8 proto;

	if (!l4_header(ctx, 0, &proto))
		return XDP_PASS;
	bpf_tail_call(ctx, &l4_policy, proto);
	return XDP_PASS;	/* empty slot */
}

SEC("xdp")
int xdp_tcp_policy(struct xdp_md *ctx)
{
	struct tcphdr *th;
	__u8 proto;

	th = l4_header(ctx, sizeof(*th), &proto);
	if (!th)
		return XDP_PASS;
	if (th->syn && (th->fin || th->rst))
		return XDP_DROP;
	if (!(th->fin | th->syn | th->rst | th->psh | th->ack | th->urg))
		return XDP_DROP;	/* "null scan" */
	return XDP_PASS;
}

SEC("xdp")
int xdp_udp_policy(struct xdp_md *ctx)
{
	struct udphdr *uh;
	__u8 proto;

	uh = l4_header(ctx, sizeof(*uh), &proto);
	if (!uh)
		return XDP_PASS;
	if (uh->dest == 0 || uh->source == 0)
		return XDP_DROP;
	return XDP_PASS;
}

SEC("xdp")
int xdp_icmp_policy(struct xdp_md *ctx)
{
	struct icmp_hdr *ih;
	__u8 proto;

	ih = l4_header(ctx, sizeof(*ih), &proto);
	if (!ih)
		return XDP_PASS;
	switch (ih->type) {
	case ICMP_ECHO:
	case ICMP_ECHOREPLY:
	case ICMP_DEST_UNREACH:
	case ICMP_TIME_EXCEEDED:
		return XDP_PASS;
	default:
		return XDP_DROP;
	}
}

char _license[] SEC("license") = "GPL";
