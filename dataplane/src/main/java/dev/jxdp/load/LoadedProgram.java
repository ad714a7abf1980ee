package dev.jxdp.load;

import dev.jxdp.exec.Executable;
import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.Invocation;
import dev.jxdp.exec.MemoryMap;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PacketLoad;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.maps.Epochs;
import dev.jxdp.maps.ProgramRef;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import dev.jxdp.verifier.VerifiedProgram;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * A program of a {@link LoadedObject}, ready to run: its code with map references resolved (map
 * handles, value addresses), its helpers, prepared by the object's engine. A run is one epoch read
 * section ({@link Epochs}) with a {@link ProgramRun} (one per thread, reused) as the invocation's attachment; whatever the
 * caller attached is kept as {@link ProgramRun#hook()}.
 *
 * <p>The invocation's memory must hold the object's regions ({@link LoadedObject#memory()}: global
 * data) besides the caller's (context, packet); the engines copy it for each run, so one map per
 * worker can be reused.
 */
public final class LoadedProgram implements ProgramRef {
    private final int id;
    private final ProgramSpec spec;
    private final Bytecode code;
    private final Helpers helpers;
    private final Executable executable;
    private final VerifiedProgram verified;
    private final Epochs epochs;
    /**
     * Whether the code names a map (ld_imm64 of a map or a map value): only then can a run hold map
     * memory that the epoch read section must protect, so a run of a program without one skips it.
     */
    private final boolean usesMaps;
    /**
     * Whether a run may read the invocation's packet: LD_ABS/LD_IND in the code, or a tail call, whose
     * target may have them. A caller can leave the packet out of other programs' invocations (the tc
     * hook would otherwise make a segment per packet for nothing).
     */
    private final boolean readsPacket;
    private final LoadedObject object;

    LoadedProgram(int id, ProgramSpec spec, Bytecode code, Helpers helpers, Executable executable,
            VerifiedProgram verified, Epochs epochs, LoadedObject object) {
        this.id = id;
        this.spec = spec;
        this.code = code;
        this.helpers = helpers;
        this.executable = executable;
        this.verified = verified;
        this.epochs = epochs;
        this.object = object;
        boolean maps = false;
        boolean packet = false;
        for (Instruction insn : spec.code().instructions()) {
            maps |= insn instanceof LoadImm64 l && (l.source() == PseudoSource.MAP_FD || l.source() == PseudoSource.MAP_VALUE
                    || l.source() == PseudoSource.MAP_IDX || l.source() == PseudoSource.MAP_IDX_VALUE);
            packet |= insn instanceof PacketLoad || insn instanceof Call c && c.isHelper(Helpers.TAIL_CALL);
        }
        this.usesMaps = maps;
        this.readsPacket = packet;
    }

    /** Whether a run may read the invocation's packet (LD_ABS/LD_IND, here or in a tail call's target). */
    public boolean readsPacket() {
        return readsPacket;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public ProgramType type() {
        return spec.type();
    }

    public ProgramSpec spec() {
        return spec;
    }

    /** The code as it runs: map references replaced by handles and value addresses. */
    public Bytecode code() {
        return code;
    }

    public Helpers helpers() {
        return helpers;
    }

    /** What the engine prepared, without the run's bookkeeping (tail calls enter here). */
    @Override
    public Executable executable() {
        return executable;
    }

    /**
     * What the verifier concluded at load (its statistics, proofs and context rewrite table), or
     * empty for an object loaded {@link LoadedObject.Options#unverified() unverified}.
     */
    public Optional<VerifiedProgram> verified() {
        return Optional.ofNullable(verified);
    }

    public LoadedObject object() {
        return object;
    }

    /**
     * Each thread's run state, reused run after run (a run allocates none of its own). A caller that
     * runs the program packet after packet on one thread keeps its own in a {@link Runner} instead of
     * looking it up per run (see JitProgram's stacks for why no field remembers the last one).
     */
    private final ThreadLocal<ProgramRun> runs = ThreadLocal.withInitial(() -> new ProgramRun(this));

    /** Runs the program once (see the class comment for what the invocation must hold). */
    public long run(Invocation invocation) {
        ProgramRun run = runs.get();
        // A helper running this program again within a run on this thread: a state of its own.
        return run(invocation, run.active ? new ProgramRun(this) : run, executable);
    }

    private long run(Invocation invocation, ProgramRun run, Executable on) {
        run.begin(invocation.worker(), invocation.attachment());
        if (usesMaps) {
            run.reader.enter();
        }
        try {
            return on.run(invocation, run);
        } finally {
            try {
                run.finish();
            } finally {
                if (usesMaps) {
                    run.reader.exit();
                }
            }
        }
    }

    /**
     * A way for the calling thread to run this program again and again with its run state found once,
     * for a caller that keeps it (a packet worker runs the programs of its hooks per packet): no
     * per-thread lookup per run, and nothing written that another thread's runs read.
     */
    public Runner runner() {
        return new Runner(runs.get(), executable.onThisThread());
    }

    /**
     * The calling thread's run state and engine state of this program (see {@link #runner()}). On
     * another thread, or nested in one of its own runs, it runs as {@link #run(Invocation)} does.
     */
    public final class Runner {
        private final ProgramRun state;
        private final Executable on;

        private Runner(ProgramRun state, Executable on) {
            this.state = state;
            this.on = on;
        }

        /** The program this runs. */
        public LoadedProgram program() {
            return LoadedProgram.this;
        }

        /** Runs the program once, as {@link LoadedProgram#run(Invocation)}. */
        public long run(Invocation invocation) {
            ProgramRun s = state;
            if (s.owner != Thread.currentThread() || s.active) {
                return LoadedProgram.this.run(invocation);
            }
            return LoadedProgram.this.run(invocation, s, on);
        }
    }

    /**
     * The calling thread's reader of the epoch domain this program's maps belong to, for a caller that
     * runs the program many times in a row on this thread (a test run's repeat loop, a worker's
     * batch): a section held around the runs makes each run's own a nested one, without its fence,
     * as the kernel's test run holds rcu_read_lock around its loop. Leave it now and then so that
     * deleted map elements can be reused.
     */
    public Epochs.Reader epochReader() {
        return epochs.reader();
    }

    /**
     * Runs with r1 = {@code ctx} on {@code worker}: {@code memory} must hold the context region (and the
     * packet's) besides the object's regions; {@code packet} is what LD_ABS/LD_IND read (may be null).
     */
    public long run(int worker, MemoryMap memory, long ctx, MemorySegment packet) {
        return run(Invocation.of(memory, ctx).withPacket(packet).withWorker(worker));
    }

    @Override
    public String toString() {
        return spec.type().bpftoolName() + " program '" + name() + "'";
    }
}
