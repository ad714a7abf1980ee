// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: arg#0 expects pointer to ctx
/*
 * A global function whose argument is the program type's context struct must
 * be given the context: a pointer to the stack cast to it is refused at the call.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__attribute__((noinline)) int queue_of(struct xdp_md *ctx)
{
	return ctx->rx_queue_index;
}

SEC("xdp")
int vf_bad_global_ctx_arg(struct xdp_md *ctx)
{
	__u32 fake[6] = {};

	fake[4] = ctx->rx_queue_index;
	return queue_of((struct xdp_md *)fake) ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
