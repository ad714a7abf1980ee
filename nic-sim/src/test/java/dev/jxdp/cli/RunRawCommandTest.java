package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bpf_conformance plugin protocol: program hex on stdin, MEM_HEX argument, r0 in hex on stdout. */
class RunRawCommandTest {
    private static final String EXIT = "95 00 00 00 00 00 00 00";

    @Test
    void printsR0InLowercaseHexWithoutPrefix() {
        // b7: ALU64 MOV K, dst r0, imm 0x2a (RFC 9669 encoding).
        Cli r = Cli.withStdin("b7 00 00 00 2a 00 00 00 " + EXIT, "run-raw");
        assertEquals(0, r.status(), r.err());
        assertEquals("2a\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void allSixtyFourBitsOfR0() {
        // r0 = -1 (ALU64 MOV K sign-extends imm): prints 16 f's.
        assertEquals("ffffffffffffffff\n", Cli.withStdin("b7 00 00 00 ff ff ff ff " + EXIT, "run-raw").out());
    }

    @Test
    void memoryIsAtR1AndItsLengthInR2() {
        // 61 10: r0 = *(u32 *)(r1 + 0): bytes 01 02 03 04 little-endian = 0x04030201.
        assertEquals("4030201\n", Cli.withStdin("61 10 00 00 00 00 00 00 " + EXIT, "run-raw", "01020304").out());
        // bf 20: r0 = r2, the length of "aa bb cc" = 3; whitespace in MEM_HEX is allowed.
        assertEquals("3\n", Cli.withStdin("bf 20 00 00 00 00 00 00 " + EXIT, "run-raw", "aa bb cc").out());
    }

    @Test
    void divisionByZeroFollowsTheRfc() {
        // r0 = 7; r1 = 0; r0 /= r1 -> 0 (RFC 9669 4.1: division by zero yields 0).
        Cli r = Cli.withStdin("b7 00 00 00 07 00 00 00 b7 01 00 00 00 00 00 00 3f 10 00 00 00 00 00 00 " + EXIT, "run-raw");
        assertEquals("0\n", r.out());
    }

    @Test
    void runErrorIsOneLineAndExitOne() {
        // r0 = *(u8 *)(r1 + 9) with 2 bytes of memory: outside every region.
        Cli r = Cli.withStdin("71 10 09 00 00 00 00 00 " + EXIT, "run-raw", "aabb");
        assertEquals(1, r.status());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("Error: insn 0 (r0 = *(u8 *)(r1 + 0x9)): 1-byte read at r1+0x9"), r.err());
    }

    @Test
    void loadErrorsAreOneLineAndExitOne() {
        Cli odd = Cli.withStdin("95 00 0", "run-raw");
        assertEquals(1, odd.status());
        assertEquals("Error: program on stdin: odd number of hex digits (5)\n", odd.err());
        Cli unknown = Cli.withStdin("ff 00 00 00 00 00 00 00", "run-raw");
        assertEquals(1, unknown.status());
        assertEquals("Error: program on stdin: insn 0: unknown opcode ff\n", unknown.err());
        Cli badMem = Cli.withStdin(EXIT, "run-raw", "zz");
        assertEquals(1, badMem.status());
        assertTrue(badMem.err().startsWith("Error: MEM_HEX: not hex"), badMem.err());
        Cli noExitValue = Cli.withStdin(EXIT, "run-raw");
        assertEquals(1, noExitValue.status(), "exit with r0 never written is an error");
        assertEquals(1, noExitValue.err().lines().count());
    }

    @Test
    void jitIsNotAvailableYetAndSaysSo() {
        Cli r = Cli.withStdin("b7 00 00 00 2a 00 00 00 " + EXIT, "run-raw", "--jit");
        assertEquals(1, r.status());
        assertEquals("Error: --jit: the JIT compiler is not available yet; use --interpret\n", r.err());
        assertEquals("2a\n", Cli.withStdin("b7 00 00 00 2a 00 00 00 " + EXIT, "run-raw", "--interpret").out());
    }

    @Test
    void wrongFlagIsAUsageError() {
        Cli r = Cli.withStdin(EXIT, "run-raw", "--fast");
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("Error: Unknown option: '--fast'"), r.err());
    }
}
