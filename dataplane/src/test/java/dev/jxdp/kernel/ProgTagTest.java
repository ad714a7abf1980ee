package dev.jxdp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tag BPF_OBJ_GET_INFO_BY_FD reports for a program we load is the one bpftool shows for the same
 * program loaded by libbpf from a clang-built object. Needs clang-19, llvm-objcopy-19 and bpftool;
 * skipped without them.
 */
class ProgTagTest {
    private static final String C_SOURCE = """
            struct xdp_md { unsigned int data, data_end; };
            __attribute__((section("xdp"), used)) int jxdp_tag(struct xdp_md *ctx) {
                void *data = (void *)(long)ctx->data;
                void *end = (void *)(long)ctx->data_end;
                if (data + 1 > end) return 0;
                return *(unsigned char *)data == 0x42 ? 1 : 2;
            }
            char _license[] __attribute__((section("license"), used)) = "GPL";
            """;

    @TempDir
    Path dir;

    @Test
    void tagMatchesBpftool() throws Exception {
        KernelComparisons.assumeKernel();
        Path source = Files.writeString(dir.resolve("tag.c"), C_SOURCE);
        Path object = dir.resolve("tag.o");
        Path insns = dir.resolve("tag.bin");
        assumeTrue(run("clang-19", "-O2", "-target", "bpf", "-c", source.toString(), "-o", object.toString()) != null,
                "clang-19 is not installed");
        // The section holds the program's instructions as they are loaded: it calls nothing and uses no map.
        assumeTrue(run("llvm-objcopy-19", "-O", "binary", "--only-section=xdp", object.toString(), insns.toString()) != null,
                "llvm-objcopy-19 is not installed");

        Path pin = Path.of("/sys/fs/bpf", "jxdp_tag_test_" + ProcessHandle.current().pid());
        String bpftoolTag;
        try {
            assumeTrue(run("bpftool", "prog", "load", object.toString(), pin.toString()) != null,
                    "bpftool prog load failed or bpftool is not installed");
            String json = run("bpftool", "-j", "prog", "show", "pinned", pin.toString());
            Matcher m = Pattern.compile("\"tag\":\"([0-9a-f]{16})\"").matcher(json == null ? "" : json);
            assertTrue(m.find(), "no tag in bpftool's answer: " + json);
            bpftoolTag = m.group(1);
        } finally {
            Files.deleteIfExists(pin); // bpftool can only load by pinning; the pin is the program's last reference
        }

        byte[] code = Files.readAllBytes(insns);
        try (BpfProgram p = Bpf.loadProgram(ProgLoadRequest.of(ProgType.XDP, code).withName("jxdp_tag"))) {
            String tag = p.info().tag();
            assertEquals(bpftoolTag, tag);
            // bpf_prog_calc_tag() digests the instructions (map fds blanked; there are none here) and keeps
            // 8 bytes: SHA-1 in older kernels, SHA-256 in newer ones. Pin down which, for jxdp's own tag.
            assertTrue(tag.equals(digestPrefix("SHA-1", code)) || tag.equals(digestPrefix("SHA-256", code)),
                    "tag " + tag + " is neither SHA-1 " + digestPrefix("SHA-1", code)
                            + " nor SHA-256 " + digestPrefix("SHA-256", code) + " of the instructions");
        }
    }

    private static String digestPrefix(String algorithm, byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes), 0, 8);
    }

    /** Runs a command; its stdout, or null if it is not installed or fails. */
    private static String run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                System.err.println(String.join(" ", command) + ": " + new String(out, StandardCharsets.UTF_8));
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException notInstalled) {
            return null;
        }
    }
}
