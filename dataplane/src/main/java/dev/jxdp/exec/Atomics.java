package dev.jxdp.exec;

import dev.jxdp.isa.AtomicOp;
import dev.jxdp.isa.Size;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * STX|ATOMIC on checked memory (RFC 9669 5.3), done with the JVM's atomic var-handle operations so
 * that later, when maps are shared between threads, the interpreter is still atomic.
 */
final class Atomics {
    private static final VarHandle I32 = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle I64 = ValueLayout.JAVA_LONG.varHandle();

    static {
        // The var handles use native order; eBPF memory here is little-endian.
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("jxdp runs eBPF on little-endian hosts only");
        }
    }

    private Atomics() {}

    /**
     * Applies {@code op} to the word at {@code address} and returns the value it had before,
     * zero-extended for 32-bit words. {@code operand} is src; {@code expected} is r0 (CMPXCHG only).
     * Like the kernel's verifier, it refuses misaligned words: they cannot be updated atomically.
     */
    static long apply(MemoryMap memory, Size size, AtomicOp op, long address, long operand, long expected) {
        int bytes = size.bytes;
        if ((address & (bytes - 1)) != 0) {
            throw new MemoryFault("misaligned atomic access (address not a multiple of " + bytes + ")");
        }
        MemorySegment word = memory.slice(address, bytes, true);
        return size == Size.W ? Integer.toUnsignedLong(apply32(word, op, (int) operand, (int) expected))
                : apply64(word, op, operand, expected);
    }

    private static int apply32(MemorySegment w, AtomicOp op, int v, int expected) {
        return switch (op) {
            case ADD -> (int) I32.getAndAdd(w, 0L, v);
            case OR -> (int) I32.getAndBitwiseOr(w, 0L, v);
            case AND -> (int) I32.getAndBitwiseAnd(w, 0L, v);
            case XOR -> (int) I32.getAndBitwiseXor(w, 0L, v);
            case XCHG -> (int) I32.getAndSet(w, 0L, v);
            case CMPXCHG -> (int) I32.compareAndExchange(w, 0L, expected, v);
        };
    }

    private static long apply64(MemorySegment w, AtomicOp op, long v, long expected) {
        return switch (op) {
            case ADD -> (long) I64.getAndAdd(w, 0L, v);
            case OR -> (long) I64.getAndBitwiseOr(w, 0L, v);
            case AND -> (long) I64.getAndBitwiseAnd(w, 0L, v);
            case XOR -> (long) I64.getAndBitwiseXor(w, 0L, v);
            case XCHG -> (long) I64.getAndSet(w, 0L, v);
            case CMPXCHG -> (long) I64.compareAndExchange(w, 0L, expected, v);
        };
    }
}
