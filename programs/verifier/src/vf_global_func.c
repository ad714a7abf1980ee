// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/*
 * A global (non-static) function: the kernel verifies it once, against its
 * BTF signature, and so does jxdp.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__attribute__((noinline)) int frame_class(struct xdp_md *ctx, __u32 limit)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;

	if ((void *)(p + 1) > data_end)
		return -1;
	return *p < limit ? 0 : 1;
}

SEC("xdp")
int vf_global_func(struct xdp_md *ctx)
{
	return frame_class(ctx, 128) == 1 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
