package dev.jxdp.diff;

import dev.jxdp.exec.Engine;
import dev.jxdp.exec.ExecutionException;
import dev.jxdp.hooks.Network;
import dev.jxdp.hooks.PacketHelpers;
import dev.jxdp.hooks.ProgTestRun;
import dev.jxdp.hooks.TestRunException;
import dev.jxdp.kernel.Errno;
import dev.jxdp.kernel.PossibleCpus;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.load.LoadedProgram;
import dev.jxdp.load.RandomSource;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * jxdp's side of a differential run: the object loaded once with one worker per possible CPU (so that
 * per-CPU values have the kernel's layout), the clocks as the kernel's run of the same packet found
 * them ({@link PacketClock}), and a random source that counts its draws, so the
 * runner knows when a run stopped being comparable. Each packet goes through the hooks'
 * BPF_PROG_TEST_RUN on worker 0.
 */
final class JxdpSide implements AutoCloseable {
    private final ObjectSpec spec;
    private final LoadedObject object;
    private final LoadedProgram program;
    private final AtomicLong draws = new AtomicLong();
    private final PacketClock clock = new PacketClock();

    JxdpSide(ObjectSpec spec, ProgramSpec chosen, Engine engine) {
        this.spec = spec;
        RandomSource system = RandomSource.system();
        RandomSource counting = worker -> {
            draws.incrementAndGet();
            return system.nextU32(worker);
        };
        object = LoadedObject.load(spec, LoadedObject.Options.defaults().withEngine(engine).withWorkers(PossibleCpus.count())
                .withClock(clock).withRandom(counting).withProvider(PacketHelpers.INSTANCE));
        program = object.program(chosen.name());
    }

    void put(String map, MapEntry e) {
        object.map(map).update(e.key(), e.value(), 0);
    }

    /** Reads the machine's clocks for the next packet: call right before the kernel runs it. */
    void tickClock() {
        clock.tick();
    }

    /** bpf_get_prandom_u32 calls so far. */
    long randomDraws() {
        return draws.get();
    }

    RunOutcome run(byte[] packet, byte[] ctx) {
        try {
            ProgTestRun.Result r = ProgTestRun.run(program, ProgTestRun.Input.of(packet).withCtx(ctx), Network.loopback());
            return new RunOutcome.Ran(r.retval(), r.dataOut(), r.ctxOut());
        } catch (TestRunException e) {
            return new RunOutcome.Refused(Errno.of(e.errno()).name());
        } catch (ExecutionException e) {
            return new RunOutcome.Faulted(e.getMessage());
        }
    }

    List<MapSnapshot> snapshot() {
        List<MapSnapshot> out = new ArrayList<>();
        for (dev.jxdp.obj.MapSpec m : spec.maps()) {
            if (MapSnapshot.comparable(m.type())) {
                out.add(MapSnapshot.of(object.map(m.name())));
            }
        }
        return out;
    }

    @Override
    public void close() {
        object.close();
    }
}
