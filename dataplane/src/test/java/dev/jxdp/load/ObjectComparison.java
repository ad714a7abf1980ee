package dev.jxdp.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.exec.Engine;
import dev.jxdp.exec.Interpreter;
import dev.jxdp.hooks.Network;
import dev.jxdp.hooks.PacketHelpers;
import dev.jxdp.hooks.ProgTestRun;
import dev.jxdp.hooks.TestRunException;
import dev.jxdp.testing.Bpftool;
import dev.jxdp.jit.Jit;
import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.kernel.PossibleCpus;
import dev.jxdp.maps.DifferentialAccess;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.MapType;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.kernel.CpuPin;
import dev.jxdp.kernel.Errno;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An object run in the kernel (bpftool) and in jxdp (interpreter and JIT) the same way, compared: each
 * program on each frame {@code times} times through BPF_PROG_TEST_RUN (jxdp's: the hooks' ProgTestRun),
 * in order, on CPU 0 / worker 0; the verdicts, the frames
 * afterwards and, at the end, the maps (those bpftool can dump and whose values are not kernel ids;
 * {@code keysOnly} maps by key).
 */
public final class ObjectComparison {
    private ObjectComparison() {}

    /** What to run. */
    public record Plan(Map<String, byte[]> frames, int times, Set<String> keysOnly) {}

    public static void compare(Path object, Plan plan) throws IOException {
        ObjectSpec spec = ObjectLoader.load(object, LoadOptions.defaults());
        String reason = Bpftool.unavailableReason();
        KernelComparisons.assume(reason == null, reason);
        List<String> kernelRuns = new ArrayList<>();
        Map<String, List<String>> kernelMaps = new LinkedHashMap<>();
        LoadedObject.Options base = LoadedObject.Options.defaults().withWorkers(PossibleCpus.count()).withClock(Clock.fixed(0))
                .withProvider(PacketHelpers.INSTANCE);
        try (CpuPin pinned = CpuPin.to(0); Bpftool bt = new Bpftool(object)) {
            for (ProgramSpec p : spec.programs()) {
                for (Map.Entry<String, byte[]> f : plan.frames().entrySet()) {
                    for (int i = 0; i < plan.times(); i++) {
                        Bpftool.Result r;
                        try {
                            r = bt.runProgram(p.name(), f.getValue(), 1);
                        } catch (IOException e) {
                            if (!e.getMessage().contains(Errno.of(Errno.EINVAL).description())) {
                                throw e;
                            }
                            kernelRuns.add(refused(p, f.getKey())); // a second-stage program (xdp/cpumap, xdp/devmap)
                            continue;
                        }
                        kernelRuns.add(line(p, f.getKey(), r.retval(), f.getValue(), r.dataOut()));
                    }
                }
            }
            for (MapSpec m : spec.maps()) {
                if (compared(m)) {
                    kernelMaps.put(m.name(), KernelDump.kernel(bt.dump(m.kernelName().replace('.', '_')), m.type(),
                            plan.keysOnly().contains(m.name())));
                }
            }
        }
        for (Engine engine : List.of(new Interpreter(), new Jit())) {
            try (CpuPin pinned = CpuPin.to(0); LoadedObject o = LoadedObject.load(spec, base.withEngine(engine))) {
                List<String> runs = new ArrayList<>();
                for (ProgramSpec p : spec.programs()) {
                    for (Map.Entry<String, byte[]> f : plan.frames().entrySet()) {
                        for (int i = 0; i < plan.times(); i++) {
                            ProgTestRun.Result r;
                            try {
                                r = ProgTestRun.run(o.program(p.name()), ProgTestRun.Input.of(f.getValue()), Network.loopback());
                            } catch (TestRunException e) {
                                if (e.errno() != Errno.EINVAL) {
                                    throw e;
                                }
                                runs.add(refused(p, f.getKey()));
                                continue;
                            }
                            runs.add(line(p, f.getKey(), (int) r.retval(), f.getValue(), r.dataOut()));
                        }
                    }
                }
                String who = engine.getClass().getSimpleName();
                DifferentialAccess.assertLines(kernelRuns, runs, who + " runs");
                for (Map.Entry<String, List<String>> km : kernelMaps.entrySet()) {
                    EbpfMap m = o.map(km.getKey());
                    assertEquals(km.getValue(), KernelDump.jxdp(m, plan.keysOnly().contains(km.getKey())), who + ": map " + km.getKey());
                }
            }
        }
    }

    private static boolean compared(MapSpec m) {
        return m.type() != MapType.PROG_ARRAY && !m.type().isMapInMap() && m.type() != MapType.RINGBUF
                && m.type() != MapType.PERF_EVENT_ARRAY && m.type() != MapType.QUEUE && m.type() != MapType.STACK
                && m.type() != MapType.BLOOM_FILTER && m.type() != MapType.DEVMAP && m.type() != MapType.DEVMAP_HASH
                && m.type() != MapType.CPUMAP && m.type() != MapType.XSKMAP;
    }

    /** A test run refused with EINVAL, as the kernel refuses one of a program for cpumap or devmap entries. */
    private static String refused(ProgramSpec p, String frame) {
        return p.name() + " " + frame + ": EINVAL";
    }

    private static String line(ProgramSpec p, String frame, int retval, byte[] in, byte[] out) {
        return p.name() + " " + frame + ": " + retval
                + (java.util.Arrays.equals(in, out) ? "" : " frame " + HexFormat.of().formatHex(out));
    }
}
