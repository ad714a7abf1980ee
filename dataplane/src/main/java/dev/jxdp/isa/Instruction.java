package dev.jxdp.isa;

/**
 * One eBPF instruction, decoded. Every record here encodes back to exactly the slot(s) it was decoded
 * from: fields the RFC reserves are zero, as the kernel's verifier requires, so the model needs no
 * room for them. {@link LoadImm64} is the only instruction that takes two 8-byte slots.
 */
public sealed interface Instruction
        permits Alu, ByteSwap, Jump, Goto, Call, CallReg, Exit, LoadImm64, Load, Store, StoreReg, Atomic,
                PacketLoad {

    /** The 8-bit opcode of the first slot. */
    int opcode();

    /** The first (or only) 8-byte slot, as a little-endian 64-bit value. */
    long raw();

    /** Number of 8-byte slots: 2 for {@link LoadImm64}, else 1. */
    default int slots() {
        return 1;
    }

    /** Packs the fields of one slot into its little-endian 64-bit value (RFC 9669 3). */
    static long pack(int opcode, int dst, int src, int offset, int imm) {
        return (opcode & 0xffL)
                | (long) (dst & 0x0f) << 8
                | (long) (src & 0x0f) << 12
                | (offset & 0xffffL) << 16
                | (long) imm << 32;
    }

    static int checkOffset(int offset) {
        if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " does not fit 16 bits");
        }
        return offset;
    }
}
