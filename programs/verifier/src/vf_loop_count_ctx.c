// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/*
 * A bpf_loop callback counting in its context for up to 1 << 20 iterations: no path relies on the
 * count (it is only stored), so the verifier widens it to an unknown value when the callback comes
 * back and the iterations converge after two instead of being explored one by one (which would take
 * more than the 1,000,000 instructions the verifier may process).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 calls_seen;
__u64 sum_seen;

struct tally {
	__u64 calls;
	__u64 sum;
};

static long count(__u32 index, void *arg)
{
	struct tally *t = arg;

	t->calls++;
	t->sum += index;
	return 0;
}

SEC("xdp")
int vf_loop_count_ctx(struct xdp_md *ctx)
{
	struct tally t = {};

	bpf_loop(1 << 20, count, &t, 0);
	calls_seen = t.calls;
	sum_seen = t.sum;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
