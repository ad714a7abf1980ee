package dev.jxdp.diff;

import dev.jxdp.kernel.Bpf;
import dev.jxdp.kernel.BpfAvailability;
import dev.jxdp.kernel.BpfException;
import dev.jxdp.kernel.BpfMap;
import dev.jxdp.kernel.BpfProgram;
import dev.jxdp.kernel.ProgType;
import dev.jxdp.kernel.TestRun;
import dev.jxdp.kernel.TestRunResult;
import dev.jxdp.kernel.ToolRun;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's side of a differential run. libbpf loads the object as users load it (through
 * {@code bpftool prog loadall FILE DIR/progs pinmaps DIR/maps}, into a private bpffs directory:
 * maps created, global data filled, prog array slots set, CO-RE applied); the runner then takes the
 * program and maps back with BPF_OBJ_GET and works on them with bpf() directly, so the same maps
 * carry state from packet to packet and each packet costs one system call rather than a bpftool
 * process. Objects libbpf refuses are loaded from jxdp's own linking instead ({@link #load}). The
 * directory goes on close; the kernel frees the objects with their last descriptor.
 */
final class KernelSide implements AutoCloseable {
    private final Path dir;
    private BpfProgram program;
    private final Map<String, BpfMap> maps = new LinkedHashMap<>();
    private final Map<String, dev.jxdp.obj.MapType> types = new LinkedHashMap<>();

    /** Why the kernel side cannot run here, or null. */
    static String unavailableReason() {
        BpfAvailability a = BpfAvailability.checkWithBpftool();
        return a.usable() ? null : a.reason();
    }

    private KernelSide(Path dir) {
        this.dir = dir;
    }

    /**
     * Loads the object into the kernel: through libbpf, or, for objects whose maps libbpf 1.x no
     * longer reads (legacy {@code struct bpf_map_def} and iproute2's {@code bpf_elf_map}), from
     * jxdp's own linking of it ({@link #viaJxdpLinker}).
     */
    static KernelSide load(Path object, ObjectSpec spec, ProgramSpec chosen, List<String> loadallArgs) throws IOException {
        boolean legacy = JxdpLinkedObject.needed(spec);
        KernelSide k = new KernelSide(legacy ? null : Path.of("/sys/fs/bpf/jxdp-diff-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
        try {
            if (legacy) {
                k.viaJxdpLinker(spec, chosen);
            } else {
                k.viaLibbpf(object, spec, chosen, loadallArgs);
            }
            return k;
        } catch (IOException | RuntimeException e) {
            k.close();
            throw e;
        }
    }

    private void viaLibbpf(Path object, ObjectSpec spec, ProgramSpec chosen, List<String> loadallArgs) throws IOException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of("prog", "loadall", object.toString(), dir.resolve("progs").toString(),
                "pinmaps", dir.resolve("maps").toString()));
        cmd.addAll(loadallArgs);
        bpftool(cmd);
        Path pin = dir.resolve("progs").resolve(chosen.name());
        if (!Files.exists(pin)) {
            throw new IOException("bpftool prog loadall did not pin program " + chosen.name() + " of " + object);
        }
        program = Bpf.openPinnedProgram(pin, ProgType.valueOf(chosen.type().name()), chosen.name());
        for (MapSpec m : spec.maps()) {
            if (!MapSnapshot.comparable(m.type())) {
                continue;
            }
            Path mp = dir.resolve("maps").resolve(m.kernelName().replace('.', '_'));
            if (!Files.exists(mp)) {
                throw new IOException("bpftool prog loadall did not pin map " + m.name() + " of " + object + " (looked for "
                        + mp.getFileName() + ")");
            }
            maps.put(m.name(), Bpf.openPinnedMap(mp, KernelMaps.spec(m)));
            types.put(m.name(), m.type());
        }
    }

    /** The kernel side for objects libbpf refuses: see {@link JxdpLinkedObject}. */
    private void viaJxdpLinker(ObjectSpec spec, ProgramSpec chosen) {
        JxdpLinkedObject linked = JxdpLinkedObject.load(spec, chosen);
        program = linked.program();
        maps.putAll(linked.maps());
        for (MapSpec m : spec.maps()) {
            types.put(m.name(), m.type());
        }
    }

    void put(String map, MapEntry e) {
        BpfMap m = maps.get(map);
        if (m == null) {
            throw new IllegalArgumentException("map '" + map + "' holds kernel objects or a stream: its entries cannot be set");
        }
        m.update(e.key(), e.value());
    }

    RunOutcome run(byte[] packet, byte[] ctx) {
        try {
            TestRunResult r = program.testRun(TestRun.of(packet).withCtx(ctx));
            return new RunOutcome.Ran(r.retval(), r.dataOut(), r.ctxOut());
        } catch (BpfException e) {
            return new RunOutcome.Refused(e.errno().name());
        }
    }

    List<MapSnapshot> snapshot() {
        List<MapSnapshot> out = new ArrayList<>();
        for (Map.Entry<String, BpfMap> m : maps.entrySet()) {
            out.add(MapSnapshot.of(m.getKey(), types.get(m.getKey()), m.getValue()));
        }
        return out;
    }

    private static void bpftool(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bpftool");
        cmd.addAll(args);
        ToolRun r = ToolRun.of(cmd, Duration.ofSeconds(120));
        if (!r.ok()) {
            throw new IOException("the kernel side: bpftool " + args.get(0) + " " + args.get(1) + ": "
                    + r.errorLine().orElse("exit status " + r.status()));
        }
    }

    @Override
    public void close() throws IOException {
        for (BpfMap m : maps.values()) {
            m.close();
        }
        if (program != null) {
            program.close();
        }
        if (dir != null && Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
