package dev.jxdp.isa;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Bytecode#checkTargets()} at the edges of the program. */
class BytecodeTargetsTest {

    @Test
    void refusesLocalCallToSlotMinusOne() {
        // pc 0 + 1 + (-2) = -1, which targetOf also uses to mean "no target".
        Bytecode code = Bytecode.of(Call.local(-2), new Exit());
        DecodeException e = assertThrows(DecodeException.class, code::checkTargets);
        assertTrue(e.getMessage().contains("call to invalid destination -1"), e.getMessage());
    }

    @Test
    void refusesFunctionReferenceToSlotMinusOne() {
        Bytecode code = Bytecode.of(new LoadImm64(1, PseudoSource.FUNC, -2, 0), new Exit());
        DecodeException e = assertThrows(DecodeException.class, code::checkTargets);
        assertTrue(e.getMessage().contains("function reference to invalid destination -1"), e.getMessage());
    }

    @Test
    void refusesJumpToSlotMinusOne() {
        assertThrows(DecodeException.class, Bytecode.of(Goto.of(-2), new Exit())::checkTargets);
    }

    @Test
    void acceptsCallToSlotZeroAndHelperCalls() {
        assertDoesNotThrow(Bytecode.of(new Exit(), Call.local(-2), Call.helper(-1), new Exit())::checkTargets);
    }
}
