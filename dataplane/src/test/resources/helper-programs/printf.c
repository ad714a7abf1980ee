#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char b0[96], b1[96], b2[96], b3[96], b4[8], b5[96];
__s64 r[20];
unsigned char ip4[4] = {192, 168, 1, 20};
unsigned char ip6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
char word[8] = "hello";

SEC("xdp")
int printf_prog(struct xdp_md *ctx)
{
	__s32 neg = -42;
	__u64 big = 0xfedcba9876543210ULL;

	r[0] = BPF_SNPRINTF(b0, sizeof(b0), "%d %u %x %X %i|%ld %lu %lx %lld %llu %llx", neg, neg, 255, 255, 7,
			    (long)neg, (long)neg, big, (long long)neg, big, big);
	r[1] = BPF_SNPRINTF(b1, sizeof(b1), "[%5d][%-5d][%05d][%+d][% d][%x]", 42, 42, 42, 42, 42, -1);
	r[2] = BPF_SNPRINTF(b2, sizeof(b2), "%c%c %s|%s|%% %pI4 %pi4", 'o', 'k', word, "lit", ip4, ip4);
	r[3] = BPF_SNPRINTF(b3, sizeof(b3), "%pI6 %pi6", ip6, ip6);
	r[4] = BPF_SNPRINTF(b4, sizeof(b4), "truncated %d", 123456);
	r[5] = BPF_SNPRINTF(b5, sizeof(b5), "%px %08x", (void *)0x1234, 0xab);
	r[6] = bpf_printk("jxdp printk %d %s", 5, word);
	r[7] = bpf_printk("no args");
	r[8] = bpf_strncmp(word, 5, "hello");
	r[9] = bpf_strncmp(word, 5, "help");
	r[10] = bpf_strncmp(word, 8, "hell");
	r[11] = bpf_strncmp(word, 3, "hezzz");
	r[12] = bpf_strncmp(word, 6, "hello");
	{
		static const char octal[] = "%o";
		static const char four[] = "%d %d %d %d";
		static const char nonprint[] = "bell\a";

		r[13] = bpf_trace_printk(octal, sizeof(octal), 8);		/* no %o: EINVAL */
		r[14] = bpf_trace_printk(four, sizeof(four), 1, 2, 3);	/* a 4th conversion: EINVAL */
		r[15] = bpf_trace_printk(nonprint, sizeof(nonprint));	/* not printable: EINVAL */
		r[16] = bpf_trace_printk(octal, 2, 8);			/* no NUL within fmt_size */
	}
	r[17] = bpf_printk("%d %d %d %d %s", 1, 2, 3, 4, word);	/* more than 3: bpf_trace_vprintk */
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
