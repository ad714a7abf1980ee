package dev.jxdp.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.exec.ExecutionException;
import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.Invocation;
import dev.jxdp.exec.MemoryMap;
import dev.jxdp.exec.Permission;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionKind;
import dev.jxdp.isa.Assembler;
import dev.jxdp.isa.Bytecode;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.FieldModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.AccessFlag;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the JIT generates, and the seams it offers the verifier. */
class JitTest {

    private static MethodModel method(ClassModel model, String name) {
        return model.methods().stream().filter(m -> m.methodName().equalsString(name)).findFirst().orElseThrow();
    }

    private static List<String> calls(MethodModel m) {
        return m.code().orElseThrow().elementStream().filter(e -> e instanceof InvokeInstruction)
                .map(e -> ((InvokeInstruction) e).owner().asInternalName() + "." + ((InvokeInstruction) e).name().stringValue())
                .toList();
    }

    @Test
    void eachProgramIsAHiddenClassOfThisPackage() {
        JitProgram p = new Jit().prepare(Assembler.assemble("r0 = 0x1\nexit"), Helpers.none());
        assertTrue(p.className().startsWith("dev.jxdp.jit.Program/0x"), p.className());
        assertEquals(List.of("<init>", "run", "f0"), p.methods().stream().map(JitProgram.Method::name).toList());
        assertEquals(1, p.run(Invocation.of(new MemoryMap())));
    }

    @Test
    void helpersAreStaticFinalFieldsCalledDirectly() {
        Helpers helpers = Helpers.none().with(7, "seven", (ctx, a, b, c, d, e) -> 7 + a);
        JitProgram p = new Jit().prepare(Assembler.assemble("r1 = 0x1\ncall 0x7\nexit"), helpers);
        assertEquals(8, p.run(Invocation.of(new MemoryMap())));
        ClassModel model = ClassFile.of().parse(p.classFile());
        FieldModel field = model.fields().stream().filter(f -> f.fieldName().equalsString("h7")).findFirst().orElseThrow();
        assertEquals(java.util.Set.of(AccessFlag.PRIVATE, AccessFlag.STATIC, AccessFlag.FINAL), field.flags().flags());
        MethodModel f0 = method(model, "f0");
        assertTrue(f0.code().orElseThrow().elementStream().anyMatch(e -> e instanceof FieldInstruction fi
                && fi.name().equalsString("h7")), "f0 reads the helper's field");
        // The block's instruction count, one interface call on the constant, and the handler that
        // turns a MemoryFault into the error at the call (off the fast path). No reflection.
        assertEquals(List.of("dev/jxdp/jit/JitRun.charge", "dev/jxdp/exec/Helper.call", "dev/jxdp/jit/JitRun.helperFault"),
                calls(f0));
    }

    @Test
    void checkedAccessesGoThroughTheRunAndDirectOnesAreOneUncheckedAccess() {
        String asm = "r0 = *(u32 *)(r1 + 0x4)\n*(u16 *)(r10 - 0x2) = 0x1\nexit";
        Bytecode code = Assembler.assemble(asm);
        ClassModel checked = ClassFile.of().parse(new Jit().prepare(code, Helpers.none()).classFile());
        assertEquals(List.of("dev/jxdp/jit/JitRun.charge", "dev/jxdp/jit/JitRun.load4", "dev/jxdp/jit/JitRun.store2"),
                calls(method(checked, "f0")));
        ProgramFacts proven = new ProgramFacts() {
            @Override
            public MemoryAccess access(int pc) {
                return new MemoryAccess.Direct(pc == 0 ? RegionKind.INPUT : RegionKind.STACK);
            }
        };
        JitProgram direct = new Jit().prepare(code, Helpers.none(), proven);
        ClassModel model = ClassFile.of().parse(direct.classFile());
        // MemorySegment's own accessors on Direct.ALL with the width's layout, no method of ours between
        // (each level of calls counts against C2's MaxInlineLevel: see Direct)
        assertEquals(List.of("dev/jxdp/jit/JitRun.charge", "java/lang/foreign/MemorySegment.get", "java/lang/foreign/MemorySegment.set"),
                calls(method(model, "f0")));
        assertEquals(List.of("ALL", "U32", "ALL", "U16"), method(model, "f0").code().orElseThrow().elementStream()
                .filter(e -> e instanceof FieldInstruction fi && fi.owner().asInternalName().equals("dev/jxdp/jit/Direct"))
                .map(e -> ((FieldInstruction) e).name().stringValue()).toList());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(8);
            mem.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 4, 0xcafe_f00d);
            MemoryMap memory = new MemoryMap().add(new Region.Mem("mem", RegionKind.INPUT, mem, Permission.READ_WRITE));
            assertEquals(0xcafe_f00dL, direct.run(Invocation.of(memory, mem.address())));
        }
    }

    @Test
    void aContextAccessIsNeverPlannedAsDirectMemory() {
        ProgramFacts wrong = new ProgramFacts() {
            @Override
            public MemoryAccess access(int pc) {
                return new MemoryAccess.Direct(RegionKind.CONTEXT);
            }
        };
        JitException e = assertThrows(JitException.class, () -> new Jit().prepare(
                Assembler.assemble("r0 = *(u32 *)(r1 + 0x0)\nexit"), Helpers.none(), wrong));
        assertTrue(e.getMessage().startsWith("insn 0: the access plan marks a context access as direct memory"), e.getMessage());
    }

    @Test
    void verifiedProgramsCanSkipInstructionCounting() {
        String loop = "r0 = 0x0\nr1 = 0x3\nl: r0 += 0x1\nr1 -= 0x1\nif r1 != 0x0 goto l\nexit";
        Invocation tight = Invocation.of(new MemoryMap()).withBudget(5);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> new Jit().prepare(Assembler.assemble(loop), Helpers.none()).run(tight));
        assertTrue(e.getMessage().endsWith("instruction budget of 5 exhausted (runaway program?)"), e.getMessage());
        ProgramFacts terminates = new ProgramFacts() {
            @Override
            public boolean countInstructions() {
                return false;
            }
        };
        JitProgram uncounted = new Jit().prepare(Assembler.assemble(loop), Helpers.none(), terminates);
        assertEquals(3, uncounted.run(tight));
        assertFalse(calls(method(ClassFile.of().parse(uncounted.classFile()), "f0")).contains("dev/jxdp/jit/JitRun.charge"));
    }

    @Test
    void aHelperMayRunTheSameProgramAgainOnTheSameThread() {
        // With r1 = 5 the program saves r1 in its frame, calls helper 9, which runs the same program
        // with r1 = 0 (that run returns 0x64), then adds its saved r1: 0x64 + 5 = 0x69, if the inner
        // run had frames of its own.
        String asm = """
                *(u64 *)(r10 - 0x8) = r1
                if r1 == 0x0 goto inner
                call 0x9
                r1 = *(u64 *)(r10 - 0x8)
                r0 += r1
                exit
                inner:
                *(u64 *)(r10 - 0x8) = 0x7
                r0 = 0x64
                exit
                """;
        java.util.concurrent.atomic.AtomicReference<JitProgram> self = new java.util.concurrent.atomic.AtomicReference<>();
        Helpers helpers = Helpers.none().with(9, "again", (ctx, a, b, c, d, e) -> self.get().run(Invocation.of(new MemoryMap(), 0)));
        self.set(new Jit().prepare(Assembler.assemble(asm), helpers));
        assertEquals(0x69, self.get().run(Invocation.of(new MemoryMap(), 5)));
        assertEquals(0x69, self.get().run(Invocation.of(new MemoryMap(), 5)), "and the thread's frames are free again");
    }

    @Test
    void functionsBecomeMethodsNamedByTheirSlot() {
        // slot 0 call f (at slot 3), f returns 5
        JitProgram p = new Jit().prepare(Assembler.assemble("call f\nr0 += 0x1\nexit\nf:\nr0 = 0x5\nexit"), Helpers.none());
        assertEquals(List.of("<init>", "run", "f0", "f3"), p.methods().stream().map(JitProgram.Method::name).toList());
        assertEquals(6, p.run(Invocation.of(new MemoryMap())));
    }
}
