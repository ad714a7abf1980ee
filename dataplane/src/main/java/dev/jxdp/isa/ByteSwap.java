package dev.jxdp.isa;

/**
 * Byte-order conversion of the low {@code bits} (16, 32 or 64) of dst, zero-extending the result
 * (RFC 9669 4.2): to little or big endian (ALU|END, a no-op or a swap depending on the host), or an
 * unconditional swap (ALU64|END, cpu v4).
 */
public record ByteSwap(Order order, int bits, int dst) implements Instruction {

    public enum Order {
        /** ALU|END|K: {@code r1 = le32 r1}. */
        TO_LE,
        /** ALU|END|X: {@code r1 = be16 r1}. */
        TO_BE,
        /** ALU64|END|K: {@code r1 = bswap64 r1}. */
        SWAP
    }

    public ByteSwap {
        Registers.check(dst);
        if (bits != 16 && bits != 32 && bits != 64) {
            throw new IllegalArgumentException("byte swap width must be 16, 32 or 64, not " + bits);
        }
    }

    @Override
    public int opcode() {
        return switch (order) {
            case TO_LE -> OpClass.END | OpClass.SRC_K | OpClass.ALU;
            case TO_BE -> OpClass.END | OpClass.SRC_X | OpClass.ALU;
            case SWAP -> OpClass.END | OpClass.SRC_K | OpClass.ALU64;
        };
    }

    @Override
    public long raw() {
        return Instruction.pack(opcode(), dst, 0, 0, bits);
    }
}
