// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc_redirect_port: at tc ingress, sends every packet out of one port with
 * bpf_redirect (TC_ACT_REDIRECT to that port's egress, where its tc egress
 * program runs), the tc counterpart of xdp_redirect_port. The port is the
 * .rodata knob target_ifindex (3 unless the loader sets it before loading:
 * eth1 in jxdp bench, out0 in its kernel reference).
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 target_ifindex = 3;

SEC("tc")
int tc_redirect_port(struct __sk_buff *skb)
{
	return bpf_redirect(target_ifindex, 0);
}

char _license[] SEC("license") = "BSD-2-Clause";
