package dev.jxdp.load;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What bpf_get_prandom_u32 returns, per worker (the kernel keeps one pseudo-random state per CPU).
 * {@link #seeded} pins it: each worker gets its own sequence from the seed, the same on every run.
 */
public interface RandomSource {
    int nextU32(int worker);

    static RandomSource system() {
        return worker -> ThreadLocalRandom.current().nextInt();
    }

    /** Worker {@code w} draws from a SplittableRandom seeded with {@code seed + w}. */
    static RandomSource seeded(long seed) {
        return new RandomSource() {
            private final java.util.Map<Integer, SplittableRandom> perWorker = new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public int nextU32(int worker) {
                SplittableRandom r = perWorker.computeIfAbsent(worker, w -> new SplittableRandom(seed + w));
                synchronized (r) {
                    return r.nextInt();
                }
            }
        };
    }
}
