package dev.jxdp.isa;

/**
 * STX|ATOMIC on a 32- or 64-bit word at {@code dst + offset} with operand {@code src}. With
 * {@code fetch} the old value is returned in src (for CMPXCHG: in r0, which also holds the expected value).
 */
public record Atomic(Size size, AtomicOp op, boolean fetch, int dst, int src, int offset) implements Instruction {
    public Atomic {
        Registers.check(dst);
        Registers.check(src);
        Instruction.checkOffset(offset);
        if (size != Size.W && size != Size.DW) {
            throw new IllegalArgumentException("atomic operations are 32 or 64 bits wide");
        }
        if (op.alwaysFetches() && !fetch) {
            throw new IllegalArgumentException(op + " always fetches");
        }
    }

    /** The imm field: the operation code and the FETCH flag. */
    public int imm() {
        return op.code | (fetch ? AtomicOp.FETCH : 0);
    }

    @Override
    public int opcode() {
        return OpClass.STX | OpClass.MODE_ATOMIC | size.code;
    }

    @Override
    public long raw() {
        return Instruction.pack(opcode(), dst, src, offset, imm());
    }
}
