package dev.jxdp.maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.obj.MapType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Values with a {@code struct bpf_spin_lock} (kernel rules, include/linux/bpf.h copy_map_value and
 * syscall.c): updates never overwrite the lock word, user space reads zeros there, BPF_F_LOCK copies
 * with the lock held, and such maps cannot be frozen (ENOTSUPP). Without a lock, BPF_F_LOCK is EINVAL.
 */
class SpinLockTest {
    /** struct { struct bpf_spin_lock lock; u32 pad; u64 count; }: the lock at offset 0. */
    private static MapDefinition locked(MapType type) {
        return MapDefinition.of("locked", type, 4, 16, 4).withSpinLockOffset(0);
    }

    private static byte[] value(int lock, long count) {
        MemorySegment v = MemorySegment.ofArray(new byte[16]);
        v.set(ValueLayout.JAVA_INT_UNALIGNED, 0, lock);
        v.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, count);
        return v.toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void theLockWordBelongsToTheMap() {
        for (MapType type : new MapType[] {MapType.HASH, MapType.ARRAY}) {
            try (EbpfMap m = Maps.create(locked(type), MapEnvironment.of(1))) {
                byte[] k = Differential.u32(1);
                m.update(k, value(0x7777, 5));
                assertArrayEquals(value(0, 5), m.lookup(k).orElseThrow(), "user space reads zeros where the lock is");
                MemorySegment v = m.lookupElem(MemorySegment.ofArray(k), 0);
                assertEquals(0, v.get(ValueLayout.JAVA_INT, 0), "an update does not write the lock word");
                m.update(k, value(0, 6), MapFlags.F_LOCK | (type == MapType.ARRAY ? MapFlags.EXIST : MapFlags.ANY));
                assertArrayEquals(value(0, 6), m.lookup(k, MapFlags.F_LOCK).orElseThrow());
                assertEquals("ENOTSUPP", assertThrows(MapException.class, m::freeze).errno().name());
            }
        }
    }

    @Test
    void aLockedUpdateWaitsForTheLockHolder() throws InterruptedException {
        try (EbpfMap m = Maps.create(locked(MapType.HASH), MapEnvironment.of(1))) {
            byte[] k = Differential.u32(1);
            m.update(k, value(0, 1));
            MemorySegment v = m.lookupElem(MemorySegment.ofArray(k), 0);
            SpinLock.lock(v, 0); // a program holds the lock
            AtomicBoolean done = new AtomicBoolean();
            Thread user = Thread.ofPlatform().start(() -> {
                m.update(k, value(0, 2), MapFlags.F_LOCK);
                done.set(true);
            });
            Thread.sleep(200);
            assertFalse(done.get(), "BPF_F_LOCK waits while the program holds the lock");
            v.set(ValueLayout.JAVA_LONG, 8, 99);
            SpinLock.unlock(v, 0);
            user.join(5000);
            assertTrue(done.get());
            assertEquals(2, v.get(ValueLayout.JAVA_LONG, 8), "in place, after the program's write");
        }
    }

    @Test
    void withoutALockBpfFLockIsInvalid() {
        try (EbpfMap m = Maps.create(MapDefinition.of("plain", MapType.HASH, 4, 16, 4), MapEnvironment.of(1))) {
            assertEquals("EINVAL", assertThrows(MapException.class,
                    () -> m.update(Differential.u32(1), value(0, 1), MapFlags.F_LOCK)).errno().name());
            assertEquals("EINVAL", assertThrows(MapException.class,
                    () -> m.lookup(Differential.u32(1), MapFlags.F_LOCK)).errno().name());
        }
    }
}
