// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/*
 * Global functions checked against their signatures: a context argument, a
 * pointer argument checked for NULL and accessed within its pointee (written
 * into the caller's stack), a scalar argument bounded inside, a call with
 * NULL, one global function calling another, and callers that bound what
 * they get back.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct pair {
	__u64 a, b;
};

__attribute__((noinline)) int fill(struct pair *p, __u32 n)
{
	if (!p)
		return -1;
	p->a = n;
	p->b = n * 2;
	return 0;
}

__attribute__((noinline)) int pick(struct xdp_md *ctx, __u32 i)
{
	__u8 b[4] = {1, 2, 3, 4};
	struct pair q;

	if (fill(&q, ctx->rx_queue_index))
		return 0;
	return b[i & 3] + q.b;
}

SEC("xdp")
int vf_global_args(struct xdp_md *ctx)
{
	struct pair p = {};
	int r;

	r = fill(&p, ctx->ingress_ifindex);
	r += fill(0, 1);
	r += pick(ctx, p.a);
	return r == 7 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
