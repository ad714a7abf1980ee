package dev.jxdp.obj;

import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PseudoSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The program tag the kernel computes at load (bpf_prog_calc_tag in kernel/bpf/core.c) and bpftool
 * prints: a digest of the instructions as user space passed them to BPF_PROG_LOAD, before the
 * verifier rewrites anything, with the imm of every 64-bit map load (BPF_PSEUDO_MAP_FD and
 * BPF_PSEUDO_MAP_VALUE, both slots) set to zero because file descriptors differ from load to load.
 * The tag is the first 8 bytes of the digest in hex.
 *
 * <p>The digest was SHA-1 until Linux 6.17; 6.18 hashes with SHA-256 (the program signing work made
 * the kernel keep a SHA-256 digest of every program, and the tag is now its prefix). The kernel on
 * the reference machines is 6.18, where bpftool's tag for xdp_pass.o ({@code r0 = 2; exit}) is
 * 614b434cd8324ecc, the SHA-256 prefix; the SHA-1 prefix would be 3b185187f1855c4c.
 *
 * <p>Because jxdp links map references into exactly libbpf's shapes (see {@link ObjectLoader}), the
 * tag of a jxdp-linked program equals the kernel's tag of the same program loaded by libbpf.
 */
public final class ProgramTag {
    private ProgramTag() {}

    /** Which digest the kernel uses. */
    public enum Algorithm {
        /** Linux 4.10 to 6.17. */
        SHA1("SHA-1"),
        /** Linux 6.18 and later. */
        SHA256("SHA-256");

        final String jca;

        Algorithm(String jca) {
            this.jca = jca;
        }
    }

    /** The algorithm of the kernel jxdp is compared with (6.18). */
    public static final Algorithm DEFAULT = Algorithm.SHA256;

    /** The tag as bpftool prints it: 16 lowercase hex digits. */
    public static String of(Bytecode code, Algorithm algorithm) {
        return HexFormat.of().formatHex(digest(code, algorithm), 0, 8);
    }

    /** The full digest of the tag stream. */
    public static byte[] digest(Bytecode code, Algorithm algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.jca).digest(hashedBytes(code));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm.jca + " is missing from this JVM", e);
        }
    }

    /** The instructions as the kernel hashes them: encoded, with map-load immediates zeroed. */
    static byte[] hashedBytes(Bytecode code) {
        byte[] bytes = code.toBytes();
        code.forEach((insn, pc) -> {
            if (insn instanceof LoadImm64 l
                    && (l.source() == PseudoSource.MAP_FD || l.source() == PseudoSource.MAP_VALUE)) {
                // imm of the first slot (bytes 4..7) and of the second slot (bytes 12..15)
                java.util.Arrays.fill(bytes, pc * 8 + 4, pc * 8 + 8, (byte) 0);
                java.util.Arrays.fill(bytes, pc * 8 + 12, pc * 8 + 16, (byte) 0);
            }
        });
        return bytes;
    }
}
