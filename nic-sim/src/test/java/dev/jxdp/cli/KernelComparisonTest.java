package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.MapConvention;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The done-criterion: for every object in programs/, {@code jxdp prog show} and
 * {@code jxdp map show} agree with what the kernel reports for the same object loaded by
 * {@code bpftool prog loadall} (program names, types, tags, GPL compatibility and maps used; map
 * names, types, key and value sizes, max_entries, flags and frozen state). Needs root, bpftool and a
 * bpffs at /sys/fs/bpf; skipped with the reason otherwise. Pins are removed whatever happens.
 *
 * <p>Kernel rules applied to jxdp's side before comparing: the kernel keeps 15 bytes of a name, but
 * bpftool shows a program's full BTF function name when the kept name is 15 bytes long and the program
 * has BTF func info (get_prog_full_name); map names stay cut. The kernel adds BPF_F_RDONLY_PROG to
 * DEVMAP and DEVMAP_HASH maps itself (dev_map_alloc_check), so bpftool shows a flag the object did not
 * ask for.
 */
class KernelComparisonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path BPFFS = Path.of("/sys/fs/bpf");

    static Stream<String> objects() throws IOException {
        Path bin = Path.of(Cli.object("x")).getParent();
        try (Stream<Path> s = Files.list(bin)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".o")).map(n -> n.substring(0, n.length() - 2))
                    .sorted().toList().stream();
        }
    }

    /** Each comparison counts in the "kernel comparisons: N run, M skipped (reason)" line. */
    @BeforeEach
    void needKernel() throws Exception {
        KernelComparisons.assumeKernel();
        KernelComparisons.assume(Files.isDirectory(BPFFS), "no bpffs at /sys/fs/bpf");
        Proc id = Proc.run("id", "-u");
        KernelComparisons.assume(id.status == 0 && id.out.strip().equals("0"), "not root: bpftool prog loadall needs CAP_BPF and CAP_SYS_ADMIN");
        Proc version = Proc.run("bpftool", "version");
        KernelComparisons.assume(version.status == 0, "bpftool is not installed (apt-get install bpftool)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objects")
    void jxdpAgreesWithTheKernel(String name) throws Exception {
        String obj = Cli.object(name);
        ObjectSpec spec = ObjectLoader.load(Path.of(obj), LoadOptions.defaults());
        JsonNode progs = jxdp("prog", obj);
        JsonNode maps = jxdp("map", obj);
        assertEquals(spec.programs().size(), progs.size());

        boolean legacy = spec.maps().stream().anyMatch(m -> m.origin().convention() == MapConvention.LEGACY_MAP_DEF
                || m.origin().convention() == MapConvention.IPROUTE2_ELF_MAP);
        Path pins = BPFFS.resolve("jxdp_kcmp_" + ProcessHandle.current().pid() + "_" + name);
        try {
            Files.createDirectories(pins);
            Proc load = Proc.run("bpftool", "prog", "loadall", obj, pins.resolve("progs").toString(), "pinmaps", pins.resolve("maps").toString());
            if (legacy) {
                // libbpf 1.0 dropped struct bpf_map_def / bpf_elf_map in section 'maps', so the kernel side
                // cannot be loaded by bpftool at all; jxdp loading it (above) is the point of this object.
                assertTrue(load.status != 0 && load.err.contains("legacy map definitions"), "bpftool refuses legacy maps: " + load.err);
                return;
            }
            assertEquals(0, load.status, "bpftool prog loadall: " + load.err);

            Map<Long, String> mapNamesById = new TreeMap<>();
            Map<String, List<Object>> kernelMaps = new TreeMap<>();
            for (Path pin : list(pins.resolve("maps"))) {
                JsonNode m = bpftool("map", pin);
                mapNamesById.put(m.get("id").asLong(), m.get("name").asText());
                kernelMaps.put(m.get("name").asText(), List.of(m.get("type").asText(), m.get("bytes_key").asLong(), m.get("bytes_value").asLong(),
                        m.get("max_entries").asLong(), m.get("flags").asLong(), m.get("frozen").asInt()));
            }
            Map<String, List<Object>> ourMaps = new TreeMap<>();
            for (JsonNode m : maps) {
                String type = m.get("type").asText();
                long flags = m.get("flags").asLong() | (type.equals("devmap") || type.equals("devmap_hash") ? MapSpec.F_RDONLY_PROG : 0);
                ourMaps.put(MapSpec.kernelName(m.get("name").asText()), List.of(type, m.get("bytes_key").asLong(), m.get("bytes_value").asLong(),
                        m.get("max_entries").asLong(), flags, m.get("frozen").asInt()));
            }
            assertEquals(kernelMaps, ourMaps, "maps");

            Map<String, List<Object>> kernelProgs = new TreeMap<>();
            for (Path pin : list(pins.resolve("progs"))) {
                JsonNode p = bpftool("prog", pin);
                List<String> used = new ArrayList<>();
                for (JsonNode id : p.path("map_ids")) {
                    used.add(mapNamesById.getOrDefault(id.asLong(), "id " + id.asLong()));
                }
                kernelProgs.put(p.get("name").asText(), List.of(p.get("type").asText(), p.get("tag").asText(),
                        p.get("gpl_compatible").asBoolean(), used));
            }
            Map<String, List<Object>> ourProgs = new TreeMap<>();
            for (int i = 0; i < progs.size(); i++) {
                JsonNode p = progs.get(i);
                List<String> used = new ArrayList<>();
                for (JsonNode n : p.path("map_names")) {
                    used.add(MapSpec.kernelName(n.asText()));
                }
                ourProgs.put(shownName(p.get("name").asText(), !spec.programs().get(i).funcInfo().isEmpty()),
                        List.of(p.get("type").asText(), p.get("tag").asText(), p.get("gpl_compatible").asBoolean(), used));
            }
            assertEquals(kernelProgs, ourProgs, "programs (type, tag, gpl_compatible, maps used in order)");
        } finally {
            deleteTree(pins);
        }
    }

    /** What bpftool prints as the name of a program the kernel keeps 15 bytes of. */
    private static String shownName(String full, boolean btfFuncInfo) {
        String kept = MapSpec.kernelName(full);
        return kept.length() == MapSpec.KERNEL_NAME_LENGTH && btfFuncInfo ? full : kept;
    }

    private static JsonNode jxdp(String what, String obj) throws IOException {
        Cli r = Cli.run("-j", what, "show", obj);
        assertEquals(0, r.status(), r.err());
        return JSON.readTree(r.out());
    }

    private static JsonNode bpftool(String what, Path pin) throws Exception {
        Proc p = Proc.run("bpftool", "-j", what, "show", "pinned", pin.toString());
        assertEquals(0, p.status, p.err);
        return JSON.readTree(p.out);
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A finished process: exit status, stdout, stderr. */
    private record Proc(int status, String out, String err) {
        static Proc run(String... cmd) throws Exception {
            Path err = Files.createTempFile("jxdp-kcmp", ".err");
            try {
                Process p;
                try {
                    p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
                } catch (IOException e) {
                    return new Proc(-1, "", e.getMessage());
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Proc(-1, out, String.join(" ", cmd) + " timed out");
                }
                return new Proc(p.exitValue(), out, Files.readString(err));
            } finally {
                Files.deleteIfExists(err);
            }
        }
    }
}
