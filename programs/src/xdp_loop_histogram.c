// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_loop_histogram: counts frames into size buckets and keeps a running
 * total over all buckets with bpf_loop(). The callback is a static function
 * in .text whose address the program loads with a 64-bit immediate load
 * (BPF_PSEUDO_FUNC), so loaders must find, append and relocate it like a
 * called subprogram.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define BUCKETS 8

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BUCKETS);
	__type(key, __u32);
	__type(value, __u64);
} size_buckets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} bucket_total SEC(".maps");

struct fold_state {
	__u64 sum;
};

static long fold_bucket(__u32 index, void *arg)
{
	struct fold_state *state = arg;
	__u64 *count = bpf_map_lookup_elem(&size_buckets, &index);

	if (count)
		state->sum += *count;
	return 0;
}

SEC("xdp")
int xdp_loop_histogram(struct xdp_md *ctx)
{
	__u64 len = ctx->data_end - ctx->data;
	__u32 bucket = len >= 1024 ? BUCKETS - 1 : len / 128;
	struct fold_state state = {};
	__u32 zero = 0;
	__u64 *count, *total;

	count = bpf_map_lookup_elem(&size_buckets, &bucket);
	if (count)
		__sync_fetch_and_add(count, 1);

	bpf_loop(BUCKETS, fold_bucket, &state, 0);
	total = bpf_map_lookup_elem(&bucket_total, &zero);
	if (total)
		*total = state.sum;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
