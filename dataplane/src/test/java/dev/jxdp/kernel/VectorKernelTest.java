package dev.jxdp.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.isa.Assembler;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.testing.Vector;
import dev.jxdp.testing.VectorFile;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Linux kernel confirms the instruction-set vectors: every case not marked {@code kernel: skip}
 * runs in the kernel (BPF_PROG_TEST_RUN of an XDP program wrapping the case as a bpf-to-bpf
 * subprogram, or a tc program for LD_ABS/LD_IND), and must give the case's expected r0 and memory.
 * The interpreter is held to the same expectations by {@code VectorTest}, so the two agree through
 * the vectors.
 */
class VectorKernelTest {

    static List<Vector> runnable() {
        Path dir;
        try {
            dir = Path.of(VectorKernelTest.class.getResource("/isa-vectors").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return VectorFile.list(dir).stream()
                .flatMap(p -> VectorFile.load(p).stream())
                .filter(v -> !v.kernelSkip())
                .toList();
    }

    static Stream<Named<Vector>> vectors() {
        return runnable().stream().map(v -> Named.of(v.toString(), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void kernelAgreesWithTheVector(Vector v) {
        KernelComparisons.assumeKernel();
        Bytecode body = Assembler.assemble(v.asm());
        KernelResult result = KernelRunner.run(body, v.mem());
        assertTrue(result.r0Matches(v.result()), () -> "kernel r0 = 0x" + Long.toHexString(result.r0())
                + " (" + result.r0Bits() + " bits), vector expects 0x" + Long.toHexString(v.result()));
        if (v.memOut() != null) {
            assertArrayEquals(v.memOut(), result.memOut(), () -> "kernel memory after the run: "
                    + HexFormat.ofDelimiter(" ").formatHex(result.memOut()));
        }
    }

    @Test
    void mostVectorsRunInTheKernel() {
        // The kernel cannot express error cases, callx, recursion and a few other vectors; everything
        // else must run there, so a wholesale "skip" cannot hide a semantic question.
        assertTrue(runnable().size() >= 300, "only " + runnable().size() + " vectors are run in the kernel");
        assertTrue(runnable().stream().noneMatch(v -> v.result() == null), "a kernel-run vector without a result");
    }
}
