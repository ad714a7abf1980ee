package dev.jxdp.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Known bits: worked examples, and a randomized check that every operation contains every result. */
class TnumTest {

    @Test
    void rangeCoversTheInterval() {
        // [4, 7]: the top bits known 0b1xx -> value 4, mask 3
        assertEquals(new Tnum(4, 3), Tnum.range(4, 7));
        // [0, 255]: one unknown byte
        assertEquals(new Tnum(0, 0xff), Tnum.range(0, 255));
        // [5, 5]: a constant
        assertEquals(Tnum.constant(5), Tnum.range(5, 5));
        // crossing 2^63 leaves nothing known
        assertEquals(Tnum.UNKNOWN, Tnum.range(0, -1L));
    }

    @Test
    void addPropagatesCarries() {
        // x in {0, 1} plus 1 is {1, 2}: bits 0 and 1 unknown
        Tnum x = new Tnum(0, 1);
        assertEquals(new Tnum(0, 3), x.add(Tnum.constant(1)));
        // constants add exactly
        assertEquals(Tnum.constant(12), Tnum.constant(5).add(Tnum.constant(7)));
    }

    @Test
    void andOrXor() {
        Tnum byteVal = new Tnum(0, 0xff);
        assertEquals(new Tnum(0, 0x0f), byteVal.and(Tnum.constant(0x0f)));
        assertEquals(new Tnum(0x100, 0xff), byteVal.or(Tnum.constant(0x100)));
        assertEquals(new Tnum(0, 0xff), byteVal.xor(Tnum.constant(0x0f)));
    }

    @Test
    void containsIsSetInclusion() {
        assertTrue(new Tnum(0, 0xff).contains(Tnum.constant(0x42)));
        assertFalse(new Tnum(0, 0xff).contains(Tnum.constant(0x142)));
        assertFalse(Tnum.constant(1).contains(new Tnum(0, 1)));
    }

    @Test
    void stepFindsTheNextMember() {
        Random r = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            long mask = r.nextInt(256);
            long value = r.nextInt(256) & ~mask;
            if (r.nextBoolean()) {
                value |= 0x100; // a known bit above the free ones
            }
            Tnum t = new Tnum(value, mask);
            long z = r.nextInt(600);
            long expected = -1;
            for (long y = z + 1; y < 1024; y++) {
                if ((y & ~mask) == value) {
                    expected = y;
                    break;
                }
            }
            long fz = z;
            assertEquals(expected, t.step(z), () -> t + ".step(" + fz + ")");
        }
    }

    private static long member(Tnum t, Random r) {
        return t.value() | (r.nextLong() & t.mask());
    }

    private static Tnum random(Random r) {
        long mask = r.nextLong() & r.nextLong() & r.nextLong();
        if (r.nextInt(4) == 0) {
            mask &= 0xff;
        }
        return new Tnum(r.nextLong() & ~mask, mask);
    }

    @Test
    void everyOperationContainsItsConcreteResults() {
        Random r = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            Tnum a = random(r);
            Tnum b = random(r);
            long x = member(a, r);
            long y = member(b, r);
            int s = r.nextInt(64);
            assertTrue(a.add(b).contains(Tnum.constant(x + y)), () -> a + " + " + b);
            assertTrue(a.sub(b).contains(Tnum.constant(x - y)), () -> a + " - " + b);
            assertTrue(a.mul(b).contains(Tnum.constant(x * y)), () -> a + " * " + b);
            assertTrue(a.and(b).contains(Tnum.constant(x & y)));
            assertTrue(a.or(b).contains(Tnum.constant(x | y)));
            assertTrue(a.xor(b).contains(Tnum.constant(x ^ y)));
            assertTrue(a.shiftLeft(s).contains(Tnum.constant(x << s)));
            assertTrue(a.shiftRight(s).contains(Tnum.constant(x >>> s)));
            assertTrue(a.arithShiftRight(s, 64).contains(Tnum.constant(x >> s)));
            assertTrue(a.neg().contains(Tnum.constant(-x)));
            long lo = Math.min(x, y) < 0 ? 0 : Math.min(x, y);
            long hi = Math.max(x, y);
            if (Long.compareUnsigned(lo, hi) <= 0) {
                assertTrue(Tnum.range(lo, hi).contains(Tnum.constant(lo)));
                assertTrue(Tnum.range(lo, hi).contains(Tnum.constant(hi)));
            }
        }
    }
}
