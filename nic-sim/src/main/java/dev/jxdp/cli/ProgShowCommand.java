package dev.jxdp.cli;

import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramTag;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jxdp prog show FILE}: the programs of an object, one entry each, in the shape of
 * {@code bpftool prog show}. Where bpftool has the same concept the field name is bpftool's ({@code id}
 * is the program's index in the object, {@code map_ids} the indexes of its maps in {@code map show}).
 * Fields bpftool has no counterpart for: section, license, insns (slots as loaded; the kernel's
 * {@code bytes_xlated} counts after its own rewrites, so it is not the same number), map names,
 * expected attach type and flags.
 */
@Command(name = "show", aliases = "list", mixinStandardHelpOptions = true,
        description = "Show the programs of an eBPF object: name, section, type, instructions, maps, license and the kernel's tag.")
final class ProgShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "An ELF object built for BPF.")
    Path file;

    @Mixin
    LoadArgs load;

    @Option(names = "--tag-hash", paramLabel = "sha256|sha1",
            description = "Digest of the tag: sha256 (Linux 6.18 and later, the default) or sha1 (older kernels).")
    String tagHash = "sha256";

    @Override
    public Integer call() throws Exception {
        ProgramTag.Algorithm alg = switch (tagHash) {
            case "sha256" -> ProgramTag.Algorithm.SHA256;
            case "sha1" -> ProgramTag.Algorithm.SHA1;
            default -> throw new IllegalArgumentException("unknown --tag-hash '" + tagHash + "' (expected sha256 or sha1)");
        };
        ObjectSpec o = load.load(file);
        PrintWriter out = spec.commandLine().getOut();
        Main.Output mode = Main.output(spec);
        if (mode == Main.Output.PLAIN) {
            for (int i = 0; i < o.programs().size(); i++) {
                plain(out, o, i, alg);
            }
        } else {
            List<Map<String, Object>> all = new ArrayList<>();
            for (int i = 0; i < o.programs().size(); i++) {
                all.add(json(o, i, alg));
            }
            Json.print(out, all, mode == Main.Output.PRETTY_JSON);
        }
        out.flush();
        return 0;
    }

    static Map<String, Object> json(ObjectSpec o, int index, ProgramTag.Algorithm alg) {
        ProgramSpec p = o.programs().get(index);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", index);
        m.put("type", p.type().bpftoolName());
        m.put("name", p.name());
        m.put("tag", p.tag(alg));
        m.put("gpl_compatible", p.gplCompatible());
        m.put("section", p.section());
        m.put("license", p.license());
        m.put("insns", p.slotCount());
        if (!p.mapIndexes().isEmpty()) {
            m.put("map_ids", p.mapIndexes());
            m.put("map_names", p.mapIndexes().stream().map(i -> o.maps().get(i).name()).toList());
        }
        if (p.expectedAttachType() != null) {
            m.put("expected_attach_type", p.expectedAttachType().bpftoolName());
        }
        if (p.flags() != 0) {
            m.put("prog_flags", p.flags());
        }
        if (!p.autoload()) {
            m.put("autoload", false);
        }
        if (p.functions().size() > 1) {
            m.put("subprograms", p.functions().subList(1, p.functions().size()).stream().map(ProgramSpec.Function::name).toList());
        }
        if (!p.unresolvedCore().isEmpty()) {
            m.put("poisoned_insns", p.unresolvedCore().stream().map(ProgramSpec.PoisonedRelocation::insn).toList());
        }
        return m;
    }

    /** bpftool's plain layout: an id line with type, name, tag and gpl, then indented details. */
    private static void plain(PrintWriter out, ObjectSpec o, int index, ProgramTag.Algorithm alg) {
        ProgramSpec p = o.programs().get(index);
        out.printf("%d: %s  name %s  tag %s%s%n", index, p.type().bpftoolName(), p.name(), p.tag(alg), p.gplCompatible() ? "  gpl" : "");
        StringBuilder line = new StringBuilder("\tsection ").append(p.section()).append("  insns ").append(p.slotCount())
                .append("  license \"").append(p.license()).append('"');
        if (!p.mapIndexes().isEmpty()) {
            line.append("  map_ids ").append(p.mapIndexes().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        out.println(line);
        if (!p.mapIndexes().isEmpty()) {
            out.println("\tmaps " + p.mapIndexes().stream().map(i -> o.maps().get(i).name()).collect(Collectors.joining(",")));
        }
        if (p.functions().size() > 1) {
            out.println("\tsubprograms " + p.functions().subList(1, p.functions().size()).stream()
                    .map(ProgramSpec.Function::name).collect(Collectors.joining(",")));
        }
        if (!p.unresolvedCore().isEmpty()) {
            out.println("\tpoisoned insns " + p.unresolvedCore().stream().map(r -> String.valueOf(r.insn())).collect(Collectors.joining(",")));
        }
    }
}
