package dev.jxdp.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jxdp.isa.Alu;
import dev.jxdp.isa.AluOp;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Exit;
import dev.jxdp.isa.Goto;
import dev.jxdp.isa.Operand;
import org.junit.jupiter.api.Test;

/** What {@link Engine#prepare} refuses before anything runs. */
class PrepareTest {

    /** The engine under test; the JIT's subclass overrides it. */
    Engine engine() {
        return new Interpreter();
    }

    final Programs programs = new Programs(engine());

    @Test
    void writeToR10IsRefusedNamingTheInstruction() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> programs.prepare("r0 = 0x0\nr1 = 0x1\nr10 += r1\nexit"));
        assertEquals(2, e.pc());
        assertEquals("insn 2 (r10 += r1): r10 is read-only (it is the frame pointer)", e.getMessage());
    }

    @Test
    void readingR10IsFine() {
        assertEquals(0, programs.run("r1 = r10\nr1 -= r10\nr0 = r1\nexit"));
    }

    @Test
    void unlinkedJumpsAreRefused() {
        // Bytecode.of does not check targets; prepare does.
        Bytecode code = Bytecode.of(new Alu(true, AluOp.MOV, 0, Operand.imm(0)), Goto.of(5), new Exit());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> programs.engine().prepare(code, Helpers.none()));
        assertEquals(1, e.pc());
        assertEquals("insn 1: jump out of range from insn 1 to 7", e.getMessage());
    }

    @Test
    void emptyProgramRunsPastTheEnd() {
        Executable empty = programs.engine().prepare(Bytecode.of(), Helpers.none());
        ExecutionException e = assertThrows(ExecutionException.class, () -> empty.run(Invocation.of(new MemoryMap())));
        assertEquals("insn 0: execution runs past the last instruction (the program must end with exit)", e.getMessage());
    }
}
