package dev.jxdp.jit;

import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Instruction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Instructions with symbolic jump, call and function-reference targets, laid out into {@link Bytecode}. */
final class CodeBuilder {
    /** A position in the code, bound once. */
    static final class Label {}

    private record Pending(IntFunction<Instruction> withOffset, Label target, int slots) {}

    private final List<Object> items = new ArrayList<>();
    private final Map<Label, Integer> bound = new HashMap<>();
    private int slots;

    CodeBuilder add(Instruction insn) {
        items.add(insn);
        slots += insn.slots();
        return this;
    }

    /** An instruction whose offset field is {@code target - (its slot + 1)}; {@code slots} is its width. */
    CodeBuilder add(IntFunction<Instruction> withOffset, Label target, int slots) {
        items.add(new Pending(withOffset, target, slots));
        this.slots += slots;
        return this;
    }

    CodeBuilder bind(Label l) {
        if (bound.put(l, slots) != null) {
            throw new IllegalStateException("label bound twice");
        }
        return this;
    }

    int slots() {
        return slots;
    }

    Bytecode build() {
        List<Instruction> list = new ArrayList<>();
        int pc = 0;
        for (Object o : items) {
            Instruction insn = switch (o) {
                case Instruction i -> i;
                case Pending p -> p.withOffset().apply(bound.get(p.target()) - (pc + 1));
                default -> throw new IllegalStateException();
            };
            list.add(insn);
            pc += insn.slots();
        }
        return Bytecode.of(list);
    }
}
