package dev.jxdp.maps;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct bpf_spin_lock} (a u32 inside a map value): 0 free, 1 held. bpf_spin_lock spins on it,
 * user space's BPF_F_LOCK takes it around its copy, so a program and the control plane never see
 * half of each other's update. As in the kernel it is a plain test-and-set lock: held only for a few
 * instructions, never across a helper call that could block.
 */
public final class SpinLock {
    private static final VarHandle WORD = ValueLayout.JAVA_INT.varHandle();

    private SpinLock() {}

    /** Takes the lock at {@code offset} of {@code memory} (4-byte aligned). */
    public static void lock(MemorySegment memory, long offset) {
        while (!WORD.compareAndSet(memory, offset, 0, 1)) {
            while ((int) WORD.getOpaque(memory, offset) != 0) {
                Thread.onSpinWait();
            }
        }
    }

    public static void unlock(MemorySegment memory, long offset) {
        WORD.setRelease(memory, offset, 0);
    }
}
