package dev.jxdp.verifier;

import dev.jxdp.isa.Alu;
import dev.jxdp.isa.AluOp;
import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.ByteSwap;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.CallReg;
import dev.jxdp.isa.Exit;
import dev.jxdp.isa.Goto;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Jump;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.Operand;
import dev.jxdp.isa.PacketLoad;
import dev.jxdp.isa.Store;
import dev.jxdp.isa.StoreReg;

/**
 * Scalar precision tracking (the kernel's mark_chain_precision and backtrack_insn). Scalars start
 * imprecise, and pruning treats an imprecise scalar of an explored checkpoint as matching any scalar:
 * most values (a counter, a hash, a byte copied out of the packet) cannot make a path unsafe. When a
 * scalar's exact range does matter (it is added to a pointer, it decides a branch, it sizes a helper's
 * memory), the instructions of the current path are walked backwards to find the registers and stack
 * slots it was computed from, and those are marked precise in every checkpoint on the way, so that a
 * later state is pruned against a checkpoint only if it is within the ranges the checkpoint's
 * descendants relied on.
 *
 * <p>A walk steps over a callback (bpf_loop, bpf_for_each_map_elem) when it wants only the caller's
 * registers, which the callback cannot change. Where it would need to follow a value across function
 * frames otherwise, or through an atomic, it gives up and marks every scalar of every checkpoint on the
 * path precise, as the kernel does: always sound, only slower.
 */
final class Precision {
    /** History flag: the entry's instruction spilled to or filled from stack slot {@code spi} of frame {@code frame}. */
    static final int STACK = 1;
    static final int LINKED = 1 << 10;
    static final int LINKED_OUTSIDE = 1 << 11;

    private Precision() {}

    static int stackFlags(int frame, int spi) {
        return STACK | frame << 1 | spi << 4;
    }

    private static int flagFrame(int flags) {
        return flags >> 1 & 7;
    }

    private static int flagSpi(int flags) {
        return flags >> 4 & 63;
    }

    /** Marks scalar register {@code regno} of the current frame precise along the path. */
    static void markReg(Checker c, int regno) {
        if (!c.privileged()) {
            return; // unprivileged: every scalar is precise already
        }
        if (c.cur.reg(regno).type != RegType.SCALAR) {
            return;
        }
        mark(c, c.cur, 1 << regno, 0L, true);
    }

    /** Marks stack slot {@code spi} of the current frame precise along the path. */
    static void markSlot(Checker c, int spi) {
        if (!c.privileged()) {
            return;
        }
        mark(c, c.cur, 0, 1L << spi, true);
    }

    /**
     * propagate_precision: the current state was pruned by {@code old}; what {@code old}'s descendants
     * relied on, the current path now relies on too.
     */
    static void propagate(Checker c, State old, int insn) {
        if (!c.privileged()) {
            return;
        }
        int top = old.curframe;
        int regs = 0;
        long slots = 0;
        for (int f = 0; f <= top; f++) {
            Frame fr = old.frames[f];
            int live = f == top ? c.liveness.liveIn[insn] : c.liveness.liveIn[old.frames[f + 1].callsite];
            int fRegs = 0;
            long fSlots = 0;
            for (int r = 0; r < fr.regs.length; r++) {
                if ((live >> r & 1) != 0 && fr.regs[r].type == RegType.SCALAR && fr.regs[r].precise) {
                    fRegs |= 1 << r;
                }
            }
            for (int s = 0; s < StackState.SLOTS; s++) {
                Reg sp = fr.stack.spilled[s];
                if (sp != null && fr.stack.isSpilled(s) && sp.type == RegType.SCALAR && sp.precise) {
                    fSlots |= 1L << s;
                }
            }
            if (f < top && (fRegs != 0 || fSlots != 0)) {
                markAll(c.cur);
                return;
            }
            regs = fRegs;
            slots = fSlots;
        }
        if (regs != 0 || slots != 0) {
            mark(c, c.cur, regs, slots, true);
        }
    }

    /** mark_all_scalars_precise: the big hammer, on every checkpoint of the path. */
    static void markAll(State cur) {
        for (State st = cur.parent; st != null && !st.allPrecise; st = st.parent) {
            st.allPrecise = true;
            for (int f = 0; f <= st.curframe; f++) {
                Frame fr = st.frames[f];
                for (Reg r : fr.regs) {
                    if (r.type == RegType.SCALAR) {
                        r.precise = true;
                    }
                }
                for (int s = 0; s < StackState.SLOTS; s++) {
                    Reg sp = fr.stack.spilled[s];
                    if (sp != null && sp.type == RegType.SCALAR) {
                        sp.precise = true;
                    }
                }
            }
        }
    }

    /** The mutable masks of one backtracking walk. */
    private static final class Masks {
        int regs;
        long slots;
        final int frame;

        Masks(int regs, long slots, int frame) {
            this.regs = regs;
            this.slots = slots;
            this.frame = frame;
        }

        boolean empty() {
            return regs == 0 && slots == 0;
        }
    }

    /** Thrown to give up backtracking (the caller marks everything precise). */
    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    /**
     * Instructions one walk may step back through before it gives up and marks everything: a walk
     * is as long as the straight-line code since the last checkpoint, and a program of long unrolled
     * sequences (xdp_payload_crc32) would otherwise walk thousands of instructions at every table
     * lookup. Everything precise is always sound; it only prunes less, and such code has little to prune.
     */
    static final int WALK_LIMIT = 4096;

    private static void mark(Checker c, State start, int regs, long slots, boolean skipFirst) {
        if (start.parent == null || start.parent.allPrecise) {
            return; // no checkpoint to mark, or all of them precise already
        }
        Masks m = new Masks(regs, slots, start.curframe);
        try {
            walk(c, start, m, skipFirst);
        } catch (Unsupported u) {
            markAll(start);
        }
    }

    private static int prevSlot(Checker c, int i) {
        return i >= 1 && c.code.at(i - 1) == null ? i - 2 : i - 1;
    }

    private static void walk(Checker c, State st, Masks m, boolean skipFirst) {
        int steps = 0;
        int last = c.insnIdx;
        int first = st.firstInsn;
        State.Hist hist = st.hist;
        // the instruction the path went on to after the one being stepped back through
        int subseq = -1;
        while (true) {
            int i = last;
            while (true) {
                State.Hist entry = hist != null && hist.idx() == i ? hist : null;
                if (skipFirst) {
                    skipFirst = false;
                } else {
                    if (++steps > WALK_LIMIT) {
                        throw new Unsupported();
                    }
                    if (returnsFromCallback(c, i, subseq)) {
                        State site = overCallback(st, m, subseq);
                        markIn(site, m);
                        if (m.empty()) {
                            return;
                        }
                        st = site;
                        i = st.lastInsn;
                        first = st.firstInsn;
                        hist = st.hist;
                        subseq = st.insnIdx;
                        if (i < 0) {
                            throw new Unsupported();
                        }
                        continue;
                    }
                    backtrack(c, i, subseq, entry, m);
                }
                subseq = i;
                if (m.empty()) {
                    return;
                }
                if (i == first && (hist == null || hist.idx() == i && hist.next() == null)) {
                    break;
                }
                if (entry != null) {
                    i = entry.prev();
                    hist = entry.next();
                } else {
                    i = prevSlot(c, i);
                }
                if (i < 0) {
                    throw new Unsupported();
                }
            }
            st = st.parent;
            if (st == null) {
                break;
            }
            if (st.curframe != m.frame) {
                throw new Unsupported();
            }
            markIn(st, m);
            if (m.empty()) {
                return;
            }
            last = st.lastInsn;
            first = st.firstInsn;
            hist = st.hist;
            if (last < 0) {
                throw new Unsupported();
            }
        }
        if (!m.empty()) {
            throw new Unsupported();
        }
    }

    /**
     * Marks the walk's registers and slots precise in checkpoint {@code st}; those that are not scalars
     * or are precise already there (so in its parents too) leave the walk.
     */
    private static void markIn(State st, Masks m) {
        Frame fr = st.frames[m.frame];
        for (int r = 0; r < fr.regs.length; r++) {
            if ((m.regs >> r & 1) == 0) {
                continue;
            }
            Reg reg = fr.regs[r];
            if (reg.type != RegType.SCALAR || reg.precise) {
                m.regs &= ~(1 << r);
            } else {
                reg.precise = true;
            }
        }
        for (int s = 0; s < StackState.SLOTS; s++) {
            if ((m.slots >> s & 1) == 0) {
                continue;
            }
            Reg sp = fr.stack.spilled[s];
            if (sp == null || !fr.stack.isSpilled(s) || sp.type != RegType.SCALAR || sp.precise) {
                m.slots &= ~(1L << s);
            } else {
                sp.precise = true;
            }
        }
    }

    /**
     * Whether the path went from exit {@code i} back to a helper call that calls back ({@code subseq}):
     * the return of a callback. An exit followed by such a call right after a bpf-to-bpf call could
     * also be that function's return, so that case is not taken for one.
     */
    private static boolean returnsFromCallback(Checker c, int i, int subseq) {
        if (!(c.code.at(i) instanceof Exit) || subseq < 0 || !(c.code.at(subseq) instanceof Call call)
                || call.kind() != CallKind.HELPER
                || call.imm() != HelperCallbacks.LOOP && call.imm() != HelperCallbacks.FOR_EACH_MAP_ELEM) {
            return false;
        }
        return !(subseq >= 1 && c.code.at(subseq - 1) instanceof Call prev && prev.kind() == CallKind.LOCAL);
    }

    /**
     * Steps back over a callback to the checkpoint at the helper call that ran it. The caller's
     * registers cannot change while its callback runs, so registers wanted precise after the callback
     * had the same values before it: they are marked in the caller's frame of every checkpoint taken
     * inside the callback, and the walk goes on at the call. The caller's stack can change (through
     * pointers the callback got), so a walk that wants stack slots gives up here.
     */
    private static State overCallback(State st, Masks m, int callsite) {
        if (m.slots != 0) {
            throw new Unsupported();
        }
        for (State p = st.parent; p != null; p = p.parent) {
            if (p.curframe > m.frame) {
                Reg[] regs = p.frames[m.frame].regs;
                for (int r = 0; r < regs.length; r++) {
                    if ((m.regs >> r & 1) != 0 && regs[r].type == RegType.SCALAR) {
                        regs[r].precise = true;
                    }
                }
                continue;
            }
            if (p.curframe == m.frame && p.insnIdx == callsite) {
                return p;
            }
            break;
        }
        throw new Unsupported();
    }

    private static int bit(int r) {
        return 1 << r;
    }

    /** backtrack_insn: the registers and slots needed precise before instruction {@code i}, given those needed after. */
    private static void backtrack(Checker c, int i, int subseq, State.Hist entry, Masks m) {
        Instruction insn = c.code.at(i);
        int flags = entry == null ? 0 : entry.flags();
        switch (insn) {
            case Alu a -> {
                int d = bit(a.dst());
                if ((m.regs & d) == 0) {
                    return;
                }
                if (a.op() == AluOp.NEG) {
                    return;
                }
                if (a.op() == AluOp.MOV || a.op().isMovsx()) {
                    m.regs &= ~d;
                    if (a.src() instanceof Operand.Reg(int r)) {
                        m.regs |= bit(r);
                    }
                } else if (a.src() instanceof Operand.Reg(int r)) {
                    m.regs |= bit(r);
                }
            }
            case ByteSwap b -> {}
            case Load l -> {
                int d = bit(l.dst());
                if ((m.regs & d) == 0) {
                    return;
                }
                m.regs &= ~d;
                if ((flags & STACK) != 0) {
                    if (flagFrame(flags) != m.frame) {
                        throw new Unsupported();
                    }
                    m.slots |= 1L << flagSpi(flags);
                }
            }
            case StoreReg s -> {
                if ((m.regs & bit(s.dst())) != 0) {
                    throw new Unsupported();
                }
                if ((flags & STACK) == 0) {
                    return;
                }
                if (flagFrame(flags) != m.frame) {
                    if (m.slots != 0) {
                        throw new Unsupported();
                    }
                    return;
                }
                long slot = 1L << flagSpi(flags);
                if ((m.slots & slot) == 0) {
                    return;
                }
                m.slots &= ~slot;
                m.regs |= bit(s.src());
            }
            case Store s -> {
                if ((m.regs & bit(s.dst())) != 0) {
                    throw new Unsupported();
                }
                if ((flags & STACK) != 0 && flagFrame(flags) == m.frame) {
                    m.slots &= ~(1L << flagSpi(flags));
                } else if ((flags & STACK) != 0 && m.slots != 0) {
                    throw new Unsupported();
                }
            }
            case Atomic a -> {
                int touched = bit(a.dst()) | bit(a.src()) | bit(0);
                if ((m.regs & touched) != 0 || m.slots != 0) {
                    throw new Unsupported();
                }
            }
            case LoadImm64 l -> m.regs &= ~bit(l.dst());
            case PacketLoad p -> {
                if ((m.regs & 0x3f) != 0) {
                    throw new Unsupported();
                }
            }
            case Jump j -> {
                if (j.src() instanceof Operand.Reg(int r)) {
                    int both = bit(j.dst()) | bit(r);
                    if ((m.regs & both) != 0) {
                        m.regs |= both;
                    }
                }
                if ((flags & LINKED) != 0) {
                    int linked = entry.linkedRegs();
                    if ((m.regs & linked) != 0 || (flags & LINKED_OUTSIDE) != 0 && (m.regs & (bit(j.dst()) | linked)) != 0) {
                        if ((flags & LINKED_OUTSIDE) != 0) {
                            throw new Unsupported();
                        }
                        m.regs |= linked;
                    }
                }
            }
            case Goto g -> {}
            case Call call -> {
                // a global function is not explored from its call: like a helper, it sets r0 and clobbers r1-r5
                boolean global = call.kind() == CallKind.LOCAL && c.funcs.isGlobal(c.cfg.subprogAt(i + 1 + call.imm()));
                // A helper that calls back, left for the next instruction, is a helper like any other
                // to its caller's registers (the callbacks it ran came before it on the path, and a
                // walk that reaches them gives up there); stepping back into its callback is a change
                // of frame this walk does not follow.
                boolean callsBack = call.kind() == CallKind.HELPER
                        && (call.imm() == HelperCallbacks.LOOP || call.imm() == HelperCallbacks.FOR_EACH_MAP_ELEM);
                if (callsBack && subseq != i + 1 || !global && call.kind() != CallKind.HELPER) {
                    throw new Unsupported();
                }
                m.regs &= ~bit(0);
                if ((m.regs & 0x3e) != 0) {
                    throw new Unsupported();
                }
            }
            case CallReg x -> throw new Unsupported();
            case Exit e -> throw new Unsupported();
        }
    }
}
