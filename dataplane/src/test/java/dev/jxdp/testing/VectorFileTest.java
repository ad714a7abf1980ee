package dev.jxdp.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VectorFileTest {

    @Test
    void parsesEverySection() {
        List<Vector> vs = VectorFile.parse("t.vec", """
                # header comment
                === first
                # comment
                -- asm
                r0 = *(u8 *)(r1 + 0x0)  # asm keeps its own comments
                exit
                -- mem
                2a ff
                00
                -- result
                0xffffffffffffffff
                -- mem-out
                2a ff 00
                -- kernel
                skip because

                === second
                -- asm
                exit
                -- error
                r0 never written
                -- kernel
                sched_cls
                """);
        assertEquals(2, vs.size());
        Vector a = vs.get(0);
        assertEquals("t.vec: first", a.toString());
        assertTrue(a.asm().contains("exit"));
        assertArrayEquals(new byte[] {0x2a, (byte) 0xff, 0}, a.mem());
        assertEquals(-1L, a.result());
        assertArrayEquals(new byte[] {0x2a, (byte) 0xff, 0}, a.memOut());
        assertTrue(a.kernelSkip());
        Vector b = vs.get(1);
        assertEquals(0, b.mem().length);
        assertNull(b.result());
        assertNull(b.memOut());
        assertEquals("r0 never written", b.error());
        assertEquals("sched_cls", b.kernel());
    }

    @Test
    void refusesMalformedCases() {
        assertThrows(IllegalArgumentException.class, () -> VectorFile.parse("t", "=== a\n-- asm\nexit\n"));
        assertThrows(IllegalArgumentException.class,
                () -> VectorFile.parse("t", "=== a\n-- asm\nexit\n-- result\n0x1\n-- error\nx\n"));
        assertThrows(IllegalArgumentException.class, () -> VectorFile.parse("t", "=== a\n-- asm\nexit\n-- result\n1\n"));
        assertThrows(IllegalArgumentException.class,
                () -> VectorFile.parse("t", "=== a\n-- asm\nexit\n-- result\n0x1\n-- mem\n1 2\n"));
        assertThrows(IllegalArgumentException.class,
                () -> VectorFile.parse("t", "=== a\n-- asm\nexit\n-- result\n0x1\n=== a\n-- asm\nexit\n-- result\n0x1\n"));
        assertThrows(IllegalArgumentException.class,
                () -> VectorFile.parse("t", "=== a\n-- asm\nexit\n-- result\n0x1\n-- kernel\nskip\n"));
        assertThrows(IllegalArgumentException.class, () -> VectorFile.parse("t", "stray\n=== a\n-- asm\nexit\n-- result\n0x1\n"));
        assertThrows(IllegalArgumentException.class, () -> VectorFile.parse("t", "=== a\n-- asm\nexit\n-- output\n0x1\n"));
    }
}
