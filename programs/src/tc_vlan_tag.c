// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc_vlan_tag: the egress half of an access port. Every frame that leaves
 * without a VLAN tag gets an 802.1Q tag with VLAN ID 100 (priority 0) from
 * bpf_skb_vlan_push; frames already tagged, in the data or held beside it,
 * leave as they are. Always TC_ACT_OK.
 *
 * The kernel holds a pushed tag beside the packet (vlan_present) and writes
 * it into the frame when the frame leaves the device: tests compare the frame
 * a kernel tap hands out with the one jxdp sends.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ACCESS_VID	100

SEC("tc")
int tc_vlan_tag(struct __sk_buff *skb)
{
	if (skb->vlan_present || skb->protocol == bpf_htons(ETH_P_8021Q) ||
	    skb->protocol == bpf_htons(ETH_P_8021AD))
		return TC_ACT_OK;
	bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), ACCESS_VID);
	return TC_ACT_OK;
}

char _license[] SEC("license") = "BSD-2-Clause";
