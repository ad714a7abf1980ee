package dev.jxdp.verifier;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Global functions are told from static ones by the object's BTF: a program whose func_info names
 * several functions cannot be verified without it (it would be verified as if every function were
 * static, accepting what the kernel refuses), and says so.
 */
class GlobalFunctionBtfTest {
    private static ObjectSpec load(String name) throws IOException {
        return ObjectLoader.load(CorpusCase.dir().resolve("bin/" + name), LoadOptions.defaults());
    }

    @Test
    void withoutTheObjectsBtfAProgramWithFunctionsIsRefusedClearly() throws IOException {
        ObjectSpec o = load("vf_bad_global_null_arg.o");
        ProgramSpec p = o.programs().getFirst();
        VerifierException e = assertThrows(VerifierException.class, () -> Verifier.verify(p, o.maps()));
        assertTrue(e.getMessage().contains("no BTF was given to the verifier"), e.getMessage());
        // with the BTF, the kernel's refusal: the global function reads its argument without a NULL check
        VerifierException k = assertThrows(VerifierException.class, () -> Verifier.verify(o, p, VerifierOptions.defaults()));
        assertTrue(k.getMessage().equals("R1 invalid mem access 'mem_or_null'"), k.getMessage());
    }

    @Test
    void aSingleFunctionNeedsNoBtf() throws IOException {
        ObjectSpec o = load("vf_meta.o");
        for (ProgramSpec p : o.programs()) {
            assertDoesNotThrow(() -> Verifier.verify(p, o.maps()));
        }
    }
}
