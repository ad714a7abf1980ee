package dev.jxdp.verifier;

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
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.obj.MapSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The checks on the shape of the code, before any state is tracked (the kernel's
 * resolve_pseudo_ldimm64, add_subprog_and_kfunc, check_subprogs and check_cfg): map references,
 * subprogram boundaries, jumps that leave their function, code that falls off the end, unreachable
 * instructions and (for unprivileged programs) loops. Also finds the prune points, where the
 * exploration compares states, and the subprograms.
 */
final class Cfg {
    final int[] subprogStarts;
    /** Per slot: the subprogram it belongs to. */
    final int[] subprogOf;
    final boolean[] prunePoint;
    final boolean[] jmpPoint;
    final boolean[] forceCheckpoint;
    final boolean[] hasTailCall;
    final boolean[] hasLdAbs;
    /** Per subprogram: the subprograms it calls directly or names as a callback. */
    final List<TreeSet<Integer>> callees;

    private Cfg(int[] starts, int len) {
        subprogStarts = starts;
        subprogOf = new int[len];
        prunePoint = new boolean[len];
        jmpPoint = new boolean[len];
        forceCheckpoint = new boolean[len];
        hasTailCall = new boolean[starts.length];
        hasLdAbs = new boolean[starts.length];
        callees = new ArrayList<>();
        for (int i = 0; i < starts.length; i++) {
            callees.add(new TreeSet<>());
        }
        for (int s = 0; s < starts.length; s++) {
            int end = s + 1 < starts.length ? starts[s + 1] : len;
            for (int pc = starts[s]; pc < end; pc++) {
                subprogOf[pc] = s;
            }
        }
    }

    int subprogCount() {
        return subprogStarts.length;
    }

    int subprogEnd(int s) {
        return s + 1 < subprogStarts.length ? subprogStarts[s + 1] : subprogOf.length;
    }

    /** The subprogram starting at {@code pc}, or -1. */
    int subprogAt(int pc) {
        for (int i = 0; i < subprogStarts.length; i++) {
            if (subprogStarts[i] == pc) {
                return i;
            }
        }
        return -1;
    }

    static Cfg check(Bytecode code, List<MapSpec> maps, boolean privileged) {
        int len = code.length();
        if (len == 0) {
            throw new Reject(Reject.EINVAL, -1, "empty program");
        }
        TreeSet<Integer> starts = new TreeSet<>();
        starts.add(0);
        // resolve_pseudo_ldimm64 and add_subprog_and_kfunc: references, in instruction order.
        for (int pc = 0; pc < len; pc++) {
            Instruction insn = code.at(pc);
            switch (insn) {
                case null -> {}
                case LoadImm64 l -> checkLdImm64(l, pc, maps, len, starts);
                case Call c when c.kind() == CallKind.LOCAL -> {
                    if (!privileged) {
                        throw new Reject(Reject.EINVAL, pc, "function calls to other bpf functions are allowed for root only");
                    }
                    long target = (long) pc + 1 + c.imm();
                    if (target < 0 || target >= len) {
                        throw new Reject(Reject.EINVAL, pc, "call to invalid destination");
                    }
                    starts.add((int) target);
                }
                case Call c when c.kind() == CallKind.KFUNC ->
                        throw new Reject(Reject.EINVAL, pc, "kernel btf_id " + c.imm() + " is not a function");
                default -> {}
            }
        }
        int[] startArr = starts.stream().mapToInt(Integer::intValue).toArray();
        Cfg cfg = new Cfg(startArr, len);
        cfg.checkSubprogs(code);
        cfg.dfs(code, privileged);
        return cfg;
    }

    private static void checkLdImm64(LoadImm64 l, int pc, List<MapSpec> maps, int len, TreeSet<Integer> starts) {
        switch (l.source()) {
            case VALUE -> {}
            case FUNC -> {
                long target = (long) pc + 1 + l.imm();
                if (target < 0 || target >= len) {
                    throw new Reject(Reject.EINVAL, pc, "call to invalid destination");
                }
                starts.add((int) target);
            }
            case MAP_FD, MAP_IDX, MAP_VALUE, MAP_IDX_VALUE -> {
                if (l.imm() < 0 || l.imm() >= maps.size()) {
                    throw new Reject(Reject.EBADF, pc, "fd " + l.imm() + " is not pointing to valid bpf_map");
                }
                MapSpec m = maps.get(l.imm());
                boolean value = l.source() == PseudoSource.MAP_VALUE || l.source() == PseudoSource.MAP_IDX_VALUE;
                if (value) {
                    if (m.type() != dev.jxdp.obj.MapType.ARRAY || m.maxEntries() != 1) {
                        throw new Reject(Reject.EINVAL, pc, "direct value access on " + m.type().bpftoolName() + " map is not supported");
                    }
                    long off = Integer.toUnsignedLong(l.nextImm());
                    if (off >= Integer.toUnsignedLong(m.valueSize())) {
                        throw new Reject(Reject.EINVAL, pc, "invalid access to map value pointer, value_size="
                                + Integer.toUnsignedLong(m.valueSize()) + " off=" + off);
                    }
                } else if (l.nextImm() != 0) {
                    throw new Reject(Reject.EINVAL, pc, "unrecognized bpf_ld_imm64 insn");
                }
            }
            case BTF_ID -> throw new Reject(Reject.EINVAL, pc,
                    "ld_imm64 of a kernel variable (BTF id " + l.imm() + ") is not supported outside the kernel");
        }
    }

    /** check_subprogs: jumps stay inside their subprogram, and each one ends with exit or goto. */
    private void checkSubprogs(Bytecode code) {
        int len = code.length();
        for (int s = 0; s < subprogStarts.length; s++) {
            int start = subprogStarts[s];
            int end = subprogEnd(s);
            for (int pc = start; pc < end; pc++) {
                Instruction insn = code.at(pc);
                if (insn == null) {
                    continue;
                }
                if (insn instanceof Call c && c.isHelper(dev.jxdp.exec.Helpers.TAIL_CALL)) {
                    hasTailCall[s] = true;
                }
                if (insn instanceof PacketLoad) {
                    hasLdAbs[s] = true;
                }
                if (insn instanceof Jump || insn instanceof Goto) {
                    long target = Bytecode.targetOf(insn, pc);
                    if (target < start || target >= end) {
                        throw new Reject(Reject.EINVAL, pc, "jump out of range from insn " + pc + " to " + target);
                    }
                }
            }
            int last = end - 1;
            // the second slot of an ld_imm64 at the end is not an instruction of its own
            Instruction lastInsn = code.at(last);
            if (!(lastInsn instanceof Exit) && !(lastInsn instanceof Goto)) {
                throw new Reject(Reject.EINVAL, last, "last insn is not an exit or jmp");
            }
        }
    }

    private static final int DISCOVERED = 1;
    private static final int EXPLORED = 2;

    /** check_cfg: a depth-first walk from the entry and from every subprogram. */
    private void dfs(Bytecode code, boolean privileged) {
        int len = code.length();
        int[] state = new int[len];
        int[] stack = new int[len + 1];
        int[] nextEdge = new int[len];
        for (int root : subprogStarts) {
            if (state[root] != 0) {
                continue;
            }
            int sp = 0;
            stack[sp++] = root;
            state[root] = DISCOVERED;
            while (sp > 0) {
                int t = stack[sp - 1];
                int[] succ = successors(code, t);
                int e = nextEdge[t];
                if (e >= succ.length) {
                    state[t] = EXPLORED;
                    sp--;
                    continue;
                }
                nextEdge[t]++;
                int w = succ[e];
                if (w < 0 || w >= len) {
                    throw new Reject(Reject.EINVAL, t, "jump out of range from insn " + t + " to " + w);
                }
                if (code.at(w) == null) {
                    throw new Reject(Reject.EINVAL, t, "jump into the middle of ldimm64 insn " + (w - 1));
                }
                if (state[w] == 0) {
                    state[w] = DISCOVERED;
                    stack[sp++] = w;
                } else if (state[w] == DISCOVERED && !privileged) {
                    throw new Reject(Reject.EINVAL, t, "back-edge from insn " + t + " to " + w);
                }
            }
        }
        for (int pc = 0; pc < len; pc++) {
            if (code.at(pc) != null && state[pc] != EXPLORED) {
                throw new Reject(Reject.EINVAL, pc, "unreachable insn " + pc);
            }
        }
    }

    /** Successors of {@code t} within the walk, marking prune points on the way (visit_insn). */
    private int[] successors(Bytecode code, int t) {
        Instruction insn = code.at(t);
        int next = t + insn.slots();
        switch (insn) {
            case Exit e -> {
                return new int[0];
            }
            case Goto g -> {
                int w = (int) Bytecode.targetOf(g, t);
                if (w >= 0 && w < prunePoint.length) {
                    prunePoint[w] = true;
                    jmpPoint[w] = true;
                }
                return new int[] {w};
            }
            case Jump j -> {
                prunePoint[t] = true;
                jmpPoint[t] = true;
                return new int[] {next, (int) Bytecode.targetOf(j, t)};
            }
            case Call c -> {
                markNext(next);
                if (c.kind() == CallKind.HELPER && (c.imm() == HelperCallbacks.LOOP || c.imm() == HelperCallbacks.FOR_EACH_MAP_ELEM)) {
                    prunePoint[t] = true;
                    jmpPoint[t] = true;
                    forceCheckpoint[t] = true;
                }
                if (c.kind() == CallKind.LOCAL) {
                    prunePoint[t] = true;
                    int w = (int) Bytecode.targetOf(c, t);
                    callees.get(subprogOf[t]).add(subprogAt(w));
                    return new int[] {next, w};
                }
                return new int[] {next};
            }
            case CallReg c -> {
                markNext(next);
                prunePoint[t] = true;
                return new int[] {next};
            }
            case LoadImm64 l when l.source() == PseudoSource.FUNC -> {
                markNext(next);
                int w = (int) Bytecode.targetOf(l, t);
                callees.get(subprogOf[t]).add(subprogAt(w));
                return new int[] {next, w};
            }
            default -> {
                return new int[] {next};
            }
        }
    }

    private void markNext(int next) {
        if (next < prunePoint.length) {
            prunePoint[next] = true;
            jmpPoint[next] = true;
        }
    }
}
