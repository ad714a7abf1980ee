package dev.jxdp.obj.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * {@link Btf#sizeOf} on BTF written by hand (the layout of include/uapi/linux/btf.h): C's sizeof of
 * arrays and arrays of arrays, and the kernel's refusals: an array whose size does not fit in 32 bits
 * (btf_array_resolve: "Array size overflows U32_MAX") and a type that never resolves.
 */
class BtfSizeTest {
    private static final int KIND_INT = 1;
    private static final int KIND_ARRAY = 3;
    private static final int KIND_TYPEDEF = 8;

    /**
     * Types 1..: 1 int (4 bytes), 2 int[3], 3 int[3][5], 4 an array of itself (of length 1), 5 int[2^30] (2^32
     * bytes), 6 int[3][2^30], 7 a typedef of int[3], 8 int[0] (a flexible array: 0 bytes).
     */
    private static Btf btf() {
        ByteBuffer types = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        // 1: int, name "int" at 1, size 4, encoding signed, 32 bits
        types.putInt(1).putInt(KIND_INT << 24).putInt(4).putInt(1 << 24 | 32);
        array(types, 1, 3); // 2
        array(types, 2, 5); // 3
        array(types, 4, 1); // 4: its own element type (length 1, so only the depth stops it)
        array(types, 1, 1 << 30); // 5
        array(types, 5, 3); // 6
        types.putInt(0).putInt(KIND_TYPEDEF << 24).putInt(2); // 7 (a typedef's name may not be empty in the kernel; not checked here)
        array(types, 1, 0); // 8
        int typeLen = types.position();
        byte[] strings = "\0int\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer blob = ByteBuffer.allocate(24 + typeLen + strings.length).order(ByteOrder.LITTLE_ENDIAN);
        blob.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(24).putInt(0).putInt(typeLen).putInt(typeLen)
                .putInt(strings.length);
        blob.put(types.array(), 0, typeLen).put(strings);
        return Btf.parse("handmade.o", ".BTF", 0, blob.array());
    }

    private static void array(ByteBuffer types, int element, int length) {
        types.putInt(0).putInt(KIND_ARRAY << 24).putInt(0).putInt(element).putInt(1).putInt(length);
    }

    @Test
    void arraysAreTheirElementTimesTheirLength() {
        Btf btf = btf();
        assertEquals(4, btf.sizeOf(1));
        assertEquals(12, btf.sizeOf(2));
        assertEquals(60, btf.sizeOf(3));
        assertEquals(12, btf.sizeOf(7));
        assertEquals(0, btf.sizeOf(8));
        assertEquals(-1, btf.sizeOf(0), "void has no size");
    }

    @Test
    void anArrayOfItselfIsRefusedNotRecursedInto() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> btf().sizeOf(4));
        assertTrue(e.getMessage().contains("too deep"), e.getMessage());
    }

    @Test
    void anArrayLargerThan32BitsIsRefusedAsTheKernelRefusesIt() {
        Btf btf = btf();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> btf.sizeOf(5));
        assertEquals("BTF array type 5: size overflows U32_MAX", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> btf.sizeOf(6));
        assertEquals("BTF array type 6: size overflows U32_MAX", e.getMessage());
    }
}
