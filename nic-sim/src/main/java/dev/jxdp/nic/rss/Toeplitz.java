package dev.jxdp.nic.rss;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

/**
 * The Toeplitz hash of Microsoft's RSS specification, which NICs compute over a received packet's
 * addresses and ports: for every set bit of the input, from the most significant bit of the first
 * byte on, XOR in the 32 bits of the key that start at that bit's position. A key of 40 bytes covers
 * inputs up to 36 bytes (an IPv6 address pair and two ports).
 *
 * <p>The per-bit loop is folded into a table per input byte position (256 entries each), so a hash
 * costs one lookup per input byte. Immutable and thread-safe.
 */
public final class Toeplitz {
    /**
     * The 40-byte key of Microsoft's RSS verification suite, which Intel's and most other NICs ship as
     * their default (and ethtool shows on them unless a random key was set).
     */
    public static final byte[] DEFAULT_KEY = HexFormat.of().parseHex(
            "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa");

    private final byte[] key;
    private final int maxInput;
    private final int[][] table;

    public Toeplitz(byte[] key) {
        if (key.length < 8) {
            throw new IllegalArgumentException("an RSS key has at least 8 bytes, not " + key.length);
        }
        this.key = key.clone();
        this.maxInput = key.length - 4;
        this.table = new int[maxInput][256];
        for (int pos = 0; pos < maxInput; pos++) {
            for (int bit = 0; bit < 8; bit++) {
                int window = window(pos * 8 + bit);
                int mask = 0x80 >>> bit;
                for (int b = 0; b < 256; b++) {
                    if ((b & mask) != 0) {
                        table[pos][b] ^= window;
                    }
                }
            }
        }
    }

    /** The 32 key bits that start at bit {@code bit} (bit 0 is the most significant of byte 0). */
    private int window(int bit) {
        long bits = 0;
        for (int i = 0; i < 5; i++) {
            bits = bits << 8 | (key[bit / 8 + i] & 0xff);
        }
        return (int) (bits >>> (8 - bit % 8));
    }

    public byte[] key() {
        return key.clone();
    }

    /** The longest input this key hashes. */
    public int maxInput() {
        return maxInput;
    }

    /** The hash of {@code input}. */
    public int hash(byte[] input) {
        checkLength(input.length);
        int h = 0;
        for (int i = 0; i < input.length; i++) {
            h ^= table[i][input[i] & 0xff];
        }
        return h;
    }

    /**
     * Continues a hash: XORs in the contribution of {@code length} bytes of {@code data} at
     * {@code offset}, placed at input position {@code position}. The hash of a concatenation is the
     * XOR of its parts at their positions, so a frame's fields are hashed where they lie.
     */
    public int mix(int h, MemorySegment data, long offset, int length, int position) {
        checkLength(position + length);
        for (int i = 0; i < length; i++) {
            h ^= table[position + i][data.get(ValueLayout.JAVA_BYTE, offset + i) & 0xff];
        }
        return h;
    }

    private void checkLength(int n) {
        if (n > maxInput) {
            throw new IllegalArgumentException("a " + key.length + "-byte key hashes at most " + maxInput + " bytes, not " + n);
        }
    }
}
