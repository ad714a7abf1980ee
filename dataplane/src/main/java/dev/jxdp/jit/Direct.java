package dev.jxdp.jit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Unchecked memory: what a load or store that the verifier proved in bounds becomes
 * ({@link MemoryAccess.Direct}). One segment spans the whole address space, so an access is a single
 * little-endian load or store of its width at the address, with no region lookup. The generated code
 * reads {@link #ALL} and the width's layout here and calls {@code MemorySegment.get}/{@code set}
 * itself ({@link MemoryGen}): no method of ours in between, since every level of calls from a packet
 * loop down to the JDK's innermost accessors counts against C2's MaxInlineLevel, and past it those
 * accessors stay calls inside the program's loops. Nothing here checks anything: only proven accesses
 * may come here.
 */
final class Direct {
    /**
     * Every address, as offsets of one segment ({@code MemorySegment.NULL} reinterpreted to the
     * maximum size): a restricted operation, which is why jxdp runs with --enable-native-access.
     */
    @SuppressWarnings("restricted")
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** The layouts of the four widths, little-endian (eBPF's byte order on x86 and arm64), unaligned. */
    static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Direct() {}
}
