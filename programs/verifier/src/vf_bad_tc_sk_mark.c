// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: R1 invalid sock_common access off=16 size=4
/*
 * Of a struct bpf_sock reached through __sk_buff.sk (a sock_common), the
 * fields from type to priority are closed: reading the mark is refused.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int vf_bad_tc_sk_mark(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;

	if (!sk)
		return 0;
	return sk->mark == 7 ? 2 : 0;
}

char _license[] SEC("license") = "GPL";
