// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: R3 type=ctx expected=fp
/* Hands the program's context to a bpf_loop callback: its context argument must point into the stack. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static long peek(__u32 index, void *arg)
{
	return 0;
}

SEC("xdp")
int vf_bad_loop_ctx_arg(struct xdp_md *ctx)
{
	bpf_loop(4, peek, ctx, 0);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
