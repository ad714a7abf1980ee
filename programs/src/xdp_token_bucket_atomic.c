// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_token_bucket_atomic: per-source-IPv4 rate limiter. Each source has a
 * token bucket (RATE_PPS packets/s, BURST deep) in an LRU hash, so idle
 * sources are evicted by themselves. Buckets are shared by all CPUs and
 * updated lock-free with 32-bit atomics (needs -mcpu=v3 or later):
 *   cmpxchg      - one CPU claims a refill interval, and the capped refill
 *   fetch_add    - take a token and learn how many were left
 *   add / or     - drop counter and "throttled" flag, result unused
 *   xchg         - hand the drop count over to the global total at once
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define RATE_PPS	1000
#define BURST		200
#define NS_PER_MS	1000000ull
#define CAS_TRIES	4

#define BUCKET_THROTTLED	0x1

struct bucket {
	__u32 tokens;
	__u32 last_refill_ms;	/* wraps after ~49 days; only differences matter */
	__u32 drops;		/* since the source was last throttled */
	__u32 flags;
};

struct totals {
	__u32 throttled_sources;	/* sources that ever ran dry */
	__u32 drops;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __be32);		/* IPv4 source address */
	__type(value, struct bucket);
} buckets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct totals);
} totals SEC(".maps");

static __always_inline void refill(struct bucket *b, __u32 now_ms)
{
	__u32 last = b->last_refill_ms;
	__u32 add, cur, next;

	if (now_ms == last)
		return;
	/* Only the CPU that moves the timestamp forward adds the tokens. */
	if (__sync_val_compare_and_swap(&b->last_refill_ms, last, now_ms) != last)
		return;
	add = (now_ms - last) * RATE_PPS / 1000;
	if (add > BURST)
		add = BURST;
	for (int i = 0; i < CAS_TRIES; i++) {
		cur = b->tokens;
		next = cur + add > BURST ? BURST : cur + add;
		if (__sync_val_compare_and_swap(&b->tokens, cur, next) == cur)
			break;
	}
}

/* A source is dry: remember the drop and flag the bucket once. */
static __always_inline int throttle(struct bucket *b)
{
	__u32 zero = 0;
	struct totals *t = bpf_map_lookup_elem(&totals, &zero);

	__sync_fetch_and_add(&b->drops, 1);
	if (!(__sync_fetch_and_or(&b->flags, BUCKET_THROTTLED) & BUCKET_THROTTLED) && t)
		__sync_fetch_and_add(&t->throttled_sources, 1);
	return XDP_DROP;
}

/* The source has tokens again: fold its drops into the global count. */
static __always_inline void recover(struct bucket *b)
{
	__u32 zero = 0, drops;
	struct totals *t;

	if (!(b->flags & BUCKET_THROTTLED))
		return;
	__sync_fetch_and_and(&b->flags, ~BUCKET_THROTTLED);
	drops = __atomic_exchange_n(&b->drops, 0, __ATOMIC_SEQ_CST);
	t = bpf_map_lookup_elem(&totals, &zero);
	if (t && drops)
		__sync_fetch_and_add(&t->drops, drops);
}

SEC("xdp")
int xdp_token_bucket(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	__u32 now_ms = bpf_ktime_get_ns() / NS_PER_MS;
	struct bucket *b, fresh = {};
	__be32 saddr;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	saddr = iph->saddr;

	b = bpf_map_lookup_elem(&buckets, &saddr);
	if (!b) {
		/* First packet of a source: a full bucket minus this packet. */
		fresh.tokens = BURST - 1;
		fresh.last_refill_ms = now_ms;
		bpf_map_update_elem(&buckets, &saddr, &fresh, BPF_NOEXIST);
		return XDP_PASS;
	}

	refill(b, now_ms);
	/* Take a token; the old value says whether there was one to take. */
	if ((int)__sync_fetch_and_add(&b->tokens, -1) <= 0) {
		__sync_fetch_and_add(&b->tokens, 1);	/* give back the overdraft */
		return throttle(b);
	}
	recover(b);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
