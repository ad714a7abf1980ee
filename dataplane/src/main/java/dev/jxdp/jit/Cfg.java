package dev.jxdp.jit;

import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.CallReg;
import dev.jxdp.isa.Exit;
import dev.jxdp.isa.Goto;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Jump;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PacketLoad;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * The basic blocks of a program and its functions.
 *
 * <p>A function is everything reachable by jumps from an entry: slot 0, the target of a bpf-to-bpf
 * call, or the target of a function reference ({@code ld_imm64} FUNC). The reference interpreter has
 * no notion of functions (a jump may cross from one subprogram's code into another's), so neither
 * has this: code reachable from two entries belongs to both and is compiled into both.
 *
 * <p>Blocks end after branches and exits, and also after bpf-to-bpf calls, callx, bpf_tail_call and LD_ABS/LD_IND,
 * so that an instruction count charged at block entry is exact (the rule is on {@link Jit}). Blocks longer
 * than the method splitter can place are cut into pieces.
 */
final class Cfg {
    /** A successor slot meaning "execution runs past the last instruction". */
    final int fallOff;

    final Bytecode code;
    private final NavigableMap<Integer, Block> blocks;
    private final SortedSet<Integer> entries;
    private final SortedSet<Integer> functionRefs;

    private Cfg(Bytecode code, NavigableMap<Integer, Block> blocks, SortedSet<Integer> entries,
            SortedSet<Integer> functionRefs) {
        this.code = code;
        this.fallOff = code.length();
        this.blocks = blocks;
        this.entries = entries;
        this.functionRefs = functionRefs;
    }

    /**
     * @param cost the estimated JVM bytecode size of one instruction
     * @param maxBlockCost a block whose instructions cost more is cut into pieces
     */
    static Cfg build(Bytecode code, ToIntFunction<Instruction> cost, int maxBlockCost) {
        int n = code.length();
        SortedSet<Integer> entries = new TreeSet<>();
        SortedSet<Integer> refs = new TreeSet<>();
        TreeSet<Integer> leaders = new TreeSet<>();
        if (n > 0) {
            entries.add(0);
            leaders.add(0);
        }
        code.forEach((insn, pc) -> {
            if (Bytecode.hasTarget(insn)) {
                int target = (int) Bytecode.targetOf(insn, pc);
                leaders.add(target);
                switch (insn) {
                    case Call c -> entries.add(target);
                    case LoadImm64 l -> {
                        entries.add(target);
                        refs.add(target);
                    }
                    default -> {}
                }
            }
            if (endsBlock(insn) && pc + insn.slots() < n) {
                leaders.add(pc + insn.slots());
            }
        });

        NavigableMap<Integer, Block> blocks = new TreeMap<>();
        List<Integer> pcs = new ArrayList<>();
        int start = 0;
        int blockCost = 0;
        for (int pc = 0; pc < n; pc++) {
            Instruction insn = code.at(pc);
            if (insn == null) {
                continue;
            }
            int c = cost.applyAsInt(insn);
            boolean cut = !pcs.isEmpty() && (leaders.contains(pc) || blockCost + c > maxBlockCost);
            if (cut) {
                blocks.put(start, new Block(start, pc, toArray(pcs)));
                pcs.clear();
                blockCost = 0;
                start = pc;
            }
            pcs.add(pc);
            blockCost += c;
        }
        if (!pcs.isEmpty()) {
            blocks.put(start, new Block(start, n, toArray(pcs)));
        }
        return new Cfg(code, blocks, Collections.unmodifiableSortedSet(entries), Collections.unmodifiableSortedSet(refs));
    }

    private static boolean endsBlock(Instruction insn) {
        return switch (insn) {
            case Jump j -> true;
            case Goto g -> true;
            case Exit e -> true;
            case Call c -> c.kind() == CallKind.LOCAL || isTailCall(c);
            case CallReg c -> true;
            case PacketLoad p -> true;
            default -> false;
        };
    }

    /** bpf_tail_call: it may end the function (the callee replaces it), so it ends its block. */
    static boolean isTailCall(Instruction insn) {
        return insn instanceof Call c && c.isHelper(dev.jxdp.exec.Helpers.TAIL_CALL);
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Function entries in slot order: 0 first, then call and function-reference targets. */
    SortedSet<Integer> entries() {
        return entries;
    }

    /** Targets of function references: what a callx can reach besides call targets. */
    SortedSet<Integer> functionRefs() {
        return functionRefs;
    }

    Block block(int start) {
        Block b = blocks.get(start);
        if (b == null) {
            throw new IllegalStateException("no block starts at slot " + start);
        }
        return b;
    }

    Iterable<Block> blocks() {
        return blocks.values();
    }

    /** The slots control may go to after {@code b}: targets first, then the fall-through (maybe {@link #fallOff}). */
    int[] successors(Block b) {
        int last = b.lastPc();
        return switch (code.at(last)) {
            case Jump j -> new int[] {last + 1 + j.offset(), b.end()};
            case Goto g -> new int[] {last + 1 + g.offset()};
            case Exit e -> new int[0];
            default -> new int[] {b.end()};
        };
    }

    /** The blocks reachable from {@code entry} by jumps and fall-through (not through calls), in slot order. */
    List<Block> function(int entry) {
        TreeMap<Integer, Block> seen = new TreeMap<>();
        ArrayDeque<Integer> work = new ArrayDeque<>();
        work.add(entry);
        while (!work.isEmpty()) {
            int s = work.poll();
            if (s == fallOff || seen.containsKey(s)) {
                continue;
            }
            Block b = block(s);
            seen.put(s, b);
            for (int t : successors(b)) {
                work.add(t);
            }
        }
        return List.copyOf(seen.values());
    }

    /** Whether {@code insn} writes r0: the register effect that {@code exit}'s "R0 !read_ok" check is about. */
    static boolean writesR0(Instruction insn) {
        return (Effects.defs(insn) & 1) != 0;
    }
}
