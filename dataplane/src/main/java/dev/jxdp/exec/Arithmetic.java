package dev.jxdp.exec;

import dev.jxdp.isa.AluOp;
import dev.jxdp.isa.ByteSwap;

/**
 * The value semantics of the ALU, ALU64 and END instructions (RFC 9669 4.1, 4.2) as pure functions,
 * so that a JIT can fold constants with them and tests can call them directly.
 *
 * <p>Java's integer arithmetic already is the RFC's in the places that usually need care: it wraps
 * on overflow, {@code MIN / -1} is {@code MIN} and {@code MIN % -1} is 0 without a trap, division
 * truncates toward zero (so {@code -13 % 3 == -1}, the RFC's "truncated" modulo), and shift
 * distances are masked to 5 or 6 bits (masked here once more to say so).
 */
public final class Arithmetic {
    private Arithmetic() {}

    /**
     * An ALU64 operation. A K operand reaches here sign-extended from 32 bits; unsigned DIV and MOD
     * then read it as unsigned 64-bit, as the RFC says.
     */
    public static long alu64(AluOp op, long dst, long src) {
        return switch (op) {
            case ADD -> dst + src;
            case SUB -> dst - src;
            case MUL -> dst * src;
            // Division by zero yields 0; modulo by zero leaves dst unchanged (RFC 9669 4.1).
            case DIV -> src == 0 ? 0 : Long.divideUnsigned(dst, src);
            case SDIV -> src == 0 ? 0 : dst / src;
            case MOD -> src == 0 ? dst : Long.remainderUnsigned(dst, src);
            case SMOD -> src == 0 ? dst : dst % src;
            case OR -> dst | src;
            case AND -> dst & src;
            case XOR -> dst ^ src;
            case LSH -> dst << (src & 63);
            case RSH -> dst >>> (src & 63);
            case ARSH -> dst >> (src & 63);
            case NEG -> -dst;
            case MOV -> src;
            case MOVSX8 -> (byte) src;
            case MOVSX16 -> (short) src;
            case MOVSX32 -> (int) src;
        };
    }

    /**
     * An ALU (32-bit) operation on the low halves of dst and src; the result is zero-extended to 64
     * bits, whatever the operation, including modulo by zero (which keeps only dst's low half).
     */
    public static long alu32(AluOp op, long dst64, long src64) {
        int dst = (int) dst64;
        int src = (int) src64;
        int r = switch (op) {
            case ADD -> dst + src;
            case SUB -> dst - src;
            case MUL -> dst * src;
            case DIV -> src == 0 ? 0 : Integer.divideUnsigned(dst, src);
            case SDIV -> src == 0 ? 0 : dst / src;
            case MOD -> src == 0 ? dst : Integer.remainderUnsigned(dst, src);
            case SMOD -> src == 0 ? dst : dst % src;
            case OR -> dst | src;
            case AND -> dst & src;
            case XOR -> dst ^ src;
            case LSH -> dst << (src & 31);
            case RSH -> dst >>> (src & 31);
            case ARSH -> dst >> (src & 31);
            case NEG -> -dst;
            case MOV -> src;
            case MOVSX8 -> (byte) src;
            case MOVSX16 -> (short) src;
            case MOVSX32 -> throw new IllegalArgumentException("32-bit sign-extending move exists only in ALU64");
        };
        return Integer.toUnsignedLong(r);
    }

    /**
     * A byte-order instruction on the low {@code bits} of {@code value}, zero-extending the result.
     * jxdp's eBPF machine is little-endian (as x86-64 and arm64 are), so TO_LE only truncates and
     * TO_BE swaps, as SWAP always does.
     */
    public static long byteSwap(ByteSwap.Order order, int bits, long value) {
        boolean swap = order != ByteSwap.Order.TO_LE;
        return switch (bits) {
            case 16 -> (swap ? Short.reverseBytes((short) value) : (short) value) & 0xffffL;
            case 32 -> (swap ? Integer.reverseBytes((int) value) : (int) value) & 0xffffffffL;
            case 64 -> swap ? Long.reverseBytes(value) : value;
            default -> throw new IllegalArgumentException("byte swap width " + bits);
        };
    }
}
