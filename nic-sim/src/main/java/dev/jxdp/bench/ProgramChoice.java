package dev.jxdp.bench;

import java.nio.file.Path;

/**
 * A program of an ELF object for a hook, already chosen (the command line's {@code OBJ[:SEC]} is
 * resolved to a program name before a load test starts).
 *
 * @param object the ELF file
 * @param program the program's (function) name in it
 */
public record ProgramChoice(Path object, String program) {
    @Override
    public String toString() {
        return object + ":" + program;
    }
}
