package dev.jxdp.maps;

import static dev.jxdp.maps.Differential.u32;
import static dev.jxdp.maps.Differential.u64;

import dev.jxdp.obj.MapType;
import org.junit.jupiter.api.Test;

/** Queues, stacks and bloom filters against the kernel (queue_stack_maps.c, bloom_filter.c). */
class QueueBloomKernelTest {

    private static void pushPopPeek(MapType type) {
        Differential.same(MapDefinition.of("jxdp_qs", type, 0, 8, 3), m -> new Differential.Lines()
                .add("peek empty", m.lookup(null))
                .add("pop empty", m.lookupAndDelete(null))
                .add("push 1", m.update(null, u64(1), MapFlags.ANY))
                .add("push 2", m.update(null, u64(2), MapFlags.ANY))
                .add("push 3", m.update(null, u64(3), MapFlags.ANY))
                .add("push 4 full", m.update(null, u64(4), MapFlags.ANY))
                .add("push 4 noexist", m.update(null, u64(4), MapFlags.NOEXIST))
                .add("push 4 exist", m.update(null, u64(4), MapFlags.EXIST))
                .add("peek", m.lookup(null))
                .add("pop", m.lookupAndDelete(null))
                .add("pop", m.lookupAndDelete(null))
                .add("push 5", m.update(null, u64(5), MapFlags.ANY))
                .add("pop", m.lookupAndDelete(null))
                .add("pop", m.lookupAndDelete(null))
                .add("pop", m.lookupAndDelete(null))
                .add("delete", m.delete(null))
                .add("next", m.nextKey(null))
                .add("flags 4", m.update(null, u64(6), MapFlags.F_LOCK))
                .lines);
    }

    @Test
    void queue() {
        pushPopPeek(MapType.QUEUE);
    }

    @Test
    void stack() {
        pushPopPeek(MapType.STACK);
    }

    @Test
    void bloomFilterFalsePositivesAreTheKernels() {
        // 50 values in a filter sized for 50 with 3 hashes and seed 0: the kernel's bit array, so the
        // same values of 2000 others test positive.
        MapDefinition d = MapDefinition.of("jxdp_bloom", MapType.BLOOM_FILTER, 0, 4, 50).withFlags(MapFlags.ZERO_SEED)
                .withMapExtra(3);
        Differential.same(d, m -> {
            Differential.Lines l = new Differential.Lines();
            for (int i = 0; i < 50; i++) {
                m.update(null, u32(i * 31), MapFlags.ANY);
            }
            StringBuilder positives = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                if (m.contains(u32(100_000 + i)).equals("ok")) {
                    positives.append(i).append(' ');
                }
            }
            return l.add("members", m.contains(u32(31)))
                    .add("false positives", positives.toString())
                    .add("push noexist", m.update(null, u32(1), MapFlags.NOEXIST))
                    .add("delete", m.delete(null))
                    .add("next", m.nextKey(null))
                    .add("pop", m.lookupAndDelete(null))
                    .lines;
        });
    }

    @Test
    void bloomFilterWithOddValueSize() {
        MapDefinition d = MapDefinition.of("jxdp_bloom3", MapType.BLOOM_FILTER, 0, 3, 10).withFlags(MapFlags.ZERO_SEED);
        Differential.same(d, m -> {
            Differential.Lines l = new Differential.Lines();
            for (int i = 0; i < 10; i++) {
                m.update(null, new byte[] {(byte) i, 1, 2}, MapFlags.ANY);
            }
            StringBuilder positives = new StringBuilder();
            for (int i = 0; i < 256; i++) {
                if (m.contains(new byte[] {(byte) i, 9, 9}).equals("ok")) {
                    positives.append(i).append(' ');
                }
            }
            return l.add("false positives", positives.toString()).lines;
        });
    }
}
