/* The XDP frame helpers at their edges: every call's result goes into res[run][...]. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__s64 res[64][24];
__u32 runs;

#define SLOT() __s64 *r = res[runs++ & 63]

static __always_inline long linear(struct xdp_md *ctx)
{
	return (long)ctx->data_end - (long)ctx->data;
}

SEC("xdp")
int head_edges(struct xdp_md *ctx)
{
	SLOT();
	r[0] = bpf_xdp_adjust_head(ctx, -217);
	r[1] = bpf_xdp_adjust_head(ctx, -216);
	r[2] = linear(ctx);
	r[3] = bpf_xdp_adjust_head(ctx, 216);
	r[4] = bpf_xdp_adjust_head(ctx, (int)linear(ctx) - 13);
	r[5] = bpf_xdp_adjust_head(ctx, (int)linear(ctx) - 14);
	r[6] = linear(ctx);
	r[7] = bpf_xdp_adjust_head(ctx, -20);
	r[8] = bpf_xdp_get_buff_len(ctx);
	return XDP_PASS;
}

SEC("xdp")
int meta_edges(struct xdp_md *ctx)
{
	SLOT();
	r[0] = bpf_xdp_adjust_meta(ctx, 4);
	r[1] = bpf_xdp_adjust_meta(ctx, -3);
	r[2] = bpf_xdp_adjust_meta(ctx, -220);
	r[3] = bpf_xdp_adjust_meta(ctx, -216);
	r[4] = bpf_xdp_adjust_meta(ctx, 208);
	/* 8 bytes of metadata left: fill them, then move the head with them */
	void *meta = (void *)(long)ctx->data_meta, *data = (void *)(long)ctx->data;
	if (meta + 8 <= data) {
		__builtin_memset(meta, 0x5a, 8);
		r[5] = 8;
	}
	r[6] = bpf_xdp_adjust_head(ctx, 4);
	r[7] = bpf_xdp_adjust_head(ctx, -209);
	r[8] = bpf_xdp_adjust_head(ctx, -208);
	r[9] = (long)ctx->data - (long)ctx->data_meta;
	return XDP_PASS;
}

SEC("xdp")
int tail_edges(struct xdp_md *ctx)
{
	SLOT();
	long len = bpf_xdp_get_buff_len(ctx);
	r[0] = len;
	r[1] = linear(ctx);
	r[2] = bpf_xdp_adjust_tail(ctx, -(int)len + 13);
	r[3] = bpf_xdp_adjust_tail(ctx, 5000);
	r[4] = bpf_xdp_adjust_tail(ctx, -100);
	r[5] = bpf_xdp_get_buff_len(ctx);
	r[6] = bpf_xdp_adjust_tail(ctx, 60);
	r[7] = bpf_xdp_get_buff_len(ctx);
	r[8] = linear(ctx);
	r[9] = bpf_xdp_adjust_tail(ctx, 3000);
	r[10] = bpf_xdp_get_buff_len(ctx);
	return XDP_PASS;
}

SEC("xdp")
int bytes(struct xdp_md *ctx)
{
	SLOT();
	__u8 buf[64] = {};
	__u8 pat[32];
	long len = bpf_xdp_get_buff_len(ctx);
	long lin = linear(ctx);
	__u64 sum = 0;

	for (int i = 0; i < 32; i++)
		pat[i] = 0xc0 + i;
	r[0] = bpf_xdp_load_bytes(ctx, 0, buf, 64);
	for (int i = 0; i < 64; i++)
		sum = sum * 31 + buf[i];
	r[1] = sum;
	r[2] = bpf_xdp_load_bytes(ctx, lin - 20, buf, 40);
	sum = 0;
	for (int i = 0; i < 40; i++)
		sum = sum * 31 + buf[i];
	r[3] = sum;
	r[4] = bpf_xdp_load_bytes(ctx, len - 10, buf, 11);
	r[5] = bpf_xdp_load_bytes(ctx, 0x10000, buf, 1);
	r[6] = bpf_xdp_store_bytes(ctx, lin - 16, pat, 32);
	r[7] = bpf_xdp_store_bytes(ctx, 20, pat, 8);
	r[8] = bpf_xdp_store_bytes(ctx, len - 8, pat, 9);
	return XDP_PASS;
}

SEC("xdp")
int csum_diff(struct xdp_md *ctx)
{
	SLOT();
	__be32 a[16], b[16];
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	for (int i = 0; i < 16; i++) {
		a[i] = 0x01020304u * (i + 1) + 0xfedcba98u;
		b[i] = 0x11111111u * (i + 3);
	}
	r[0] = bpf_csum_diff(a, 16, b, 16, 0);
	r[1] = bpf_csum_diff(a, 0, b, 64, 0);
	r[2] = bpf_csum_diff(a, 64, b, 0, 0);
	r[3] = bpf_csum_diff(a, 8, b, 12, 0xdeadbeef);
	r[4] = bpf_csum_diff(a, 0, b, 0, 0x12345678);
	r[5] = bpf_csum_diff(a, 3, b, 4, 0);
	r[6] = bpf_csum_diff(a, 0, 0, 0, 0xffffffff);
	__builtin_memset(a, 0, sizeof(a));
	r[7] = bpf_csum_diff(a, 64, a, 64, 0);
	r[8] = bpf_csum_diff(0, 0, a, 64, 0);
	if (data + 34 <= end)
		r[9] = bpf_csum_diff(0, 0, data + 14, 20, 0);
	if (data + 1200 <= end) {
		r[10] = bpf_csum_diff(data, 260, data + 260, 256, 0);
		r[11] = bpf_csum_diff(data, 256, data + 256, 256, 0);
		r[12] = bpf_csum_diff(data, 0, data + 1, 1001, 7);
		r[13] = bpf_csum_diff(data + 3, 5, data, 0, 0x80000000);
	}
	return XDP_PASS;
}

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} cpus SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

SEC("xdp")
int redirects(struct xdp_md *ctx)
{
	SLOT();
	r[0] = bpf_redirect(5, 0);
	r[1] = bpf_redirect(5, 1);
	r[2] = bpf_redirect_map(&ports, 0, 0);
	r[3] = bpf_redirect_map(&ports, 0, XDP_PASS);
	r[4] = bpf_redirect_map(&ports, 0, BPF_F_BROADCAST);
	r[5] = bpf_redirect_map(&ports, 0, BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS);
	r[6] = bpf_redirect_map(&ports, 9, XDP_TX);
	r[7] = bpf_redirect_map(&ports, 0, 0x100);
	r[8] = bpf_redirect_map(&cpus, 0, XDP_DROP);
	r[9] = bpf_redirect_map(&cpus, 0, BPF_F_BROADCAST);
	r[10] = bpf_redirect_map(&xsks, 1, XDP_PASS);
	r[11] = bpf_redirect_map(&xsks, 1, 4);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
