// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc_vlan_probe: a direct-action classifier that records what __sk_buff says
 * of the last packet's VLAN tag (vlan_present, vlan_tci, vlan_proto), its
 * protocol, len and wire_len, the EtherType in the packet's data after the MAC
 * addresses, and the XDP metadata in front of it (its length and first word).
 * It lets every packet through (TC_ACT_OK).
 *
 * Attached at tc ingress of a device, it shows that the kernel takes a tagged
 * frame's outer tag out of the data before tc runs (skb_vlan_untag): tests run
 * it in the kernel and in jxdp on the same frames and compare the map.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct vlan_seen {
	__u32 packets;
	__u32 vlan_present;
	__u32 vlan_tci;
	__u32 vlan_proto;	/* network order, as __sk_buff has it */
	__u32 protocol;		/* network order */
	__u32 len;
	__u32 wire_len;
	__u32 ethertype;	/* bytes 12-13 of the data, host order; 0 if shorter */
	__u32 meta_len;
	__u32 meta_word;	/* the first 4 bytes of the metadata, 0 if fewer */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vlan_seen);
} vlan_seen SEC(".maps");

SEC("tc")
int tc_vlan_probe(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	void *meta = (void *)(long)skb->data_meta;
	struct vlan_seen *s;
	__u32 key = 0;
	__u8 *p = data;

	s = bpf_map_lookup_elem(&vlan_seen, &key);
	if (!s)
		return TC_ACT_OK;
	s->packets++;
	s->vlan_present = skb->vlan_present;
	s->vlan_tci = skb->vlan_tci;
	s->vlan_proto = skb->vlan_proto;
	s->protocol = skb->protocol;
	s->len = skb->len;
	s->wire_len = skb->wire_len;
	s->ethertype = (void *)(p + 14) <= data_end ? (__u32)p[12] << 8 | p[13] : 0;
	s->meta_len = data - meta;
	s->meta_word = meta + 4 <= data ? *(__u32 *)meta : 0;
	return TC_ACT_OK;
}

char _license[] SEC("license") = "BSD-2-Clause";
