// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: R1 invalid mem access 'mem_or_null'
/*
 * A global function is verified once, on its own, against its BTF signature:
 * a pointer argument may be NULL there whatever its callers pass, so reading
 * through it without a check is refused even though the only caller passes
 * its stack.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__attribute__((noinline)) int first_byte(__u8 *p)
{
	return *p;
}

SEC("xdp")
int vf_bad_global_null_arg(struct xdp_md *ctx)
{
	__u8 buf[8] = {};

	buf[0] = ctx->ingress_ifindex;
	return first_byte(buf) == 1 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
