package dev.jxdp.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * The control endpoint's JSON: snake_case names as bpftool's JSON has them, unknown fields ignored
 * (a newer switch may add some).
 */
public final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);


    private Json() {}

    /** {@code value} as the endpoint writes it; indented if {@code pretty} (bpftool's -p). */
    public static String write(Object value, boolean pretty) {
        try {
            return pretty ? MAPPER.writer(new BpftoolPrettyPrinter()).writeValueAsString(value) : MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
