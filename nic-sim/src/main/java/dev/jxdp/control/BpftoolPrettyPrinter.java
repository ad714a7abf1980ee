package dev.jxdp.control;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.util.Instantiatable;
import java.io.IOException;

/**
 * Jackson output laid out as {@code bpftool -p} lays out its JSON (json_writer.c): each object member on
 * a line of its own, indented 4 spaces a level, {@code "key": value}; array elements on one line with
 * no spaces, only the closing bracket on a new line; nothing between a bracket and the brace after it
 * ({@code [{}, {@code },{}). So that {@code jxdp -p prog run} and {@code bpftool -p prog run} print the
 * same bytes, and jxdp's other -p outputs look like bpftool's. The map dumps, whose values bpftool
 * builds member by member, have their own writer (dev.jxdp.cli.JsonWriter); this is for what jxdp
 * writes through Jackson.
 *
 * <p>One instance per document: it counts the depth (Jackson makes one per write through
 * {@link #createInstance()}).
 */
public final class BpftoolPrettyPrinter implements PrettyPrinter, Instantiatable<BpftoolPrettyPrinter> {
    private int depth;

    @Override
    public BpftoolPrettyPrinter createInstance() {
        return new BpftoolPrettyPrinter();
    }

    /** A new line indented to the current depth: what json_writer writes before each member and closing bracket. */
    private void newLine(JsonGenerator g) throws IOException {
        g.writeRaw('\n');
        for (int i = 0; i < depth; i++) {
            g.writeRaw("    ");
        }
    }

    @Override
    public void writeRootValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw('\n');
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
        begin(g, '{');
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
        newLine(g);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        g.writeRaw(',');
        newLine(g);
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
        end(g, entries, '}');
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
        begin(g, '[');
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) {
        // json_writer puts the first element right after the bracket
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(',');
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
        end(g, values, ']');
    }

    /** json_writer's jsonw_begin: the bracket, one level deeper. */
    private void begin(JsonGenerator g, char bracket) throws IOException {
        g.writeRaw(bracket);
        depth++;
    }

    /** json_writer's jsonw_end: one level up, a new line only after members or elements, the bracket. */
    private void end(JsonGenerator g, int members, char bracket) throws IOException {
        depth--;
        if (members > 0) {
            newLine(g);
        }
        g.writeRaw(bracket);
    }
}
