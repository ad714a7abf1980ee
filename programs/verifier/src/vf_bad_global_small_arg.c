// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: invalid read from stack R1 off=-8 size=16
/*
 * The caller's side of a global call: a pointer argument must reach the whole
 * pointee its BTF type names (here 16 bytes), and the caller passes the last
 * 8 bytes of its stack frame.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct pair {
	__u64 a, b;
};

__attribute__((noinline)) int sum(struct pair *p)
{
	if (!p)
		return 0;
	return p->a + p->b;
}

SEC("xdp")
int vf_bad_global_small_arg(struct xdp_md *ctx)
{
	__u64 v[2] = {ctx->ingress_ifindex, 1};

	return sum((struct pair *)&v[1]) ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
