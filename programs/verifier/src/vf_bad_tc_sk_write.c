// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: R1 cannot write into sock_common
/* A struct bpf_sock reached through __sk_buff.sk is read-only. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int vf_bad_tc_sk_write(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;

	if (!sk)
		return 0;
	sk->bound_dev_if = 0;
	return 0;
}

char _license[] SEC("license") = "GPL";
