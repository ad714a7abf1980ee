package dev.jxdp.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * {@link HelperContext#callFunction}: how bpf_loop and bpf_for_each_map_elem call back into the
 * program. The helper here calls the function r1 names with r2 = 0..r2-1 and sums the results.
 */
class CallbackTest {

    Engine engine() {
        return new Interpreter();
    }

    final Programs programs = new Programs(engine());

    private static final Helpers SUM = Helpers.none().with(181, "sum_loop", (ctx, fn, n, a3, a4, a5) -> {
        long sum = 0;
        for (long i = 0; i < n; i++) {
            sum += ctx.callFunction(fn, i, a3, 0, 0, 0);
        }
        return sum;
    });

    @Test
    void callbackRunsWithItsArgumentsAndTheCallerKeepsItsRegisters() {
        // main: r6 = 7; r1 = &cb; r2 = 4; r3 = 10; call; r0 += r6; exit. cb: r0 = r1 + r2 (i + 10).
        long r0 = programs.prepare("""
                r6 = 0x7
                ld_pseudo r1, 0x4, 0x7
                r2 = 0x4
                r3 = 0xa
                call 0xb5
                r0 += r6
                r0 += r2
                exit
                r0 = r1
                r0 += r2
                r6 = 0x3e8
                exit
                """, SUM).run(Invocation.of(new MemoryMap()));
        // (0+10)+(1+10)+(2+10)+(3+10) = 46, + r6 (7) + r2 (4, unchanged) = 57
        assertEquals(57, r0);
    }

    @Test
    void callbackHasAFrameOfItsOwn() {
        // The callback writes its stack and returns what it read back; the caller's stack is untouched.
        long r0 = programs.prepare("""
                *(u64 *)(r10 - 0x8) = 0x5
                ld_pseudo r1, 0x4, 0x6
                r2 = 0x1
                call 0xb5
                r1 = *(u64 *)(r10 - 0x8)
                r0 += r1
                exit
                *(u64 *)(r10 - 0x8) = 0x64
                r0 = *(u64 *)(r10 - 0x8)
                exit
                """, SUM).run(Invocation.of(new MemoryMap()));
        assertEquals(105, r0);
    }

    @Test
    void callbackThatIsNotAFunctionIsAnErrorAtTheHelperCall() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> programs.prepare("""
                r1 = 0x1234
                r2 = 0x1
                call 0xb5
                exit
                """, SUM).run(Invocation.of(new MemoryMap())));
        assertEquals("insn 2 (call 0xb5): helper sum_loop (id 181): callback 0x1234 is not a function address", e.getMessage());
    }

    @Test
    void callbackMustWriteR0() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> programs.prepare("""
                ld_pseudo r1, 0x4, 0x4
                r2 = 0x1
                call 0xb5
                exit
                r1 = 0x0
                exit
                """, SUM).run(Invocation.of(new MemoryMap())));
        assertEquals("insn 6 (exit): exit with r0 never written in this function (R0 !read_ok)", e.getMessage());
    }
}
