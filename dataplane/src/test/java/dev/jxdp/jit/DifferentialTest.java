package dev.jxdp.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jxdp.exec.Engine;
import dev.jxdp.exec.ExecutionException;
import dev.jxdp.exec.Executable;
import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.Interpreter;
import dev.jxdp.exec.Invocation;
import dev.jxdp.exec.MemoryMap;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionKind;
import dev.jxdp.isa.Alu;
import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.ByteSwap;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.Disassembler;
import dev.jxdp.isa.Goto;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Jump;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.OpClass;
import dev.jxdp.isa.Operand;
import dev.jxdp.isa.PacketLoad;
import dev.jxdp.isa.Store;
import dev.jxdp.isa.StoreReg;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Random programs ({@link ProgramGenerator}) on random inputs through the interpreter (the oracle)
 * and the JIT, requiring identical outcomes: r0 or the error (message and instruction), the input
 * memory afterwards, and every helper call the program made (slot and arguments). Every program
 * also runs on a JIT that splits each function into one region per block (so that the splitting of
 * large programs is tested on loops, calls and r0 checks that cross regions), and fault-free ones
 * on the JIT with every access planned {@link MemoryAccess.Direct}, the unchecked path the verifier
 * will switch on.
 *
 * <p>CI runs {@value #DEFAULT_PROGRAMS} programs (a few seconds). A longer run:
 * <pre>
 * mvn -pl dataplane test -Dtest=DifferentialTest -Djxdp.fuzz.programs=1000000 [-Djxdp.fuzz.seed=N]
 * </pre>
 * Program i uses seed {@code seed + i}; a failure names it, and
 * {@code -Djxdp.fuzz.seed=<that> -Djxdp.fuzz.programs=1} runs it alone.
 */
class DifferentialTest {
    static final int DEFAULT_PROGRAMS = 3000;
    private static final int INPUTS = 3;

    /** What one run showed: r0 or the error, the memory after, the helper calls. */
    record Outcome(String result, String memory, List<String> calls) {}

    @Test
    void interpreterAndJitAgreeOnRandomPrograms() {
        int programs = Integer.getInteger("jxdp.fuzz.programs", DEFAULT_PROGRAMS);
        long seed = Long.getLong("jxdp.fuzz.seed", 0x5eed_0005L);
        Coverage coverage = new Coverage();
        int runs = 0;
        int errors = 0;
        int direct = 0;
        long start = System.nanoTime();
        for (int i = 0; i < programs; i++) {
            Random random = new Random(seed + i);
            boolean faults = random.nextInt(100) < 30;
            Bytecode code = ProgramGenerator.generate(random, faults);
            coverage.add(code);
            List<String> calls = new ArrayList<>();
            Helpers helpers = helpers(calls);
            Prepared interpreter = Prepared.of(new Interpreter(), code, helpers);
            Prepared jit = Prepared.of(new Jit(), code, helpers);
            Prepared splitJit = Prepared.of(new Jit(0, 1), code, helpers);
            if (splitJit.executable() instanceof JitProgram split && split.methods().stream().noneMatch(m -> m.name().equals("f0_0"))) {
                fail("the splitting JIT did not split: " + split.methods());
            }
            Prepared directJit = faults ? null : Prepared.of(new DirectJit(), code, helpers);
            for (int k = 0; k < INPUTS; k++) {
                byte[] mem = new byte[ProgramGenerator.MEM];
                random.nextBytes(mem);
                long budget = !faults && random.nextInt(5) == 0 ? 1 + random.nextInt(300) : Invocation.DEFAULT_BUDGET;
                try (Arena arena = Arena.ofConfined()) {
                    // One input segment for all engines, so that addresses in error messages agree.
                    MemorySegment segment = arena.allocate(mem.length, 8);
                    Outcome expected = interpreter.run(mem, segment, budget, calls);
                    Outcome actual = jit.run(mem, segment, budget, calls);
                    if (!agree(expected, actual)) {
                        fail(report(seed + i, code, mem, budget, expected, actual, "jit"));
                    }
                    Outcome split = splitJit.run(mem, segment, budget, calls);
                    if (!agree(expected, split)) {
                        fail(report(seed + i, code, mem, budget, expected, split, "jit split into one region per block"));
                    }
                    if (directJit != null) {
                        Outcome unchecked = directJit.run(mem, segment, budget, calls);
                        if (!agree(expected, unchecked)) {
                            fail(report(seed + i, code, mem, budget, expected, unchecked, "jit with direct accesses"));
                        }
                        direct++;
                    }
                    if (expected.result().startsWith("error")) {
                        errors++;
                    }
                }
                runs++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("differential: %d programs, %d inputs each (%d runs, %d ending in an error, %d also with"
                + " direct accesses): interpreter and JIT agree (seed 0x%x, %.1f s)%n",
                programs, INPUTS, runs, errors, direct, seed, seconds);
        if (programs >= 1000) {
            coverage.check();
            assertTrue(errors > runs / 50, "too few error outcomes to compare: " + errors);
            assertTrue(errors < runs / 2, "too many error outcomes: " + errors);
        }
    }

    /**
     * Identical outcomes, except after an exhausted budget: the JIT charges a block on entry and so
     * has not run the instructions of the last block that the interpreter ran before failing (see
     * {@link Jit}); the error itself must still be the same.
     */
    private static boolean agree(Outcome expected, Outcome actual) {
        if (expected.result().contains("instruction budget of")) {
            return expected.result().equals(actual.result());
        }
        return expected.equals(actual);
    }

    /**
     * Frames are allocated per run, so their addresses differ between runs; in error messages (an
     * access's address, a region's range) they are masked. The input's address is the same for all.
     */
    private static String maskFrameAddresses(String message) {
        return message.replaceAll("0x7[0-9a-f]{10,}", "0x<address>");
    }

    /** The test helpers: a pure function, a memory writer (through checked memory), a recorder of calls. */
    private static Helpers helpers(List<String> calls) {
        return Helpers.none()
                .with(ProgramGenerator.MIX, "mix", (ctx, a, b, c, d, e) -> a * 0x9e37_79b9_7f4a_7c15L ^ b + c - d ^ e << 7)
                .with(ProgramGenerator.FILL, "fill", (ctx, ptr, len, value, d, e) -> {
                    ctx.memory().slice(ptr, (len & 7) + 1, true).fill((byte) value);
                    return len;
                })
                .with(ProgramGenerator.RECORD, "record", (ctx, a, b, c, d, e) -> {
                    calls.add(ctx.pc() + ": " + a + " " + b + " " + c + " " + d + " " + e);
                    return ctx.pc();
                });
    }

    /** A program prepared by one engine, or the error prepare gave. */
    private record Prepared(Executable executable, String error) {
        static Prepared of(Engine engine, Bytecode code, Helpers helpers) {
            try {
                return new Prepared(engine.prepare(code, helpers), null);
            } catch (ExecutionException e) {
                return new Prepared(null, "error at " + e.pc() + ": " + e.getMessage());
            }
        }

        Outcome run(byte[] input, MemorySegment mem, long budget, List<String> calls) {
            calls.clear();
            mem.copyFrom(MemorySegment.ofArray(input));
            MemoryMap memory = new MemoryMap().add(new Region.Mem("mem", RegionKind.INPUT, mem,
                    dev.jxdp.exec.Permission.READ_WRITE));
            Invocation inv = Invocation.of(memory, mem.address(), mem.byteSize()).withPacket(mem).withBudget(budget);
            String result = error;
            if (executable != null) {
                try {
                    result = "r0 = 0x" + Long.toHexString(executable.run(inv));
                } catch (ExecutionException e) {
                    result = "error at " + e.pc() + ": " + maskFrameAddresses(e.getMessage());
                }
            }
            return new Outcome(result, HexFormat.of().formatHex(mem.toArray(ValueLayout.JAVA_BYTE)), List.copyOf(calls));
        }
    }

    private static String report(long seed, Bytecode code, byte[] mem, long budget, Outcome expected, Outcome actual,
            String engine) {
        StringBuilder b = new StringBuilder("interpreter and " + engine + " disagree on program seed " + seed
                + " (-Djxdp.fuzz.seed=" + seed + " -Djxdp.fuzz.programs=1), budget " + budget + ", mem "
                + HexFormat.of().formatHex(mem) + "\n  interpreter: " + expected + "\n  " + engine + ": " + actual + "\n");
        Disassembler d = new Disassembler();
        code.forEach((insn, pc) -> b.append(String.format("%5d: %s%n", pc, d.format(insn, pc))));
        return b.toString();
    }

    /** The JIT with every load, store and atomic planned as a direct (unchecked) access. */
    private record DirectJit() implements Engine {
        @Override
        public Executable prepare(Bytecode c, Helpers helpers) {
            ProgramFacts facts = new ProgramFacts() {
                @Override
                public MemoryAccess access(int pc) {
                    int base = switch (c.at(pc)) {
                        case Load l -> l.src();
                        case Store s -> s.dst();
                        case StoreReg s -> s.dst();
                        case Atomic a -> a.dst();
                        default -> throw new IllegalStateException("not a memory access at " + pc);
                    };
                    return new MemoryAccess.Direct(base == 10 ? RegionKind.STACK : RegionKind.INPUT);
                }
            };
            return new Jit().prepare(c, helpers, facts);
        }
    }

    /** Which instruction classes and forms the generated programs contained. */
    private static final class Coverage {
        private final Set<String> seen = new TreeSet<>();

        void add(Bytecode code) {
            code.forEach((insn, pc) -> {
                seen.add("class " + OpClass.of(insn.opcode()));
                seen.add(form(insn));
            });
        }

        private static String form(Instruction insn) {
            return switch (insn) {
                case Alu a -> (a.alu64() ? "alu64 " : "alu32 ") + a.op() + (a.src() instanceof Operand.Imm ? " K" : " X");
                case ByteSwap b -> "swap " + b.order() + " " + b.bits();
                case Jump j -> (j.jmp32() ? "jmp32 " : "jmp ") + j.op() + (j.src() instanceof Operand.Imm ? " K" : " X");
                case Goto g -> g.wide() ? "gotol" : "goto";
                case Call c -> "call " + c.kind();
                case Load l -> "load " + l.size() + (l.signed() ? " signed" : "");
                case Store s -> "st " + s.size();
                case StoreReg s -> "stx " + s.size();
                case Atomic a -> "atomic " + a.size() + " " + a.op() + (a.fetch() ? " fetch" : "");
                case LoadImm64 l -> "lddw " + l.source();
                case PacketLoad p -> (p.indirect() ? "ld_ind " : "ld_abs ") + p.size();
                default -> insn.getClass().getSimpleName().toLowerCase();
            };
        }

        void check() {
            List<String> missing = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                expect(missing, "class " + c);
            }
            for (var op : dev.jxdp.isa.AluOp.values()) {
                for (String w : List.of("alu64 ", "alu32 ")) {
                    if (op == dev.jxdp.isa.AluOp.MOVSX32 && w.equals("alu32 ")) {
                        continue;
                    }
                    expect(missing, w + op + (op.isMovsx() ? " X" : op == dev.jxdp.isa.AluOp.NEG ? " K" : " X"));
                    if (!op.isMovsx() && op != dev.jxdp.isa.AluOp.NEG) {
                        expect(missing, w + op + " K");
                    }
                }
            }
            for (var op : dev.jxdp.isa.JumpOp.values()) {
                for (String w : List.of("jmp ", "jmp32 ")) {
                    expect(missing, w + op + " K");
                    expect(missing, w + op + " X");
                }
            }
            for (var size : List.of("W", "DW")) {
                for (var op : dev.jxdp.isa.AtomicOp.values()) {
                    expect(missing, "atomic " + size + " " + op + " fetch");
                    if (!op.alwaysFetches()) {
                        expect(missing, "atomic " + size + " " + op);
                    }
                }
            }
            for (var size : dev.jxdp.isa.Size.values()) {
                expect(missing, "load " + size);
                expect(missing, "st " + size);
                expect(missing, "stx " + size);
                if (size != dev.jxdp.isa.Size.DW) {
                    expect(missing, "load " + size + " signed");
                    expect(missing, "ld_abs " + size);
                    expect(missing, "ld_ind " + size);
                }
            }
            for (var order : ByteSwap.Order.values()) {
                for (int bits : new int[] {16, 32, 64}) {
                    expect(missing, "swap " + order + " " + bits);
                }
            }
            for (String f : List.of("goto", "gotol", "call HELPER", "call LOCAL", "callreg", "exit", "lddw VALUE", "lddw FUNC")) {
                expect(missing, f);
            }
            assertEquals(List.of(), missing, "instruction forms the generated programs never contained");
        }

        private void expect(List<String> missing, String form) {
            if (!seen.contains(form)) {
                missing.add(form);
            }
        }
    }
}
