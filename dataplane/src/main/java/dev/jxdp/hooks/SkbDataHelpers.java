package dev.jxdp.hooks;

import dev.jxdp.exec.Helper;
import dev.jxdp.exec.HelperContext;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * The tc helpers that read and write packet bytes (net/core/filter.c): bpf_skb_load_bytes,
 * bpf_skb_load_bytes_relative, bpf_skb_store_bytes, bpf_skb_pull_data, and bpf_clone_redirect, which
 * sends a copy. jxdp's skbs are linear, so "make writable" and "pull" only check lengths.
 */
final class SkbDataHelpers {
    private SkbDataHelpers() {}

    static final int STORE_BYTES = 9;
    static final int CLONE_REDIRECT = 13;
    static final int LOAD_BYTES = 26;
    static final int PULL_DATA = 39;
    static final int LOAD_BYTES_RELATIVE = 68;

    static final long F_RECOMPUTE_CSUM = 1;
    static final long F_INVALIDATE_HASH = 1L << 1;
    /** BPF_HDR_START_MAC, BPF_HDR_START_NET. */
    static final long HDR_START_MAC = 0;
    static final long HDR_START_NET = 1;

    static void register(Map<Integer, Helper> into) {
        into.put(LOAD_BYTES, SkbDataHelpers::loadBytes);
        into.put(LOAD_BYTES_RELATIVE, SkbDataHelpers::loadBytesRelative);
        into.put(STORE_BYTES, SkbDataHelpers::storeBytes);
        into.put(PULL_DATA, (ctx, skb, len, c, d, e) -> {
            PacketRun run = HelperArgs.context(ctx, skb, "bpf_skb_pull_data");
            long want = HelperArgs.u32(len) == 0 ? run.skb().length() : HelperArgs.u32(len);
            run.boundsChanged(ctx); // the kernel invalidates packet pointers whatever the outcome
            return want > run.skb().length() ? -12 : 0; // ENOMEM: pskb_may_pull fails
        });
        into.put(CLONE_REDIRECT, SkbDataHelpers::cloneRedirect);
    }

    /** bpf_skb_load_bytes: {@code len} bytes at {@code offset}; on failure the buffer is zeroed and -EFAULT returned. */
    private static long loadBytes(HelperContext ctx, long skb, long offset, long to, long len, long e) {
        Skb s = HelperArgs.context(ctx, skb, "bpf_skb_load_bytes").skb();
        long n = HelperArgs.u32(len);
        MemorySegment buf = HelperArgs.memory(ctx, to, n, true);
        long off = HelperArgs.u32(offset);
        if (off > Integer.MAX_VALUE || off + n > s.length()) {
            buf.fill((byte) 0);
            return -14;
        }
        MemorySegment.copy(s.bytes(), off, buf, 0, n);
        return 0;
    }

    /** bpf_skb_load_bytes_relative: from the MAC or network header instead of data. */
    private static long loadBytesRelative(HelperContext ctx, long skb, long offset, long to, long len, long startHeader) {
        Skb s = HelperArgs.context(ctx, skb, "bpf_skb_load_bytes_relative").skb();
        long n = HelperArgs.u32(len);
        MemorySegment buf = HelperArgs.memory(ctx, to, n, true);
        long off = HelperArgs.u32(offset);
        long start;
        if (startHeader == HDR_START_MAC) {
            start = s.macOffset();
        } else if (startHeader == HDR_START_NET) {
            start = s.networkOffset();
        } else {
            buf.fill((byte) 0);
            return -14;
        }
        if (off > 0xffff || start + off + n > s.length()) {
            buf.fill((byte) 0);
            return -14;
        }
        MemorySegment.copy(s.head(), s.dataOffset() + start + off, buf, 0, n);
        return 0;
    }

    /** bpf_skb_store_bytes: writes {@code len} bytes at {@code offset}. */
    private static long storeBytes(HelperContext ctx, long skb, long offset, long from, long len, long flags) {
        Skb s = HelperArgs.context(ctx, skb, "bpf_skb_store_bytes").skb();
        if ((flags & ~(F_RECOMPUTE_CSUM | F_INVALIDATE_HASH)) != 0) {
            return -22;
        }
        long off = HelperArgs.u32(offset);
        long n = HelperArgs.u32(len);
        if (off > Integer.MAX_VALUE || off + n > s.length()) {
            return -14;
        }
        MemorySegment src = HelperArgs.memory(ctx, from, n, false);
        MemorySegment dst = s.bytes().asSlice(off, n);
        if ((flags & F_RECOMPUTE_CSUM) != 0 && s.ipSummed == ChecksumHelpers.CHECKSUM_COMPLETE) {
            s.csum = Checksum.sub(s.csum, Checksum.partial(dst, 0, n, 0)); // postpull: the old bytes leave the sum
        }
        MemorySegment.copy(src, 0, dst, 0, n);
        if ((flags & F_RECOMPUTE_CSUM) != 0 && s.ipSummed == ChecksumHelpers.CHECKSUM_COMPLETE) {
            s.csum = Checksum.add(s.csum, Checksum.partial(dst, 0, n, 0));
        }
        if ((flags & F_INVALIDATE_HASH) != 0) {
            SkbMetaHelpers.clearHash(s);
        }
        return 0;
    }

    /** bpf_clone_redirect: a copy of the packet goes to the device's egress (or ingress) now; this one continues. */
    private static long cloneRedirect(HelperContext ctx, long skb, long ifindex, long flags, long d, long e) {
        PacketRun run = HelperArgs.context(ctx, skb, "bpf_clone_redirect");
        if ((flags & ~RedirectInfo.F_INGRESS) != 0) {
            return -22;
        }
        Device dev = run.network().device((int) ifindex);
        if (dev == null) {
            return -22;
        }
        Skb clone = run.skb().copy();
        run.boundsChanged(ctx); // packet pointers are invalid after the call in the kernel
        return run.network().cloneRedirect(clone, dev, (flags & RedirectInfo.F_INGRESS) != 0);
    }
}
