package dev.jxdp.maps;

import static dev.jxdp.maps.Differential.perCpu;
import static dev.jxdp.maps.Differential.u32;
import static dev.jxdp.maps.Differential.u64;

import dev.jxdp.obj.MapType;
import org.junit.jupiter.api.Test;

/** ARRAY and PERCPU_ARRAY against the kernel (kernel/bpf/arraymap.c). */
class ArrayKernelTest {

    @Test
    void arrayRules() {
        Differential.same(MapDefinition.of("jxdp_array", MapType.ARRAY, 4, 12, 4), m -> new Differential.Lines()
                .add("zeroed", m.lookup(u32(0)))
                .add("past the end", m.lookup(u32(4)))
                .add("update", m.update(u32(2), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, MapFlags.ANY))
                .add("lookup", m.lookup(u32(2)))
                .add("exist", m.update(u32(1), new byte[12], MapFlags.EXIST))
                .add("noexist", m.update(u32(1), new byte[12], MapFlags.NOEXIST))
                .add("update past the end", m.update(u32(4), new byte[12], MapFlags.ANY))
                .add("flags 3", m.update(u32(1), new byte[12], 3))
                .add("F_LOCK without a lock", m.update(u32(1), new byte[12], MapFlags.F_LOCK))
                .add("delete", m.delete(u32(1)))
                .add("lookup and delete", m.lookupAndDelete(u32(1)))
                .add("keys", m.keys())
                .add("next of last", m.nextKey(u32(3)))
                .add("next past the end", m.nextKey(u32(100)))
                .add("next of -1", m.nextKey(u32(-1)))
                .add("freeze", m.freeze())
                .add("update frozen", m.update(u32(1), new byte[12], MapFlags.ANY))
                .lines);
    }

    @Test
    void perCpuArray() {
        Differential.same(MapDefinition.of("jxdp_parray", MapType.PERCPU_ARRAY, 4, 8, 2), m -> new Differential.Lines()
                .add("zeroed", m.lookup(u32(0)))
                .add("update", m.update(u32(1), perCpu(7), MapFlags.ANY))
                .add("lookup", m.lookup(u32(1)))
                .add("F_LOCK", m.update(u32(1), perCpu(7), MapFlags.F_LOCK))
                .add("noexist", m.update(u32(1), perCpu(7), MapFlags.NOEXIST))
                .add("past the end", m.update(u32(2), perCpu(7), MapFlags.ANY))
                .lines);
    }

    @Test
    void perCpuValuePaddingIsKept() {
        byte[] v = new byte[8 * Differential.cpus()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) (0x10 + i);
        }
        Differential.same(MapDefinition.of("jxdp_parray5", MapType.PERCPU_ARRAY, 4, 5, 1), m -> new Differential.Lines()
                .add("update", m.update(u32(0), v, MapFlags.ANY))
                .add("lookup", m.lookup(u32(0)))
                .lines);
    }

    @Test
    void valuesAreOverwrittenInPlace() {
        // A u64 value written twice: the second write wins (arrays never replace elements).
        Differential.same(MapDefinition.of("jxdp_a8", MapType.ARRAY, 4, 8, 1), m -> new Differential.Lines()
                .add("1", m.update(u32(0), u64(1), MapFlags.ANY))
                .add("2", m.update(u32(0), u64(2), MapFlags.EXIST))
                .add("lookup", m.lookup(u32(0)))
                .lines);
    }
}
