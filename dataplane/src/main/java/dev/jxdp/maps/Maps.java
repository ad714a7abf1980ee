package dev.jxdp.maps;

import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.MapType;

/**
 * BPF_MAP_CREATE: makes a map of any type jxdp has, after the kernel's checks for that type (an
 * invalid definition fails as the kernel fails it: {@code BPF_MAP_CREATE failed with EINVAL}), and adds
 * it to the environment's {@link MapTable}.
 */
public final class Maps {
    private Maps() {}

    /** Creates the map an object's spec defines (without its initial contents: see LoadedObject). */
    public static EbpfMap create(MapSpec spec, MapEnvironment env) {
        return create(MapDefinition.of(spec), env);
    }

    public static EbpfMap create(MapDefinition def, MapEnvironment env) {
        int r = check(def);
        if (r < 0) {
            throw new MapException(def.name(), "BPF_MAP_CREATE", -r);
        }
        EbpfMap map = switch (def.type()) {
            case ARRAY, PERCPU_ARRAY -> new ArrayMap(def, env);
            case HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH -> new HashTab(def, env);
            case LPM_TRIE -> new LpmTrie(def, env);
            case RINGBUF -> new RingBuf(def, env);
            case QUEUE, STACK -> new QueueStack(def, env);
            case BLOOM_FILTER -> new BloomFilter(def, env);
            case PROG_ARRAY -> new ProgArray(def, env);
            case PERF_EVENT_ARRAY -> new PerfEventArray(def, env);
            case DEVMAP, DEVMAP_HASH -> new DevMap(def, env);
            case CPUMAP -> new CpuMap(def, env);
            case XSKMAP -> new XskMap(def, env);
            case ARRAY_OF_MAPS, HASH_OF_MAPS -> new MapOfMaps(def, env);
            default -> throw unsupported(def);
        };
        env.maps().add(map);
        return map;
    }

    /** The kernel's creation checks for the type: 0, or -errno. */
    static int check(MapDefinition def) {
        return switch (def.type()) {
            case ARRAY, PERCPU_ARRAY -> ArrayMap.check(def);
            case HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH -> HashTab.check(def);
            case LPM_TRIE -> LpmTrie.check(def);
            case RINGBUF -> RingBuf.check(def);
            case QUEUE, STACK -> QueueStack.check(def);
            case BLOOM_FILTER -> BloomFilter.check(def);
            case PROG_ARRAY, PERF_EVENT_ARRAY -> FdArrays.check(def);
            case DEVMAP, DEVMAP_HASH -> DevMap.check(def);
            case CPUMAP -> CpuMap.check(def);
            case XSKMAP -> XskMap.check(def);
            case ARRAY_OF_MAPS, HASH_OF_MAPS -> MapOfMaps.check(def);
            default -> throw unsupported(def);
        };
    }

    /** Whether jxdp has maps of this type. */
    public static boolean supported(MapType type) {
        return switch (type) {
            case ARRAY, PERCPU_ARRAY, HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH, LPM_TRIE, RINGBUF, QUEUE, STACK,
                    BLOOM_FILTER, PROG_ARRAY, PERF_EVENT_ARRAY, DEVMAP, DEVMAP_HASH, CPUMAP, XSKMAP, ARRAY_OF_MAPS,
                    HASH_OF_MAPS -> true;
            default -> false;
        };
    }

    private static UnsupportedOperationException unsupported(MapDefinition def) {
        return new UnsupportedOperationException("map '" + def.name() + "' is a " + def.type().bpftoolName()
                + " map, which jxdp does not have (it has the map types of XDP and tc programs)");
    }
}
