package dev.jxdp.exec;

import dev.jxdp.isa.Assembler;

/** Short-hands for tests that run a little assembly. */
final class Programs {
    private Programs() {}

    static Executable prepare(String asm, Helpers helpers) {
        return new Interpreter().prepare(Assembler.assemble(asm), helpers);
    }

    static Executable prepare(String asm) {
        return prepare(asm, Helpers.none());
    }

    static long run(String asm, Invocation invocation) {
        return prepare(asm).run(invocation);
    }

    static long run(String asm) {
        return run(asm, Invocation.of(new MemoryMap()));
    }
}
