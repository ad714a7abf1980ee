package dev.jxdp.cli;

import dev.jxdp.diff.DiffReport;
import dev.jxdp.diff.DiffRunner;
import dev.jxdp.diff.Difference;
import dev.jxdp.diff.MapEntry;
import dev.jxdp.exec.Interpreter;
import dev.jxdp.jit.Jit;
import dev.jxdp.kernel.PossibleCpus;
import dev.jxdp.nic.port.pcap.PcapReader;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jxdp diff OBJ[:SECTION] IN.pcap}: every packet of a capture through one program in jxdp and
 * in the kernel, in order, maps carried from packet to packet on both sides ({@link DiffRunner}).
 * Prints {@code N packets, 0 differences} and exits 0, or the first difference (packet, field, both
 * values, where in the program) and exits 1.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run every packet of a capture through a program in jxdp and in the kernel and compare: "
                + "retval, data_out, ctx_out per packet, and the maps after the run.")
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OBJ[:SECTION]", description = "An ELF object built for BPF, and the section of the program to run.")
    String object;

    @Parameters(index = "1", paramLabel = "IN.pcap", description = "The packets (pcap or pcapng, Ethernet).")
    Path capture;

    @Option(names = "--name", paramLabel = "N", description = "The program to run, by function name.")
    String name;

    @Option(names = "--maps", paramLabel = "[NAME=]FILE",
            description = "Initial map contents, as 'prog run --maps' takes them ('map dump -j' output). Repeatable.")
    List<String> maps = new ArrayList<>();

    @Option(names = "--interpret", description = "Use the reference interpreter instead of the JIT.")
    boolean interpret;

    @Mixin
    LoadArgs load;

    @Override
    public Integer call() throws IOException {
        Path file = objectFile();
        String section = object.length() > file.toString().length() ? object.substring(file.toString().length() + 1) : null;
        ObjectSpec o = load.load(file);
        ProgramSpec chosen = choose(o, file, section);
        List<byte[]> packets = packets();
        Map<String, List<MapEntry>> initial = entries(o, MapsFile.read(maps));
        DiffReport report = DiffRunner.run(new DiffRunner.Request(file, o, chosen.name(), packets, initial,
                interpret ? new Interpreter() : new Jit(), loadallArgs()));
        print(report);
        if (!report.same()) {
            Difference d = report.difference().orElseThrow();
            spec.commandLine().getErr().println("Error: jxdp and the kernel differ: packet " + d.packet() + ", " + d.field());
            return 1;
        }
        return 0;
    }

    /** OBJ or OBJ:SECTION: the longest prefix before a ':' that is a file (sections may hold '/' and ':'). */
    private Path objectFile() throws IOException {
        if (Files.isRegularFile(Path.of(object))) {
            return Path.of(object);
        }
        for (int i = object.indexOf(':'); i > 0; i = object.indexOf(':', i + 1)) {
            if (Files.isRegularFile(Path.of(object.substring(0, i)))) {
                return Path.of(object.substring(0, i));
            }
        }
        InputFiles.readable(Path.of(object), null); // says which: nothing there, or a directory
        throw new java.nio.file.FileSystemException(object, null, "not a regular file");
    }

    private ProgramSpec choose(ObjectSpec o, Path file, String section) {
        List<ProgramSpec> matching = o.programs().stream()
                .filter(p -> (section == null || p.section().equals(section)) && (name == null || p.name().equals(name))).toList();
        String all = String.join(", ", o.programs().stream().map(p -> p.name() + " in " + p.section()).toList());
        if (matching.isEmpty()) {
            throw new IllegalArgumentException("no program" + (name != null ? " named '" + name + "'" : "")
                    + (section != null ? " in section '" + section + "'" : "") + " in " + file + " (programs: " + all + ")");
        }
        if (matching.size() > 1 && section != null) {
            // OBJ:SECTION cannot tell them apart: only a name can
            throw new IllegalArgumentException(file + " section " + section + " has " + matching.size() + " programs ("
                    + String.join(", ", matching.stream().map(ProgramSpec::name).toList()) + "): choose one with --name");
        }
        if (matching.size() > 1) {
            throw new IllegalArgumentException(file + " has " + matching.size() + " programs (" + all
                    + "): choose one with OBJ:SECTION or --name");
        }
        return matching.getFirst();
    }

    private List<byte[]> packets() throws IOException {
        List<byte[]> packets = new ArrayList<>();
        try (PcapReader r = PcapReader.open(InputFiles.readable(capture, null))) {
            for (byte[] p = r.nextBytes(); p != null; p = r.nextBytes()) {
                packets.add(p);
            }
        }
        if (packets.isEmpty()) {
            throw new IllegalArgumentException(capture + ": no packets");
        }
        return packets;
    }

    /** --maps entries as bpf() takes them: per-CPU values one 8-aligned slot per possible CPU. */
    private static Map<String, List<MapEntry>> entries(ObjectSpec o, MapsFile file) {
        Map<String, List<MapEntry>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<MapsFile.Entry>> m : file.maps().entrySet()) {
            MapSpec spec = DiffRunner.resolve(o, m.getKey());
            List<MapEntry> list = new ArrayList<>();
            for (MapsFile.Entry e : m.getValue()) {
                list.add(new MapEntry(e.key(), e.value() != null ? e.value() : perCpu(spec, e)));
            }
            out.put(spec.name(), list);
        }
        return out;
    }

    private static byte[] perCpu(MapSpec spec, MapsFile.Entry e) {
        int stride = (spec.valueSize() + 7) & ~7;
        int cpus = PossibleCpus.count();
        if (e.perCpu().size() > cpus) {
            throw new IllegalArgumentException("--maps: map '" + spec.name() + "' has values for " + e.perCpu().size()
                    + " CPUs and this machine " + cpus);
        }
        return MapsFile.packed(e, stride, cpus);
    }

    private void print(DiffReport r) {
        PrintWriter out = spec.commandLine().getOut();
        Main.Output mode = Main.output(spec);
        if (mode != Main.Output.PLAIN) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("program", r.program());
            json.put("packets", r.packets());
            json.put("compared", r.compared());
            json.put("differences", r.differing());
            r.difference().ifPresent(d -> {
                Map<String, Object> first = new LinkedHashMap<>();
                first.put("packet", d.packet());
                first.put("field", d.field());
                first.put("jxdp", d.jxdp());
                first.put("kernel", d.kernel());
                first.put("context", d.context());
                json.put("first_difference", first);
            });
            json.put("notes", r.notes());
            Json.print(out, json, mode == Main.Output.PRETTY_JSON);
            return;
        }
        r.difference().ifPresent(d -> {
            out.println("packet " + d.packet() + ": " + d.field() + " differs");
            out.println("  jxdp:   " + d.jxdp());
            out.println("  kernel: " + d.kernel());
            d.context().forEach(l -> out.println("  " + l));
        });
        r.notes().forEach(n -> out.println("note: " + n));
        out.println(r.summary());
    }

    private List<String> loadallArgs() {
        if (load.types.size() == 1 && !load.types.getFirst().contains("=")) {
            String t = LoadArgs.type(load.types.getFirst()).bpftoolName();
            return List.of("type", t.equals("sched_cls") ? "classifier" : t.equals("sched_act") ? "action" : t);
        }
        return List.of();
    }
}
