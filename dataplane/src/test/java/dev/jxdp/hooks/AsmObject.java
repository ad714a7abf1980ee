package dev.jxdp.hooks;

import dev.jxdp.exec.Interpreter;
import dev.jxdp.isa.Assembler;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.load.LoadedProgram;
import dev.jxdp.obj.AttachType;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import java.util.List;
import java.util.OptionalInt;

/** One assembled program as a loaded object with the packet helpers, for tests that need no C compiler. */
final class AsmObject implements AutoCloseable {
    final LoadedObject object;
    final LoadedProgram program;
    final Bytecode code;

    private AsmObject(ProgramType type, AttachType attach, String asm, boolean jit) {
        code = Assembler.assemble(asm);
        ProgramSpec p = new ProgramSpec("prog", type == ProgramType.XDP ? "xdp" : "tc", type, attach, 0, true, code,
                List.of(new ProgramSpec.Function("prog", "xdp", 0, code.length())), List.of(), List.of(), List.of(), "GPL", true, List.of());
        ObjectSpec spec = new ObjectSpec("asm.o", "asm", "GPL", OptionalInt.empty(), List.of(p), List.of(), null, null);
        LoadedObject.Options o = LoadedObject.Options.defaults().withWorkers(1).withProvider(PacketHelpers.INSTANCE);
        object = LoadedObject.load(spec, jit ? o : o.withEngine(new Interpreter()));
        program = object.program("prog");
    }

    static AsmObject xdp(String asm) {
        return new AsmObject(ProgramType.XDP, AttachType.XDP, asm, false);
    }

    static AsmObject xdp(AttachType attach, String asm) {
        return new AsmObject(ProgramType.XDP, attach, asm, false);
    }

    static AsmObject tc(String asm) {
        return new AsmObject(ProgramType.SCHED_CLS, null, asm, false);
    }

    static AsmObject jit(ProgramType type, String asm) {
        return new AsmObject(type, type == ProgramType.XDP ? AttachType.XDP : null, asm, true);
    }

    ProgTestRun.Result run(byte[] frame) {
        return ProgTestRun.run(program, ProgTestRun.Input.of(frame), Network.loopback());
    }

    @Override
    public void close() {
        object.close();
    }
}
