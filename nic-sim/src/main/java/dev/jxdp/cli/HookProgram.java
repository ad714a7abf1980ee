package dev.jxdp.cli;

import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A program for a hook as {@code OBJ[:SEC]} names it (ip link's {@code obj FILE sec SECTION} on one
 * word): the object file and, after the last colon, the program's ELF section or its name. Without
 * one, the object's only program of the hook's type.
 *
 * @param option the option that named it (for messages)
 * @param object the ELF object
 * @param selector the section or program name, or null
 */
record HookProgram(String option, Path object, String selector) {

    /** Parses {@code OBJ[:SEC]}; a path that exists as given is taken whole, colons and all. */
    static HookProgram parse(String option, String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0 || Files.exists(Path.of(text))) {
            return new HookProgram(option, Path.of(text), null);
        }
        if (colon == 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(option + " '" + text + "': expected OBJ or OBJ:SECTION");
        }
        return new HookProgram(option, Path.of(text.substring(0, colon)), text.substring(colon + 1));
    }

    /**
     * The program this names among {@code programs}, of type {@code type}.
     *
     * @throws IllegalArgumentException naming the programs there are, if none or several match
     */
    ProgramSpec choose(List<ProgramSpec> programs, ProgramType type) {
        List<ProgramSpec> ofType = programs.stream().filter(p -> p.type() == type).toList();
        List<ProgramSpec> chosen = selector == null ? ofType
                : ofType.stream().filter(p -> p.section().equals(selector) || p.name().equals(selector)).toList();
        if (chosen.size() == 1) {
            return chosen.getFirst();
        }
        String kind = type == ProgramType.XDP ? "XDP" : "tc";
        String there = ofType.isEmpty() ? "it has no " + kind + " program"
                : "its " + kind + " programs: " + String.join(", ", ofType.stream().map(p -> p.name() + " in " + p.section()).toList());
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException(option + ": no " + kind + " program " + (selector == null ? "" : "'" + selector + "' ")
                    + "in " + object + " (" + there + ")");
        }
        throw new IllegalArgumentException(option + ": " + object + (selector == null ? "" : " section " + selector) + " has "
                + chosen.size() + " " + kind + " programs (" + there + "): name one with " + object + ":NAME");
    }
}
