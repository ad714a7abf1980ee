package dev.jxdp.bench;

import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code OBJ[:SEC]}: a program of an ELF object, by section (or function name); without SEC, the
 * object's only program.
 *
 * @param object the ELF file
 * @param section the section or program name, or null
 */
public record ProgramChoice(Path object, String section) {

    /** Parses {@code OBJ[:SEC]}; the last colon separates them (paths rarely hold one). */
    public static ProgramChoice parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon == 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not OBJ[:SEC]");
        }
        return colon < 0 ? new ProgramChoice(Path.of(text), null) : new ProgramChoice(Path.of(text.substring(0, colon)), text.substring(colon + 1));
    }

    /**
     * The program in {@code spec} this choice names, among those of the hook's type (so that an object
     * with an XDP and a tc program needs no SEC for either).
     */
    public ProgramSpec in(ObjectSpec spec, ProgramType type) {
        List<ProgramSpec> ps = spec.programs().stream().filter(p -> p.type() == type).toList();
        String kind = type == ProgramType.XDP ? "XDP" : "tc";
        if (ps.isEmpty()) {
            throw new IllegalArgumentException(object + " has no " + kind + " program (programs: " + names(spec.programs()) + ")");
        }
        if (section == null) {
            if (ps.size() == 1) {
                return ps.getFirst();
            }
            throw new IllegalArgumentException(object + " has " + ps.size() + " " + kind + " programs (" + names(ps) + "): name one as " + object + ":SEC");
        }
        for (ProgramSpec p : ps) {
            if (p.section().equals(section)) {
                return p;
            }
        }
        for (ProgramSpec p : ps) {
            if (p.name().equals(section)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no " + kind + " program in section '" + section + "' of " + object + " (programs: " + names(ps) + ")");
    }

    private static String names(List<ProgramSpec> ps) {
        return String.join(", ", ps.stream().map(p -> p.name() + " in " + p.section()).toList());
    }

    @Override
    public String toString() {
        return section == null ? object.toString() : object + ":" + section;
    }
}
