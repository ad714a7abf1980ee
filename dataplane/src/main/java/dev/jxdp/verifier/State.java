package dev.jxdp.verifier;

import java.util.Arrays;

/**
 * One abstract state of the whole program at one instruction: the call stack of {@link Frame}s and the
 * references the program holds (the kernel's {@code struct bpf_verifier_state}). States also serve as
 * checkpoints for pruning: {@link #parent} and {@link #branches} say whether everything reachable from a
 * checkpoint has been explored, which is when it may prune others.
 */
final class State {
    Frame[] frames;
    int curframe;
    /** Ids of the references held (ringbuf reservations), and the instruction that acquired each. */
    int[] refIds = new int[0];
    int[] refInsns = new int[0];
    /** A bpf_spin_lock is held (the kernel's active_locks): of which map value, by pointer id. */
    boolean lockHeld;
    int lockId;
    MapRef lockMap;

    /** Checkpoints only: the checkpoint this state's path came from. */
    State parent;
    /** Checkpoints only: paths from this checkpoint still being explored. */
    int branches;
    /** Checkpoints only: the instruction it was taken at. */
    int insnIdx;
    /** Callbacks entered on this path (the kernel's callback_unroll_depth): not a loop if it differs. */
    int callbackUnrollDepth;
    /**
     * Checkpoints between the entry and this state on its path (the kernel's dfs_depth): of two states
     * on one path, the one with the smaller depth came first.
     */
    int dfsDepth;
    /** The first instruction of this state's segment of the path (since its parent checkpoint). */
    int firstInsn;
    /** Checkpoints: the last instruction before the checkpoint. */
    int lastInsn = -1;
    /** Non-sequential steps and tracked accesses of this segment, newest first (see {@link Precision}). */
    Hist hist;
    /** Entries in {@link #hist}. */
    int histLen;
    /** Checkpoints: every scalar of this state and of its parents is precise already. */
    boolean allPrecise;

    /**
     * One entry of a segment's history, immutable so that forked states share it: the path reached
     * {@code idx} from {@code prev}; {@code flags} say what else backtracking must know about it.
     */
    record Hist(int idx, int prev, int flags, int linkedRegs, Hist next) {}

    State(Frame main) {
        frames = new Frame[] {main};
        curframe = 0;
    }

    State(State o) {
        frames = new Frame[o.curframe + 1];
        for (int i = 0; i <= o.curframe; i++) {
            frames[i] = new Frame(o.frames[i]);
        }
        curframe = o.curframe;
        refIds = o.refIds.clone();
        refInsns = o.refInsns.clone();
        lockHeld = o.lockHeld;
        lockId = o.lockId;
        lockMap = o.lockMap;
        parent = o.parent;
        callbackUnrollDepth = o.callbackUnrollDepth;
        dfsDepth = o.dfsDepth;
        firstInsn = o.firstInsn;
        lastInsn = o.lastInsn;
        hist = o.hist;
        histLen = o.histLen;
    }

    Frame frame() {
        return frames[curframe];
    }

    Reg reg(int r) {
        return frames[curframe].regs[r];
    }

    /**
     * Records history for this visit of {@code idx}: merged into {@code sameVisit} if that entry (made
     * earlier for the same visit) is still the newest, else a new entry.
     */
    Hist record(int idx, int prev, int flags, int linkedRegs, Hist sameVisit) {
        if (hist != null && hist == sameVisit) {
            hist = new Hist(idx, hist.prev(), hist.flags() | flags, hist.linkedRegs() | linkedRegs, hist.next());
        } else {
            hist = new Hist(idx, prev, flags, linkedRegs, hist);
            histLen++;
        }
        return hist;
    }

    void pushFrame(Frame f) {
        frames = Arrays.copyOf(frames, curframe + 2);
        frames[++curframe] = f;
    }

    void popFrame() {
        frames[curframe] = null;
        curframe--;
        frames = Arrays.copyOf(frames, curframe + 1);
    }

    void acquire(int id, int insn) {
        refIds = Arrays.copyOf(refIds, refIds.length + 1);
        refInsns = Arrays.copyOf(refInsns, refInsns.length + 1);
        refIds[refIds.length - 1] = id;
        refInsns[refInsns.length - 1] = insn;
    }

    boolean holds(int id) {
        for (int r : refIds) {
            if (r == id) {
                return true;
            }
        }
        return false;
    }

    /** Drops the reference; false if it was not held. */
    boolean release(int id) {
        for (int i = 0; i < refIds.length; i++) {
            if (refIds[i] == id) {
                // Keep the order: a leak is reported for the oldest reference, as the kernel does.
                int n = refIds.length - 1;
                System.arraycopy(refIds, i + 1, refIds, i, n - i);
                System.arraycopy(refInsns, i + 1, refInsns, i, n - i);
                refIds = Arrays.copyOf(refIds, n);
                refInsns = Arrays.copyOf(refInsns, n);
                return true;
            }
        }
        return false;
    }

    /** Calls {@code action} with every register and spilled register of every frame. */
    void forEachReg(java.util.function.Consumer<Reg> action) {
        for (int f = 0; f <= curframe; f++) {
            Frame fr = frames[f];
            for (Reg r : fr.regs) {
                action.accept(r);
            }
            for (int s = 0; s < StackState.SLOTS; s++) {
                if (fr.stack.isSpilled(s) && fr.stack.spilled[s] != null) {
                    action.accept(fr.stack.spilled[s]);
                }
            }
        }
    }
}
