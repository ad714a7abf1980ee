package dev.jxdp.exec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.jit.Jit;
import dev.jxdp.testing.Vector;
import dev.jxdp.testing.VectorFile;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of {@code isa-vectors/*.vec} on the interpreter and on the JIT, one test per case and engine. */
class VectorTest {

    static Path directory() {
        try {
            return Path.of(VectorTest.class.getResource("/isa-vectors").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Vector> all() {
        return VectorFile.list(directory()).stream().flatMap(p -> VectorFile.load(p).stream()).toList();
    }

    static Stream<Named<Vector>> vectors() {
        return all().stream().map(v -> Named.of(v.toString(), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void interpreter(Vector v) {
        VectorRunner.check(new Interpreter(), v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void jit(Vector v) {
        VectorRunner.check(new Jit(), v);
    }

    @Test
    void everyTopicHasCases() {
        List<String> files = VectorFile.list(directory()).stream().map(p -> p.getFileName().toString()).toList();
        for (String topic : List.of("alu64", "alu32", "div-mod", "shifts", "byteswap", "movsx", "jumps", "jmp32",
                "loads-stores", "sign-ext-loads", "atomics", "lddw", "calls", "callx", "stack", "ld-abs", "errors")) {
            assertTrue(files.contains(topic + ".vec"), "missing " + topic + ".vec");
        }
        assertTrue(all().size() >= 250, "only " + all().size() + " cases");
    }
}
