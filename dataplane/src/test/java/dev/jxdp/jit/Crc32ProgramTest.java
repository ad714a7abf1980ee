package dev.jxdp.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.exec.Executable;
import dev.jxdp.exec.Interpreter;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The largest program of the corpus on the JIT: split into methods HotSpot compiles, and right. */
class Crc32ProgramTest {
    private static Crc32Harness crc;
    private static JitProgram jit;

    @BeforeAll
    static void compile() {
        crc = new Crc32Harness();
        jit = new Jit().prepare(crc.code(), dev.jxdp.exec.Helpers.none());
    }

    @AfterAll
    static void close() {
        crc.close();
    }

    @Test
    void passesIntactBlocksAndDropsCorruptOnesOnBothEngines() {
        Executable interpreter = crc.prepare(new Interpreter());
        Random random = new Random(7400);
        for (int i = 0; i < 4; i++) {
            boolean corrupt = i % 2 == 1;
            crc.frame(random, corrupt);
            int expected = corrupt ? Crc32Harness.XDP_DROP : Crc32Harness.XDP_PASS;
            assertEquals(expected, jit.run(crc.invocation()), "jit, frame " + i);
            assertEquals(expected, interpreter.run(crc.invocation()), "interpreter, frame " + i);
        }
    }

    @Test
    void everyGeneratedMethodIsWellBelowHugeMethodLimit() {
        System.out.println("xdp_payload_crc32: " + crc.code().instructions().size() + " instructions -> "
                + jit.methods().size() + " methods, largest " + jit.largestMethod());
        for (JitProgram.Method m : jit.methods()) {
            assertTrue(m.bytecodeSize() < Estimate.METHOD_LIMIT, m + " is not below HotSpot's HugeMethodLimit");
        }
        assertTrue(jit.methods().stream().anyMatch(m -> m.name().equals("f0_1")), "the function is split into regions");
    }
}
