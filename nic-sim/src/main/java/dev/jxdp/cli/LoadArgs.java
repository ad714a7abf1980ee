package dev.jxdp.cli;

import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The choices an object leaves to its loader, as options of every command that loads one. */
final class LoadArgs {
    @Option(names = "--type", paramLabel = "[SECTION=]TYPE",
            description = "Program type of sections libbpf does not know (iproute2 names such as 'ingress'): "
                    + "xdp, tc (sched_cls) or action (sched_act); SECTION=TYPE for one section. Repeatable.")
    List<String> types = new ArrayList<>();

    @Option(names = "--rodata", paramLabel = "NAME=VALUE",
            description = "Set a const volatile .rodata variable before load (number, true/false, enumerator, "
                    + "string for char arrays, or hex:BYTES). Repeatable.")
    List<String> rodata = new ArrayList<>();

    @Option(names = "--allow-unresolved-core",
            description = "Poison instructions whose CO-RE relocation has no match, as libbpf does, instead of refusing the object.")
    boolean allowUnresolvedCore;

    LoadOptions options() {
        LoadOptions o = LoadOptions.defaults().withAllowUnresolvedCore(allowUnresolvedCore);
        for (String t : types) {
            int eq = t.indexOf('=');
            if (eq < 0) {
                o = o.withDefaultType(type(t));
            } else {
                o = o.withSectionType(t.substring(0, eq), type(t.substring(eq + 1)));
            }
        }
        for (String r : rodata) {
            int eq = r.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--rodata needs NAME=VALUE, got '" + r + "'");
            }
            o = o.withRodata(r.substring(0, eq), r.substring(eq + 1));
        }
        return o;
    }

    ObjectSpec load(Path file) throws IOException {
        return load(file, null);
    }

    /** The object in {@code file}, which {@code what} (an option, or null) named. */
    ObjectSpec load(Path file, String what) throws IOException {
        return ObjectLoader.load(InputFiles.readable(file, what), options());
    }

    static ProgramType type(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "xdp" -> ProgramType.XDP;
            case "tc", "sched_cls", "cls", "classifier" -> ProgramType.SCHED_CLS;
            case "action", "sched_act", "act" -> ProgramType.SCHED_ACT;
            default -> throw new UsageException("unknown program type '" + name + "' (expected xdp, tc or action)");
        };
    }
}
