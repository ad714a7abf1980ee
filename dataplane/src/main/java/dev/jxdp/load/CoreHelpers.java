package dev.jxdp.load;

import dev.jxdp.exec.Helper;
import dev.jxdp.exec.HelperContext;
import dev.jxdp.exec.MemoryFault;
import dev.jxdp.maps.Errnos;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

/**
 * The helpers that need no map: clocks, random numbers, the worker index, printing to the
 * {@link TraceLog} or a buffer, bounded loops, string comparison and spin locks, with the kernel's
 * arguments, checks and results (kernel/bpf/helpers.c, kernel/trace/bpf_trace.c).
 */
final class CoreHelpers {
    private CoreHelpers() {}

    static final int KTIME_GET_NS = 5;
    static final int TRACE_PRINTK = 6;
    static final int GET_PRANDOM_U32 = 7;
    static final int GET_SMP_PROCESSOR_ID = 8;
    static final int GET_NUMA_NODE_ID = 42;
    static final int SPIN_LOCK = 93;
    static final int SPIN_UNLOCK = 94;
    static final int JIFFIES64 = 118;
    static final int KTIME_GET_BOOT_NS = 125;
    static final int KTIME_GET_COARSE_NS = 160;
    static final int SNPRINTF = 165;
    static final int TRACE_VPRINTK = 177;
    static final int LOOP = 181;
    static final int STRNCMP = 182;

    /** MAX_TRACE_PRINTK_VARARGS. */
    static final int TRACE_PRINTK_ARGS = 3;
    /** MAX_BPRINTF_VARARGS. */
    static final int BPRINTF_ARGS = 12;
    /** BPF_MAX_LOOPS. */
    static final long MAX_LOOPS = 1 << 23;

    static void register(Map<Integer, Helper> into, Clock clock, RandomSource random, TraceLog trace) {
        into.put(KTIME_GET_NS, (ctx, a, b, c, d, e) -> clock.monotonicNs());
        into.put(KTIME_GET_BOOT_NS, (ctx, a, b, c, d, e) -> clock.bootNs());
        into.put(KTIME_GET_COARSE_NS, (ctx, a, b, c, d, e) -> clock.coarseNs());
        into.put(JIFFIES64, (ctx, a, b, c, d, e) -> clock.jiffies64());
        into.put(GET_PRANDOM_U32, (ctx, a, b, c, d, e) -> Integer.toUnsignedLong(random.nextU32(ctx.worker())));
        into.put(GET_SMP_PROCESSOR_ID, (ctx, a, b, c, d, e) -> ctx.worker());
        // One NUMA node: the JVM places the packet workers, not the program.
        into.put(GET_NUMA_NODE_ID, (ctx, a, b, c, d, e) -> 0);
        into.put(TRACE_PRINTK, (ctx, fmt, fmtSize, a1, a2, a3) ->
                tracePrintk(ctx, trace, clock, fmt, fmtSize, new long[] {a1, a2, a3}, TRACE_PRINTK_ARGS));
        into.put(TRACE_VPRINTK, (ctx, fmt, fmtSize, data, dataLen, a5) -> {
            long[] args = varargs(ctx, data, dataLen);
            return args == null ? -Errnos.EINVAL : tracePrintk(ctx, trace, clock, fmt, fmtSize, args, args.length);
        });
        into.put(SNPRINTF, CoreHelpers::snprintf);
        into.put(LOOP, CoreHelpers::loop);
        into.put(STRNCMP, (ctx, s1, s1Size, s2, a4, a5) -> strncmp(ctx, s1, s1Size, s2));
        into.put(SPIN_LOCK, (ctx, lock, b, c, d, e) -> {
            ProgramRun.of(ctx).locked(lockWord(ctx, lock));
            return 0;
        });
        into.put(SPIN_UNLOCK, (ctx, lock, b, c, d, e) -> {
            ProgramRun.of(ctx).unlocked(lockWord(ctx, lock));
            return 0;
        });
    }

    private static MemorySegment lockWord(HelperContext ctx, long lock) {
        if ((lock & 3) != 0) {
            throw new MemoryFault("bpf_spin_lock at 0x" + Long.toHexString(lock) + ", which is not 4-byte aligned");
        }
        return ctx.memory().slice(lock, 4, true);
    }

    /** bpf_trace_printk / bpf_trace_vprintk: the formatted length, or -EINVAL. */
    private static long tracePrintk(HelperContext ctx, TraceLog trace, Clock clock, long fmt, long fmtSize, long[] args,
            int numArgs) {
        byte[] format = formatString(ctx, fmt, fmtSize);
        if (format == null) {
            return -Errnos.EINVAL;
        }
        byte[] out = BpfPrintf.format(format, args, numArgs, a -> string(ctx, a), (a, n) -> bytes(ctx, a, n));
        if (out == null) {
            return -Errnos.EINVAL;
        }
        int kept = Math.min(out.length, BpfPrintf.MAX_BUF - 1);
        String program = ctx.attachment() instanceof ProgramRun r ? r.program().name() : "?";
        trace.add(new TraceLog.Entry(clock.monotonicNs(), ctx.worker(), program,
                new String(out, 0, kept, java.nio.charset.StandardCharsets.ISO_8859_1)));
        return out.length;
    }

    /** The format up to its NUL, which must lie within {@code size} bytes (else null: EINVAL). */
    private static byte[] formatString(HelperContext ctx, long fmt, long size) {
        if (size <= 0) {
            return null;
        }
        MemorySegment f = ctx.memory().slice(fmt, size, false);
        for (long i = 0; i < size; i++) {
            if (f.get(ValueLayout.JAVA_BYTE, i) == 0) {
                return f.asSlice(0, i).toArray(ValueLayout.JAVA_BYTE);
            }
        }
        return null;
    }

    /** The u64 arguments of the vprintk/snprintf variants; null for EINVAL. */
    private static long[] varargs(HelperContext ctx, long data, long dataLen) {
        if ((dataLen & 7) != 0 || dataLen < 0 || dataLen > BPRINTF_ARGS * 8L || dataLen != 0 && data == 0) {
            return null;
        }
        long[] args = new long[(int) (dataLen / 8)];
        if (dataLen > 0) {
            MemorySegment d = ctx.memory().slice(data, dataLen, false);
            for (int i = 0; i < args.length; i++) {
                args[i] = d.get(ValueLayout.JAVA_LONG_UNALIGNED, 8L * i);
            }
        }
        return args;
    }

    /** A NUL-terminated string for %s: empty if any byte cannot be read, as the kernel's nofault copy. */
    private static byte[] string(HelperContext ctx, long address) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            for (int i = 0; i < BpfPrintf.MAX_BUF; i++) {
                int c = (int) ctx.memory().load(address + i, 1);
                if (c == 0) {
                    break;
                }
                b.write(c);
            }
        } catch (MemoryFault f) {
            return new byte[0];
        }
        return b.toByteArray();
    }

    /** {@code n} bytes for %pI4/%pI6: zeros if they cannot be read. */
    private static byte[] bytes(HelperContext ctx, long address, int n) {
        try {
            return ctx.memory().slice(address, n, false).toArray(ValueLayout.JAVA_BYTE);
        } catch (MemoryFault f) {
            return new byte[n];
        }
    }

    /** bpf_snprintf(str, str_size, fmt, data, data_len): the full length plus one, or -EINVAL. */
    private static long snprintf(HelperContext ctx, long str, long strSize, long fmt, long data, long dataLen) {
        long[] args = varargs(ctx, data, dataLen);
        if (args == null) {
            return -Errnos.EINVAL;
        }
        byte[] format = string(ctx, fmt);
        byte[] out = BpfPrintf.format(format, args, args.length, a -> string(ctx, a), (a, n) -> bytes(ctx, a, n));
        if (out == null) {
            return -Errnos.EINVAL;
        }
        if (strSize > 0) {
            MemorySegment dst = ctx.memory().slice(str, strSize, true);
            int n = (int) Math.min(out.length, strSize - 1);
            MemorySegment.copy(out, 0, dst, ValueLayout.JAVA_BYTE, 0, n);
            dst.set(ValueLayout.JAVA_BYTE, n, (byte) 0);
        }
        return out.length + 1L;
    }

    /** bpf_loop(nr_loops, callback, ctx, flags): callback(i, ctx) until it returns non-zero. */
    private static long loop(HelperContext ctx, long nrLoops, long callback, long callbackCtx, long flags, long a5) {
        if (flags != 0) {
            return -Errnos.EINVAL;
        }
        long n = nrLoops & 0xffff_ffffL;
        if (n > MAX_LOOPS) {
            // The verifier inlines bpf_loop when flags is a known 0 (the only way to get here), and the
            // inlined code sets r0 with a 32-bit mov: the program sees -E2BIG zero-extended.
            return -Errnos.E2BIG & 0xffff_ffffL;
        }
        for (long i = 0; i < n; i++) {
            if (ctx.callFunction(callback, i, callbackCtx, 0, 0, 0) != 0) {
                return i + 1;
            }
        }
        return n;
    }

    /** bpf_strncmp: the kernel's strncmp of s1 (s1_sz bytes) with the string s2: -1, 0 or 1. */
    private static long strncmp(HelperContext ctx, long s1, long s1Size, long s2) {
        MemorySegment a = ctx.memory().slice(s1, s1Size, false);
        for (long i = 0; i < s1Size; i++) {
            int c1 = a.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            int c2 = (int) ctx.memory().load(s2 + i, 1);
            if (c1 != c2) {
                return c1 < c2 ? -1 : 1;
            }
            if (c1 == 0) {
                break;
            }
        }
        return 0;
    }
}
