// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc_skb_fields: a direct-action classifier that records the scalar fields of
 * __sk_buff for the last packet (lengths, types, mark, queue_mapping,
 * protocol, VLAN, priority, ifindexes, tc_index, hash, tc_classid, napi_id,
 * wire_len, gso fields, metadata length, timestamps) and lets it through
 * (TC_ACT_OK).
 *
 * Attached at tc ingress of a device, it shows what the kernel's receive path
 * gives a packet before tc runs: tests run it in the kernel and in jxdp on
 * the same frames and compare every field but the ifindexes.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct skb_fields {
	__u32 packets;
	__u32 len;
	__u32 pkt_type;
	__u32 mark;
	__u32 queue_mapping;
	__u32 protocol;
	__u32 vlan_present;
	__u32 vlan_tci;
	__u32 vlan_proto;
	__u32 priority;
	__u32 ingress_ifindex;
	__u32 ifindex;
	__u32 tc_index;
	__u32 hash;
	__u32 tc_classid;
	__u32 napi_id;
	__u32 wire_len;
	__u32 gso_segs;
	__u32 gso_size;
	__u32 meta_len;
	__u64 tstamp;
	__u64 hwtstamp;
	__u32 tstamp_type;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct skb_fields);
} skb_fields SEC(".maps");

SEC("tc")
int tc_skb_fields(struct __sk_buff *skb)
{
	struct skb_fields *f;
	__u32 key = 0;

	f = bpf_map_lookup_elem(&skb_fields, &key);
	if (!f)
		return TC_ACT_OK;
	f->packets++;
	f->len = skb->len;
	f->pkt_type = skb->pkt_type;
	f->mark = skb->mark;
	f->queue_mapping = skb->queue_mapping;
	f->protocol = skb->protocol;
	f->vlan_present = skb->vlan_present;
	f->vlan_tci = skb->vlan_tci;
	f->vlan_proto = skb->vlan_proto;
	f->priority = skb->priority;
	f->ingress_ifindex = skb->ingress_ifindex;
	f->ifindex = skb->ifindex;
	f->tc_index = skb->tc_index;
	f->hash = skb->hash;
	f->tc_classid = skb->tc_classid;
	f->napi_id = skb->napi_id;
	f->wire_len = skb->wire_len;
	f->gso_segs = skb->gso_segs;
	f->gso_size = skb->gso_size;
	f->meta_len = (long)skb->data - (long)skb->data_meta;
	f->tstamp = skb->tstamp;
	f->hwtstamp = skb->hwtstamp;
	f->tstamp_type = skb->tstamp_type;
	return TC_ACT_OK;
}

char _license[] SEC("license") = "BSD-2-Clause";
