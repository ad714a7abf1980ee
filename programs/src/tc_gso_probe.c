// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc_gso_probe: a direct-action classifier that records what __sk_buff says
 * of a packet's segmentation (gso_size, gso_segs) and length (len, wire_len):
 * for the last packet, and for the last one with a gso_size (a large segment,
 * to be cut later). It counts both kinds and lets every packet through
 * (TC_ACT_OK).
 *
 * Attached at tc ingress of a tap, it shows what the kernel makes of frames
 * written behind a virtio-net header: tests run it in the kernel and in jxdp
 * and compare the map.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct skb_sizes {
	__u32 gso_size;
	__u32 gso_segs;
	__u32 len;
	__u32 wire_len;
};

struct gso_seen {
	__u32 packets;
	__u32 large;
	struct skb_sizes last;
	struct skb_sizes last_large;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gso_seen);
} gso_seen SEC(".maps");

static __always_inline void record(struct skb_sizes *s, struct __sk_buff *skb)
{
	s->gso_size = skb->gso_size;
	s->gso_segs = skb->gso_segs;
	s->len = skb->len;
	s->wire_len = skb->wire_len;
}

SEC("tc")
int tc_gso_probe(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct gso_seen *seen = bpf_map_lookup_elem(&gso_seen, &key);

	if (!seen)
		return TC_ACT_OK;
	seen->packets++;
	record(&seen->last, skb);
	if (skb->gso_size) {
		seen->large++;
		record(&seen->last_large, skb);
	}
	return TC_ACT_OK;
}

char _license[] SEC("license") = "BSD-2-Clause";
