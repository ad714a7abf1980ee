package dev.jxdp.maps;

import static dev.jxdp.maps.Differential.bytes;
import static dev.jxdp.maps.Differential.perCpu;
import static dev.jxdp.maps.Differential.u32;
import static dev.jxdp.maps.Differential.u64;

import dev.jxdp.obj.MapType;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hash maps against the kernel: the same operations on both, the same results. With BPF_F_ZERO_SEED
 * the kernel's element order is reproducible, so get_next_key order is compared too (it checks
 * jhash, the bucket count and head insertion); without it only the answers of operations are.
 */
class HashKernelTest {

    private static MapDefinition hash(int keySize, int valueSize, int max, int flags) {
        return MapDefinition.of("jxdp_hash", MapType.HASH, keySize, valueSize, max).withFlags(flags);
    }

    @Test
    void updateFlagsFullMapAndDelete() {
        Differential.same(hash(4, 8, 3, 0), m -> new Differential.Lines()
                .add("lookup absent", m.lookup(u32(1)))
                .add("exist on absent", m.update(u32(1), u64(10), MapFlags.EXIST))
                .add("noexist", m.update(u32(1), u64(11), MapFlags.NOEXIST))
                .add("noexist again", m.update(u32(1), u64(12), MapFlags.NOEXIST))
                .add("exist", m.update(u32(1), u64(13), MapFlags.EXIST))
                .add("lookup", m.lookup(u32(1)))
                .add("any 2", m.update(u32(2), u64(20), MapFlags.ANY))
                .add("any 3", m.update(u32(3), u64(30), MapFlags.ANY))
                .add("full", m.update(u32(4), u64(40), MapFlags.ANY))
                .add("replace when full", m.update(u32(3), u64(31), MapFlags.ANY))
                .add("lookup 3", m.lookup(u32(3)))
                .add("flags 3", m.update(u32(1), u64(0), 3))
                .add("flags 8", m.update(u32(1), u64(0), 8))
                .add("F_LOCK without a spin lock", m.update(u32(1), u64(0), MapFlags.F_LOCK))
                .add("delete", m.delete(u32(2)))
                .add("delete again", m.delete(u32(2)))
                .add("room again", m.update(u32(4), u64(40), MapFlags.NOEXIST))
                .add("lookup and delete", m.lookupAndDelete(u32(4)))
                .add("lookup and delete absent", m.lookupAndDelete(u32(4)))
                .add("freeze", m.freeze())
                .add("update frozen", m.update(u32(1), u64(0), MapFlags.ANY))
                .add("delete frozen", m.delete(u32(1)))
                .add("lookup frozen", m.lookup(u32(1)))
                .add("freeze again", m.freeze())
                .lines);
    }

    @Test
    void getNextKeyOrderWithZeroSeed() {
        // 4-byte keys: jhash2. 60 keys in 64 buckets, deletes and re-inserts in between.
        Differential.same(hash(4, 4, 64, MapFlags.ZERO_SEED), m -> {
            Differential.Lines l = new Differential.Lines();
            for (int i = 0; i < 60; i++) {
                m.update(u32(i * 7919), u32(i), MapFlags.ANY);
            }
            l.add("keys", m.keys());
            for (int i = 0; i < 60; i += 3) {
                m.delete(u32(i * 7919));
            }
            m.update(u32(5 * 7919), u32(99), MapFlags.ANY);
            l.add("after deletes", m.keys());
            l.add("next of absent key", m.nextKey(u32(123456)));
            l.add("next of null", m.nextKey(null));
            return l.lines;
        });
    }

    @Test
    void getNextKeyOrderForOddAndLongKeys() {
        Random r = new Random(7);
        for (int keySize : new int[] {1, 3, 5, 11, 12, 13, 16, 24, 37}) {
            byte[][] keys = new byte[40][keySize];
            for (byte[] k : keys) {
                r.nextBytes(k);
            }
            Differential.same(hash(keySize, 8, 50, MapFlags.ZERO_SEED), m -> {
                Differential.Lines l = new Differential.Lines();
                for (int i = 0; i < keys.length; i++) {
                    l.add("update " + i, m.update(keys[i], u64(i), MapFlags.ANY));
                }
                return l.add("keys", m.keys()).lines;
            });
        }
    }

    @Test
    void perCpuHashHoldsOneValuePerCpu() {
        MapDefinition d = MapDefinition.of("jxdp_pcpu", MapType.PERCPU_HASH, 4, 8, 4).withFlags(MapFlags.ZERO_SEED);
        Differential.same(d, m -> new Differential.Lines()
                .add("update", m.update(u32(1), perCpu(100), MapFlags.ANY))
                .add("lookup", m.lookup(u32(1)))
                .add("update in place", m.update(u32(1), perCpu(200), MapFlags.EXIST))
                .add("lookup", m.lookup(u32(1)))
                .add("F_LOCK", m.update(u32(1), perCpu(0), MapFlags.F_LOCK))
                .add("noexist", m.update(u32(1), perCpu(0), MapFlags.NOEXIST))
                .add("lookup and delete", m.lookupAndDelete(u32(1)))
                .lines);
    }

    @Test
    void perCpuValuesAreEightAligned() {
        // value_size 3: each CPU's slot is 8 bytes, the padding comes back as written.
        MapDefinition d = MapDefinition.of("jxdp_pcpu3", MapType.PERCPU_HASH, 4, 3, 4);
        byte[] v = new byte[8 * Differential.cpus()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) (i + 1);
        }
        Differential.same(d, m -> new Differential.Lines()
                .add("update", m.update(u32(1), v, MapFlags.ANY))
                .add("lookup", m.lookup(u32(1)))
                .lines);
    }

    @Test
    void noPreallocHashBehavesTheSame() {
        Differential.same(hash(8, 4, 2, MapFlags.NO_PREALLOC | MapFlags.ZERO_SEED), m -> new Differential.Lines()
                .add("1", m.update(u64(1), u32(1), MapFlags.ANY))
                .add("2", m.update(u64(2), u32(2), MapFlags.ANY))
                .add("3 full", m.update(u64(3), u32(3), MapFlags.ANY))
                .add("replace", m.update(u64(2), u32(22), MapFlags.ANY))
                .add("keys", m.keys())
                .lines);
    }

    @Test
    void readOnlyAndWriteOnlyForUserSpace() {
        Differential.same(hash(4, 4, 2, MapFlags.RDONLY), m -> new Differential.Lines()
                .add("update rdonly", m.update(u32(1), u32(1), MapFlags.ANY))
                .add("lookup rdonly", m.lookup(u32(1)))
                .add("next rdonly", m.nextKey(null))
                .add("delete rdonly", m.delete(u32(1)))
                .lines);
        Differential.same(hash(4, 4, 2, MapFlags.WRONLY), m -> new Differential.Lines()
                .add("update wronly", m.update(u32(1), u32(1), MapFlags.ANY))
                .add("lookup wronly", m.lookup(u32(1)))
                .add("next wronly", m.nextKey(null))
                .add("lookup and delete wronly", m.lookupAndDelete(u32(1)))
                .add("delete wronly", m.delete(u32(1)))
                .lines);
    }

    @Test
    void randomOperationsAgree() {
        Random r = new Random(42);
        List<int[]> ops = new java.util.ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ops.add(new int[] {r.nextInt(4), r.nextInt(40), r.nextInt(4)});
        }
        Differential.same(hash(4, 8, 24, MapFlags.ZERO_SEED), m -> {
            Differential.Lines l = new Differential.Lines();
            for (int[] op : ops) {
                byte[] k = u32(op[1]);
                switch (op[0]) {
                    case 0 -> l.add("update", m.update(k, u64(op[1] * 1000L + op[2]), op[2] == 3 ? MapFlags.ANY : op[2]));
                    case 1 -> l.add("delete", m.delete(k));
                    case 2 -> l.add("lookup", m.lookup(k));
                    default -> l.add("next", m.nextKey(k));
                }
            }
            return l.add("keys", m.keys()).lines;
        });
    }

    @Test
    void keyBytesArePassedVerbatim() {
        Differential.same(hash(2, 2, 4, MapFlags.ZERO_SEED), m -> new Differential.Lines()
                .add("update", m.update(bytes(0xff, 0x00), bytes(1, 2), MapFlags.ANY))
                .add("update", m.update(bytes(0x00, 0xff), bytes(3, 4), MapFlags.ANY))
                .add("keys", m.keys())
                .lines);
    }
}
