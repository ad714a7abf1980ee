// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: arg#0 reference type('UNKNOWN ') size cannot be determined: -22
/*
 * A global function's pointer arguments are memory of the pointee's size:
 * a void * has none, so the kernel refuses the function's signature (a
 * static function taking data and data_end is the way to write this).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__attribute__((noinline)) int parse(void *data, void *data_end)
{
	if (data + 1 > data_end)
		return 0;
	return *(__u8 *)data;
}

SEC("xdp")
int vf_bad_global_void_ptr(struct xdp_md *ctx)
{
	return parse((void *)(long)ctx->data, (void *)(long)ctx->data_end) ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
