package dev.jxdp.jit;

import dev.jxdp.exec.Permission;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionKind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The memory of the 8 frames of one run, in the interpreter's layout (each 512-byte frame after an
 * unmapped 512-byte gap), with their regions made once. A {@link JitProgram} keeps one per thread and
 * reuses it run after run instead of allocating and zeroing 8 KiB each time; a run zeroes frame 0 (as
 * far down as the verifier's stack depth reaches),
 * and each call zeroes the frame it enters, so every run still starts from zeroed frames.
 */
final class StackArea {
    static final int MAX_FRAMES = 8;
    static final int FRAME_SIZE = 512;
    static final int STRIDE = 2 * FRAME_SIZE;

    final MemorySegment memory;
    final Region.Mem[] frames = new Region.Mem[MAX_FRAMES];
    /** Whether a run is using it (a helper may run a program on the same thread). */
    boolean inUse;
    /** The thread that made it: the only one that may use it. */
    final Thread owner = Thread.currentThread();
    /** The program's run state on these frames (set by {@link JitProgram} once made). */
    JitRun run;

    StackArea(Arena arena) {
        memory = arena.allocate((long) MAX_FRAMES * STRIDE, 16);
        for (int i = 0; i < MAX_FRAMES; i++) {
            frames[i] = new Region.Mem("stack#" + i, RegionKind.STACK,
                    memory.asSlice((long) i * STRIDE + FRAME_SIZE, FRAME_SIZE), Permission.READ_WRITE);
        }
    }

    /** The top of frame 0 that {@link #zeroTop} cleared last, kept to avoid slicing each run. */
    private MemorySegment top;

    /**
     * Zeroes the {@code bytes} of frame 0 just below its r10: all a run's main function may touch.
     * A verified program's few slots (the depth is a multiple of 8) are a handful of stores; the bulk
     * fill, whose inlined code is large, is kept for deep stacks, so that the run path stays small
     * enough for C2 to inline into the hooks' callers.
     */
    void zeroTop(int bytes) {
        if (bytes <= SMALL_DEPTH && (bytes & 7) == 0) {
            MemorySegment f = frames[0].segment();
            for (int at = FRAME_SIZE - bytes; at < FRAME_SIZE; at += 8) {
                f.set(ValueLayout.JAVA_LONG_UNALIGNED, at, 0L);
            }
            return;
        }
        zeroTopBulk(bytes);
    }

    private static final int SMALL_DEPTH = 64;

    private void zeroTopBulk(int bytes) {
        MemorySegment t = top;
        if (t == null || t.byteSize() != bytes) {
            t = frames[0].segment().asSlice(FRAME_SIZE - bytes, bytes);
            top = t;
        }
        t.fill((byte) 0);
    }

    /** One past the end of frame {@code i}: its r10. */
    long framePointer(int i) {
        return memory.address() + (long) (i + 1) * STRIDE;
    }
}
