// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: R6 invalid mem access 'scalar'
/*
 * A global function that may move the packet (it calls bpf_xdp_adjust_head)
 * invalidates its caller's packet pointers, although the call is not explored:
 * the caller's read through the pointer it checked before the call is refused.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__attribute__((noinline)) int pop(struct xdp_md *ctx)
{
	return bpf_xdp_adjust_head(ctx, 0);
}

SEC("xdp")
int vf_bad_global_pkt_change(struct xdp_md *ctx)
{
	__u8 *p = (void *)(long)ctx->data;

	if ((void *)(p + 1) > (void *)(long)ctx->data_end)
		return XDP_PASS;
	if (pop(ctx))
		return XDP_DROP;
	return *p == 1 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
