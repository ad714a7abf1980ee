package dev.jxdp.exec;

import dev.jxdp.jit.Jit;

/** {@link PrepareTest} on the JIT: the same programs, the same results and messages. */
class PrepareJitTest extends PrepareTest {
    @Override
    Engine engine() {
        return new Jit();
    }
}
