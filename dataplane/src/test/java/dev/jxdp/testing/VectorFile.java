package dev.jxdp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the instruction-set test vectors, a plain-text format meant to be run by any engine and by
 * the Linux kernel alike:
 *
 * <pre>
 * # comment
 * === case name
 * -- asm
 * r0 = *(u8 *)(r1 + 0x0)
 * exit
 * -- mem
 * 2a 00
 * -- result
 * 0x2a
 * </pre>
 *
 * <p>A case starts with {@code === name} (unique in its file) and has sections, each introduced by a
 * {@code -- section} line: {@code asm} (required; the program, passed to the assembler verbatim),
 * {@code mem} (input memory as whitespace-separated hex bytes; absent means empty), {@code result}
 * (expected r0 as unsigned 64-bit hex, {@code 0x...}), {@code mem-out} (expected memory after the
 * run), {@code error} (a substring of the expected error message, instead of a result), {@code
 * kernel} ({@code skip <reason>} or {@code sched_cls}). Outside {@code asm}, lines starting with
 * {@code #} and blank lines are ignored. The program starts with r1 = the address of mem, r2 = its
 * length, r10 = the frame pointer and the other registers 0.
 */
public final class VectorFile {
    private static final Set<String> SECTIONS = Set.of("asm", "mem", "result", "mem-out", "error", "kernel");

    private VectorFile() {}

    /** The cases of one file, in order. */
    public static List<Vector> load(Path file) {
        try {
            return parse(file.getFileName().toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code *.vec} files of a directory, sorted by name. */
    public static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".vec")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Vector> parse(String fileName, String text) {
        List<Vector> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String name = null;
        int caseLine = 0;
        Map<String, StringBuilder> sections = new LinkedHashMap<>();
        String section = null;
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String where = fileName + ":" + (i + 1);
            if (line.startsWith("===")) {
                if (name != null) {
                    out.add(toVector(fileName, caseLine, name, sections));
                }
                name = line.substring(3).strip();
                caseLine = i + 1;
                if (name.isEmpty() || !names.add(name)) {
                    throw new IllegalArgumentException(where + ": case name missing or used twice: '" + name + "'");
                }
                sections = new LinkedHashMap<>();
                section = null;
            } else if (line.startsWith("--")) {
                section = line.substring(2).strip();
                if (name == null || !SECTIONS.contains(section) || sections.containsKey(section)) {
                    throw new IllegalArgumentException(where + ": unknown, repeated or misplaced section '" + line + "'");
                }
                sections.put(section, new StringBuilder());
            } else if ("asm".equals(section)) {
                sections.get(section).append(line).append('\n');
            } else if (!line.isBlank() && !line.strip().startsWith("#")) {
                if (section == null) {
                    throw new IllegalArgumentException(where + ": text outside a section: " + line);
                }
                sections.get(section).append(line.strip()).append('\n');
            }
        }
        if (name != null) {
            out.add(toVector(fileName, caseLine, name, sections));
        }
        return out;
    }

    private static Vector toVector(String file, int line, String name, Map<String, StringBuilder> s) {
        String where = file + ":" + line + " (" + name + ")";
        String asm = text(s, "asm");
        if (asm == null || asm.isBlank()) {
            throw new IllegalArgumentException(where + ": no asm section");
        }
        String result = text(s, "result");
        String error = text(s, "error");
        if ((result == null) == (error == null)) {
            throw new IllegalArgumentException(where + ": needs exactly one of result and error");
        }
        String memOut = text(s, "mem-out");
        if (error != null && memOut != null) {
            throw new IllegalArgumentException(where + ": an error case has no mem-out");
        }
        String kernel = text(s, "kernel");
        if (kernel != null && !kernel.equals("sched_cls") && !kernel.matches("skip\\s+\\S.*")) {
            throw new IllegalArgumentException(where + ": kernel must be 'sched_cls' or 'skip <reason>', not '" + kernel + "'");
        }
        String mem = text(s, "mem");
        return new Vector(file, name, asm, mem == null ? new byte[0] : hexBytes(where, mem),
                result == null ? null : hexValue(where, result), memOut == null ? null : hexBytes(where, memOut),
                error, kernel);
    }

    /** A section's text, stripped and with lines joined by spaces (asm keeps its lines), or null. */
    private static String text(Map<String, StringBuilder> s, String section) {
        StringBuilder b = s.get(section);
        if (b == null) {
            return null;
        }
        return section.equals("asm") ? b.toString() : b.toString().strip().replace('\n', ' ');
    }

    private static Long hexValue(String where, String text) {
        if (!text.matches("0x[0-9a-fA-F]{1,16}")) {
            throw new IllegalArgumentException(where + ": result must be 0x followed by 1-16 hex digits, not '" + text + "'");
        }
        return Long.parseUnsignedLong(text.substring(2), 16);
    }

    private static byte[] hexBytes(String where, String text) {
        if (text.isBlank()) {
            return new byte[0];
        }
        String[] tokens = text.strip().split("\\s+");
        byte[] out = new byte[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            if (!tokens[i].matches("[0-9a-fA-F]{2}")) {
                throw new IllegalArgumentException(where + ": '" + tokens[i] + "' is not a hex byte");
            }
            out[i] = (byte) Integer.parseInt(tokens[i], 16);
        }
        return out;
    }
}
