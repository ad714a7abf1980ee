// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: R1 invalid mem access 'scalar'
/*
 * A bpf_loop callback that dereferences a NULL it keeps in its context, but only once its count,
 * kept next to it, reaches 5: the branch on the count makes the count precise, so it is not widened
 * and the iterations are explored one by one up to the fifth.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct walk {
	__u64 n;
	__u64 sum;
	char *p;
};

static long step(__u32 index, void *arg)
{
	struct walk *w = arg;

	w->n++;
	w->sum += index;
	if (w->n == 5)
		return *(volatile char *)w->p;
	return 0;
}

SEC("xdp")
int vf_bad_loop_branch_later(struct xdp_md *ctx)
{
	struct walk w = {};

	bpf_loop(8, step, &w, 0);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
