package dev.jxdp.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.isa.Assembler;
import dev.jxdp.isa.Bytecode;
import org.junit.jupiter.api.Test;

/** BPF_PROG_LOAD: logs, refusals, attributes, and what BPF_OBJ_GET_INFO_BY_FD says back. */
class ProgramLoadTest {
    private static final Bytecode PASS = Assembler.assemble("r0 = 0x2\nexit");

    @Test
    void successfulLoadHasNoLogUnlessAskedFor() {
        KernelComparisons.assumeKernel();
        try (BpfProgram p = Bpf.loadProgram(ProgType.XDP, PASS)) {
            assertEquals("", p.verifierLog());
        }
        // With a log level the verifier ends with its statistics; it walked both instructions once.
        try (BpfProgram p = Bpf.loadProgram(ProgLoadRequest.of(ProgType.XDP, PASS).withLogLevel(LogLevel.BASIC))) {
            assertTrue(p.verifierLog().contains("processed 2 insns"), p.verifierLog());
        }
    }

    @Test
    void logBufferGrowsWhenTooSmall() {
        KernelComparisons.assumeKernel();
        // At level 2 the verifier prints the state of each of the ~3000 steps of this loop: far more
        // than 128 bytes, so the first attempt ends in ENOSPC and the loader retries with more room.
        Bytecode loop = Assembler.assemble("r1 = 0x3e8\nloop:\nr1 += -1\nif r1 != 0x0 goto loop\nr0 = 0x2\nexit");
        ProgLoadRequest request = ProgLoadRequest.of(ProgType.XDP, loop).withLogLevel(LogLevel.VERBOSE).withLogSize(128);
        try (BpfProgram p = Bpf.loadProgram(request)) {
            assertTrue(p.verifierLog().length() > 128);
            assertTrue(p.verifierLog().contains("processed "), "the log is complete to its last line");
        }
    }

    @Test
    void gplOnlyHelperNeedsAGplLicense() {
        KernelComparisons.assumeKernel();
        // Helper 6 is bpf_trace_printk, marked gpl_only; check_helper_call() refuses it to a program
        // whose license is not GPL-compatible, with EINVAL.
        Bytecode printk = Assembler.assemble("r1 = r10\nr1 += -8\nr2 = 0x8\ncall 0x6\nr0 = 0x2\nexit");
        ProgLoadException e = assertThrows(ProgLoadException.class,
                () -> Bpf.loadProgram(ProgLoadRequest.of(ProgType.XDP, printk).withLicense("Proprietary")));
        assertEquals("EINVAL", e.errno().name());
        assertEquals("cannot call GPL-restricted function from non-GPL compatible program", e.verifierMessage());
    }

    @Test
    void infoReflectsTheLoad() {
        KernelComparisons.assumeKernel();
        try (BpfProgram p = Bpf.loadProgram(ProgLoadRequest.of(ProgType.XDP, PASS).withName("jxdp_info"))) {
            ProgInfo info = p.info();
            assertEquals(ProgType.XDP.code, info.type());
            assertEquals("jxdp_info", info.name());
            assertTrue(info.id() > 0);
            assertTrue(info.gplCompatible());
            assertEquals(16, info.xlatedLength(), "two instructions the verifier has no reason to rewrite");
            assertTrue(info.tag().matches("[0-9a-f]{16}"), info.tag());
            // r0 = 2; exit is translated as it is.
            assertArrayEquals(PASS.toBytes(), p.xlatedInstructions());
        }
        try (BpfProgram p = Bpf.loadProgram(ProgLoadRequest.of(ProgType.XDP, PASS).withLicense("Proprietary"))) {
            assertFalse(p.info().gplCompatible());
        }
    }

    @Test
    void sameInstructionsSameTag() {
        KernelComparisons.assumeKernel();
        // The tag digests the instructions only, not the name or type.
        try (BpfProgram a = Bpf.loadProgram(ProgLoadRequest.of(ProgType.XDP, PASS).withName("a"));
             BpfProgram b = Bpf.loadProgram(ProgLoadRequest.of(ProgType.SCHED_CLS, PASS).withName("b"));
             BpfProgram c = Bpf.loadProgram(ProgType.XDP, Assembler.assemble("r0 = 0x1\nexit"))) {
            assertEquals(a.info().tag(), b.info().tag());
            assertFalse(a.info().tag().equals(c.info().tag()));
        }
    }

    @Test
    void closeIsIdempotentAndFinal() {
        KernelComparisons.assumeKernel();
        BpfProgram p = Bpf.loadProgram(ProgType.XDP, PASS);
        assertTrue(p.isOpen());
        p.close();
        p.close();
        assertFalse(p.isOpen());
        IllegalStateException e = assertThrows(IllegalStateException.class, p::fd);
        assertEquals("XDP program \"jxdp\" is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> p.testRun(TestRun.of(new byte[14])));
    }

    @Test
    void requestIsValidatedBeforeTheKernelSeesIt() {
        assertThrows(IllegalArgumentException.class, () -> ProgLoadRequest.of(ProgType.XDP, PASS).withName("has space"));
        assertThrows(IllegalArgumentException.class, () -> ProgLoadRequest.of(ProgType.XDP, PASS).withName("sixteen_chars_xx"));
        assertThrows(IllegalArgumentException.class, () -> ProgLoadRequest.of(ProgType.XDP, new byte[12]));
    }
}
