package dev.jxdp.isa;

/** JMP|CALL|X ({@code callx r1}): a bpf-to-bpf call to the function whose address is in a register. */
public record CallReg(int reg) implements Instruction {
    public CallReg {
        Registers.check(reg);
    }

    @Override
    public int opcode() {
        return OpClass.CALL | OpClass.SRC_X | OpClass.JMP;
    }

    @Override
    public long raw() {
        return Instruction.pack(opcode(), reg, 0, 0, 0);
    }
}
