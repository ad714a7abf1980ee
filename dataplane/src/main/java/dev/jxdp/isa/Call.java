package dev.jxdp.isa;

/** JMP|CALL|K: a helper call by id, a bpf-to-bpf call by relative offset, or a kfunc call by BTF id. */
public record Call(CallKind kind, int imm) implements Instruction {

    public static Call helper(int id) {
        return new Call(CallKind.HELPER, id);
    }

    public static Call local(int offset) {
        return new Call(CallKind.LOCAL, offset);
    }

    /** Whether this calls helper {@code id} (a call by id, not a bpf-to-bpf or kfunc call with that immediate). */
    public boolean isHelper(int id) {
        return kind == CallKind.HELPER && imm == id;
    }

    @Override
    public int opcode() {
        return OpClass.CALL | OpClass.SRC_K | OpClass.JMP;
    }

    @Override
    public long raw() {
        return Instruction.pack(opcode(), 0, kind.code, 0, imm);
    }
}
