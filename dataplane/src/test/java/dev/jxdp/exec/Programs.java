package dev.jxdp.exec;

import dev.jxdp.isa.Assembler;

/** Short-hands for tests that run a little assembly on one engine. */
final class Programs {
    private final Engine engine;

    Programs(Engine engine) {
        this.engine = engine;
    }

    Engine engine() {
        return engine;
    }

    Executable prepare(String asm, Helpers helpers) {
        return engine.prepare(Assembler.assemble(asm), helpers);
    }

    Executable prepare(String asm) {
        return prepare(asm, Helpers.none());
    }

    long run(String asm, Invocation invocation) {
        return prepare(asm).run(invocation);
    }

    long run(String asm) {
        return run(asm, Invocation.of(new MemoryMap()));
    }
}
