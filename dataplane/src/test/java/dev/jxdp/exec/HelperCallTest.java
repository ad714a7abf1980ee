package dev.jxdp.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Helper calls through the {@link Helpers} registry. */
class HelperCallTest {

    /** The engine under test; the JIT's subclass overrides it. */
    Engine engine() {
        return new Interpreter();
    }

    final Programs programs = new Programs(engine());
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void helperGetsR1ToR5AndSetsR0() {
        List<Long> args = new ArrayList<>();
        Helpers helpers = Helpers.none().with(7, "record", (ctx, a, b, c, d, e) -> {
            args.addAll(List.of(a, b, c, d, e));
            return 0x99;
        });
        long r0 = programs.prepare("""
                r1 = 0x1
                r2 = 0x2
                r3 = 0x3
                r4 = 0x4
                r5 = -0x1
                call 0x7
                exit
                """, helpers).run(Invocation.of(new MemoryMap()));
        assertEquals(0x99, r0);
        assertEquals(List.of(1L, 2L, 3L, 4L, -1L), args);
    }

    @Test
    void argumentRegistersKeepTheirValuesAcrossAHelperCall() {
        Helpers helpers = Helpers.none().with(1, "zero", (ctx, a, b, c, d, e) -> 0);
        long r0 = programs.prepare("""
                r1 = 0x10
                r5 = 0x20
                call 0x1
                r0 = r1
                r0 += r5
                exit
                """, helpers).run(Invocation.of(new MemoryMap()));
        assertEquals(0x30, r0);
    }

    @Test
    void unknownHelperNamesTheId() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> programs.run("r0 = 0x0\ncall 0x1234\nexit"));
        assertEquals(1, e.pc());
        assertEquals("insn 1 (call 0x1234): unknown helper function id 4660", e.getMessage());
    }

    @Test
    void helperWritesTheStackThroughCheckedMemory() {
        // A bpf_probe_read-like helper: copy r2 bytes to the buffer at r1.
        Helpers helpers = Helpers.none().with(4, "fill", (ctx, dst, len, c, d, e) -> {
            ctx.memory().slice(dst, len, true).fill((byte) 0x5a);
            return 0;
        });
        Executable p = programs.prepare("""
                r1 = r10
                r1 += -0x8
                r2 = 0x8
                call 0x4
                r0 = *(u64 *)(r10 - 0x8)
                exit
                """, helpers);
        assertEquals(0x5a5a5a5a5a5a5a5aL, p.run(Invocation.of(new MemoryMap())));
    }

    @Test
    void helperFaultIsReportedAtTheCall() {
        Helpers helpers = Helpers.none().with(4, "fill", (ctx, dst, len, c, d, e) -> {
            ctx.memory().slice(dst, len, true).fill((byte) 0);
            return 0;
        });
        Executable p = programs.prepare("""
                r1 = r10
                r1 += -0x8
                r2 = 0x10
                call 0x4
                exit
                """, helpers);
        ExecutionException e = assertThrows(ExecutionException.class, () -> p.run(Invocation.of(new MemoryMap())));
        assertEquals(3, e.pc());
        assertEquals(true, e.getMessage().startsWith("insn 3 (call 0x4): helper fill (id 4): crosses the end of region stack#0"),
                e.getMessage());
    }

    @Test
    void helperCanHandOutANewRegion() {
        // As bpf_map_lookup_elem will: add the value's region, return its address.
        MemorySegment value = arena.allocate(8);
        value.set(ValueLayout.JAVA_LONG, 0, 41);
        Helpers helpers = Helpers.none().with(1, "lookup", (ctx, a, b, c, d, e) -> {
            if (ctx.memory().find(value.address()) == null) {
                ctx.memory().add(Region.readWrite("map value", RegionKind.MAP_VALUE, value));
            }
            return value.address();
        });
        Executable p = programs.prepare("""
                call 0x1
                r1 = *(u64 *)(r0 + 0x0)
                r1 += 0x1
                *(u64 *)(r0 + 0x0) = r1
                r0 = r1
                exit
                """, helpers);
        MemoryMap memory = new MemoryMap();
        assertEquals(42, p.run(Invocation.of(memory)));
        assertEquals(42, value.get(ValueLayout.JAVA_LONG, 0));
        assertEquals(0, memory.regions().size(), "the run's additions stay in the run");
    }

    @Test
    void helperSeesTheCallSite() {
        int[] pc = new int[1];
        Helpers helpers = Helpers.none().with(2, "where", (ctx, a, b, c, d, e) -> pc[0] = ctx.pc());
        assertEquals(2, programs.prepare("r0 = 0x0\nr0 = 0x0\ncall 0x2\nexit", helpers).run(Invocation.of(new MemoryMap())));
        assertEquals(2, pc[0]);
    }
}
