// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: invalid access to map value, value_size=32 off=32 size=8
/*
 * A bpf_loop callback that is safe on its first iterations only: it stores into slot ctx->n of a
 * four-slot map value and counts n up, with no bounds check. The index decides the address, so it is
 * precise and not widened; the fifth iteration writes past the value's end.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64[4]);
} slots SEC(".maps");

struct fill {
	__u64 *slot;
	__u64 n;
};

static long put(__u32 index, void *arg)
{
	struct fill *f = arg;

	f->slot[f->n] = index;
	f->n++;
	return 0;
}

SEC("xdp")
int vf_bad_loop_later_iter(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct fill f = {};

	f.slot = bpf_map_lookup_elem(&slots, &key);
	if (!f.slot)
		return XDP_PASS;
	bpf_loop(8, put, &f, 0);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
