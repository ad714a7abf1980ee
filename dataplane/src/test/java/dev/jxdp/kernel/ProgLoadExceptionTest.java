package dev.jxdp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a verifier log becomes the exception's message; no kernel needed. */
class ProgLoadExceptionTest {

    @Test
    void firstLineIsTheVerdictAndStatisticsAreSkipped() {
        String log = """
                func#0 @0
                0: R1=ctx() R10=fp0
                0: (bf) r0 = r5
                R5 !read_ok
                processed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0

                """;
        ProgLoadException e = new ProgLoadException(ProgType.XDP, "p", Errno.of(13), log);
        assertEquals("R5 !read_ok", e.verifierMessage());
        assertEquals("""
                bpf(BPF_PROG_LOAD) of XDP program "p" failed with EACCES (Permission denied): R5 !read_ok
                  verifier log ends:
                  func#0 @0
                  0: R1=ctx() R10=fp0
                  0: (bf) r0 = r5
                  R5 !read_ok""", e.getMessage());
        assertEquals("BPF_PROG_LOAD", e.command());
    }

    @Test
    void emptyLogIsSaidToBeEmpty() {
        ProgLoadException e = new ProgLoadException(ProgType.SCHED_CLS, "q", Errno.of(22), "");
        assertEquals("bpf(BPF_PROG_LOAD) of SCHED_CLS program \"q\" failed with EINVAL (Invalid argument):"
                + " (the verifier log is empty)", e.getMessage());
        assertEquals("", e.verifierMessage());
    }

    @Test
    void noteGoesUnderTheFirstLine() {
        ProgLoadException e = new ProgLoadException(ProgType.XDP, "p", Errno.of(13), "x\nR5 !read_ok\n")
                .withNote("the body starts at insn 14");
        assertEquals(List.of("bpf(BPF_PROG_LOAD) of XDP program \"p\" failed with EACCES (Permission denied): R5 !read_ok",
                "  (the body starts at insn 14)"), e.getMessage().lines().limit(2).toList());
        assertEquals(ProgLoadException.class, e.getCause().getClass());
    }

    @Test
    void unknownErrnoStillReads() {
        assertEquals("errno 4095 (Unknown error 4095)", Errno.of(4095).toString());
        assertEquals("ENOTSUPP (Operation is not supported)", Errno.of(524).toString());
    }
}
