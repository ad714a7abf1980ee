package dev.jxdp.jit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * STX|ATOMIC as JVM atomic var-handle operations on a word at {@code (segment, offset)}: either the
 * exact word a checked access sliced out (offset 0) or {@link Direct#ALL} at the address. Each
 * returns the old value, zero-extended for 32-bit words (RFC 9669 5.3); the generated code keeps it
 * (fetch, CMPXCHG) or drops it. The var handles are static finals, so C2 inlines each call down to
 * one locked instruction.
 */
final class AtomicOps {
    private static final VarHandle I32 = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle I64 = ValueLayout.JAVA_LONG.varHandle();

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("jxdp runs eBPF on little-endian hosts only");
        }
    }

    private AtomicOps() {}

    static long add4(MemorySegment s, long off, long v) {
        return Integer.toUnsignedLong((int) I32.getAndAdd(s, off, (int) v));
    }

    static long or4(MemorySegment s, long off, long v) {
        return Integer.toUnsignedLong((int) I32.getAndBitwiseOr(s, off, (int) v));
    }

    static long and4(MemorySegment s, long off, long v) {
        return Integer.toUnsignedLong((int) I32.getAndBitwiseAnd(s, off, (int) v));
    }

    static long xor4(MemorySegment s, long off, long v) {
        return Integer.toUnsignedLong((int) I32.getAndBitwiseXor(s, off, (int) v));
    }

    static long xchg4(MemorySegment s, long off, long v) {
        return Integer.toUnsignedLong((int) I32.getAndSet(s, off, (int) v));
    }

    static long cmpxchg4(MemorySegment s, long off, long expected, long v) {
        return Integer.toUnsignedLong((int) I32.compareAndExchange(s, off, (int) expected, (int) v));
    }

    static long add8(MemorySegment s, long off, long v) {
        return (long) I64.getAndAdd(s, off, v);
    }

    static long or8(MemorySegment s, long off, long v) {
        return (long) I64.getAndBitwiseOr(s, off, v);
    }

    static long and8(MemorySegment s, long off, long v) {
        return (long) I64.getAndBitwiseAnd(s, off, v);
    }

    static long xor8(MemorySegment s, long off, long v) {
        return (long) I64.getAndBitwiseXor(s, off, v);
    }

    static long xchg8(MemorySegment s, long off, long v) {
        return (long) I64.getAndSet(s, off, v);
    }

    static long cmpxchg8(MemorySegment s, long off, long expected, long v) {
        return (long) I64.compareAndExchange(s, off, expected, v);
    }
}
