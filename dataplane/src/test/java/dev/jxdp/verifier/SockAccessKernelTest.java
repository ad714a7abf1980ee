package dev.jxdp.verifier;

import dev.jxdp.diff.KernelVerdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.obj.ProgramType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reads of {@code struct bpf_sock} through __sk_buff.sk, one tc program per offset (-4 to 83) and size
 * (1, 2, 4, 8), plus a store and an atomic: jxdp's verifier must accept exactly what the kernel accepts,
 * and refuse the rest with the kernel's error line.
 */
class SockAccessKernelTest {
    private static final int SK_OFFSET = 168; // offsetof(struct __sk_buff, sk)
    private static final int[] SIZE_BITS = {0, 0x10, 0x08, 0, 0x00, 0, 0, 0, 0x18}; // BPF_B, BPF_H, BPF_W, BPF_DW

    private static byte[] insn(int code, int dst, int src, int off, int imm) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).put((byte) code).put((byte) (src << 4 | dst))
                .putShort((short) off).putInt(imm).array();
    }

    /** r1 = skb->sk; if (r1) ACCESS; return 0. */
    private static byte[] program(byte[] access) {
        ByteBuffer b = ByteBuffer.allocate(40);
        b.put(insn(0x79, 1, 1, SK_OFFSET, 0));
        b.put(insn(0x15, 1, 0, 1, 0));
        b.put(access);
        b.put(insn(0xb7, 0, 0, 0, 0));
        b.put(insn(0x95, 0, 0, 0, 0));
        return b.array();
    }

    private record Case(String name, byte[] insns) {}

    private static List<Case> cases() {
        List<Case> all = new ArrayList<>();
        for (int size : new int[] {1, 2, 4, 8}) {
            for (int off = -4; off < 84; off++) {
                all.add(new Case("read off=" + off + " size=" + size, program(insn(0x61 | SIZE_BITS[size], 0, 1, off, 0))));
            }
        }
        all.add(new Case("store", program(insn(0x62, 1, 0, 4, 0))));
        all.add(new Case("atomic add", program(insn(0xc3, 1, 0, 4, 0))));
        return all;
    }

    private static Optional<String> jxdp(byte[] insns) {
        try {
            Verifier.verify("sk", insns, ProgramType.SCHED_CLS, List.of(), true, VerifierOptions.defaults());
            return Optional.empty();
        } catch (VerifierException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Test
    void jxdpAllowsTheSockReadsTheKernelAllows() {
        KernelComparisons.assumeKernel();
        int accepted = 0;
        for (Case c : cases()) {
            KernelVerdict k = KernelVerdict.load(ProgramType.SCHED_CLS, c.insns(), List.of(), "GPL");
            Optional<String> j = jxdp(c.insns());
            assertEquals(k.accepted(), j.isEmpty(), () -> c.name() + ": kernel " + (k.accepted() ? "accepts" : "refuses: "
                    + k.firstError()) + ", jxdp " + j.map(e -> "refuses: " + e).orElse("accepts"));
            if (j.isPresent()) {
                assertEquals(k.firstError(), j.get(), c.name());
            } else {
                accepted++;
            }
        }
        System.out.println("sock_common reads: " + accepted + " of " + cases().size() + " accesses accepted, as by the kernel");
        assertTrue(accepted > 50, "accepted: " + accepted);
    }
}
