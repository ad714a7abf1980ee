package dev.jxdp.verifier;

/**
 * bpf_spin_lock (the kernel's process_spin_lock and the checks around active_locks): the lock is the
 * {@code struct bpf_spin_lock} of a map value, located by the value's BTF type and passed exactly;
 * one lock at a time, named by the map and the value pointer's id; while it is held only
 * bpf_spin_unlock (and static functions) may be called and the program may not exit; the lock's bytes
 * are never loaded or stored directly.
 */
final class SpinLock {
    static final int SPIN_LOCK = 93;
    static final int SPIN_UNLOCK = 94;
    static final int KPTR_XCHG = 194;

    private SpinLock() {}

    /** The argument of bpf_spin_lock ({@code lock}) or bpf_spin_unlock. */
    static void process(Checker c, int regno, Reg reg, boolean lock) {
        if (!reg.var.isConst()) {
            throw Reject.einval("R%d doesn't have constant offset. bpf_spin_lock has to be at the constant offset", regno);
        }
        MapFields fields = c.fields(reg.map);
        String name = reg.map.spec().kernelName();
        if (!fields.hasBtf()) {
            throw Reject.einval("map '%s' has to have BTF in order to use bpf_spin_lock", name);
        }
        if (fields.spinLockOff() < 0) {
            throw Reject.einval("map '%s' has no valid bpf_spin_lock", name);
        }
        long off = reg.var.value() + reg.off;
        if (off != fields.spinLockOff()) {
            throw Reject.einval("off %d doesn't point to 'struct bpf_spin_lock' that is at %d", off, fields.spinLockOff());
        }
        State st = c.cur;
        if (lock) {
            if (st.lockHeld) {
                throw Reject.einval("Locking two bpf_spin_locks are not allowed");
            }
            st.lockHeld = true;
            st.lockId = reg.id;
            st.lockMap = reg.map;
            return;
        }
        if (!st.lockHeld) {
            throw Reject.einval("bpf_spin_unlock without taking a lock");
        }
        if (st.lockId != reg.id || !st.lockMap.equals(reg.map)) {
            throw Reject.einval("bpf_spin_unlock of different lock");
        }
        st.lockHeld = false;
        st.lockId = 0;
        st.lockMap = null;
    }

    /** reg_may_point_to_spin_lock: a map value whose type holds a lock keeps its id after a NULL check. */
    static boolean mayPointToLock(Checker c, Reg r) {
        return r.type == RegType.PTR_TO_MAP_VALUE && r.map != null && c.fields(r.map).spinLockOff() >= 0;
    }

    /** check_map_access: no load, store or helper access may touch the lock (or a timer, a work item). */
    static void checkSpecialFields(Checker c, Reg reg, int off, int size) {
        for (MapFields.Field f : c.fields(reg.map).fields()) {
            if (reg.smin + off < f.off() + f.size() && f.off() < reg.umax + off + size) {
                throw Reject.eacces("%s cannot be accessed directly by load/store", f.kind());
            }
        }
    }
}
