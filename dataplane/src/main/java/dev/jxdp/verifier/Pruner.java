package dev.jxdp.verifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * State pruning and loop detection (the kernel's is_state_visited and states_equal). At prune points
 * the current state is compared with the checkpoints stored there: if an explored checkpoint whose
 * paths all ended safely covers it (every value the current state allows, the old one allowed too),
 * the path stops. A checkpoint still being explored that equals the current state exactly means the
 * program can loop forever, except at a helper that calls back: there a state back from the callback
 * within such a checkpoint (every scalar compared by range) means the iterations converged, and the
 * path stops ({@link Widening} makes that happen). New checkpoints are stored at most every few jumps,
 * as in the kernel.
 */
final class Pruner {
    private final Checker c;
    /** Per instruction, the checkpoints stored there. */
    private final List<Explored>[] lists;
    int totalStates;
    int curStates;
    int peakStates;
    int maxStatesPerInsn;

    private static final class Explored {
        final State state;
        int hit;
        int miss;

        Explored(State state) {
            this.state = state;
        }
    }

    @SuppressWarnings("unchecked")
    Pruner(Checker c) {
        this.c = c;
        this.lists = new List[c.code.length()];
    }

    /**
     * Forgets the stored checkpoints, as the kernel frees them after each function it verifies on its
     * own (the counters go on: the statistics are the whole load's).
     */
    void clear() {
        java.util.Arrays.fill(lists, null);
        curStates = 0;
    }

    /** Whether the current state at {@code insn} is covered by an explored one (the path may stop). */
    boolean isStateVisited(int insn) {
        State cur = c.cur;
        boolean force = c.cfg.forceCheckpoint[insn];
        // A long history makes every precision walk long: checkpoint (the kernel's limit of 40 entries).
        boolean addNew = force || cur.histLen > 40 || c.jmpsProcessed - c.prevJmpsProcessed >= 2 && c.insnProcessed - c.prevInsnProcessed >= 8;
        List<Explored> list = lists[insn];
        if (list != null) {
            int n = 0;
            for (Iterator<Explored> it = list.iterator(); it.hasNext(); ) {
                Explored e = it.next();
                n++;
                if (e.state.branches > 0) {
                    if (force) {
                        // A helper that calls back, reached again from its own callback: the iterations
                        // converged if this state is within one still being explored. Every scalar is
                        // compared by range, precise or not: the old state's precision marks are not
                        // final while its iterations are explored (the kernel's RANGE_WITHIN).
                        if (equal(e.state, cur, insn, Exact.RANGE_WITHIN)) {
                            e.hit++;
                            c.recordArrival();
                            Precision.propagate(c, e.state, insn);
                            return true;
                        }
                    } else {
                        if (maybeLooping(e.state, cur) && e.state.callbackUnrollDepth == cur.callbackUnrollDepth
                                && equal(e.state, cur, insn, Exact.EXACT)) {
                            throw Reject.einval("infinite loop detected at insn %d", insn);
                        }
                        if (c.jmpsProcessed - c.prevJmpsProcessed < 20 && c.insnProcessed - c.prevInsnProcessed < 100) {
                            addNew = false;
                        }
                    }
                } else if (equal(e.state, cur, insn, Exact.NOT_EXACT)) {
                    e.hit++;
                    c.recordArrival();
                    Precision.propagate(c, e.state, insn);
                    return true;
                }
                // Misses count only when a new state will be stored, so that loop iterations do not
                // evict the states of earlier iterations that help pruning.
                if (addNew) {
                    e.miss++;
                }
                int k = force && e.state.branches > 0 ? 64 : 3;
                if (e.miss > e.hit * k + k) {
                    // A checkpoint that rarely helps costs more comparisons than it saves. It stays the
                    // parent of its paths (their branch counts and precision marks still reach it),
                    // only no longer a candidate for pruning or loop detection.
                    it.remove();
                    curStates--;
                }
            }
            maxStatesPerInsn = Math.max(maxStatesPerInsn, n);
        }
        if (!addNew) {
            return false;
        }
        State cp = new State(cur);
        cp.insnIdx = insn;
        cp.lastInsn = c.prevInsnIdx;
        cp.branches = 1;
        cp.parent = cur.parent;
        cur.parent = cp;
        cur.dfsDepth = cp.dfsDepth + 1;
        cur.firstInsn = insn;
        cur.hist = null;
        cur.histLen = 0;
        if (list == null) {
            list = new ArrayList<>(2);
            lists[insn] = list;
        }
        list.add(new Explored(cp));
        totalStates++;
        curStates++;
        peakStates = Math.max(peakStates, curStates);
        c.prevJmpsProcessed = c.jmpsProcessed;
        c.prevInsnProcessed = c.insnProcessed;
        return false;
    }

    /**
     * find_prev_entry: the newest checkpoint at {@code insn} that is still being explored, has the same
     * call sites as {@code cur} and was taken earlier on a path (a smaller depth): for a state back at a
     * helper's call from its callback, the state of an earlier iteration. Null if there is none.
     */
    State previousIteration(State cur, int insn) {
        List<Explored> list = lists[insn];
        if (list == null) {
            return null;
        }
        for (int i = list.size() - 1; i >= 0; i--) {
            State st = list.get(i).state;
            if (st.branches > 0 && sameCallsites(st, cur) && st.dfsDepth < cur.dfsDepth) {
                return st;
            }
        }
        return null;
    }

    private static boolean sameCallsites(State a, State b) {
        if (a.curframe != b.curframe) {
            return false;
        }
        for (int f = a.curframe; f >= 0; f--) {
            if (a.frames[f].callsite != b.frames[f].callsite) {
                return false;
            }
        }
        return true;
    }

    /** update_branch_counts: a path ended; checkpoints all of whose paths ended are now complete. */
    void pathDone(State st) {
        for (State p = st.parent; p != null; p = p.parent) {
            if (--p.branches > 0) {
                break;
            }
        }
    }

    /** states_maybe_looping: the top frame's registers are identical. */
    private static boolean maybeLooping(State old, State cur) {
        if (old.curframe != cur.curframe) {
            return false;
        }
        Reg[] a = old.frame().regs;
        Reg[] b = cur.frame().regs;
        for (int i = 0; i < a.length; i++) {
            if (!sameReg(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameReg(Reg a, Reg b) {
        return a.type == b.type && a.maybeNull == b.maybeNull && a.rdonly == b.rdonly && a.ringbuf == b.ringbuf && a.off == b.off
                && a.var.equals(b.var) && a.smin == b.smin && a.smax == b.smax && a.umin == b.umin && a.umax == b.umax
                && a.s32min == b.s32min && a.s32max == b.s32max && a.u32min == b.u32min && a.u32max == b.u32max && a.id == b.id
                && a.refObjId == b.refObjId && java.util.Objects.equals(a.map, b.map) && a.range == b.range && a.memSize == b.memSize
                && a.frameno == b.frameno && a.subprog == b.subprog;
    }

    /** The id correspondence built while comparing two states (check_ids). */
    static final class IdMap {
        int[] old = new int[16];
        int[] cur = new int[16];
        int n;
        int tmp = 1 << 30;

        boolean check(int oldId, int curId) {
            if ((oldId == 0) != (curId == 0)) {
                return false;
            }
            if (oldId == 0) {
                return true;
            }
            for (int i = 0; i < n; i++) {
                if (old[i] == oldId) {
                    return cur[i] == curId;
                }
                if (cur[i] == curId) {
                    return false;
                }
            }
            if (n == old.length) {
                old = Arrays.copyOf(old, n * 2);
                cur = Arrays.copyOf(cur, n * 2);
            }
            old[n] = oldId;
            cur[n] = curId;
            n++;
            return true;
        }

        boolean checkScalar(int oldId, int curId) {
            return check(oldId == 0 ? ++tmp : oldId, curId == 0 ? ++tmp : curId);
        }
    }

    /**
     * How states are compared (the kernel's enum exact_level): EXACT for loop detection; RANGE_WITHIN
     * where the old state's precision marks may be incomplete (every scalar's range must cover the
     * current one, and the stack slots must be of the same kinds); NOT_EXACT for a complete state,
     * whose imprecise scalars no path relied on.
     */
    enum Exact { NOT_EXACT, RANGE_WITHIN, EXACT }

    /** states_equal: whether {@code old} covers {@code cur} at the level {@code exact} asks for. */
    boolean equal(State old, State cur, int insn, Exact exact) {
        if (old.curframe != cur.curframe) {
            return false;
        }
        IdMap ids = new IdMap();
        if (old.refIds.length != cur.refIds.length) {
            return false;
        }
        for (int i = 0; i < old.refIds.length; i++) {
            if (!ids.check(old.refIds[i], cur.refIds[i])) {
                return false;
            }
        }
        if (old.lockHeld != cur.lockHeld
                || old.lockHeld && (!java.util.Objects.equals(old.lockMap, cur.lockMap) || !ids.check(old.lockId, cur.lockId))) {
            return false;
        }
        for (int i = 0; i <= old.curframe; i++) {
            Frame fo = old.frames[i];
            Frame fc = cur.frames[i];
            if (fo.callsite != fc.callsite) {
                return false;
            }
            int at = i == cur.curframe ? insn : cur.frames[i + 1].callsite;
            if (!frameEqual(fo, fc, c.liveness.liveIn[at], ids, exact)) {
                return false;
            }
        }
        return true;
    }

    private boolean frameEqual(Frame old, Frame cur, int live, IdMap ids, Exact exact) {
        if (old.callbackDepth > cur.callbackDepth) {
            return false;
        }
        for (int r = 0; r < old.regs.length; r++) {
            if ((live >> r & 1) != 0 && !regsafe(old.regs[r], cur.regs[r], ids, exact)) {
                return false;
            }
        }
        return stacksafe(old.stack, cur.stack, ids, exact);
    }

    private static boolean rangeWithin(Reg o, Reg c) {
        return Long.compareUnsigned(o.umin, c.umin) <= 0 && Long.compareUnsigned(o.umax, c.umax) >= 0 && o.smin <= c.smin
                && o.smax >= c.smax && Integer.compareUnsigned(o.u32min, c.u32min) <= 0 && Integer.compareUnsigned(o.u32max, c.u32max) >= 0
                && o.s32min <= c.s32min && o.s32max >= c.s32max;
    }

    /** regs_exact. */
    static boolean regsExact(Reg o, Reg c, IdMap ids) {
        return o.type == c.type && o.maybeNull == c.maybeNull && o.rdonly == c.rdonly && o.ringbuf == c.ringbuf && o.off == c.off
                && java.util.Objects.equals(o.map, c.map) && o.range == c.range && o.memSize == c.memSize && o.subprog == c.subprog
                && o.var.equals(c.var) && o.smin == c.smin && o.smax == c.smax && o.umin == c.umin && o.umax == c.umax
                && o.s32min == c.s32min && o.s32max == c.s32max && o.u32min == c.u32min && o.u32max == c.u32max
                && o.frameno == c.frameno && ids.check(o.id, c.id) && ids.check(o.refObjId, c.refObjId);
    }

    /** regsafe: every value {@code c} allows, {@code o} allowed, with the same pointer target. */
    private boolean regsafe(Reg o, Reg c, IdMap ids, Exact exact) {
        if (exact == Exact.EXACT) {
            return regsExact(o, c, ids);
        }
        if (o.type == RegType.NOT_INIT) {
            return exact == Exact.NOT_EXACT || c.type == RegType.NOT_INIT;
        }
        if (o.type != c.type || o.maybeNull != c.maybeNull || o.rdonly != c.rdonly || o.ringbuf != c.ringbuf) {
            return false;
        }
        switch (o.type) {
            case SCALAR -> {
                if (!o.precise && this.c.privileged() && exact == Exact.NOT_EXACT) {
                    return true; // no path from the old state relied on its value
                }
                return ids.checkScalar(o.id, c.id) && rangeWithin(o, c) && o.var.contains(c.var);
            }
            case PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, PTR_TO_MEM -> {
                return o.off == c.off && java.util.Objects.equals(o.map, c.map) && o.memSize == c.memSize && rangeWithin(o, c)
                        && o.var.contains(c.var) && ids.check(o.id, c.id) && ids.check(o.refObjId, c.refObjId);
            }
            case PTR_TO_PACKET, PTR_TO_PACKET_META -> {
                if (o.range > c.range || o.off != c.off || !ids.check(o.id, c.id)) {
                    return false;
                }
                return rangeWithin(o, c) && o.var.contains(c.var);
            }
            case PTR_TO_STACK -> {
                return regsExact(o, c, ids) && o.frameno == c.frameno;
            }
            default -> {
                return regsExact(o, c, ids);
            }
        }
    }

    private static Reg scalarForSlot(StackState st, int spi, boolean privileged) {
        if (st.isFullSpill(spi) && st.spilled[spi] != null && st.spilled[spi].type == RegType.SCALAR) {
            return st.spilled[spi];
        }
        for (int i = 0; i < 8; i++) {
            byte t = st.type(spi, i);
            if (t == StackState.MISC || t == StackState.INVALID && privileged) {
                continue;
            }
            return null;
        }
        Reg r = new Reg();
        r.markUnknown();
        return r;
    }

    private boolean stacksafe(StackState old, StackState cur, IdMap ids, Exact exact) {
        boolean priv = c.privileged();
        for (int i = 0; i < old.allocated; i++) {
            int spi = i / 8;
            int idx = i % 8;
            // byte i of the allocated area, counted from the frame pointer down
            byte ot = old.type(spi, idx);
            byte ct = i < cur.allocated ? cur.type(spi, idx) : StackState.INVALID;
            if (exact != Exact.NOT_EXACT && (i >= cur.allocated || ot != ct)) {
                return false;
            }
            if (ot == StackState.INVALID) {
                continue;
            }
            if (priv && ot == StackState.MISC) {
                continue;
            }
            if (i >= cur.allocated) {
                return false;
            }
            Reg or = scalarForSlot(old, spi, priv);
            Reg cr = scalarForSlot(cur, spi, priv);
            if (or != null && cr != null) {
                if (!regsafe(or, cr, ids, exact)) {
                    return false;
                }
                i += 7 - idx;
                continue;
            }
            if (ot == StackState.MISC && ct == StackState.ZERO) {
                continue;
            }
            if (ot != ct) {
                return false;
            }
            if (idx != 7) {
                continue;
            }
            if (ot == StackState.SPILL) {
                Reg os = old.spilled[spi];
                Reg cs = cur.spilled[spi];
                if (os == null || cs == null) {
                    if (os != cs) {
                        return false;
                    }
                } else if (!regsafe(os, cs, ids, exact)) {
                    return false;
                }
            }
        }
        return true;
    }
}
