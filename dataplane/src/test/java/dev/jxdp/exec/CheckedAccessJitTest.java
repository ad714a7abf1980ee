package dev.jxdp.exec;

import dev.jxdp.jit.Jit;

/** {@link CheckedAccessTest} on the JIT: the same programs, the same results and messages. */
class CheckedAccessJitTest extends CheckedAccessTest {
    @Override
    Engine engine() {
        return new Jit();
    }
}
