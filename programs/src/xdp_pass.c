// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_pass: the smallest useful XDP program. Every frame goes up the stack
 * untouched, so attaching it measures the bare cost of the XDP hook.
 *
 * Deliberately licensed non-GPL: it calls no helper at all, so the kernel has
 * no GPL-only helper to refuse it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "BSD-2-Clause";
