package dev.jxdp.exec;

import dev.jxdp.isa.Disassembler;
import dev.jxdp.isa.Instruction;

/**
 * A program that cannot run on, found when preparing it (a write to r10, an unresolved map
 * reference) or while running it (a refused memory access, a call stack too deep, an exhausted
 * budget). The message starts with the instruction index and its text: {@code insn 3 (r0 = *(u32
 * *)(r1 + 0x10)): 4-byte read at r1+0x10 (0x7f..): outside all regions}.
 */
public final class ExecutionException extends RuntimeException {
    private final int pc;

    public ExecutionException(int pc, String message) {
        super(message);
        this.pc = pc;
    }

    /** An error at slot {@code pc}, whose instruction is {@code insn} (null: not known). */
    public static ExecutionException at(int pc, Instruction insn, String problem) {
        String where = insn == null ? "insn " + pc : "insn " + pc + " (" + new Disassembler().format(insn, pc) + ")";
        return new ExecutionException(pc, where + ": " + problem);
    }

    /** The slot index of the instruction at fault. */
    public int pc() {
        return pc;
    }
}
