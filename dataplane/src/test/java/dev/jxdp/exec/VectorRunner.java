package dev.jxdp.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jxdp.isa.Assembler;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.testing.Vector;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Runs one test vector on an engine and checks it: mem becomes an INPUT region (and the packet of
 * LD_ABS/LD_IND), r1 = its address, r2 = its length. Any engine can be checked with it.
 */
final class VectorRunner {
    private VectorRunner() {}

    static void check(Engine engine, Vector v) {
        Bytecode code = Assembler.assemble(v.asm());
        try (Arena arena = Arena.ofConfined()) {
            // At least one byte, so that even empty mem has an address of its own.
            MemorySegment backing = arena.allocate(Math.max(1, v.mem().length), 8);
            MemorySegment mem = backing.asSlice(0, v.mem().length);
            mem.copyFrom(MemorySegment.ofArray(v.mem()));
            MemoryMap memory = new MemoryMap();
            if (v.mem().length > 0) {
                memory.add(Region.readWrite("mem", RegionKind.INPUT, mem));
            }
            Invocation inv = Invocation.of(memory, mem.address(), mem.byteSize()).withPacket(mem);
            long r0;
            try {
                r0 = engine.prepare(code, Helpers.none()).run(inv);
            } catch (ExecutionException e) {
                if (v.error() == null) {
                    throw new AssertionError(v + ": unexpected error: " + e.getMessage(), e);
                }
                assertTrue(e.getMessage().contains(v.error()),
                        () -> v + ": error '" + e.getMessage() + "' does not contain '" + v.error() + "'");
                return;
            }
            if (v.error() != null) {
                fail(v + ": expected error containing '" + v.error() + "' but r0 = 0x" + Long.toHexString(r0));
            }
            assertEquals("0x" + Long.toHexString(v.result()), "0x" + Long.toHexString(r0), v + ": r0");
            if (v.memOut() != null) {
                assertArrayEquals(v.memOut(), mem.toArray(ValueLayout.JAVA_BYTE), v + ": mem-out");
            }
        }
    }
}
