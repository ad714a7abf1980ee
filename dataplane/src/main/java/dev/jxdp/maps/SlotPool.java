package dev.jxdp.maps;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Off-heap memory for the elements of one map (hash elements, trie nodes): fixed-size slots that never
 * move, so a value's address stays valid for as long as its element lives, and freed slots that are
 * reused only after an epoch grace period ({@link Epochs}).
 *
 * <p>Slots live in chunks of a power-of-two count, allocated as the map grows: a map of a million
 * entries that holds ten uses ten slots' chunk. A slot is named by its index; element links store
 * {@code index + 1} so that zeroed memory reads as "no element". The pool does not count entries
 * against max_entries (the map does); it only never hands out a slot a reader may still use.
 *
 * <p>Allocation and retirement take the pool's lock (writers hold a bucket or trie lock already, so
 * the pool lock is the short inner one); reads take none.
 */
final class SlotPool {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    /** The byte freed slots are filled with in poison mode. */
    static final byte POISON = (byte) 0xa5;

    private final Arena arena;
    private final Epochs epochs;
    private final int slotSize;
    private final int chunkShift;
    private final int chunkMask;
    private final boolean poison;
    private volatile MemorySegment[] chunks = new MemorySegment[0];

    // Guarded by this.
    private int nextFresh;
    private int[] free = new int[16];
    private int freeCount;
    private int[] retiredSlots = new int[16];
    private long[] retiredEpochs = new long[16];
    private int retiredHead;
    private int retiredTail;
    private int sinceReclaim;

    /**
     * @param slotSize bytes per slot, a multiple of 8 (values are 8-aligned, as atomics need)
     * @param expected how many slots the map may hold at once: sizes the chunks
     * @param poison fill freed slots with {@link #POISON}, so tests can catch a reader of freed memory
     */
    SlotPool(Arena arena, Epochs epochs, int slotSize, long expected, boolean poison) {
        if (slotSize <= 0 || slotSize % 8 != 0) {
            throw new IllegalArgumentException("slot size " + slotSize + " is not a positive multiple of 8");
        }
        this.arena = arena;
        this.epochs = epochs;
        this.slotSize = slotSize;
        // Chunks of about the expected size, at most 4 MiB each, at least 16 slots; a power of two.
        long want = Math.max(16, Long.highestOneBit(Math.max(1, expected) * 2 - 1));
        long cap = Math.max(16, Long.highestOneBit((4L << 20) / slotSize));
        this.chunkShift = Long.numberOfTrailingZeros(Math.min(want, cap));
        this.chunkMask = (1 << chunkShift) - 1;
        this.poison = poison;
    }

    int slotSize() {
        return slotSize;
    }

    // ---- access (no lock: callers only touch slots they reached through published links)

    MemorySegment chunk(int slot) {
        return chunks[slot >>> chunkShift];
    }

    long offset(int slot) {
        return (long) (slot & chunkMask) * slotSize;
    }

    /** The chunk holding the memory at {@code address}, or null (a scan: for rare paths only). */
    MemorySegment chunkHolding(long address) {
        for (MemorySegment c : chunks) {
            if (address >= c.address() && address - c.address() < c.byteSize()) {
                return c;
            }
        }
        return null;
    }

    /** The slot as a segment of its own, e.g. to hand a value inside it to a program. */
    MemorySegment segment(int slot) {
        return chunk(slot).asSlice(offset(slot), slotSize);
    }

    int getIntAcquire(int slot, long at) {
        return (int) INT.getAcquire(chunk(slot), offset(slot) + at);
    }

    void setIntRelease(int slot, long at, int value) {
        INT.setRelease(chunk(slot), offset(slot) + at, value);
    }

    int getInt(int slot, long at) {
        return chunk(slot).get(ValueLayout.JAVA_INT, offset(slot) + at);
    }

    void setInt(int slot, long at, int value) {
        chunk(slot).set(ValueLayout.JAVA_INT, offset(slot) + at, value);
    }

    long getLongAcquire(int slot, long at) {
        return (long) LONG.getAcquire(chunk(slot), offset(slot) + at);
    }

    void setLongRelease(int slot, long at, long value) {
        LONG.setRelease(chunk(slot), offset(slot) + at, value);
    }

    // ---- allocation

    /** A zeroed slot that no reader can reach. */
    synchronized int allocate() {
        if (freeCount == 0 && nextFresh == capacity()) {
            reclaim();
        }
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (nextFresh == capacity()) {
                grow();
            }
            slot = nextFresh++;
        }
        segment(slot).fill((byte) 0);
        return slot;
    }

    /**
     * Gives back a slot no reader can have reached (it was never published): reusable at once.
     */
    synchronized void release(int slot) {
        pushFree(slot);
    }

    /**
     * Hands a slot back once no read section that might have reached it is left: call after the
     * slot was unlinked from everything readers follow.
     */
    synchronized void retire(int slot) {
        long e = epochs.retirementEpoch();
        if (retiredTail == retiredSlots.length) {
            compactRetired();
        }
        retiredSlots[retiredTail] = slot;
        retiredEpochs[retiredTail++] = e;
        // Keep the backlog short without a reclaim on every delete.
        if (++sinceReclaim >= 64) {
            reclaim();
        }
    }

    /** Frees the retired slots whose grace period is over; returns how many are still waiting. */
    synchronized int reclaim() {
        sinceReclaim = 0;
        long now = epochs.tryAdvance();
        if (retiredHead < retiredTail && !epochs.safe(retiredEpochs[retiredHead], now)) {
            now = epochs.tryAdvance();
        }
        while (retiredHead < retiredTail && epochs.safe(retiredEpochs[retiredHead], now)) {
            int slot = retiredSlots[retiredHead++];
            if (poison) {
                segment(slot).fill(POISON);
            }
            pushFree(slot);
        }
        return retiredTail - retiredHead;
    }

    /** Slots handed out and not freed (live or waiting for their grace period). */
    synchronized int inUse() {
        return nextFresh - freeCount;
    }

    private void pushFree(int slot) {
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
    }

    private void compactRetired() {
        int n = retiredTail - retiredHead;
        if (n * 2 > retiredSlots.length) {
            retiredSlots = Arrays.copyOf(retiredSlots, retiredSlots.length * 2);
            retiredEpochs = Arrays.copyOf(retiredEpochs, retiredEpochs.length * 2);
        }
        System.arraycopy(retiredSlots, retiredHead, retiredSlots, 0, n);
        System.arraycopy(retiredEpochs, retiredHead, retiredEpochs, 0, n);
        retiredHead = 0;
        retiredTail = n;
    }

    private int capacity() {
        return chunks.length << chunkShift;
    }

    private void grow() {
        if ((long) (chunks.length + 1) << chunkShift > Integer.MAX_VALUE) {
            throw new IllegalStateException("map element pool exhausted");
        }
        MemorySegment c = arena.allocate((long) slotSize << chunkShift, 64);
        MemorySegment[] next = Arrays.copyOf(chunks, chunks.length + 1);
        next[chunks.length] = c;
        chunks = next;
    }
}
