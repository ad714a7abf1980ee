package dev.jxdp.jit;

import dev.jxdp.exec.Invocation;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The child JVM of {@link C2CompilationTest}: compiles xdp_payload_crc32 with the JIT, writes the
 * generated class and its methods to the file {@code args[1]} (stdout belongs to HotSpot's
 * PrintCompilation, whose lines would interleave with ours), then runs the program on alternating
 * intact and corrupt frames until killed or {@code args[0]} seconds have passed. A wrong verdict
 * ends it with status 2.
 */
public final class Crc32Loop {
    private Crc32Loop() {}

    public static void main(String[] args) throws java.io.IOException {
        long seconds = Long.parseLong(args[0]);
        try (Crc32Harness crc = new Crc32Harness()) {
            JitProgram jit = new Jit().prepare(crc.code(), dev.jxdp.exec.Helpers.none());
            java.nio.file.Files.writeString(java.nio.file.Path.of(args[1]), "CLASS " + jit.className() + "\nMETHODS "
                    + jit.methods().stream().map(m -> m.name() + ":" + m.bytecodeSize()).collect(Collectors.joining(" "))
                    + "\n");
            Random random = new Random(42);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            for (long i = 0; System.nanoTime() < end; i++) {
                boolean corrupt = i % 2 == 1;
                crc.frame(random, corrupt);
                Invocation inv = crc.invocation();
                for (int k = 0; k < 4; k++) {
                    long r0 = jit.run(inv);
                    if (r0 != (corrupt ? Crc32Harness.XDP_DROP : Crc32Harness.XDP_PASS)) {
                        System.err.println("WRONG verdict " + r0 + " at run " + i);
                        System.exit(2);
                    }
                }
            }
        }
    }
}
