package dev.jxdp.jit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Unchecked memory: what a load or store that the verifier proved in bounds becomes
 * ({@link MemoryAccess.Direct}). One segment spans the whole address space, so an access is a single
 * little-endian load or store of its width at the address, with no region lookup; each method is a
 * few bytecodes that C2 inlines into the generated code. Nothing here checks anything: only proven
 * accesses may come here.
 */
final class Direct {
    /**
     * Every address, as offsets of one segment ({@code MemorySegment.NULL} reinterpreted to the
     * maximum size): a restricted operation, which is why jxdp runs with --enable-native-access.
     */
    @SuppressWarnings("restricted")
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Direct() {}

    static long load1(long address) {
        return ALL.get(U8, address) & 0xffL;
    }

    static long load2(long address) {
        return ALL.get(U16, address) & 0xffffL;
    }

    static long load4(long address) {
        return ALL.get(U32, address) & 0xffff_ffffL;
    }

    static long load8(long address) {
        return ALL.get(U64, address);
    }

    static void store1(long address, long value) {
        ALL.set(U8, address, (byte) value);
    }

    static void store2(long address, long value) {
        ALL.set(U16, address, (short) value);
    }

    static void store4(long address, long value) {
        ALL.set(U32, address, (int) value);
    }

    static void store8(long address, long value) {
        ALL.set(U64, address, value);
    }
}
