package dev.jxdp.jit;

import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallReg;
import dev.jxdp.isa.Exit;
import dev.jxdp.isa.Instruction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Register liveness over the whole program, so that a function's JVM method takes as parameters only
 * the registers its code may read before writing them, and a caller reloads only the r1-r5 it reads
 * after a call.
 *
 * <p>The interpreter's register file is shared by caller and callee: a callee may read the caller's
 * r0 and r6-r9, and the caller sees the r1-r5 the callee left. The compiled code keeps that: a
 * function's live-in registers are its parameters, and every exit hands back in the run's return
 * slots the r1-r5 that some call site reads afterwards ({@link #needOut()}; one set for the whole
 * program, which costs a few stores at exits that nobody reads and keeps the analysis simple).
 */
final class Liveness {
    private final Cfg cfg;
    private final Map<Integer, Integer> liveIn = new HashMap<>();
    private final Map<Integer, Integer> liveAfterCall = new HashMap<>();
    private int needOut;

    private Liveness(Cfg cfg) {
        this.cfg = cfg;
    }

    static Liveness of(Cfg cfg) {
        Liveness l = new Liveness(cfg);
        l.solve();
        return l;
    }

    private void solve() {
        List<Block> all = new ArrayList<>();
        cfg.blocks().forEach(all::add);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = all.size() - 1; i >= 0; i--) {
                Block b = all.get(i);
                int live = 0;
                for (int s : cfg.successors(b)) {
                    if (s != cfg.fallOff) {
                        live |= liveIn.getOrDefault(s, 0);
                    }
                }
                int[] pcs = b.pcs();
                for (int k = pcs.length - 1; k >= 0; k--) {
                    live = step(pcs[k], live);
                }
                Integer old = liveIn.put(b.start(), live);
                if (old == null || old != live) {
                    changed = true;
                }
            }
        }
    }

    private int step(int pc, int liveAfter) {
        Instruction insn = cfg.code.at(pc);
        int uses = Effects.uses(insn);
        switch (insn) {
            case Call c when Effects.isLocalCall(c) -> {
                recordCall(pc, liveAfter);
                uses |= liveIn.getOrDefault((int) Bytecode.targetOf(c, pc), 0);
            }
            case CallReg c -> {
                recordCall(pc, liveAfter);
                for (int target : cfg.functionRefs()) {
                    uses |= liveIn.getOrDefault(target, 0);
                }
            }
            case Exit e -> uses |= needOut;
            // A successful tail call exits the function: it hands back r1-r5 as an exit does.
            case Call c when Cfg.isTailCall(c) -> uses |= needOut;
            default -> {}
        }
        return liveAfter & ~Effects.defs(insn) | uses;
    }

    private void recordCall(int pc, int liveAfter) {
        liveAfterCall.put(pc, liveAfter);
        needOut |= liveAfter & Effects.R1_R5;
    }

    /** Registers a function entered at {@code entry} may read before writing them. */
    int liveIn(int entry) {
        return liveIn.getOrDefault(entry, 0);
    }

    /** Registers read after the local call or callx at {@code pc} before being written. */
    int liveAfterCall(int pc) {
        return liveAfterCall.getOrDefault(pc, 0);
    }

    /** The r1-r5 that every exit hands back to its caller. */
    int needOut() {
        return needOut;
    }

    /**
     * The exits of a function that may run with r0 never written in it, so need the interpreter's
     * "R0 !read_ok" check at run time. A function starts with r0 unwritten; any write (a call
     * included) makes it written on that path, and a bpf_tail_call that falls through unwrites it.
     */
    static Set<Integer> exitsNeedingR0Check(Cfg cfg, int entry, List<Block> function) {
        Map<Integer, Boolean> in = new HashMap<>();
        Map<Integer, List<Integer>> preds = new HashMap<>();
        for (Block b : function) {
            for (int s : cfg.successors(b)) {
                preds.computeIfAbsent(s, k -> new ArrayList<>()).add(b.start());
            }
        }
        for (Block b : function) {
            in.put(b.start(), b.start() != entry);
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Block b : function) {
                boolean v = b.start() != entry;
                for (int p : preds.getOrDefault(b.start(), List.of())) {
                    v &= out(cfg, cfg.block(p), in.get(p));
                }
                if (v != in.get(b.start())) {
                    in.put(b.start(), v);
                    changed = true;
                }
            }
        }
        Set<Integer> unchecked = new HashSet<>();
        for (Block b : function) {
            if (cfg.code.at(b.lastPc()) instanceof Exit) {
                boolean written = in.get(b.start());
                for (int k = 0; k < b.pcs().length - 1; k++) {
                    written = writtenAfter(cfg.code.at(b.pcs()[k]), written);
                }
                if (!written) {
                    unchecked.add(b.lastPc());
                }
            }
        }
        return unchecked;
    }

    private static boolean out(Cfg cfg, Block b, boolean in) {
        boolean w = in;
        for (int pc : b.pcs()) {
            w = writtenAfter(cfg.code.at(pc), w);
        }
        return w;
    }

    /** Whether r0 is written after {@code insn}: a tail call that falls through leaves it unwritten. */
    private static boolean writtenAfter(Instruction insn, boolean before) {
        if (Cfg.isTailCall(insn)) {
            return false;
        }
        return before || Cfg.writesR0(insn);
    }
}
