package dev.jxdp.maps;

import static dev.jxdp.maps.Differential.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.kernel.Bpf;
import dev.jxdp.kernel.BpfMap;
import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.kernel.MapSpec;
import dev.jxdp.obj.MapType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Map types whose values are references in the kernel (devices, programs, maps, sockets, perf events),
 * for the operations that need no such reference, or a device (ifindex 1, "lo", exists everywhere).
 */
class SpecialMapsKernelTest {

    private static byte[] devval(int ifindex, int prog) {
        return java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(ifindex).putInt(prog).array();
    }

    @Test
    void devmap() {
        Differential.same(MapDefinition.of("jxdp_devmap", MapType.DEVMAP, 4, 8, 4), m -> new Differential.Lines()
                .add("lookup empty", m.lookup(u32(0)))
                .add("lo", m.update(u32(0), devval(1, 0), MapFlags.ANY))
                .add("lookup", m.lookup(u32(0)))
                .add("no such device", m.update(u32(1), devval(999_999, 0), MapFlags.ANY))
                .add("ifindex 0 clears", m.update(u32(2), devval(0, 0), MapFlags.ANY))
                .add("ifindex 0 with a program", m.update(u32(2), devval(0, 5), MapFlags.ANY))
                .add("noexist", m.update(u32(1), devval(1, 0), MapFlags.NOEXIST))
                .add("past the end", m.update(u32(4), devval(1, 0), MapFlags.ANY))
                .add("flags 3", m.update(u32(1), devval(1, 0), 3))
                .add("delete", m.delete(u32(0)))
                .add("delete empty", m.delete(u32(0)))
                .add("delete past the end", m.delete(u32(9)))
                .add("keys", m.keys())
                .lines);
    }

    @Test
    void devmapHash() {
        Differential.same(MapDefinition.of("jxdp_devhash", MapType.DEVMAP_HASH, 4, 4, 4), m -> new Differential.Lines()
                .add("5", m.update(u32(5), u32(1), MapFlags.ANY))
                .add("1", m.update(u32(1), u32(1), MapFlags.ANY))
                .add("9", m.update(u32(9), u32(1), MapFlags.ANY))
                .add("13", m.update(u32(13), u32(1), MapFlags.ANY))
                .add("full", m.update(u32(2), u32(1), MapFlags.ANY))
                .add("exist on absent", m.update(u32(2), u32(1), MapFlags.EXIST))
                .add("noexist", m.update(u32(5), u32(1), MapFlags.NOEXIST))
                .add("replace", m.update(u32(5), u32(1), MapFlags.EXIST))
                .add("ifindex 0", m.update(u32(5), u32(0), MapFlags.ANY))
                .add("no device", m.update(u32(5), u32(999_999), MapFlags.ANY))
                .add("keys", m.keys())
                .add("next of absent", m.nextKey(u32(77)))
                .add("delete", m.delete(u32(9)))
                .add("delete again", m.delete(u32(9)))
                .add("keys", m.keys())
                .add("lookup", m.lookup(u32(1)))
                .lines);
    }

    @Test
    void cpumap() {
        Differential.same(MapDefinition.of("jxdp_cpumap", MapType.CPUMAP, 4, 4, 4), m -> new Differential.Lines()
                .add("lookup empty", m.lookup(u32(0)))
                .add("qsize 64", m.update(u32(0), u32(64), MapFlags.ANY))
                .add("lookup", m.lookup(u32(0)))
                .add("qsize too large", m.update(u32(0), u32(16385), MapFlags.ANY))
                .add("no such cpu", m.update(u32(3), u32(64), MapFlags.ANY))
                .add("noexist", m.update(u32(0), u32(64), MapFlags.NOEXIST))
                .add("past the end", m.update(u32(4), u32(64), MapFlags.ANY))
                .add("qsize 0 deletes", m.update(u32(0), u32(0), MapFlags.ANY))
                .add("lookup", m.lookup(u32(0)))
                .add("delete past the end", m.delete(u32(4)))
                .add("delete", m.delete(u32(1)))
                .add("keys", m.keys())
                .lines);
    }

    @Test
    void xskmapAndProgArrayAndPerfEventArrayWithoutReferences() {
        Differential.same(MapDefinition.of("jxdp_xsk", MapType.XSKMAP, 4, 4, 2), m -> new Differential.Lines()
                .add("lookup", m.lookup(u32(0)))
                .add("past the end", m.update(u32(2), u32(1), MapFlags.ANY))
                .add("delete", m.delete(u32(0)))
                .add("delete past the end", m.delete(u32(2)))
                .add("keys", m.keys())
                .lines);
        Differential.same(MapDefinition.of("jxdp_progs", MapType.PROG_ARRAY, 4, 4, 2), m -> new Differential.Lines()
                .add("lookup", m.lookup(u32(0)))
                .add("past the end", m.update(u32(2), u32(1), MapFlags.ANY))
                .add("noexist", m.update(u32(0), u32(1), MapFlags.NOEXIST))
                .add("delete empty", m.delete(u32(0)))
                .add("delete past the end", m.delete(u32(2)))
                .add("keys", m.keys())
                .lines);
        Differential.same(MapDefinition.of("jxdp_perf", MapType.PERF_EVENT_ARRAY, 4, 4, 2), m -> new Differential.Lines()
                .add("lookup", m.lookup(u32(0)))
                .add("past the end", m.update(u32(2), u32(1), MapFlags.ANY))
                .add("delete empty", m.delete(u32(0)))
                .add("keys", m.keys())
                .lines);
    }

    @Test
    void ringbufHasNoMapCommands() {
        Differential.same(MapDefinition.of("jxdp_rb", MapType.RINGBUF, 0, 0, 4096), m -> new Differential.Lines()
                .add("lookup", m.lookup(null))
                .add("next", m.nextKey(null))
                .lines);
    }

    /**
     * Map-in-maps: the kernel side stores map fds, jxdp map ids; both refuse an inner map that does not
     * match the template with EINVAL and accept one that does.
     */
    @Test
    void mapInMapsCheckTheInnerMap() {
        KernelComparisons.assumeKernel();
        for (MapType outer : List.of(MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS)) {
            MapDefinition template = MapDefinition.of("jxdp_inner", MapType.ARRAY, 4, 8, 4);
            MapDefinition def = MapDefinition.of("jxdp_outer", outer, 4, 4, 2).withInner(template);
            // kernel
            String kernel;
            try (BpfMap tmpl = Bpf.createMap(Differential.kernelSpec(template));
                    BpfMap good = Bpf.createMap(Differential.kernelSpec(template));
                    BpfMap bigger = Bpf.createMap(Differential.kernelSpec(MapDefinition.of("jxdp_big", MapType.ARRAY, 4, 8, 8)));
                    BpfMap hash = Bpf.createMap(Differential.kernelSpec(MapDefinition.of("jxdp_h", MapType.HASH, 4, 8, 4)));
                    BpfMap o = Bpf.createMap(Differential.kernelSpec(def).withInnerMapFd(tmpl.fd()))) {
                Side k = new Side.Kernel(o);
                kernel = String.join("; ", k.update(u32(0), u32(good.fd()), MapFlags.ANY), k.update(u32(1), u32(bigger.fd()), MapFlags.ANY),
                        k.update(u32(1), u32(hash.fd()), MapFlags.ANY), k.update(u32(0), u32(good.fd()), MapFlags.NOEXIST),
                        k.delete(u32(1)), k.nextKey(null).startsWith("key") ? "has a key" : "no key",
                        k.update(u32(5), u32(good.fd()), MapFlags.ANY));
            }
            MapEnvironment env = Differential.env();
            EbpfMap good = Maps.create(template, env);
            EbpfMap bigger = Maps.create(MapDefinition.of("jxdp_big", MapType.ARRAY, 4, 8, 8), env);
            EbpfMap hash = Maps.create(MapDefinition.of("jxdp_h", MapType.HASH, 4, 8, 4), env);
            Side j = new Side.Jxdp(Maps.create(def, env));
            String jxdp = String.join("; ", j.update(u32(0), u32(good.id()), MapFlags.ANY), j.update(u32(1), u32(bigger.id()), MapFlags.ANY),
                    j.update(u32(1), u32(hash.id()), MapFlags.ANY), j.update(u32(0), u32(good.id()), MapFlags.NOEXIST),
                    j.delete(u32(1)), j.nextKey(null).startsWith("key") ? "has a key" : "no key",
                    j.update(u32(5), u32(good.id()), MapFlags.ANY));
            assertEquals(kernel, jxdp, outer.toString());
            env.maps().all().forEach(EbpfMap::close);
        }
    }

    @Test
    void mapInMapNeedsAnInnerMap() {
        KernelComparisons.assumeKernel();
        String kernel;
        try (BpfMap m = Bpf.createMap(new MapSpec(dev.jxdp.kernel.MapType.ARRAY_OF_MAPS, 4, 4, 2, 0, "jxdp_outer", 0, 0))) {
            kernel = "ok";
        } catch (dev.jxdp.kernel.BpfException e) {
            kernel = e.errno().name();
        }
        String jxdp;
        try {
            Maps.create(MapDefinition.of("jxdp_outer", MapType.ARRAY_OF_MAPS, 4, 4, 2), Differential.env());
            jxdp = "ok";
        } catch (MapException e) {
            jxdp = e.errno().name();
        }
        assertEquals(kernel, jxdp);
    }
}
