package dev.jxdp.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

/**
 * The control endpoint's JSON: snake_case names as bpftool's JSON has them, unknown fields ignored
 * (a newer switch may add some).
 */
public final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** As bpftool -p writes: {@code "key": value}, without Jackson's default space before the colon. */
    private static final DefaultPrettyPrinter BPFTOOL_STYLE = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));

    private Json() {}

    /** {@code value} as the endpoint writes it; indented if {@code pretty} (bpftool's -p). */
    public static String write(Object value, boolean pretty) {
        try {
            return pretty ? MAPPER.writer(BPFTOOL_STYLE).writeValueAsString(value) : MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
