// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/*
 * bpf_spin_lock and bpf_spin_unlock around updates of a map value whose BTF
 * type holds a struct bpf_spin_lock: a hash value after its NULL check, and an
 * array value looked up with a constant key; a static function called while
 * the lock is held.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct counter {
	struct bpf_spin_lock lock;
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct counter);
} counters SEC(".maps");


struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct counter);
} totals SEC(".maps");

static __attribute__((noinline)) int account(struct counter *c, __u64 len)
{
	c->packets++;
	c->bytes += len;
	return c->packets & 1;
}

SEC("xdp")
int vf_spin_lock(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index;
	__u64 len = ctx->data_end - ctx->data;
	struct counter *c = bpf_map_lookup_elem(&counters, &key);

	if (c) {
		bpf_spin_lock(&c->lock);
		len += account(c, len);
		bpf_spin_unlock(&c->lock);
	}
	key = 0;
	c = bpf_map_lookup_elem(&totals, &key);
	if (!c)
		return XDP_PASS;
	bpf_spin_lock(&c->lock);
	c->packets++;
	c->bytes += len;
	bpf_spin_unlock(&c->lock);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
