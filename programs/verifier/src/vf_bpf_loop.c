// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/* bpf_loop with a callback that writes through its context into the caller's stack. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct acc {
	__u64 total;
	__u32 len;
};

static long add_byte(__u32 index, void *arg)
{
	struct acc *a = arg;

	a->total += index * a->len;
	return index >= 16 ? 1 : 0;
}

SEC("xdp")
int vf_bpf_loop(struct xdp_md *ctx)
{
	struct acc a = { .len = ctx->data_end - ctx->data };

	bpf_loop(32, add_byte, &a, 0);
	return a.total ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
