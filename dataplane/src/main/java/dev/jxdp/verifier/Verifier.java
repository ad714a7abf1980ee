package dev.jxdp.verifier;

import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.DecodeException;
import dev.jxdp.isa.Decoder;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.Store;
import dev.jxdp.isa.StoreReg;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import dev.jxdp.verifier.ctx.CtxAccess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * jxdp's verifier: decides, as the Linux kernel's verifier does, whether a program is safe to run,
 * and if so records what it proved ({@link VerifiedProgram}) so that engines can drop their run-time
 * checks. The reference is the kernel on a privileged load (Linux 6.18): a program it accepts is
 * accepted, one it refuses for safety is refused with its wording.
 *
 * <p>The work, in order: the code's shape ({@link Cfg}), then an abstract interpretation of every path
 * ({@link Checker}) with state pruning ({@link Pruner}), then the stack depth of call chains.
 */
public final class Verifier {
    private Verifier() {}

    public static VerifiedProgram verify(ProgramSpec program, List<MapSpec> maps) {
        return verify(VerifierInput.of(program, maps), VerifierOptions.defaults());
    }

    public static VerifiedProgram verify(ProgramSpec program, List<MapSpec> maps, VerifierOptions options) {
        return verify(VerifierInput.of(program, maps), options);
    }

    /** Verifies a program of an object with the object's BTF (which tells global functions from static ones). */
    public static VerifiedProgram verify(ObjectSpec object, ProgramSpec program, VerifierOptions options) {
        return verify(VerifierInput.of(object, program), options);
    }

    /**
     * Verifies raw instructions, as BPF_PROG_LOAD receives them: decoding errors (unknown opcodes,
     * reserved fields, jumps into an ld_imm64) are refusals like any other.
     */
    public static VerifiedProgram verify(String name, byte[] insns, ProgramType type, List<MapSpec> maps, boolean gplCompatible,
                                         VerifierOptions options) {
        Bytecode code;
        try {
            code = Decoder.decodeUnlinked(insns);
        } catch (DecodeException e) {
            String message = e.problem();
            throw new VerifierException(message, Reject.EINVAL, e.index(), message + "\n",
                    new VerifierStats(0, options.insnLimit(), 0, 0, 0, Duration.ZERO));
        }
        return verify(new VerifierInput(name, code, type, maps, gplCompatible, false), options);
    }

    /** Verifies a hand-assembled program (its raw slots may hold what the decoder refuses). */
    public static VerifiedProgram verify(AsmProgram program, VerifierOptions options) {
        return verify(program.name(), program.insns(), program.type(), program.maps(), program.gplCompatible(), options);
    }

    /** @throws VerifierException if the program is refused */
    public static VerifiedProgram verify(VerifierInput input, VerifierOptions options) {
        long start = System.nanoTime();
        Checker checker = null;
        try {
            if (input.code().length() > VerifierOptions.COMPLEXITY_LIMIT_INSNS) {
                throw new Reject(Reject.E2BIG, -1, "program of " + input.code().length() + " instructions is longer than the "
                        + VerifierOptions.COMPLEXITY_LIMIT_INSNS + " the kernel loads");
            }
            Cfg cfg = Cfg.check(input.code(), input.maps(), options.privileged());
            checker = new Checker(input, options, cfg);
            checker.run();
            CallCheck.checkMaxStackDepth(checker);
            VerifierStats stats = stats(checker, start);
            String log = checker.log.toString();
            if (options.logLevel() > 0) {
                log += stats.line() + "\n";
            }
            return result(checker, stats, log);
        } catch (Reject r) {
            int insn = r.insn == -2 ? (checker == null ? -1 : checker.insnIdx) : r.insn;
            VerifierStats stats = checker == null ? new VerifierStats(0, options.insnLimit(), 0, 0, 0, Duration.ofNanos(System.nanoTime() - start))
                    : stats(checker, start);
            String log = (checker == null ? "" : checker.log.toString()) + r.getMessage() + "\n" + stats.line() + "\n";
            String first = r.getMessage().lines().findFirst().orElse("");
            throw new VerifierException(first, r.errno, insn, log, stats);
        }
    }

    private static VerifierStats stats(Checker c, long start) {
        return new VerifierStats(c.insnProcessed, c.opt.insnLimit(), c.pruner.maxStatesPerInsn, c.pruner.totalStates,
                c.pruner.peakStates, Duration.ofNanos(System.nanoTime() - start));
    }

    private static boolean isMemory(Instruction insn) {
        return insn instanceof Load || insn instanceof Store || insn instanceof StoreReg || insn instanceof Atomic;
    }

    private static VerifiedProgram result(Checker c, VerifierStats stats, String log) {
        Map<Integer, MemoryProof> proofs = new TreeMap<>();
        Map<Integer, CtxAccess> ctx = new TreeMap<>();
        RegType[][] entry = new RegType[c.code.length()][];
        Map<Integer, MapRef> callMaps = new TreeMap<>();
        for (int pc = 0; pc < c.code.length(); pc++) {
            InsnAux a = c.aux[pc];
            entry[pc] = a.entryTypes;
            if (a.callMap != null) {
                callMaps.put(pc, a.callMap);
            }
            Instruction insn = c.code.at(pc);
            if (insn == null || !isMemory(insn) || a.regions.isEmpty()) {
                continue;
            }
            proofs.put(pc, new MemoryProof(a.regions, a.maps, a.ctx, insn instanceof Atomic && a.atomicAligned));
            if (a.ctx != null) {
                ctx.put(pc, a.ctx);
            }
        }
        Map<Integer, Integer> depths = new HashMap<>();
        for (int s = 0; s < c.cfg.subprogCount(); s++) {
            depths.put(c.cfg.subprogStarts[s], c.stackDepth[s]);
        }
        List<Integer> starts = java.util.Arrays.stream(c.cfg.subprogStarts).boxed().toList();
        return new VerifiedProgram(c.in, new TreeMap<>(proofs), new TreeMap<>(ctx), entry, depths, starts, stats, log,
                new TreeMap<>(callMaps));
    }
}
