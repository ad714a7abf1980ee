package dev.jxdp.load;

import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.testing.Clang;
import dev.jxdp.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The helpers against the kernel: each program of src/test/resources/helper-programs (see its README)
 * writes what its helpers return into .bss; run three times on a UDP frame in the kernel and in jxdp,
 * the verdicts and every map must be the kernel's.
 */
class HelperKernelTest {
    @TestFactory
    Stream<DynamicTest> helpersAgreeWithTheKernel() throws Exception {
        Path dir = Repo.root().resolve("dataplane/src/test/resources/helper-programs");
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".c")).sorted().toList().stream()
                    .map(src -> DynamicTest.dynamicTest(src.getFileName().toString(), () -> run(src)));
        }
    }

    private static void run(Path source) throws Exception {
        KernelComparisons.assume(Clang.clang().isPresent(), Clang.missingReason());
        Path tmp = Files.createTempDirectory("jxdp-helpers");
        try {
            String name = source.getFileName().toString().replace(".c", "");
            Path object = Clang.compile(tmp, name, Files.readString(source));
            ObjectComparison.compare(object, new ObjectComparison.Plan(Map.of("udp64", Frames.all().get("udp64")), 3, Set.of()));
        } finally {
            try (var s = Files.walk(tmp)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
