package dev.jxdp.isa;

/** JMP|EXIT: return r0 to the caller, or end the program. */
public record Exit() implements Instruction {
    @Override
    public int opcode() {
        return OpClass.EXIT | OpClass.JMP;
    }

    @Override
    public long raw() {
        return Instruction.pack(opcode(), 0, 0, 0, 0);
    }
}
