package dev.jxdp.verifier;

import dev.jxdp.kernel.BpfAvailability;
import dev.jxdp.diff.KernelVerdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.kernel.KernelComparisons;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jxdp's verifier agrees with the kernel's on the verifier corpus (programs/verifier) and on the
 * packet programs (programs/bin): the same verdict on every program, and for refusals the kernel's
 * first error line. Each case is checked twice: against the kernel's verdict recorded in the case
 * (always), and against the kernel itself when BPF is usable (a kernel comparison, which also keeps
 * the recordings honest).
 */
class VerifierCorpusTest {

    static Stream<CorpusCase> cases() {
        return Stream.concat(CorpusCase.verifierCorpus().stream(), CorpusCase.packetPrograms().stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void jxdpGivesTheRecordedVerdict(CorpusCase c) {
        Optional<VerifierException> refusal = c.verifyWithJxdp(VerifierOptions.defaults());
        if (c.accepts()) {
            assertTrue(refusal.isEmpty(), () -> "the kernel accepts " + c + "; jxdp refused it at insn " + refusal.get().insn() + ": "
                    + refusal.get().getMessage() + "\n" + refusal.get().logTail(20));
        } else {
            assertTrue(refusal.isPresent(), () -> "the kernel refuses " + c + " (" + c.error() + "); jxdp accepted it");
            if (c.error() != null) {
                assertEquals(c.error(), refusal.get().getMessage(), () -> c + ": the kernel's first error line");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void jxdpAgreesWithTheKernel(CorpusCase c) {
        KernelComparisons.assumeKernel();
        if (!c.asm() && !c.loaderRefuses()) {
            KernelComparisons.assume(BpfAvailability.checkWithBpftool().usable(), BpfAvailability.checkWithBpftool().reason());
        }
        KernelVerdict k = c.verifyWithKernel();
        assertEquals(c.accepts(), k.accepted(), () -> c + ": the recorded verdict is not the kernel's any more; its log:\n"
                + KernelDifferentialTest.tail(k.log(), 8));
        Optional<VerifierException> refusal = c.verifyWithJxdp(VerifierOptions.defaults());
        assertEquals(k.accepted(), refusal.isEmpty(), () -> c + ": kernel " + (k.accepted() ? "accepts" : "refuses")
                + ", jxdp " + refusal.map(e -> "refuses: " + e.getMessage()).orElse("accepts"));
        if (refusal.isPresent()) {
            String kernelError = k.firstError();
            assertTrue(k.log().contains(refusal.get().getMessage()), () -> c + ": jxdp says '" + refusal.get().getMessage()
                    + "', the kernel '" + kernelError + "'");
            if (c.error() != null) {
                assertEquals(c.error(), kernelError, () -> c + ": the recorded error line is not the kernel's first one");
            }
        }
    }

    @Test
    void theCorpusHasFortyOfEach() {
        List<CorpusCase> corpus = CorpusCase.verifierCorpus();
        long accepts = corpus.stream().filter(CorpusCase::accepts).count();
        long rejects = corpus.size() - accepts;
        long reasons = corpus.stream().filter(c -> !c.accepts()).map(CorpusCase::name).distinct().count();
        System.out.println("verifier corpus: " + accepts + " accepted, " + rejects + " refused by the kernel");
        assertTrue(accepts >= 40, "programs the kernel accepts: " + accepts);
        assertTrue(rejects >= 40 && reasons == rejects, "programs the kernel refuses: " + rejects);
        assertTrue(corpus.stream().filter(c -> !c.accepts()).allMatch(c -> c.error() != null && !c.error().isBlank()),
                "every refusal records the kernel's error line");
    }
}
