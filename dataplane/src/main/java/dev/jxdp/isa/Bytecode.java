package dev.jxdp.isa;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * A program as a sequence of 8-byte slots, each holding the instruction that starts there; the
 * second slot of a {@link LoadImm64} holds null. Jump and call offsets count slots, so positions
 * here ("pc") are slot indexes, as in the kernel and in llvm-objdump.
 */
public final class Bytecode {
    private final Instruction[] slots;

    private Bytecode(Instruction[] slots) {
        this.slots = slots;
    }

    /** Lays out instructions one after another; no jump checks (see {@link #checkTargets()}). */
    public static Bytecode of(List<? extends Instruction> instructions) {
        int n = 0;
        for (Instruction i : instructions) {
            n += i.slots();
        }
        Instruction[] slots = new Instruction[n];
        int pc = 0;
        for (Instruction i : instructions) {
            slots[pc] = i;
            pc += i.slots();
        }
        return new Bytecode(slots);
    }

    public static Bytecode of(Instruction... instructions) {
        return of(List.of(instructions));
    }

    /** Number of 8-byte slots. */
    public int length() {
        return slots.length;
    }

    /** The instruction starting at slot {@code pc}, or null if pc is the second slot of a wide load. */
    public Instruction at(int pc) {
        return slots[pc];
    }

    /** The instructions in order, without the empty second slots. */
    public List<Instruction> instructions() {
        List<Instruction> list = new ArrayList<>(slots.length);
        for (Instruction i : slots) {
            if (i != null) {
                list.add(i);
            }
        }
        return Collections.unmodifiableList(list);
    }

    /** Calls {@code action} with each instruction and the slot it starts at. */
    public void forEach(ObjIntConsumer<Instruction> action) {
        for (int pc = 0; pc < slots.length; pc++) {
            if (slots[pc] != null) {
                action.accept(slots[pc], pc);
            }
        }
    }

    /** Whether an instruction refers to a slot of the program: a jump, goto, local call or function-address load. */
    public static boolean hasTarget(Instruction insn) {
        return switch (insn) {
            case Jump j -> true;
            case Goto g -> true;
            case Call c -> c.kind() == CallKind.LOCAL;
            case LoadImm64 l -> l.source() == PseudoSource.FUNC;
            default -> false;
        };
    }

    /**
     * The slot a jump, goto, local call or function-address load at {@code pc} refers to, or -1 if the
     * instruction refers to no other instruction. The result may lie outside the program, and may be
     * -1 itself: ask {@link #hasTarget} to tell the two apart.
     */
    public static long targetOf(Instruction insn, int pc) {
        return switch (insn) {
            case Jump j -> (long) pc + 1 + j.offset();
            case Goto g -> (long) pc + 1 + g.offset();
            case Call(CallKind kind, int imm) when kind == CallKind.LOCAL -> (long) pc + 1 + imm;
            case LoadImm64 l when l.source() == PseudoSource.FUNC -> (long) pc + 1 + l.imm();
            default -> -1;
        };
    }

    /**
     * Checks that every jump, goto, local call and function reference lands on an instruction of this
     * program, and not in the middle of a 64-bit immediate load (the kernel's wording).
     */
    public Bytecode checkTargets() {
        for (int pc = 0; pc < slots.length; pc++) {
            Instruction insn = slots[pc];
            if (insn == null) {
                continue;
            }
            if (!hasTarget(insn)) {
                continue;
            }
            // Not "target == -1": a reference to slot -1 computes to -1 too, and must be refused.
            long target = targetOf(insn, pc);
            boolean inRange = target >= 0 && target < slots.length;
            switch (insn) {
                case Call c when !inRange -> throw new DecodeException(pc, "call to invalid destination " + target);
                case LoadImm64 l when !inRange -> throw new DecodeException(pc, "function reference to invalid destination " + target);
                default -> {
                    if (!inRange) {
                        throw new DecodeException(pc, "jump out of range from insn " + pc + " to " + target);
                    }
                }
            }
            if (slots[(int) target] == null) {
                throw new DecodeException(pc, "jump into the middle of ldimm64 insn " + (target - 1));
            }
        }
        return this;
    }

    /** The program as raw little-endian bytes, 8 per slot. */
    public byte[] toBytes() {
        return Encoder.encode(this);
    }
}
