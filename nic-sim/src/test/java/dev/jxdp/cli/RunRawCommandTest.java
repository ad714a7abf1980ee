package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bpf_conformance plugin protocol: program hex on stdin, MEM_HEX argument, r0 in hex on stdout.
 * Each case runs with the default engine (the JIT), with {@code --jit} and with {@code --interpret}.
 */
class RunRawCommandTest {
    private static final String EXIT = "95 00 00 00 00 00 00 00";

    /** run-raw with the engine flag ("" for the default) after the other arguments. */
    private static Cli runRaw(String engine, String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("run-raw"));
        all.addAll(List.of(args));
        if (!engine.isEmpty()) {
            all.add(engine);
        }
        return Cli.withStdin(stdin, all.toArray(String[]::new));
    }

    @ParameterizedTest(name = "engine [{0}]")
    @ValueSource(strings = {"", "--jit", "--interpret"})
    void printsR0InLowercaseHexWithoutPrefix(String engine) {
        // b7: ALU64 MOV K, dst r0, imm 0x2a (RFC 9669 encoding).
        Cli r = runRaw(engine, "b7 00 00 00 2a 00 00 00 " + EXIT);
        assertEquals(0, r.status(), r.err());
        assertEquals("2a\n", r.out());
        assertEquals("", r.err());
    }

    @ParameterizedTest(name = "engine [{0}]")
    @ValueSource(strings = {"", "--jit", "--interpret"})
    void allSixtyFourBitsOfR0(String engine) {
        // r0 = -1 (ALU64 MOV K sign-extends imm): prints 16 f's.
        assertEquals("ffffffffffffffff\n", runRaw(engine, "b7 00 00 00 ff ff ff ff " + EXIT).out());
    }

    @ParameterizedTest(name = "engine [{0}]")
    @ValueSource(strings = {"", "--jit", "--interpret"})
    void memoryIsAtR1AndItsLengthInR2(String engine) {
        // 61 10: r0 = *(u32 *)(r1 + 0): bytes 01 02 03 04 little-endian = 0x04030201.
        assertEquals("4030201\n", runRaw(engine, "61 10 00 00 00 00 00 00 " + EXIT, "01020304").out());
        // bf 20: r0 = r2, the length of "aa bb cc" = 3; whitespace in MEM_HEX is allowed.
        assertEquals("3\n", runRaw(engine, "bf 20 00 00 00 00 00 00 " + EXIT, "aa bb cc").out());
    }

    @ParameterizedTest(name = "engine [{0}]")
    @ValueSource(strings = {"", "--jit", "--interpret"})
    void divisionByZeroFollowsTheRfc(String engine) {
        // r0 = 7; r1 = 0; r0 /= r1 -> 0 (RFC 9669 4.1: division by zero yields 0).
        Cli r = runRaw(engine, "b7 00 00 00 07 00 00 00 b7 01 00 00 00 00 00 00 3f 10 00 00 00 00 00 00 " + EXIT);
        assertEquals("0\n", r.out());
    }

    @ParameterizedTest(name = "engine [{0}]")
    @ValueSource(strings = {"", "--jit", "--interpret"})
    void runErrorIsOneLineAndExitOne(String engine) {
        // r0 = *(u8 *)(r1 + 9) with 2 bytes of memory: outside every region.
        Cli r = runRaw(engine, "71 10 09 00 00 00 00 00 " + EXIT, "aabb");
        assertEquals(1, r.status());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("Error: insn 0 (r0 = *(u8 *)(r1 + 0x9)): 1-byte read at r1+0x9"), r.err());
    }

    @ParameterizedTest(name = "engine [{0}]")
    @ValueSource(strings = {"", "--jit", "--interpret"})
    void loadErrorsAreOneLineAndExitOne(String engine) {
        Cli odd = runRaw(engine, "95 00 0");
        assertEquals(1, odd.status());
        assertEquals("Error: program on stdin: odd number of hex digits (5)\n", odd.err());
        Cli unknown = runRaw(engine, "ff 00 00 00 00 00 00 00");
        assertEquals(1, unknown.status());
        assertEquals("Error: program on stdin: insn 0: unknown opcode ff\n", unknown.err());
        Cli badMem = runRaw(engine, EXIT, "zz");
        assertEquals(1, badMem.status());
        assertTrue(badMem.err().startsWith("Error: MEM_HEX: not hex"), badMem.err());
        Cli noExitValue = runRaw(engine, EXIT);
        assertEquals(1, noExitValue.status(), "exit with r0 never written is an error");
        assertEquals("Error: insn 0 (exit): exit with r0 never written in this function (R0 !read_ok)\n", noExitValue.err());
    }

    @Test
    void theJitIsTheDefaultAndSaysWhatItCannotRun() {
        // A function address forged from a number: slots 0-1 r1 = 0xbf00f00c00000004 ll (the tag of
        // dev.jxdp.exec.FunctionAddress, slot 4); 2 callx r1 (8d, register in dst); 3 exit;
        // 4 r0 = 0x2a; 5 exit. The interpreter calls slot 4; the JIT compiles as callx targets only
        // what ld_imm64 FUNC references, and says so instead of falling back.
        String forged = "18 01 00 00 04 00 00 00 00 00 00 00 0c f0 00 bf 8d 01 00 00 00 00 00 00 " + EXIT
                + " b7 00 00 00 2a 00 00 00 " + EXIT;
        assertEquals("2a\n", runRaw("--interpret", forged).out());
        for (String engine : List.of("", "--jit")) {
            Cli r = runRaw(engine, forged);
            assertEquals(1, r.status(), r.out());
            assertEquals("Error: insn 2 (callx r1): r1 = 0xbf00f00c00000004 is the address of insn 4, which no ld_imm64"
                    + " function reference names; the JIT compiles only referenced functions as callx targets"
                    + " (--interpret runs it)\n", r.err());
        }
    }

    @Test
    void jitAndInterpretTogetherAreAUsageError() {
        Cli r = Cli.withStdin(EXIT, "run-raw", "--jit", "--interpret");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("Error: --jit, --interpret are mutually exclusive (specify only one)"), r.err());
    }

    @Test
    void wrongFlagIsAUsageError() {
        Cli r = Cli.withStdin(EXIT, "run-raw", "--fast");
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("Error: Unknown option: '--fast'"), r.err());
    }
}
