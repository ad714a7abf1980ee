package dev.jxdp.cli;

import java.io.PrintWriter;

/**
 * bpftool's json_writer (tools/bpf/bpftool/json_writer.c), byte for byte: {@code -j} output is compact,
 * and pretty mode (bpftool -p, and its plain-text BTF dumps) puts every object member on a line of
 * its own, indented 4 spaces a level, while array elements stay on one line and only the closing
 * bracket gets a new line ({@code "pad": [0,0,0\n    ]}). Map dumps must look like bpftool's, so they
 * use this rather than a general JSON library.
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    private final boolean pretty;
    private int depth;
    private char sep;

    JsonWriter(boolean pretty) {
        this.pretty = pretty;
    }

    private void indent() {
        out.append("    ".repeat(depth));
    }

    private void eol() {
        if (pretty) {
            out.append('\n');
            indent();
        }
    }

    private void eor() {
        if (sep != '\0') {
            out.append(sep);
        }
        sep = ',';
    }

    private void begin(char c) {
        eor();
        out.append(c);
        depth++;
        sep = '\0';
    }

    private void end(char c) {
        depth--;
        if (sep != '\0') {
            eol();
        }
        out.append(c);
        sep = ',';
    }

    JsonWriter startObject() {
        begin('{');
        return this;
    }

    JsonWriter endObject() {
        end('}');
        return this;
    }

    JsonWriter startArray() {
        begin('[');
        return this;
    }

    JsonWriter endArray() {
        end(']');
        return this;
    }

    JsonWriter name(String name) {
        eor();
        eol();
        sep = '\0';
        quote(name);
        out.append(':');
        if (pretty) {
            out.append(' ');
        }
        return this;
    }

    /** A value written as is (a number, true, null ...). */
    JsonWriter raw(String value) {
        eor();
        out.append(value);
        return this;
    }

    JsonWriter string(String value) {
        eor();
        quote(value);
        return this;
    }

    JsonWriter nullValue() {
        return raw("null");
    }

    /** jsonw_puts: the escapes json_writer makes. */
    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\f' -> out.append("\\f");
                case '\b' -> out.append("\\b");
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                default -> out.append(c);
            }
        }
        out.append('"');
    }

    /** What was written, with the final newline bpftool prints. */
    void printTo(PrintWriter w) {
        w.println(out);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
