// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc_ok: a direct-action classifier that lets every packet through
 * (TC_ACT_OK), to measure the cost of the tc hook on the XDP_PASS path.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int tc_ok(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}

char _license[] SEC("license") = "BSD-2-Clause";
