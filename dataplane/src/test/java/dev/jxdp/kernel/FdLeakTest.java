package dev.jxdp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.isa.Assembler;
import dev.jxdp.isa.Bytecode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every descriptor the backend opens is closed: the process's fd count does not grow. */
class FdLeakTest {
    private static final Bytecode PASS = Assembler.assemble("r0 = 0x2\nexit");
    private static final Bytecode REJECTED = Assembler.assemble("r0 = r5\nexit");
    /** Room for files the JVM itself may open meanwhile (class loading); a leak would be thousands. */
    private static final int SLACK = 5;

    @Test
    void loadingAndClosing2000ProgramsLeaksNothing() throws IOException {
        KernelComparisons.assumeKernel();
        churn(50); // load every class and open every jar involved before counting
        long before = openFds();
        churn(2000);
        long after = openFds();
        assertTrue(after <= before + SLACK, "open fds went from " + before + " to " + after);
    }

    @Test
    void closeReleasesTheDescriptor() throws IOException {
        KernelComparisons.assumeKernel();
        BpfProgram p = Bpf.loadProgram(ProgType.XDP, PASS);
        Path link = Path.of("/proc/self/fd", Integer.toString(p.fd()));
        assertEquals("anon_inode:bpf-prog", Files.readSymbolicLink(link).toString());
        p.close();
        assertTrue(!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                || !Files.readSymbolicLink(link).toString().equals("anon_inode:bpf-prog"));
    }

    /** Successful loads with test runs, refused loads, maps, and whole harness runs. */
    private static void churn(int programs) {
        for (int i = 0; i < programs; i++) {
            try (BpfProgram p = Bpf.loadProgram(ProgType.XDP, PASS)) {
                if (i % 10 == 0) {
                    assertEquals(2, p.testRun(TestRun.of(new byte[14])).retval());
                }
            }
            if (i % 20 == 0) {
                assertThrows(ProgLoadException.class, () -> Bpf.loadProgram(ProgType.XDP, REJECTED));
                try (BpfMap map = Bpf.createMap(MapSpec.of(MapType.HASH, 4, 4, 1))) {
                    map.update(new byte[4], new byte[4]);
                }
                assertNotEquals(1, KernelRunner.run(PASS, new byte[1]).r0());
            }
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
