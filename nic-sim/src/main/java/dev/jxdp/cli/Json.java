package dev.jxdp.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jxdp.control.BpftoolPrettyPrinter;
import java.io.PrintWriter;

/** JSON output, compact as {@code bpftool -j} or indented as {@code bpftool -p}; field order as built. */
final class Json {
    private Json() {}

    private static final ObjectMapper COMPACT = new ObjectMapper();

    static void print(PrintWriter out, Object value, boolean pretty) {
        try {
            out.println(pretty ? COMPACT.writer(new BpftoolPrettyPrinter()).writeValueAsString(value) : COMPACT.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
