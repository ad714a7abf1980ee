package dev.jxdp.jit;

import dev.jxdp.exec.Engine;
import dev.jxdp.exec.Executable;
import dev.jxdp.exec.Invocation;
import dev.jxdp.exec.MemoryMap;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionKind;
import dev.jxdp.testing.Repo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * programs/bin/xdp_payload_crc32.o, the largest program of the corpus (one 36,911-instruction
 * function with gotol), ready to run: its code from the ELF section with the 4096 .rodata
 * relocations pointing at a region holding the table, an xdp_md from {@link ObjectHarness}, and
 * frames built as its source (programs/src/xdp_payload_crc32.c) expects them. A local harness until
 * the XDP hook exists.
 */
final class Crc32Harness implements AutoCloseable {
    static final int BLOCK_LEN = 4096;
    static final int FRAME_LEN = 14 + 20 + 8 + BLOCK_LEN + 4;
    static final int XDP_DROP = 1;
    static final int XDP_PASS = 2;

    final ObjectHarness.Linked linked;
    private final Arena arena = Arena.ofShared();
    private final ObjectHarness.Instance instance;
    final MemorySegment packet;
    final Region context;

    Crc32Harness() {
        linked = ObjectHarness.program(Repo.root().resolve("programs/bin/xdp_payload_crc32.o"), "xdp_payload_crc32");
        instance = ObjectHarness.Instance.of(linked, arena);
        MemorySegment buffer = ObjectHarness.buffer(arena, FRAME_LEN);
        packet = ObjectHarness.frame(buffer, FRAME_LEN);
        context = ObjectHarness.xdpMd(arena, buffer, FRAME_LEN);
    }

    dev.jxdp.isa.Bytecode code() {
        return instance.code();
    }

    Executable prepare(Engine engine) {
        return engine.prepare(code(), ObjectHarness.stubHelpers(linked.helperIds()));
    }

    Invocation invocation() {
        MemoryMap memory = new MemoryMap().add(context).add(new Region.Mem("packet", RegionKind.PACKET, packet,
                dev.jxdp.exec.Permission.READ_WRITE));
        instance.regions().forEach(memory::add);
        return Invocation.of(memory, context.address());
    }

    /**
     * Fills the packet with an IPv4/UDP frame to port 7400 carrying a random block and its CRC-32
     * (java.util.zip.CRC32: IEEE 802.3, the program's polynomial), corrupted on request.
     */
    void frame(Random random, boolean corrupt) {
        ByteBuffer b = ByteBuffer.allocate(FRAME_LEN).order(ByteOrder.BIG_ENDIAN);
        b.put(new byte[12]).putShort((short) 0x0800);                  // Ethernet, IPv4
        b.put((byte) 0x45).put(new byte[8]).put((byte) 17).put(new byte[10]); // IHL 5, protocol UDP
        b.putShort((short) 40000).putShort((short) 7400).putShort((short) (8 + BLOCK_LEN + 4)).putShort((short) 0);
        byte[] block = new byte[BLOCK_LEN];
        random.nextBytes(block);
        b.put(block);
        CRC32 crc = new CRC32();
        crc.update(block);
        int value = (int) crc.getValue() ^ (corrupt ? 1 << random.nextInt(32) : 0);
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(value);
        packet.copyFrom(MemorySegment.ofArray(b.array()));
    }

    @Override
    public void close() {
        arena.close();
    }
}
