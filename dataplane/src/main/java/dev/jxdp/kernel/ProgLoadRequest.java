package dev.jxdp.kernel;

import dev.jxdp.isa.Bytecode;
import java.util.regex.Pattern;

/**
 * What BPF_PROG_LOAD is given: the program type, the raw instructions, and the attributes of the
 * {@code union bpf_attr} PROG_LOAD variant that jxdp uses. Start from {@link #of} and change fields
 * with the {@code with...} methods.
 *
 * @param insns raw little-endian instructions, 8 bytes each (copied, never shared)
 * @param license the license string; "GPL" by default so GPL-only helpers are allowed
 * @param name prog_name: at most 15 characters of [A-Za-z0-9_.], as the kernel accepts
 * @param expectedAttachType expected_attach_type, or null to leave it 0
 * @param progFlags prog_flags, an or of the {@code F_*} constants
 * @param logSize the initial log buffer size in bytes; grown when the kernel says it is too small
 */
public record ProgLoadRequest(ProgType type, byte[] insns, String license, String name,
                              AttachType expectedAttachType, int progFlags, LogLevel logLevel, int logSize) {
    /** BPF_F_STRICT_ALIGNMENT: check alignment as on architectures without efficient unaligned access. */
    public static final int F_STRICT_ALIGNMENT = 1 << 0;
    /** BPF_F_ANY_ALIGNMENT: skip alignment checks. */
    public static final int F_ANY_ALIGNMENT = 1 << 1;
    /** BPF_F_TEST_RND_HI32: the verifier randomises the upper halves of 32-bit results it zero-extends. */
    public static final int F_TEST_RND_HI32 = 1 << 2;
    /** BPF_F_TEST_STATE_FREQ: the verifier checkpoints states more often (testing). */
    public static final int F_TEST_STATE_FREQ = 1 << 3;
    /** BPF_F_SLEEPABLE. */
    public static final int F_SLEEPABLE = 1 << 4;
    /** BPF_F_XDP_HAS_FRAGS: an XDP program that understands multi-buffer packets. */
    public static final int F_XDP_HAS_FRAGS = 1 << 5;

    public static final int DEFAULT_LOG_SIZE = 1 << 20;
    /** The kernel refuses log buffers above UINT_MAX >> 2; we stop growing well before that. */
    static final int MAX_LOG_SIZE = 256 << 20;

    /** bpf_obj_name_cpy() in kernel/bpf/syscall.c accepts these characters, BPF_OBJ_NAME_LEN - 1 of them. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.]{0,15}");

    public ProgLoadRequest {
        if (type == null || insns == null || license == null || name == null || logLevel == null) {
            throw new NullPointerException("type, insns, license, name and logLevel are required");
        }
        if (insns.length == 0 || insns.length % 8 != 0) {
            throw new IllegalArgumentException("instructions must be a non-empty multiple of 8 bytes, not " + insns.length);
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("program name \"" + name + "\" is not 0-15 characters of [A-Za-z0-9_.]");
        }
        if (logSize < 128 || logSize > MAX_LOG_SIZE) {
            throw new IllegalArgumentException("log size " + logSize + " out of [128, " + MAX_LOG_SIZE + "]");
        }
        insns = insns.clone();
    }

    public static ProgLoadRequest of(ProgType type, byte[] insns) {
        return new ProgLoadRequest(type, insns, "GPL", "jxdp", null, 0, LogLevel.ON_FAILURE, DEFAULT_LOG_SIZE);
    }

    public static ProgLoadRequest of(ProgType type, Bytecode code) {
        return of(type, code.toBytes());
    }

    @Override
    public byte[] insns() {
        return insns.clone();
    }

    /** insn_cnt: the number of 8-byte slots. */
    public int insnCount() {
        return insns.length / 8;
    }

    public ProgLoadRequest withLicense(String license) {
        return new ProgLoadRequest(type, insns, license, name, expectedAttachType, progFlags, logLevel, logSize);
    }

    public ProgLoadRequest withName(String name) {
        return new ProgLoadRequest(type, insns, license, name, expectedAttachType, progFlags, logLevel, logSize);
    }

    public ProgLoadRequest withExpectedAttachType(AttachType attachType) {
        return new ProgLoadRequest(type, insns, license, name, attachType, progFlags, logLevel, logSize);
    }

    public ProgLoadRequest withProgFlags(int flags) {
        return new ProgLoadRequest(type, insns, license, name, expectedAttachType, flags, logLevel, logSize);
    }

    public ProgLoadRequest withLogLevel(LogLevel level) {
        return new ProgLoadRequest(type, insns, license, name, expectedAttachType, progFlags, level, logSize);
    }

    public ProgLoadRequest withLogSize(int size) {
        return new ProgLoadRequest(type, insns, license, name, expectedAttachType, progFlags, logLevel, size);
    }

    @Override
    public String toString() {
        return "ProgLoadRequest[" + type + " \"" + name + "\", " + insnCount() + " insns, license " + license
                + ", attach " + expectedAttachType + ", flags 0x" + Integer.toHexString(progFlags) + ", log " + logLevel + "]";
    }
}
