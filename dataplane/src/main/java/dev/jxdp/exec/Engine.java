package dev.jxdp.exec;

import dev.jxdp.isa.Bytecode;

/**
 * Turns bytecode into something that runs: the reference {@link Interpreter} or the JIT
 * ({@code dev.jxdp.jit.Jit}, the default wherever a program runs; {@code --interpret} picks the
 * interpreter). Every
 * engine must give the same r0, the same memory effects and the same errors (by instruction index)
 * for the same program and input; the interpreter is the oracle the others are tested against.
 */
public interface Engine {

    /**
     * Checks what can be checked without running (jump targets, writes to r10, references that need
     * a loader) and readies the program.
     *
     * @throws ExecutionException naming the first offending instruction
     */
    Executable prepare(Bytecode code, Helpers helpers);
}
