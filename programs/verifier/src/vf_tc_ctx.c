// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/*
 * A tc classifier: whole and narrow __sk_buff reads, writes of mark,
 * priority and cb[], and bpf_skb_load_bytes into the stack.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int vf_tc_ctx(struct __sk_buff *skb)
{
	__u8 mac[6];
	__u16 proto16 = *(__u16 *)&skb->protocol;
	__u8 queue = *(__u8 *)&skb->queue_mapping;

	if (bpf_skb_load_bytes(skb, 0, mac, sizeof(mac)) < 0)
		return TC_ACT_OK;
	skb->cb[0] = mac[5];
	skb->mark = proto16 ^ queue;
	skb->priority = skb->len > 1000 ? 1 : 0;
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
