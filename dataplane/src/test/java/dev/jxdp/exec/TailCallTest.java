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

/**
 * bpf_tail_call as the engines run it, with a resolver standing in for the prog array. The kernel's
 * rules: a successful tail call replaces the calling function (its r0 is what that function returns,
 * and nothing after the call runs); a failed one goes on after the call with r0 unreadable (the
 * verifier's "R0 !read_ok" on the next read of r0, checked here by {@code exit}).
 */
class TailCallTest {

    Engine engine() {
        return new Interpreter();
    }

    final Programs programs = new Programs(engine());
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    /** A resolver that answers slot {@code index} from a list (null entries fail) and records calls. */
    private record Slots(List<Executable> slots, List<String> calls) implements TailCalls {
        @Override
        public Executable target(HelperContext context, long map, long index) {
            calls.add("map=" + map + " index=" + index + " pc=" + context.pc());
            return index < slots.size() ? slots.get((int) index) : null;
        }
    }

    private Helpers helpers(Slots slots) {
        return Helpers.none().withTailCalls(slots);
    }

    @Test
    void successfulTailCallReplacesTheProgram() {
        MemorySegment mem = arena.allocate(8);
        MemoryMap memory = new MemoryMap().add(Region.readWrite("mem", RegionKind.INPUT, mem));
        // The callee sees r1 = ctx (here the address of mem) and returns *(u32 *)ctx + 1.
        Executable callee = programs.prepare("r0 = *(u32 *)(r1 + 0x0)\nr0 += 0x1\nexit");
        Slots slots = new Slots(List.of(callee), new ArrayList<>());
        Executable caller = programs.prepare("""
                *(u32 *)(r1 + 0x0) = 0x29
                r6 = r1
                r2 = 0x5
                r3 = 0x0
                call 0xc
                *(u32 *)(r6 + 0x0) = 0x63
                r0 = 0x1
                exit
                """, helpers(slots));
        long r0 = caller.run(Invocation.of(memory, mem.address()));
        assertEquals(0x2a, r0, "the callee's r0");
        assertEquals(0x29, mem.get(ValueLayout.JAVA_INT, 0), "nothing after a successful tail call runs");
        assertEquals(List.of("map=5 index=0 pc=4"), slots.calls());
    }

    @Test
    void failedTailCallGoesOnWithR0Unwritten() {
        Slots none = new Slots(List.of(), new ArrayList<>());
        long r0 = programs.prepare("r0 = 0x7\ncall 0xc\nr0 = 0x3\nexit", helpers(none)).run(Invocation.of(new MemoryMap()));
        assertEquals(3, r0);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> programs.prepare("r0 = 0x7\ncall 0xc\nexit", helpers(none)).run(Invocation.of(new MemoryMap())));
        assertEquals("insn 2 (exit): exit with r0 never written in this function (R0 !read_ok)", e.getMessage());
    }

    @Test
    void tailCallFromASubprogramReturnsToItsCaller() {
        Executable callee = programs.prepare("r0 = 0x64\nexit");
        Slots slots = new Slots(List.of(callee), new ArrayList<>());
        // main: call the subprogram at slot 4, add 1 to its result. sub: tail call slot 0.
        long r0 = programs.prepare("""
                call pc+0x3
                r0 += 0x1
                exit
                exit
                r3 = 0x0
                call 0xc
                r0 = 0x5
                exit
                """, helpers(slots)).run(Invocation.of(new MemoryMap()));
        assertEquals(0x65, r0);
    }

    @Test
    void calleeRunsWithTheCallersWorkerAndAttachment() {
        Object state = new Object();
        List<Object> seen = new ArrayList<>();
        Helpers probe = Helpers.none().with(8, "probe", (ctx, a, b, c, d, e) -> {
            seen.add(ctx.worker());
            seen.add(ctx.attachment());
            return 0;
        });
        Executable callee = programs.prepare("call 0x8\nr0 = 0x0\nexit", probe);
        Slots slots = new Slots(List.of(callee), new ArrayList<>());
        programs.prepare("r3 = 0x0\ncall 0xc\nr0 = 0x0\nexit", helpers(slots))
                .run(Invocation.of(new MemoryMap()).withWorker(3).withAttachment(state));
        assertEquals(List.of(3, state), seen);
    }

    @Test
    void withoutAResolverTailCallsAreAnError() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> programs.run("r0 = 0x0\ncall 0xc\nexit"));
        assertEquals(1, e.pc());
        assertEquals("insn 1 (call 0xc): bpf_tail_call (helper 12): no prog arrays in this run"
                + " (a loaded object provides them: dev.jxdp.maps.LoadedObject)", e.getMessage());
    }

    @Test
    void resolverFaultIsAnErrorAtTheCall() {
        Helpers h = Helpers.none().withTailCalls((ctx, map, index) -> {
            throw new MemoryFault("0x5 is not a prog array");
        });
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> programs.prepare("r2 = 0x5\ncall 0xc\nexit", h).run(Invocation.of(new MemoryMap())));
        assertEquals("insn 1 (call 0xc): bpf_tail_call (helper 12): 0x5 is not a prog array", e.getMessage());
    }
}
