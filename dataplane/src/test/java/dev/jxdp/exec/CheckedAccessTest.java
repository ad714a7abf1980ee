package dev.jxdp.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Programs touching memory they were not given end with an error naming the instruction and access. */
class CheckedAccessTest {

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

    private Invocation withRegion(Region region) {
        return Invocation.of(new MemoryMap().add(region), region.address(), region.size());
    }

    @Test
    void readOutsideAllRegionsNamesInstructionBaseRegisterAndOffset() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> programs.run("""
                r0 = 0x0
                r3 = 0x1000
                r0 = *(u32 *)(r3 + 0x10)
                exit
                """));
        assertEquals(2, e.pc());
        assertEquals("insn 2 (r0 = *(u32 *)(r3 + 0x10)): 4-byte read at r3+0x10 (0x1010): outside all regions",
                e.getMessage());
    }

    @Test
    void writeToReadOnlyRegionIsRefusedAndLeavesMemory() {
        MemorySegment s = arena.allocate(8);
        s.set(ValueLayout.JAVA_BYTE, 0, (byte) 9);
        Invocation inv = withRegion(Region.readOnly("config", RegionKind.OTHER, s));
        assertEquals(9, programs.run("r0 = *(u8 *)(r1 + 0x0)\nexit", inv));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> programs.run("r0 = 0x0\n*(u8 *)(r1 + 0x0) = 0x1\nexit", inv));
        assertEquals("insn 1 (*(u8 *)(r1 + 0x0) = 0x1): 1-byte write at r1+0x0 (0x" + Long.toHexString(s.address())
                + "): region config is read-only", e.getMessage());
        assertEquals(9, s.get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void atomicsNeedWritableMemory() {
        MemorySegment s = arena.allocate(8, 8);
        Invocation inv = withRegion(Region.readOnly("config", RegionKind.OTHER, s));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> programs.run("r2 = 0x1\nlock *(u64 *)(r1 + 0x0) += r2\nr0 = 0x0\nexit", inv));
        assertEquals(1, e.pc());
        assertEquals(true, e.getMessage().endsWith("region config is read-only"), e.getMessage());
    }

    @Test
    void crossingTheEndOfARegionNamesIt() {
        MemorySegment s = arena.allocate(4);
        ExecutionException e = assertThrows(ExecutionException.class, () -> programs.run("r0 = *(u64 *)(r1 + 0x0)\nexit",
                withRegion(Region.readWrite("pkt", RegionKind.PACKET, s))));
        assertEquals(true, e.getMessage().contains("8-byte read at r1+0x0"), e.getMessage());
        assertEquals(true, e.getMessage().contains("crosses the end of region pkt"), e.getMessage());
    }

    @Test
    void startingBeforeARegionIsOutsideAllRegions() {
        MemorySegment s = arena.allocate(8);
        ExecutionException e = assertThrows(ExecutionException.class, () -> programs.run("r0 = *(u64 *)(r1 - 0x2)\nexit",
                withRegion(Region.readWrite("pkt", RegionKind.PACKET, s.asSlice(2, 6)))));
        assertEquals(true, e.getMessage().endsWith("8-byte read at r1-0x2 (0x" + Long.toHexString(s.address())
                + "): outside all regions"), e.getMessage());
    }

    @Test
    void contextRegionLoadsGoThroughTheHandler() {
        // The seam for xdp_md/__sk_buff: a field load becomes a handler call.
        MemorySegment reserved = arena.allocate(24);
        RegionHandler ctx = new RegionHandler() {
            @Override
            public long load(long offset, int bytes) {
                return offset == 4 && bytes == 4 ? 0x5ca1ab1e : 0;
            }

            @Override
            public void store(long offset, int bytes, long value) {
                throw new MemoryFault("ctx field at offset " + offset + " is read-only");
            }
        };
        Region region = new Region.Handled("xdp_md", RegionKind.CONTEXT, reserved.address(), 24, Permission.READ_WRITE, ctx);
        Invocation inv = Invocation.of(new MemoryMap().add(region), reserved.address());
        assertEquals(0x5ca1ab1eL, programs.run("r0 = *(u32 *)(r1 + 0x4)\nexit", inv));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> programs.run("r0 = 0x0\n*(u32 *)(r1 + 0x8) = 0x1\nexit", inv));
        assertEquals("insn 1 (*(u32 *)(r1 + 0x8) = 0x1): 4-byte write at r1+0x8 (0x"
                + Long.toHexString(reserved.address() + 8) + "): ctx field at offset 8 is read-only", e.getMessage());
        ExecutionException atomic = assertThrows(ExecutionException.class,
                () -> programs.run("r2 = 0x1\nlock *(u32 *)(r1 + 0x0) += w2\nr0 = 0x0\nexit", inv));
        assertEquals(true, atomic.getMessage().contains("not plain memory"), atomic.getMessage());
    }

    @Test
    void theStackIsGoneAfterTheRun() {
        // r10 - 8 of one run is not a region of the next, though the caller's map is reused.
        MemoryMap memory = new MemoryMap();
        Executable leak = programs.prepare("r0 = r10\nexit");
        long fp = leak.run(Invocation.of(memory));
        assertEquals(0, memory.regions().size());
        Executable read = programs.prepare("r0 = *(u64 *)(r1 - 0x8)\nexit");
        // The allocator may hand the freed stack to the next run, whose own frame would then be at
        // fp. Taking a block of the stack's size first keeps the old addresses occupied by memory
        // that is no region.
        MemorySegment occupied = arena.allocate(8 * 1024, 16);
        assertThrows(ExecutionException.class, () -> read.run(Invocation.of(memory, fp)));
        assertEquals(8 * 1024, occupied.byteSize());
    }
}
