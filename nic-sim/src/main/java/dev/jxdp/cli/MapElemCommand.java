package dev.jxdp.cli;

import dev.jxdp.maps.MapException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The map element commands (dump, lookup, update, delete, getnext, peek, push, pop) on the maps of an
 * object file: {@code jxdp map CMD FILE MAP ...} with bpftool's arguments after FILE ({@link MapArgs})
 * and bpftool's output ({@link MapPrinter}). The object is loaded for its maps only; each command acts
 * on a fresh copy, so a dump shows the maps' initial state. With {@code --instance NAME} the words after
 * the command are MAP ...; the command acts on the maps of the running switch NAME.
 */
abstract class MapElemCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0..*", paramLabel = "FILE MAP ARGS", arity = "1..*",
            description = "An ELF object built for BPF (not with --instance), then MAP [key DATA] [value VALUE]"
                    + " [any|exist|noexist], as bpftool: MAP := id N | name NAME | NAME, DATA := [hex] BYTES.")
    List<String> words = new ArrayList<>();

    @Option(names = "--instance", paramLabel = "NAME",
            description = "Act on the live maps of the running `jxdp switch --name NAME` (through its control endpoint) instead of an object file.")
    String instance;

    @Mixin
    LoadArgs load;

    /** bpftool's words after FILE (or after the command, with --instance). */
    List<String> args;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (instance != null) {
            args = words;
            try (MapSource source = new RemoteMapSource(dev.jxdp.control.ControlClient.of(instance))) {
                int status = run(source, out, Main.output(spec));
                out.flush();
                return status;
            }
        }
        if (words.size() < 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Missing required parameters: FILE and MAP (or --instance NAME and MAP)");
        }
        Path file = Path.of(words.get(0));
        args = words.subList(1, words.size());
        dev.jxdp.obj.ObjectSpec object = load.load(file);
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        try (MapSource source = MapSource.object(object, dev.jxdp.obj.ElfFile.parse(file.toString(), bytes))) {
            int status = run(source, out, Main.output(spec));
            out.flush();
            return status;
        }
    }

    abstract int run(MapSource source, PrintWriter out, Main.Output mode);

    /** The key a command needs: bpftool's "did not find key" when it is missing. */
    static byte[] key(MapAccess m, MapArgs a) {
        if (a.key == null) {
            if (m.keySize() == 0) {
                return null;
            }
            throw new IllegalArgumentException("did not find key");
        }
        return MapArgs.bytes(a.key, "key", m.keySize());
    }

    /** A value as the user gave it: bytes, or a map or program for the maps that hold those. */
    static byte[] value(MapAccess m, MapArgs a) {
        if (a.value == null) {
            throw new IllegalArgumentException("did not find value");
        }
        if (m.mapOfMaps() || m.progArray()) {
            List<String> ref = a.value;
            if (ref.isEmpty()) {
                throw new IllegalArgumentException("expected " + (m.progArray() ? "PROG" : "MAP") + " after 'value'");
            }
            if (!ref.get(0).equals("id") && !ref.get(0).equals("name")) {
                // bpftool also takes the id's bytes for these maps.
                return MapArgs.bytes(ref, "value", m.valueSize());
            }
            int id = m.progArray() ? m.source().programId(ref) : m.source().mapId(ref);
            return new byte[] {(byte) id, (byte) (id >> 8), (byte) (id >> 16), (byte) (id >> 24)};
        }
        byte[] one = MapArgs.bytes(a.value, "value", m.valueSize());
        if (!m.perCpu()) {
            return one;
        }
        // fill_per_cpu_value: the same value for every CPU.
        int step = m.valueStride();
        byte[] all = new byte[m.userValueSize()];
        for (int cpu = 0; cpu < m.cpus(); cpu++) {
            System.arraycopy(one, 0, all, cpu * step, one.length);
        }
        return all;
    }

    /** bpftool's wording: "update failed: File exists". */
    static IllegalStateException failed(String what, MapException e) {
        return new IllegalStateException(what + ": " + e.errno().description(), e);
    }
}
