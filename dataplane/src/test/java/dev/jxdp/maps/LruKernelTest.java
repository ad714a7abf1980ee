package dev.jxdp.maps;

import static dev.jxdp.maps.Differential.u64;

import dev.jxdp.isa.Assembler;
import dev.jxdp.kernel.Bpf;
import dev.jxdp.kernel.BpfMap;
import dev.jxdp.kernel.BpfProgram;
import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.kernel.ProgType;
import dev.jxdp.kernel.TestRun;
import dev.jxdp.obj.MapType;
import dev.jxdp.kernel.CpuPin;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * LRU hash maps against the kernel: which elements an insert into a full map evicts. As in the kernel's
 * test_lru_map.c, everything runs on one CPU (this thread is pinned to CPU 0 and jxdp acts as worker 0),
 * and the reference bit is set the only way the kernel sets it, by a program's lookup: on the kernel side
 * a small program calling bpf_map_lookup_elem, run with BPF_PROG_TEST_RUN; on jxdp's the map's program
 * lookup. User-space lookups leave the bit alone on both sides.
 */
class LruKernelTest {

    /** Operations on both sides, plus "a program looks the key up" (sets the reference bit). */
    private interface LruSide {
        Side side();

        String programLookup(long key);
    }

    private static List<String> same(MapDefinition def, Function<LruSide, List<String>> script) {
        KernelComparisons.assumeKernel();
        List<String> kernel;
        List<String> jxdp;
        try (CpuPin pinned = CpuPin.to(0)) {
            try (BpfMap km = Bpf.createMap(Differential.kernelSpec(def)); Side k = new Side.Kernel(km)) {
                kernel = script.apply(new LruSide() {
                    @Override
                    public Side side() {
                        return k;
                    }

                    @Override
                    public String programLookup(long key) {
                        try (BpfProgram p = Bpf.loadProgram(ProgType.SCHED_CLS, lookupProgram(km.fd(), key))) {
                            return p.testRun(TestRun.of(new byte[64])).retval() == 1 ? "found" : "absent";
                        }
                    }
                });
            }
            try (EbpfMap jm = Maps.create(def, Differential.env()); Side j = new Side.Jxdp(jm)) {
                jxdp = script.apply(new LruSide() {
                    @Override
                    public Side side() {
                        return j;
                    }

                    @Override
                    public String programLookup(long key) {
                        return jm.lookupElem(MemorySegment.ofArray(u64(key)), 0) != null ? "found" : "absent";
                    }
                });
            }
        }
        Differential.assertLines(kernel, jxdp);
        return kernel;
    }

    /** r0 = bpf_map_lookup_elem(map, &key) != NULL. */
    private static dev.jxdp.isa.Bytecode lookupProgram(int fd, long key) {
        return Assembler.assemble("""
                r1 = %d ll
                *(u64 *)(r10 - 0x8) = r1
                r2 = r10
                r2 += -0x8
                ld_pseudo r1, 0x1, %d
                call 0x1
                r1 = r0
                r0 = 0x0
                if r1 == 0x0 goto +0x1
                r0 = 0x1
                exit
                """.formatted(key, fd));
    }

    private static MapDefinition lru(MapType type, int max, int flags) {
        return MapDefinition.of("jxdp_lru", type, 8, 8, max).withFlags(flags | MapFlags.ZERO_SEED);
    }

    private static byte[] value(MapDefinition d, long v) {
        return d.perCpu() ? Differential.perCpu(v) : u64(v);
    }

    @Test
    void twoEntriesTheReferencedOneStays() {
        // test_lru_sanity0: 1 and 2 in; 1 is looked up by a program; 3 evicts 2.
        MapDefinition d = lru(MapType.LRU_HASH, 2, 0);
        same(d, m -> {
            Side s = m.side();
            Differential.Lines l = new Differential.Lines();
            l.add("1", s.update(u64(1), value(d, 1234), MapFlags.NOEXIST));
            l.add("1 again", s.update(u64(1), value(d, 1234), MapFlags.NOEXIST));
            l.add("bad flags", s.update(u64(1), value(d, 1234), -1));
            l.add("2 exist", s.update(u64(2), value(d, 1234), MapFlags.EXIST));
            l.add("2", s.update(u64(2), value(d, 1234), MapFlags.NOEXIST));
            l.add("program looks up 1", m.programLookup(1));
            l.add("3", s.update(u64(3), value(d, 1234), MapFlags.NOEXIST));
            l.add("2 evicted?", s.lookup(u64(2)));
            l.add("lookup and delete 1", s.lookupAndDelete(u64(1)));
            return l.add("keys", s.keys()).lines;
        });
    }

    @Test
    void shrinkKeepsReferencedElements() {
        for (int max : new int[] {8, 64, 300}) {
            MapDefinition d = lru(MapType.LRU_HASH, max, 0);
            same(d, m -> {
                Side s = m.side();
                Differential.Lines l = new Differential.Lines();
                for (long k = 1; k <= max; k++) {
                    s.update(u64(k), value(d, k), MapFlags.NOEXIST);
                }
                for (long k = 1; k <= max / 3; k++) {
                    m.programLookup(k);
                }
                for (long k = max + 1; k <= max + max / 2; k++) {
                    l.add("insert " + k, s.update(u64(k), value(d, k), MapFlags.NOEXIST));
                }
                l.add("keys", s.keys());
                // Deletes free nodes; a failed NOEXIST update still takes (and gives back) a node.
                for (long k = 1; k <= max / 4; k++) {
                    l.add("delete " + k, s.delete(u64(k)));
                }
                l.add("existing, noexist", s.update(u64(max + 1), value(d, 0), MapFlags.NOEXIST));
                for (long k = 2L * max; k < 2L * max + max / 2; k++) {
                    l.add("insert " + k, s.update(u64(k), value(d, k), MapFlags.ANY));
                }
                return l.add("keys", s.keys()).lines;
            });
        }
    }

    @Test
    void randomOperationsWithReferences() {
        for (MapType type : List.of(MapType.LRU_HASH, MapType.LRU_PERCPU_HASH)) {
            for (int flags : new int[] {0, MapFlags.NO_COMMON_LRU}) {
                MapDefinition d = lru(type, 16, flags);
                same(d, m -> {
                    Random r = new Random(11);
                    Side s = m.side();
                    Differential.Lines l = new Differential.Lines();
                    for (int i = 0; i < 600; i++) {
                        long k = r.nextInt(40);
                        switch (r.nextInt(6)) {
                            case 0, 1 -> l.add("update", s.update(u64(k), value(d, i), r.nextInt(3)));
                            case 2 -> l.add("prog lookup", m.programLookup(k));
                            case 3 -> l.add("delete", s.delete(u64(k)));
                            case 4 -> l.add("lookup", s.lookup(u64(k)));
                            default -> l.add("keys", s.keys());
                        }
                    }
                    return l.add("keys", s.keys()).lines;
                });
            }
        }
    }

    @Test
    void noCommonLruRoundsMaxEntries() {
        // htab_map_alloc rounds max_entries of BPF_F_NO_COMMON_LRU maps up to a multiple of the CPUs.
        MapDefinition d = lru(MapType.LRU_HASH, 3, MapFlags.NO_COMMON_LRU);
        same(d, m -> {
            Side s = m.side();
            List<String> out = new ArrayList<>();
            for (long k = 0; k < 10; k++) {
                out.add(s.update(u64(k), u64(k), MapFlags.ANY));
            }
            out.add(s.keys());
            return out;
        });
    }
}
