package dev.jxdp.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.kernel.Bpf;
import dev.jxdp.kernel.BpfException;
import dev.jxdp.kernel.BpfMap;
import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.kernel.MapSpec;
import dev.jxdp.kernel.MapType;
import dev.jxdp.kernel.PossibleCpus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs the same script of map operations on a jxdp map and on a kernel map made from the same
 * definition, and requires the same answer line by line. jxdp gets as many workers as the kernel has
 * possible CPUs, so per-CPU values compare byte for byte.
 */
final class Differential {
    private Differential() {}

    static int cpus() {
        return PossibleCpus.count();
    }

    static MapEnvironment env() {
        return MapEnvironment.of(cpus()).withDevices(ifindex -> ifindex == 1);
    }

    static MapSpec kernelSpec(MapDefinition d) {
        MapType t = MapType.of(d.type().id()).orElseThrow();
        return new MapSpec(t, d.keySize(), d.valueSize(), d.maxEntries(), d.flags(), d.name(), d.mapExtra(), 0);
    }

    /** The script's lines on both sides; fails naming the first line that differs. */
    static List<String> same(MapDefinition def, Function<Side, List<String>> script) {
        KernelComparisons.assumeKernel();
        List<String> kernel;
        try (Side k = new Side.Kernel(Bpf.createMap(kernelSpec(def)))) {
            kernel = script.apply(k);
        }
        List<String> jxdp;
        try (Side j = new Side.Jxdp(Maps.create(def, env()))) {
            jxdp = script.apply(j);
        }
        assertLines(kernel, jxdp);
        return kernel;
    }

    static void assertLines(List<String> kernel, List<String> jxdp) {
        for (int i = 0; i < Math.min(kernel.size(), jxdp.size()); i++) {
            assertEquals(kernel.get(i), jxdp.get(i), "step " + i + " (expected: the kernel's answer)");
        }
        assertEquals(kernel.size(), jxdp.size());
    }

    /** BPF_MAP_CREATE's answer on both sides: "ok" or the errno name. */
    static String create(MapDefinition def) {
        String k;
        try (BpfMap m = Bpf.createMap(kernelSpec(def))) {
            k = "ok";
        } catch (BpfException e) {
            k = e.errno().name();
        }
        String j;
        try (EbpfMap m = Maps.create(def, env())) {
            j = "ok";
        } catch (MapException e) {
            j = e.errno().name();
        }
        assertEquals(k, j, "BPF_MAP_CREATE of " + def);
        return k;
    }

    /** Collects a script's lines. */
    static final class Lines {
        final List<String> lines = new ArrayList<>();

        Lines add(String what, String result) {
            lines.add(what + ": " + result);
            return this;
        }
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    /** A per-CPU value: one u64 per CPU, CPU i holding {@code base + i}. */
    static byte[] perCpu(long base) {
        ByteBuffer b = ByteBuffer.allocate(8 * cpus()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < cpus(); i++) {
            b.putLong(base + i);
        }
        return b.array();
    }
}
