package dev.jxdp.maps;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copying values in and out of maps as the kernel's copy_map_value does: the bytes of the value,
 * except a {@code bpf_spin_lock} inside it, which belongs to the map (an update never overwrites it,
 * and user space reads zeros there). With BPF_F_LOCK the copy happens with that lock held.
 */
final class Values {
    private Values() {}

    /** Copies {@code length} bytes of a value from {@code src} to {@code dst}, skipping the spin lock. */
    static void copy(MapDefinition def, MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long length) {
        int lock = def.spinLockOffset();
        if (lock < 0 || lock >= length) {
            MemorySegment.copy(src, srcOff, dst, dstOff, length);
            return;
        }
        MemorySegment.copy(src, srcOff, dst, dstOff, lock);
        long after = lock + 4;
        if (length > after) {
            MemorySegment.copy(src, srcOff + after, dst, dstOff + after, length - after);
        }
    }

    /** copy_map_value_locked: the copy with the destination's or source's lock held. */
    static void copyLocked(MapDefinition def, MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long length,
            boolean lockIsInSource) {
        MemorySegment lockMem = lockIsInSource ? src : dst;
        long lockAt = (lockIsInSource ? srcOff : dstOff) + def.spinLockOffset();
        SpinLock.lock(lockMem, lockAt);
        try {
            copy(def, src, srcOff, dst, dstOff, length);
        } finally {
            SpinLock.unlock(lockMem, lockAt);
        }
    }

    /** A value read out to user space: its copy, then zeros where the spin lock is (check_and_init_map_value). */
    static void copyOut(MapDefinition def, MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long length,
            boolean locked) {
        if (locked) {
            copyLocked(def, src, srcOff, dst, dstOff, length, true);
        } else {
            copy(def, src, srcOff, dst, dstOff, length);
        }
        int lock = def.spinLockOffset();
        if (lock >= 0 && lock + 4 <= length) {
            dst.set(ValueLayout.JAVA_INT_UNALIGNED, dstOff + lock, 0);
        }
    }
}
