package dev.jxdp.maps;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Bob Jenkins' lookup3 hash as include/linux/jhash.h has it ({@code jhash}, {@code jhash2}), which
 * hash maps and bloom filters use. With the same seed jxdp places keys in the same buckets as the
 * kernel, so with BPF_F_ZERO_SEED the element order (get_next_key, dumps) is the kernel's.
 */
final class JHash {
    private JHash() {}

    /** JHASH_INITVAL. */
    static final int INITVAL = 0xdeadbeef;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;

    /** htab_map_hash(): jhash2 over the words when the length is a multiple of 4, else jhash. */
    static int hash(MemorySegment key, long offset, int length, int seed) {
        return length % 4 == 0 ? jhash2(key, offset, length / 4, seed) : jhash(key, offset, length, seed);
    }

    /** jhash(key, length, initval): bytes, little-endian words (x86's __get_unaligned_cpu32). */
    static int jhash(MemorySegment k, long off, int length, int initval) {
        int a = INITVAL + length + initval;
        int b = a;
        int c = a;
        while (length > 12) {
            a += k.get(U32, off);
            b += k.get(U32, off + 4);
            c += k.get(U32, off + 8);
            // __jhash_mix
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            length -= 12;
            off += 12;
        }
        if (length == 0) {
            return c;
        }
        // The switch's fall-through: byte i of the tail goes to word i / 4 at bit 8 * (i % 4).
        for (int i = length - 1; i >= 0; i--) {
            int v = (k.get(ValueLayout.JAVA_BYTE, off + i) & 0xff) << (8 * (i % 4));
            switch (i / 4) {
                case 2 -> c += v;
                case 1 -> b += v;
                default -> a += v;
            }
        }
        return finish(a, b, c);
    }

    /** jhash2(k, length in words, initval). */
    static int jhash2(MemorySegment k, long off, int words, int initval) {
        int a = INITVAL + (words << 2) + initval;
        int b = a;
        int c = a;
        while (words > 3) {
            a += k.get(U32, off);
            b += k.get(U32, off + 4);
            c += k.get(U32, off + 8);
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            words -= 3;
            off += 12;
        }
        switch (words) {
            case 3:
                c += k.get(U32, off + 8);
                // fall through
            case 2:
                b += k.get(U32, off + 4);
                // fall through
            case 1:
                a += k.get(U32, off);
                return finish(a, b, c);
            default:
                return c;
        }
    }

    /** __jhash_final. */
    private static int finish(int a, int b, int c) {
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }
}
