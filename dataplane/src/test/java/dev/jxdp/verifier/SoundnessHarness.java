package dev.jxdp.verifier;

import dev.jxdp.exec.Helper;
import dev.jxdp.exec.HelperContext;
import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.Invocation;
import dev.jxdp.exec.MemoryFault;
import dev.jxdp.exec.MemoryMap;
import dev.jxdp.exec.Permission;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionHandler;
import dev.jxdp.exec.RegionKind;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.obj.MapContents;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.MapType;
import dev.jxdp.obj.ProgramType;
import dev.jxdp.verifier.ctx.CtxLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A local stand-in for the loaded object and the hooks (which do not exist yet), enough to run a
 * verified program in the checked interpreter: map references become fake handles (and global data
 * the address of its bytes), helpers are stubs that honour their {@link dev.jxdp.helpers.HelperProto}
 * (they read and write the memory their arguments describe, through the checked memory map, so an
 * argument the verifier let through out of bounds is caught too), map lookups hand out fresh values
 * of the map's value size (array lookups with a key in range always succeed, as in the kernel), ring
 * buffer reservations fresh memory of the reserved size, and the context is a handler serving
 * data/data_end/data_meta as the kernel's context rewrite does. Not the runtime: no map semantics
 * beyond sizes, and callbacks (bpf_loop, for_each_map_elem) are not run.
 */
final class SoundnessHarness {
    static final long FAKE_MAP = 0x3a90_0000_0000_0000L;
    static final long FAKE_INNER = 0x3a91_0000_0000_0000L;

    private final ProgramType type;
    private final List<MapSpec> maps;
    private final Arena arena;
    private final Random random;
    final Bytecode code;
    private final List<Region> dataRegions = new ArrayList<>();

    SoundnessHarness(Bytecode linked, ProgramType type, List<MapSpec> maps, Arena arena, Random random) {
        this.type = type;
        this.maps = maps;
        this.arena = arena;
        this.random = random;
        List<Instruction> list = new ArrayList<>();
        List<MemorySegment> data = new ArrayList<>();
        for (MapSpec m : maps) {
            byte[] init = m.contents() instanceof MapContents.Data d ? d.bytes() : new byte[Math.max(0, m.valueSize())];
            MemorySegment s = arena.allocate(Math.max(8, init.length), 8).asSlice(0, Math.max(1, init.length));
            if (init.length > 0) {
                s.copyFrom(MemorySegment.ofArray(init));
            }
            data.add(s);
        }
        boolean[] used = new boolean[maps.size()];
        linked.forEach((insn, pc) -> list.add(switch (insn) {
            case LoadImm64 l when l.source() == PseudoSource.MAP_FD || l.source() == PseudoSource.MAP_IDX ->
                    LoadImm64.of(l.dst(), FAKE_MAP | l.imm());
            case LoadImm64 l when l.source() == PseudoSource.MAP_VALUE || l.source() == PseudoSource.MAP_IDX_VALUE -> {
                used[l.imm()] = true;
                yield LoadImm64.of(l.dst(), data.get(l.imm()).address() + Integer.toUnsignedLong(l.nextImm()));
            }
            default -> insn;
        }));
        for (int i = 0; i < maps.size(); i++) {
            if (used[i]) {
                boolean ro = (maps.get(i).flags() & MapSpec.F_RDONLY_PROG) != 0;
                dataRegions.add(new Region.Mem(maps.get(i).name(), RegionKind.MAP_VALUE, data.get(i), ro ? Permission.READ_ONLY : Permission.READ_WRITE));
            }
        }
        this.code = Bytecode.of(list);
    }

    /** The context region: data, data_end and data_meta (equal to data: no metadata) of this packet. */
    Region context(MemorySegment packet) {
        CtxLayout layout = type == ProgramType.XDP ? CtxLayout.XDP_MD : CtxLayout.SK_BUFF;
        MemorySegment backing = arena.allocate(layout.size(), 8);
        long data = packet.address();
        long end = packet.address() + packet.byteSize();
        int dataOff = layout.require("data").offset();
        int endOff = layout.require("data_end").offset();
        int metaOff = layout.require("data_meta").offset();
        if (layout == CtxLayout.SK_BUFF) {
            backing.set(ValueLayout.JAVA_INT_UNALIGNED, 0, (int) packet.byteSize()); // len
        }
        RegionHandler h = new RegionHandler() {
            @Override
            public long load(long offset, int bytes) {
                if (offset == dataOff || offset == metaOff) {
                    return data;
                }
                if (offset == endOff) {
                    return end;
                }
                return switch (bytes) {
                    case 1 -> backing.get(ValueLayout.JAVA_BYTE, offset) & 0xffL;
                    case 2 -> backing.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset) & 0xffffL;
                    case 4 -> backing.get(ValueLayout.JAVA_INT_UNALIGNED, offset) & 0xffff_ffffL;
                    default -> backing.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
                };
            }

            @Override
            public void store(long offset, int bytes, long value) {
                if (offset == dataOff || offset == endOff || offset == metaOff) {
                    throw new MemoryFault("context field at " + offset + " is read-only");
                }
                switch (bytes) {
                    case 1 -> backing.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
                    case 2 -> backing.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset, (short) value);
                    case 4 -> backing.set(ValueLayout.JAVA_INT_UNALIGNED, offset, (int) value);
                    default -> backing.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value);
                }
            }
        };
        return new Region.Handled(layout.name(), RegionKind.CONTEXT, backing.address(), layout.size(), Permission.READ_WRITE, h);
    }

    /** Makes the helpers' choices (lookup hits, reservations, return values) the same for each run with the same seed. */
    void reseed(long seed) {
        random.setSeed(seed);
    }

    /** One run's memory and arguments for {@code packet} (which must stay allocated). */
    Invocation invocation(MemorySegment packet) {
        Region ctx = context(packet);
        MemoryMap memory = new MemoryMap().add(ctx);
        if (packet.byteSize() > 0) {
            memory.add(new Region.Mem("packet", RegionKind.PACKET, packet, Permission.READ_WRITE));
        }
        dataRegions.forEach(memory::add);
        return Invocation.of(memory, ctx.address()).withPacket(packet);
    }

    private MapSpec map(long handle) {
        if ((handle & 0xffff_0000_0000_0000L) == FAKE_INNER) {
            return maps.get((int) handle).inner();
        }
        if ((handle & 0xffff_0000_0000_0000L) != FAKE_MAP) {
            throw new MemoryFault("0x" + Long.toHexString(handle) + " is not a map");
        }
        return maps.get((int) handle);
    }

    private static void read(HelperContext c, long address, long size) {
        for (long i = 0; i < size; i++) {
            c.memory().load(address + i, 1);
        }
    }

    private void write(HelperContext c, long address, long size) {
        for (long i = 0; i < size; i++) {
            c.memory().store(address + i, 1, random.nextInt(256));
        }
    }

    private long fresh(HelperContext c, String name, long size) {
        MemorySegment s = arena.allocate(Math.max(8, size), 8).asSlice(0, Math.max(1, size));
        c.memory().add(new Region.Mem(name, RegionKind.MAP_VALUE, s, Permission.READ_WRITE));
        return s.address();
    }

    private long lookup(HelperContext c, long mapHandle, long key) {
        MapSpec m = map(mapHandle);
        read(c, key, m.keySize());
        if (m.type().isMapInMap()) {
            return random.nextInt(4) == 0 ? 0 : FAKE_INNER | (mapHandle & 0xffff);
        }
        boolean array = m.type() == MapType.ARRAY || m.type() == MapType.PERCPU_ARRAY;
        if (array) {
            long k = c.memory().load(key, 4);
            if (Long.compareUnsigned(k, Integer.toUnsignedLong(m.maxEntries())) >= 0) {
                return 0;
            }
        } else if (random.nextInt(3) == 0) {
            return 0;
        }
        return fresh(c, m.name(), m.valueSize());
    }

    Helpers helpers() {
        Helpers h = Helpers.none();
        h = with(h, 1, "map_lookup_elem", (c, a, b, x, d, e) -> lookup(c, a, b));
        h = with(h, 2, "map_update_elem", (c, a, b, x, d, e) -> {
            MapSpec m = map(a);
            read(c, b, m.keySize());
            read(c, x, m.valueSize());
            return 0;
        });
        h = with(h, 3, "map_delete_elem", (c, a, b, x, d, e) -> {
            read(c, b, map(a).keySize());
            return 0;
        });
        h = with(h, 6, "trace_printk", (c, a, b, x, d, e) -> {
            read(c, a, b);
            return 0;
        });
        h = with(h, 9, "skb_store_bytes", (c, a, b, x, d, e) -> {
            read(c, x, d);
            return 0;
        });
        h = with(h, 12, "tail_call", (c, a, b, x, d, e) -> 0);
        h = with(h, 25, "perf_event_output", (c, a, b, x, d, e) -> {
            read(c, d, e);
            return 0;
        });
        h = with(h, 26, "skb_load_bytes", (c, a, b, x, d, e) -> {
            write(c, x, d);
            return 0;
        });
        h = with(h, 28, "csum_diff", (c, a, b, x, d, e) -> {
            read(c, a, b);
            read(c, x, d);
            return random.nextInt();
        });
        h = with(h, 51, "redirect_map", (c, a, b, x, d, e) -> random.nextBoolean() ? 4 : 0);
        h = with(h, 23, "redirect", (c, a, b, x, d, e) -> 7);
        h = with(h, 68, "skb_load_bytes_relative", (c, a, b, x, d, e) -> {
            write(c, x, d);
            return 0;
        });
        h = with(h, 130, "ringbuf_output", (c, a, b, x, d, e) -> {
            read(c, b, x);
            return 0;
        });
        h = with(h, 131, "ringbuf_reserve", (c, a, b, x, d, e) -> random.nextInt(4) == 0 || b == 0 ? 0 : fresh(c, "ringbuf", b));
        h = with(h, 189, "xdp_load_bytes", (c, a, b, x, d, e) -> {
            write(c, x, d);
            return 0;
        });
        h = with(h, 190, "xdp_store_bytes", (c, a, b, x, d, e) -> {
            read(c, x, d);
            return 0;
        });
        return h;
    }

    private static Helpers with(Helpers h, int id, String name, Helper helper) {
        return h.with(id, name, helper);
    }

    /** Stubs for the other helpers a program calls: each returns 0. */
    static Helpers completeWith(Helpers h, Bytecode code) {
        Helpers[] out = {h};
        code.forEach((insn, pc) -> {
            if (insn instanceof dev.jxdp.isa.Call call && call.kind() == dev.jxdp.isa.CallKind.HELPER && out[0].find(call.imm()) == null) {
                out[0] = out[0].with(call.imm(), "stub" + call.imm(), (c, a, b, x, d, e) -> 0);
            }
        });
        return out[0];
    }
}
