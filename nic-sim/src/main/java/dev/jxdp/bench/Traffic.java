package dev.jxdp.bench;

import dev.jxdp.nic.port.gen.SizeMix;
import dev.jxdp.nic.port.gen.UdpFrames;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/** Where a load test's frames come from. */
public sealed interface Traffic {

    /**
     * jxdp's generator (Ethernet/IPv4/UDP with valid checksums, {@code flows} flows, seeded).
     *
     * @param mix frame sizes
     * @param flows how many flows
     * @param seed the generator's seed: the same seed gives the same frames
     */
    record Generated(SizeMix mix, int flows, long seed) implements Traffic {
        /**
         * The generator's frame of flow 0 (198.18.0.1:1024 to 198.19.0.1:9, sequence 0), {@code length}
         * bytes without the FCS: what the kernel reference runs over and over.
         */
        public static byte[] flowZeroFrame(int length) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(length);
                UdpFrames.write(buf, 0, length, new byte[] {2, 0, 0, 0, 0, 1}, new byte[] {2, 0, 0, 0, 0, 2},
                        198 << 24 | 18 << 16 | 1, 198 << 24 | 19 << 16 | 1, 1024, 9, 0);
                return buf.toArray(ValueLayout.JAVA_BYTE);
            }
        }

        @Override
        public String toString() {
            String size = mix instanceof SizeMix.Fixed f ? f.size() + "-byte frames"
                    : "IMIX " + SizeMix.Imix.ratio() + " of " + java.util.Arrays.stream(SizeMix.Imix.sizes()).mapToObj(Integer::toString)
                            .collect(java.util.stream.Collectors.joining("/")) + "-byte frames";
            return "generator, " + size + " (with FCS), " + flows + (flows == 1 ? " flow" : " flows") + ", seed " + seed;
        }
    }

    /** A capture, replayed in a loop. */
    record Pcap(Path file) implements Traffic {
        @Override
        public String toString() {
            return "pcap " + file + " (looped)";
        }
    }

    /**
     * Parses {@code size=64|imix,flows=N[,seed=S]} (all optional; 64 bytes, 1 flow, seed 1 by default).
     */
    static Generated parseGenerator(String text) {
        SizeMix mix = new SizeMix.Fixed(64);
        int flows = 1;
        long seed = 1;
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            try {
                switch (key) {
                    case "size" -> mix = value.equals("imix") ? new SizeMix.Imix() : new SizeMix.Fixed(Integer.parseInt(value));
                    case "flows" -> flows = Integer.parseInt(value);
                    case "seed" -> seed = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("--gen: unknown key '" + key + "' (expected size=64|imix, flows=N, seed=S)");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--gen: " + key + "=" + value + " is not a number");
            } catch (IllegalArgumentException e) {
                throw e.getMessage().startsWith("--gen") ? e : new IllegalArgumentException("--gen: " + e.getMessage());
            }
        }
        if (flows < 1) {
            throw new IllegalArgumentException("--gen: flows must be 1 or more, not " + flows);
        }
        return new Generated(mix, flows, seed);
    }
}
