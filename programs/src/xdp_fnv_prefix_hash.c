// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_fnv_prefix_hash: hashes the first 64 bytes of every frame with 32-bit
 * FNV-1a and counts frames per hash bucket. Identical frames (floods,
 * retransmission storms, loops) pile up in one bucket, which userspace
 * spots in the histogram. Shorter frames are counted in bucket 0 unhashed.
 *
 * The hash is a real bounded loop (unrolling disabled): the verifier walks
 * it, and every byte access is covered by the single 64-byte bounds check.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define PREFIX_LEN	64
#define NR_BUCKETS	1024
#define FNV32_OFFSET	2166136261u
#define FNV32_PRIME	16777619u

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NR_BUCKETS);
	__type(key, __u32);
	__type(value, __u64);
} prefix_hist SEC(".maps");

SEC("xdp")
int xdp_fnv_prefix_hash(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *bytes = data;
	__u32 hash = FNV32_OFFSET, bucket = 0;
	__u64 *cnt;

	if (data + PREFIX_LEN <= data_end) {
#pragma clang loop unroll(disable)
		for (int i = 0; i < PREFIX_LEN; i++) {
			hash ^= bytes[i];
			hash *= FNV32_PRIME;
		}
		bucket = hash % NR_BUCKETS;
	}

	cnt = bpf_map_lookup_elem(&prefix_hist, &bucket);
	if (cnt)
		*cnt += 1;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
