// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: Global function clear() doesn't return scalar. Only those are supported.
/* A global function must return a scalar (int or enum); one returning void is refused. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__attribute__((noinline)) void clear(__u64 *p)
{
	if (p)
		*p = 0;
}

SEC("xdp")
int vf_bad_global_void(struct xdp_md *ctx)
{
	__u64 v = ctx->ingress_ifindex;

	clear(&v);
	return v ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
