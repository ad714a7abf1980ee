package dev.jxdp.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;

/** JSON output, compact as {@code bpftool -j} or indented as {@code bpftool -p}; field order as built. */
final class Json {
    private Json() {}

    private static final ObjectMapper COMPACT = new ObjectMapper();
    /** bpftool -p writes {@code "key": value}, without Jackson's default space before the colon. */
    private static final DefaultPrettyPrinter BPFTOOL_STYLE = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));

    static void print(PrintWriter out, Object value, boolean pretty) {
        try {
            out.println(pretty ? COMPACT.writer(BPFTOOL_STYLE).writeValueAsString(value) : COMPACT.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
