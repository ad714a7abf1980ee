// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc_drop: a direct-action classifier that drops every packet (TC_ACT_SHOT),
 * the tc counterpart of xdp_drop: the cost of a drop at the tc hook, and a
 * program whose effect (nothing leaves) shows that the hook ran.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int tc_drop(struct __sk_buff *skb)
{
	return TC_ACT_SHOT;
}

char _license[] SEC("license") = "BSD-2-Clause";
