package dev.jxdp.hooks;

import dev.jxdp.exec.Interpreter;
import dev.jxdp.isa.Assembler;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.load.LoadedProgram;
import dev.jxdp.obj.AttachType;
import dev.jxdp.obj.MapContents;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.MapType;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Assembled programs (and maps they refer to by index: {@code ld_pseudo rN, 0x1, INDEX}) as a loaded
 * object with the packet helpers, for tests that need no C compiler.
 */
final class AsmObject implements AutoCloseable {
    /** One program: its name, type, expected attach type, BPF_PROG_LOAD flags and code. */
    record Prog(String name, ProgramType type, AttachType attach, int flags, String asm) {
        static Prog xdp(String name, String asm) {
            return new Prog(name, ProgramType.XDP, AttachType.XDP, 0, asm);
        }

        static Prog xdpFrags(String name, String asm) {
            return new Prog(name, ProgramType.XDP, AttachType.XDP, ProgramSpec.F_XDP_HAS_FRAGS, asm);
        }

        static Prog devmap(String name, String asm) {
            return new Prog(name, ProgramType.XDP, AttachType.XDP_DEVMAP, 0, asm);
        }

        static Prog cpumap(String name, String asm) {
            return new Prog(name, ProgramType.XDP, AttachType.XDP_CPUMAP, 0, asm);
        }

        static Prog tc(String name, String asm) {
            return new Prog(name, ProgramType.SCHED_CLS, null, 0, asm);
        }
    }

    final LoadedObject object;
    final LoadedProgram program;

    private AsmObject(LoadedObject object) {
        this.object = object;
        this.program = object.programs().getFirst();
    }

    /** A map definition as the object loader would make it from a BTF map. */
    static MapSpec map(String name, MapType type, int keySize, int valueSize, int maxEntries) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, 0, 0, 0, 0, null, new MapContents.Empty(), null);
    }

    static AsmObject load(LoadedObject.Options options, List<MapSpec> maps, Prog... progs) {
        List<ProgramSpec> specs = new ArrayList<>();
        for (Prog p : progs) {
            Bytecode code = Assembler.assemble(p.asm());
            String section = p.type() == ProgramType.XDP ? "xdp" : "tc";
            specs.add(new ProgramSpec(p.name(), section, p.type(), p.attach(), p.flags(), true, code,
                    List.of(new ProgramSpec.Function(p.name(), section, 0, code.length())), List.of(), List.of(), List.of(), "GPL", true,
                    List.of()));
        }
        ObjectSpec spec = new ObjectSpec("asm.o", "asm", "GPL", OptionalInt.empty(), specs, maps, null, null);
        return new AsmObject(LoadedObject.load(spec, options));
    }

    private static LoadedObject.Options interpreter() {
        return LoadedObject.Options.defaults().withWorkers(1).withProvider(PacketHelpers.INSTANCE).withEngine(new Interpreter());
    }

    static AsmObject xdp(String asm) {
        return load(interpreter(), List.of(), Prog.xdp("prog", asm));
    }

    /**
     * An XDP program loaded without the verifier, for tests of what the checked engines do with a
     * program the kernel would refuse (run-time faults).
     */
    static AsmObject xdpUnverified(String asm) {
        return load(interpreter().unverified(), List.of(), Prog.xdp("prog", asm));
    }

    static AsmObject xdp(AttachType attach, String asm) {
        return load(interpreter(), List.of(), new Prog("prog", ProgramType.XDP, attach, 0, asm));
    }

    static AsmObject tc(String asm) {
        return load(interpreter(), List.of(), Prog.tc("prog", asm));
    }

    LoadedProgram program(String name) {
        return object.program(name);
    }

    ProgTestRun.Result run(byte[] frame) {
        return ProgTestRun.run(program, ProgTestRun.Input.of(frame), Network.loopback());
    }

    @Override
    public void close() {
        object.close();
    }
}
