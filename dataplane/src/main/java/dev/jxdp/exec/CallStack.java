package dev.jxdp.exec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The frames of one run: at most {@link #MAX_FRAMES} (the main function's included, the kernel's
 * MAX_CALL_FRAMES), each with a fresh zeroed {@link #FRAME_SIZE}-byte stack and the caller's r6-r9
 * and r10, which a bpf-to-bpf call preserves.
 *
 * <p>The stacks sit in one allocation, each frame's 512 bytes preceded by an unmapped 512-byte gap,
 * so that running off either end of a frame lands outside every region (an error) rather than in a
 * neighbouring frame. Only live frames are regions: a callee can use a pointer into its caller's
 * frame, as in the kernel, but nobody can use a frame that has returned.
 */
final class CallStack {
    static final int MAX_FRAMES = 8;
    static final int FRAME_SIZE = 512;
    private static final int STRIDE = 2 * FRAME_SIZE;

    /** What a call saves: where to return to and the registers the callee must not change. */
    private record Frame(int returnPc, long r6, long r7, long r8, long r9, long r10, Region stack) {}

    private final MemorySegment stacks;
    private final MemoryMap memory;
    private final Frame[] frames = new Frame[MAX_FRAMES];
    private final Region[] regions = new Region[MAX_FRAMES];
    private int depth;

    /** Allocates the stacks from {@code arena} and enters the main function's frame. */
    CallStack(Arena arena, MemoryMap memory) {
        this.stacks = arena.allocate((long) MAX_FRAMES * STRIDE, 16);
        this.memory = memory;
        for (int i = 0; i < MAX_FRAMES; i++) {
            regions[i] = Region.readWrite("stack#" + i, RegionKind.STACK,
                    stacks.asSlice((long) i * STRIDE + FRAME_SIZE, FRAME_SIZE));
        }
        memory.add(regions[0]);
        depth = 1;
    }

    /** Frames live now, the main function's included. */
    int depth() {
        return depth;
    }

    /** r10 of the current frame: one past the end of its stack. */
    long framePointer() {
        Region r = regions[depth - 1];
        return r.address() + r.size();
    }

    /**
     * Enters a callee: saves r6-r9, r10 and the return slot, gives the callee a zeroed frame and
     * points r10 at it. Returns false, changing nothing, when the stack is full.
     */
    boolean push(int returnPc, long[] regs) {
        if (depth == MAX_FRAMES) {
            return false;
        }
        Region stack = regions[depth];
        frames[depth] = new Frame(returnPc, regs[6], regs[7], regs[8], regs[9], regs[10], stack);
        ((Region.Mem) stack).segment().fill((byte) 0);
        memory.add(stack);
        depth++;
        regs[10] = framePointer();
        return true;
    }

    /** Leaves the current callee: restores r6-r9 and r10, drops its stack, returns the return slot. */
    int pop(long[] regs) {
        Frame f = frames[--depth];
        frames[depth] = null;
        memory.remove(f.stack());
        regs[6] = f.r6();
        regs[7] = f.r7();
        regs[8] = f.r8();
        regs[9] = f.r9();
        regs[10] = f.r10();
        return f.returnPc();
    }
}
