package dev.jxdp.load;

import dev.jxdp.exec.Engine;
import dev.jxdp.exec.Executable;
import dev.jxdp.exec.Helper;
import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.MemoryFault;
import dev.jxdp.exec.MemoryMap;
import dev.jxdp.exec.Permission;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionKind;
import dev.jxdp.exec.TailCalls;
import dev.jxdp.helpers.HelperId;
import dev.jxdp.helpers.HelperIds;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.jit.ArrayValues;
import dev.jxdp.jit.HashLookup;
import dev.jxdp.jit.Jit;
import dev.jxdp.jit.VerifiedFacts;
import dev.jxdp.maps.ArrayMap;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.maps.HashTab;
import dev.jxdp.maps.Epochs;
import dev.jxdp.maps.MapDefinition;
import dev.jxdp.maps.MapEnvironment;
import dev.jxdp.maps.MapException;
import dev.jxdp.maps.MapHandle;
import dev.jxdp.maps.MapOfMaps;
import dev.jxdp.maps.MapTable;
import dev.jxdp.maps.Maps;
import dev.jxdp.maps.ProgArray;
import dev.jxdp.maps.ProgramRef;
import dev.jxdp.maps.ProgramTable;
import dev.jxdp.obj.MapContents;
import dev.jxdp.obj.MapType;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import dev.jxdp.verifier.VerifiedProgram;
import dev.jxdp.verifier.Verifier;
import dev.jxdp.verifier.VerifierException;
import dev.jxdp.verifier.VerifierInput;
import dev.jxdp.verifier.VerifierOptions;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

/**
 * An object file loaded: every map created with its initial contents, every program resolved against
 * them and prepared to run. What cilium/ebpf calls a Collection and libbpf a loaded bpf_object, made
 * from the {@link ObjectSpec} the object loader read. In libbpf's order:
 *
 * <ol>
 *   <li>create the maps, in the object's order, so that map ids are the indexes {@code jxdp map show}
 *       prints; fill global data ({@code .data}, {@code .rodata}, {@code .bss}) and freeze {@code .rodata};
 *   <li>resolve each program's {@code ld_imm64} map references: BPF_PSEUDO_MAP_FD becomes the map's
 *       {@link MapHandle}, BPF_PSEUDO_MAP_VALUE the address of the map's value plus the offset (a region
 *       of {@link #memory()}); give it the helpers it calls, or refuse it naming the ones jxdp lacks;
 *       prepare it with the engine (the JIT unless told otherwise);
 *   <li>fill {@code .values}: prog array slots with programs, map-in-map slots with maps.
 * </ol>
 *
 * The helpers are the object's own ({@link MapHelpers}, {@link CoreHelpers}, bpf_tail_call through its
 * prog arrays) and whatever {@link HelperProvider}s the options add (the hooks' packet helpers).
 */
public final class LoadedObject implements AutoCloseable {

    /**
     * How to load.
     *
     * @param engine what prepares programs: the JIT by default, the interpreter for {@code --interpret}
     * @param workers packet workers: per-CPU maps keep one value per worker, as the kernel keeps one per CPU
     * @param clock what the time helpers read (pin it for reproducible runs)
     * @param random what bpf_get_prandom_u32 draws from (pin it for reproducible runs)
     * @param trace where bpf_trace_printk writes
     * @param providers more helpers (see {@link HelperProvider}); later ones win
     * @param devices which ifindexes devmap entries may name
     * @param hashSeeds the hash maps' seeds (the kernel's get_random_u32)
     * @param poison fill freed element memory with a pattern (for tests of reclamation)
     * @param programs whether to prepare the programs; without, only the maps are made (with prog array
     *     slots naming the programs), for tools that look at maps, such as {@code jxdp map dump}
     * @param verify whether each program goes through the verifier before its engine prepares it, as
     *     the kernel's BPF_PROG_LOAD does (the default): a refused program refuses the load
     *     ({@link ProgramRefusedException}), an accepted one hands its proofs to the JIT. Without
     *     ({@link #unverified()}), programs the kernel would refuse run on the checked engines, which
     *     catch every bad access at run time: for tests that run such programs on purpose
     */
    public record Options(Engine engine, int workers, Clock clock, RandomSource random, TraceLog trace,
            List<HelperProvider> providers, IntPredicate devices, IntSupplier hashSeeds, boolean poison, boolean programs,
            boolean verify) {

        public Options {
            Objects.requireNonNull(engine);
            Objects.requireNonNull(clock);
            Objects.requireNonNull(random);
            Objects.requireNonNull(trace);
            providers = List.copyOf(providers);
            Objects.requireNonNull(devices);
            Objects.requireNonNull(hashSeeds);
            if (workers < 1) {
                throw new IllegalArgumentException("at least one worker, not " + workers);
            }
        }

        /** The JIT, one worker per processor, the system's clocks and randomness, no extra helpers. */
        public static Options defaults() {
            return new Options(new Jit(), Runtime.getRuntime().availableProcessors(), Clock.system(), RandomSource.system(),
                    new TraceLog(), List.of(), ifindex -> ifindex != 0, () -> ThreadLocalRandom.current().nextInt(), false, true, true);
        }

        public Options withEngine(Engine e) {
            return new Options(e, workers, clock, random, trace, providers, devices, hashSeeds, poison, programs, verify);
        }

        public Options withWorkers(int w) {
            return new Options(engine, w, clock, random, trace, providers, devices, hashSeeds, poison, programs, verify);
        }

        public Options withClock(Clock c) {
            return new Options(engine, workers, c, random, trace, providers, devices, hashSeeds, poison, programs, verify);
        }

        public Options withRandom(RandomSource r) {
            return new Options(engine, workers, clock, r, trace, providers, devices, hashSeeds, poison, programs, verify);
        }

        public Options withTrace(TraceLog t) {
            return new Options(engine, workers, clock, random, t, providers, devices, hashSeeds, poison, programs, verify);
        }

        public Options withProvider(HelperProvider p) {
            List<HelperProvider> all = new ArrayList<>(providers);
            all.add(p);
            return new Options(engine, workers, clock, random, trace, all, devices, hashSeeds, poison, programs, verify);
        }

        public Options withDevices(IntPredicate d) {
            return new Options(engine, workers, clock, random, trace, providers, d, hashSeeds, poison, programs, verify);
        }

        public Options withHashSeeds(IntSupplier s) {
            return new Options(engine, workers, clock, random, trace, providers, devices, s, poison, programs, verify);
        }

        public Options withPoison(boolean p) {
            return new Options(engine, workers, clock, random, trace, providers, devices, hashSeeds, p, programs, verify);
        }

        /** Only the maps: programs are named (for prog array slots) but not resolved or prepared. */
        public Options withoutPrograms() {
            return new Options(engine, workers, clock, random, trace, providers, devices, hashSeeds, poison, false, verify);
        }

        /**
         * Programs are not verified: every access of every engine is checked at run time, the JIT
         * counts instructions, and what the kernel's verifier refuses becomes a run-time error (or
         * runs, where the checks allow it). Never the default; for tests and tools that run programs
         * the kernel would refuse on purpose.
         */
        public Options unverified() {
            return new Options(engine, workers, clock, random, trace, providers, devices, hashSeeds, poison, programs, false);
        }
    }

    private final ObjectSpec spec;
    private final Options options;
    private final MapEnvironment env;
    private final List<LoadedProgram> programs = new ArrayList<>();
    private final MemoryMap memory = new MemoryMap();
    private final TailCalls tailCalls;

    private LoadedObject(ObjectSpec spec, Options options) {
        this.spec = spec;
        this.options = options;
        this.env = new MapEnvironment(options.workers(), Epochs.GLOBAL, options.hashSeeds(), options.poison(), new MapTable(),
                new ProgramTable(), options.devices());
        this.tailCalls = this::tailCallTarget;
    }

    /** Loads {@code spec}; on failure nothing stays allocated. */
    public static LoadedObject load(ObjectSpec spec, Options options) {
        LoadedObject o = new LoadedObject(spec, options);
        try {
            o.createMaps();
            o.loadPrograms();
            o.fillSlots();
            return o;
        } catch (RuntimeException e) {
            o.close();
            throw e;
        }
    }

    public static LoadedObject load(ObjectSpec spec) {
        return load(spec, Options.defaults());
    }

    // ---- loading

    private void createMaps() {
        for (MapSpec m : spec.maps()) {
            MapDefinition def = MapDefinition.of(m).withSpinLockOffset(SpinLockFields.offset(spec.btf(), m));
            EbpfMap map;
            try {
                map = Maps.create(def, env);
            } catch (MapException | UnsupportedOperationException e) {
                throw new LoadException(spec.file() + ": map '" + m.name() + "': " + e.getMessage(), e);
            }
            if (m.contents() instanceof MapContents.Data d) {
                if (!(map instanceof ArrayMap array) || map.maxEntries() != 1 || d.length() != map.valueSize()) {
                    throw new LoadException(spec.file() + ": map '" + m.name() + "': initial data of " + d.length()
                            + " bytes for a " + map + " of " + map.valueSize() + "-byte values");
                }
                array.update(new byte[4], d.bytes());
                if (d.frozen()) {
                    array.freeze();
                }
            }
        }
    }

    /** A program that was not prepared (maps-only loading): it has a name and a type, nothing to run. */
    private record Unprepared(int id, String name, ProgramType type) implements ProgramRef {
        @Override
        public Executable executable() {
            throw new IllegalStateException("program '" + name + "' was not prepared (the object was loaded for its maps only)");
        }
    }

    private void loadPrograms() {
        if (!options.programs()) {
            for (ProgramSpec p : spec.programs()) {
                env.programs().add(new Unprepared(env.programs().all().size(), p.name(), p.type()));
            }
            return;
        }
        for (ProgramSpec p : spec.programs()) {
            int id = programs.size();
            Bytecode code = resolve(p);
            Helpers helpers = helpersFor(p, code);
            VerifiedProgram verified = options.verify() ? verify(p) : null;
            Executable executable = prepare(code, helpers, verified);
            LoadedProgram lp = new LoadedProgram(id, p, code, helpers, executable, verified, env.epochs(), this);
            programs.add(lp);
            env.programs().add(lp);
        }
    }

    /**
     * BPF_PROG_LOAD's verification: the program as linked (map references as the object's map indexes,
     * which is what the verifier reads map definitions by), its type and the object's maps.
     */
    private VerifiedProgram verify(ProgramSpec p) {
        try {
            return Verifier.verify(VerifierInput.of(spec, p), VerifierOptions.defaults());
        } catch (VerifierException e) {
            throw new ProgramRefusedException(spec.file(), p.name(), e);
        }
    }

    /**
     * The JIT gets the verifier's proofs (unchecked accesses where proven, no instruction counting);
     * the interpreter stays checked whatever the verifier said, since it is the reference the JIT is
     * compared with. The proofs index instructions by slot, which {@link #resolve} keeps.
     */
    private Executable prepare(Bytecode code, Helpers helpers, VerifiedProgram verified) {
        if (verified != null && options.engine() instanceof Jit jit) {
            return jit.prepare(code, helpers, new VerifiedFacts(verified, this::arrayValues, this::hashLookup));
        }
        return options.engine().prepare(code, helpers);
    }

    /** An ARRAY or PERCPU_ARRAY map's values for the JIT's inline lookups; null for other maps, whose lookups stay calls. */
    private ArrayValues arrayValues(int index) {
        if (env.maps().get(index) instanceof ArrayMap a) {
            return new ArrayValues(a, a.storage(), a.maxEntries(), a.valueSize(), a.stride(), a.copies(), a.regionName(),
                    a.programWritable());
        }
        return null;
    }

    /** A HASH map for the JIT's direct lookups; null for other maps (per-CPU and LRU hashes stay helper calls). */
    private HashLookup hashLookup(int index) {
        if (env.maps().get(index) instanceof HashTab h && h.type() == MapType.HASH) {
            return new HashTabLookup(h);
        }
        return null;
    }

    /** The code with map references resolved; prog arrays it uses are tied to its type. */
    private Bytecode resolve(ProgramSpec p) {
        List<Instruction> out = new ArrayList<>();
        p.code().forEach((insn, pc) -> out.add(switch (insn) {
            case LoadImm64 l when l.source() == PseudoSource.MAP_FD -> {
                EbpfMap m = referencedMap(p, pc, l.imm());
                if (m instanceof ProgArray pa && !pa.compatible(p.type())) {
                    throw new LoadException(spec.file() + ": program '" + p.name() + "' (" + p.type().bpftoolName()
                            + ") uses prog array '" + m.name() + "', which holds programs of another type (EINVAL)");
                }
                yield LoadImm64.of(l.dst(), m.handle());
            }
            case LoadImm64 l when l.source() == PseudoSource.MAP_VALUE -> LoadImm64.of(l.dst(), valueAddress(p, pc, l));
            case LoadImm64 l when l.source() != PseudoSource.VALUE && l.source() != PseudoSource.FUNC ->
                    throw new LoadException(spec.file() + ": program '" + p.name() + "' insn " + pc + ": ld_imm64 with pseudo source "
                            + l.source() + ", which jxdp cannot resolve");
            default -> insn;
        }));
        return Bytecode.of(out).checkTargets();
    }

    private EbpfMap referencedMap(ProgramSpec p, int pc, int index) {
        EbpfMap m = env.maps().get(index);
        if (m == null) {
            throw new LoadException(spec.file() + ": program '" + p.name() + "' insn " + pc + " refers to map " + index
                    + ", which the object does not have");
        }
        return m;
    }

    /**
     * BPF_PSEUDO_MAP_VALUE: the address of the value of a one-element array plus the offset (the
     * kernel's array_map_direct_value_addr), with the value a region of {@link #memory()}.
     */
    private long valueAddress(ProgramSpec p, int pc, LoadImm64 l) {
        EbpfMap m = referencedMap(p, pc, l.imm());
        long off = Integer.toUnsignedLong(l.nextImm());
        if (!(m instanceof ArrayMap array) || m.maxEntries() != 1 || off >= m.valueSize()) {
            throw new LoadException(spec.file() + ": program '" + p.name() + "' insn " + pc + ": direct value access to " + m
                    + " at offset " + off + " (only one-element arrays, inside the value)");
        }
        MemorySegment value = array.value(0, 0);
        Region r = new Region.Mem(m.regionName(), RegionKind.MAP_VALUE, value,
                m.programWritable() ? Permission.READ_WRITE : Permission.READ_ONLY);
        memory.addIfAbsent(r);
        return value.address() + off;
    }

    /** Every helper the object offers programs of this type; the program's calls must all be among them. */
    private Helpers helpersFor(ProgramSpec p, Bytecode code) {
        Map<Integer, Helper> all = new TreeMap<>();
        MapHelpers.register(all, env.maps());
        CoreHelpers.register(all, options.clock(), options.random(), options.trace());
        for (HelperProvider provider : options.providers()) {
            all.putAll(provider.helpers(p.type(), this));
        }
        SortedSet<Integer> missing = new TreeSet<>();
        code.forEach((insn, pc) -> {
            if (insn instanceof Call c && c.kind() == CallKind.HELPER && c.imm() != Helpers.TAIL_CALL && !all.containsKey(c.imm())) {
                missing.add(c.imm());
            }
        });
        if (!missing.isEmpty()) {
            throw new UnsupportedHelperException(p.name(), p.type().bpftoolName(), List.copyOf(missing));
        }
        Helpers h = Helpers.none().withTailCalls(tailCalls);
        for (Map.Entry<Integer, Helper> e : all.entrySet()) {
            String name = HelperIds.byId(e.getKey()).map(HelperId::cName).orElse("helper_" + e.getKey());
            h = h.with(e.getKey(), name, e.getValue());
        }
        return h;
    }

    /**
     * bpf_tail_call's choices, in the kernel's order: the index must be in range, fewer than 33 tail
     * calls made, the slot filled; only a call that happens counts (Linux 6.18's x86-64 JIT counts a
     * call only when the slot holds a program, which HelperKernelTest's tail_calls.c shows).
     */
    private Executable tailCallTarget(dev.jxdp.exec.HelperContext ctx, long map, long index) {
        EbpfMap m = env.maps().byHandle(map);
        if (!(m instanceof ProgArray pa)) {
            throw new MemoryFault("r2 = 0x" + Long.toHexString(map) + " is not a prog array of this object");
        }
        ProgramRun run = ProgramRun.of(ctx);
        long i = index & 0xffff_ffffL;
        if (i >= Integer.toUnsignedLong(pa.maxEntries()) || run.tailCalls >= ProgramRun.MAX_TAIL_CALLS) {
            return null;
        }
        ProgramRef target = pa.get(i);
        if (target == null) {
            return null;
        }
        run.tailCalls++;
        return target.executable();
    }

    private void fillSlots() {
        for (int i = 0; i < spec.maps().size(); i++) {
            MapSpec m = spec.maps().get(i);
            if (!(m.contents() instanceof MapContents.Slots slots)) {
                continue;
            }
            EbpfMap map = env.maps().get(i);
            for (Map.Entry<Integer, String> slot : slots.entries().entrySet()) {
                try {
                    switch (map) {
                        case ProgArray pa -> pa.set(slot.getKey(), programOrThrow(slot.getValue()));
                        case MapOfMaps outer -> outer.set(u32(slot.getKey()), mapOrThrow(slot.getValue()));
                        default -> throw new LoadException(spec.file() + ": map '" + m.name() + "' has .values but is a " + map);
                    }
                } catch (MapException e) {
                    throw new LoadException(spec.file() + ": map '" + m.name() + "' slot " + slot.getKey() + " ("
                            + slot.getValue() + "): " + e.getMessage(), e);
                }
            }
        }
    }

    private static byte[] u32(int v) {
        byte[] b = new byte[4];
        MemorySegment.ofArray(b).set(ValueLayout.JAVA_INT_UNALIGNED, 0, v);
        return b;
    }

    private ProgramRef programOrThrow(String name) {
        ProgramRef p = env.programs().byName(name);
        if (p == null) {
            throw new LoadException(spec.file() + ": no program '" + name + "'");
        }
        return p;
    }

    private EbpfMap mapOrThrow(String name) {
        return map(name);
    }

    // ---- what is loaded

    public ObjectSpec spec() {
        return spec;
    }

    public Options options() {
        return options;
    }

    /** The maps, by id (the object's order, then maps created later with {@link #createMap}). */
    public List<EbpfMap> maps() {
        return env.maps().all();
    }

    /** The map named {@code name}; throws naming the maps there are. */
    public EbpfMap map(String name) {
        for (EbpfMap m : env.maps().all()) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no map '" + name + "' in " + spec.file() + " (maps: "
                + String.join(", ", env.maps().all().stream().map(EbpfMap::name).toList()) + ")");
    }

    public MapTable mapTable() {
        return env.maps();
    }

    public List<LoadedProgram> programs() {
        return List.copyOf(programs);
    }

    public LoadedProgram program(String name) {
        for (LoadedProgram p : programs) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no program '" + name + "' in " + spec.file() + " (programs: "
                + String.join(", ", programs.stream().map(LoadedProgram::name).toList()) + ")");
    }

    /** A map created after loading (an inner map for a map-in-map, say), in this object's table. */
    public EbpfMap createMap(MapDefinition def) {
        return Maps.create(def, env);
    }

    /**
     * A new memory map holding the object's regions (global data values): what a run's memory starts
     * from; the caller adds its context and packet regions.
     */
    public MemoryMap memory() {
        return memory.copy();
    }

    public TraceLog trace() {
        return options.trace();
    }

    /** The workers per-CPU maps are sized for. */
    public int workers() {
        return options.workers();
    }

    /** Frees every map; programs must not run any more. */
    @Override
    public void close() {
        for (EbpfMap m : env.maps().all()) {
            m.close();
        }
    }
}
