// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/*
 * bpf-to-bpf calls three frames deep: each function gets a frame of its
 * own, and pointers into the caller's stack travel down the chain.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct counters {
	__u64 small, large;
};

static __attribute__((noinline)) void bump(__u64 *c)
{
	*c += 1;
}

static __attribute__((noinline)) int classify(struct counters *c, __u32 len)
{
	if (len < 128) {
		bump(&c->small);
		return 0;
	}
	bump(&c->large);
	return 1;
}

static __attribute__((noinline)) int frame_len(struct xdp_md *ctx)
{
	return ctx->data_end - ctx->data;
}

SEC("xdp")
int vf_subprogs(struct xdp_md *ctx)
{
	struct counters c = {};
	int big = classify(&c, frame_len(ctx));

	return big && c.large == 1 ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
