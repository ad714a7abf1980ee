package dev.jxdp.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jxdp.obj.MapType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Maps under concurrent writers and lock-free readers. Freed element memory is filled with a poison
 * pattern, and every value a reader finds must be the one its key was written with, read twice across
 * a pause inside the read section: a reader that saw an element after its memory went back to the pool
 * (a missing grace period), or a key that changed under it, fails. The tests are shown to fail with a
 * domain that reuses memory at once ({@link Epochs#withoutGracePeriod()}).
 */
class StressTest {
    private static final long RUN_MS = 1500;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    /** The value written with key {@code k}: four words derived from it. */
    private static long word(int k, int i) {
        return (k + 1) * 0x9E37_79B9_7F4A_7C15L + i;
    }

    private static byte[] key(int k) {
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) (k * 31 + i * 7);
        }
        return b;
    }

    private static byte[] value(int k) {
        MemorySegment v = MemorySegment.ofArray(new byte[32]);
        for (int i = 0; i < 4; i++) {
            v.set(ValueLayout.JAVA_LONG_UNALIGNED, 8L * i, word(k, i));
        }
        return v.toArray(ValueLayout.JAVA_BYTE);
    }

    /** Readers and writers on one hash map; returns the first inconsistency seen, or null. */
    private static String churn(Epochs epochs, MapType type) throws InterruptedException {
        MapEnvironment env = new MapEnvironment(2, epochs, () -> 0, true, new MapTable(), new ProgramTable(), i -> true);
        int keys = 40;
        MapDefinition def = MapDefinition.of("stress", type, 16, 32, 48);
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        try (EbpfMap m = Maps.create(def, env)) {
            long end = System.currentTimeMillis() + RUN_MS;
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int seed = w;
                threads.add(Thread.ofPlatform().start(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    while (System.currentTimeMillis() < end && failure.get() == null) {
                        int k = r.nextInt(keys);
                        try {
                            if (r.nextBoolean()) {
                                m.delete(key(k));
                            } else {
                                m.update(key(k), value(k), MapFlags.ANY);
                            }
                        } catch (MapException e) {
                            if (!e.errno().name().equals("E2BIG")) {
                                failure.compareAndSet(null, "writer: " + e.getMessage());
                            }
                        } catch (RuntimeException e) {
                            failure.compareAndSet(null, "writer: " + e);
                        }
                    }
                }));
            }
            for (int t = 0; t < 2; t++) {
                int worker = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    SplittableRandom r = new SplittableRandom(100 + worker);
                    while (System.currentTimeMillis() < end && failure.get() == null) {
                        int k = r.nextInt(keys);
                        epochs.enter();
                        try {
                            MemorySegment v = m.lookupElem(MemorySegment.ofArray(key(k)), worker);
                            if (v != null) {
                                String bad = check(v, k);
                                for (int spin = 0; spin < 200 && bad == null; spin++) {
                                    Thread.onSpinWait();
                                }
                                if (bad == null) {
                                    bad = check(v, k);
                                }
                                if (bad != null) {
                                    failure.compareAndSet(null, bad);
                                }
                                reads.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failure.compareAndSet(null, "reader: " + e.getMessage());
                        } finally {
                            epochs.exit();
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        if (failure.get() == null && reads.get() < 1000) {
            return "only " + reads.get() + " reads found a value: the test did not test";
        }
        return failure.get();
    }

    private static String check(MemorySegment v, int k) {
        for (int i = 0; i < 4; i++) {
            long got = (long) LONG.getVolatile(v, 8L * i);
            if (got != word(k, i)) {
                return "key " + k + " word " + i + ": 0x" + Long.toHexString(got) + " instead of 0x" + Long.toHexString(word(k, i))
                        + (got == 0xa5a5_a5a5_a5a5_a5a5L ? " (poison: freed memory)" : "");
            }
        }
        return null;
    }

    @Test
    void hashReadersNeverSeeFreedOrChangedElements() throws InterruptedException {
        assertNull(churn(Epochs.GLOBAL, MapType.HASH));
    }

    @Test
    void lruReadersNeverSeeFreedOrChangedElements() throws InterruptedException {
        assertNull(churn(Epochs.GLOBAL, MapType.LRU_HASH));
    }

    @Test
    void withoutAGracePeriodTheReadersCatchIt() throws InterruptedException {
        // The same churn with memory reused at once must be caught, or the tests above prove nothing.
        String failure = null;
        for (int attempt = 0; attempt < 5 && failure == null; attempt++) {
            failure = churn(Epochs.withoutGracePeriod(), MapType.HASH);
        }
        assertNotNull(failure, "reuse without a grace period went unnoticed");
        org.junit.jupiter.api.Assertions.assertTrue(failure.startsWith("key ") || failure.startsWith("reader: "),
                "caught by a reader, not: " + failure);
    }

    @Test
    void atomicAddsFromManyThreadsAreNotLost() throws InterruptedException {
        MapEnvironment env = MapEnvironment.of(2);
        int threads = 3;
        int adds = 200_000;
        try (EbpfMap m = Maps.create(MapDefinition.of("adds", MapType.HASH, 4, 8, 8), env)) {
            byte[] hot = Differential.u32(7);
            m.update(hot, new byte[8], MapFlags.NOEXIST);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int worker = t % 2;
                all.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < adds; i++) {
                        env.epochs().enter();
                        try {
                            MemorySegment v = m.lookupElem(MemorySegment.ofArray(hot), worker);
                            LONG.getAndAdd(v, 0L, 1L);
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            env.epochs().exit();
                        }
                    }
                }));
            }
            // Meanwhile other keys in the same buckets come and go.
            Thread churner = Thread.ofPlatform().start(() -> {
                SplittableRandom r = new SplittableRandom(1);
                while (all.stream().anyMatch(Thread::isAlive)) {
                    int k = r.nextInt(6);
                    if (k == 7) {
                        continue;
                    }
                    try {
                        if (r.nextBoolean()) {
                            m.delete(Differential.u32(k));
                        } else {
                            m.update(Differential.u32(k), Differential.u64(k), MapFlags.ANY);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
            });
            for (Thread t : all) {
                t.join();
            }
            churner.join();
            assertNull(failure.get());
            assertEquals((long) threads * adds,
                    MemorySegment.ofArray(m.lookup(hot).orElseThrow()).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        }
    }

    @Test
    void lpmReadersSeeConsistentPrefixesWhileTheTrieChanges() throws InterruptedException {
        MapEnvironment env = MapEnvironment.of(2).withPoison(true);
        MapDefinition def = MapDefinition.of("lpm", MapType.LPM_TRIE, 8, 8, 256).withFlags(MapFlags.NO_PREALLOC);
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong hits = new AtomicLong();
        try (EbpfMap m = Maps.create(def, env)) {
            // 10.0.0.0/8 always there: every lookup of 10.x.y.z finds it or something more specific.
            m.update(prefix(8, 10, 0, 0), prefixValue(8, 10, 0, 0), MapFlags.ANY);
            long end = System.currentTimeMillis() + RUN_MS;
            Thread writer = Thread.ofPlatform().start(() -> {
                SplittableRandom r = new SplittableRandom(3);
                while (System.currentTimeMillis() < end && failure.get() == null) {
                    int len = 9 + r.nextInt(16);
                    int b = r.nextInt(4);
                    int c = r.nextInt(4) << 6;
                    try {
                        if (r.nextBoolean()) {
                            m.update(prefix(len, 10, b, c), prefixValue(len, 10, b, c), MapFlags.ANY);
                        } else {
                            m.delete(prefix(len, 10, b, c));
                        }
                    } catch (MapException e) {
                        if (!e.errno().name().equals("ENOSPC")) {
                            failure.compareAndSet(null, e.getMessage());
                        }
                    }
                }
            });
            Thread reader = Thread.ofPlatform().start(() -> {
                SplittableRandom r = new SplittableRandom(4);
                while (System.currentTimeMillis() < end && failure.get() == null) {
                    int b = r.nextInt(4);
                    int c = r.nextInt(256);
                    env.epochs().enter();
                    try {
                        MemorySegment v = m.lookupElem(MemorySegment.ofArray(prefix(32, 10, b, c)), 0);
                        if (v == null) {
                            failure.compareAndSet(null, "10." + b + "." + c + ".0 matched nothing");
                            continue;
                        }
                        long found = v.get(ValueLayout.JAVA_LONG, 0);
                        int len = (int) (found >>> 32);
                        int addr = (int) found;
                        int mask = len == 0 ? 0 : -1 << (32 - len);
                        int want = 10 << 24 | b << 16 | c << 8;
                        if (len < 8 || len > 32 || (addr & mask) != (want & mask)) {
                            failure.compareAndSet(null, "10." + b + "." + c + ".0 matched 0x" + Long.toHexString(found));
                        }
                        hits.incrementAndGet();
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e.getMessage());
                    } finally {
                        env.epochs().exit();
                    }
                }
            });
            writer.join();
            reader.join();
        }
        assertNull(failure.get());
        org.junit.jupiter.api.Assertions.assertTrue(hits.get() > 1000, "only " + hits.get() + " lookups");
    }

    private static byte[] prefix(int len, int a, int b, int c) {
        return new byte[] {(byte) len, 0, 0, 0, (byte) a, (byte) b, (byte) c, 0};
    }

    /** prefixlen << 32 | the prefix's address, masked. */
    private static byte[] prefixValue(int len, int a, int b, int c) {
        int addr = a << 24 | b << 16 | c << 8;
        int mask = len == 0 ? 0 : -1 << (32 - len);
        return Differential.u64((long) len << 32 | Integer.toUnsignedLong(addr & mask));
    }
}
