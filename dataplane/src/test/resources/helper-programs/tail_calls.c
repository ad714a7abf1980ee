#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 calls;
__s64 empty_slot, out_of_range;

int chain(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
	__array(values, int (void *));
} jmp SEC(".maps") = {
	.values = { [0] = (void *)&chain },
};

SEC("xdp")
int chain(struct xdp_md *ctx)
{
	calls++;
	if (calls % 5 == 0)
		bpf_tail_call(ctx, &jmp, 2);	/* empty slot */
	bpf_tail_call(ctx, &jmp, 9);		/* past the end */
	bpf_tail_call(ctx, &jmp, 0);		/* itself, until the limit */
	return (int)calls;
}

char _license[] SEC("license") = "GPL";
