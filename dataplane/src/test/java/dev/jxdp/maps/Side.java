package dev.jxdp.maps;

import dev.jxdp.kernel.BpfException;
import dev.jxdp.kernel.BpfMap;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One side of a differential map test: a jxdp map or a kernel map behind the same operations, each
 * answering with a line that compares across sides ({@code ok}, {@code ENOENT}, {@code value 01 02},
 * {@code key 0a 00 00 01}).
 */
interface Side extends AutoCloseable {
    String lookup(byte[] key);

    String update(byte[] key, byte[] value, long flags);

    String delete(byte[] key);

    String nextKey(byte[] key);

    String lookupAndDelete(byte[] key);

    String freeze();

    /** Bloom filter membership. */
    String contains(byte[] value);

    /** Every key in get_next_key order, one string. */
    default String keys() {
        StringBuilder b = new StringBuilder();
        byte[] k = null;
        for (int i = 0; i < 100_000; i++) {
            String next = nextKey(k);
            if (!next.startsWith("key ")) {
                return b.append('|').append(next).toString();
            }
            b.append(next.substring(4)).append(", ");
            k = HexFormat.ofDelimiter(" ").parseHex(next.substring(4));
        }
        throw new IllegalStateException("get_next_key does not end");
    }

    @Override
    void close();

    static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    /** jxdp. */
    record Jxdp(EbpfMap map) implements Side {
        private static String run(Supplier<String> op) {
            try {
                return op.get();
            } catch (MapException e) {
                return e.errno().name();
            }
        }

        private static String value(Optional<byte[]> v) {
            return v.map(b -> "value " + hex(b)).orElse("ENOENT");
        }

        @Override
        public String lookup(byte[] key) {
            return run(() -> value(map.lookup(key)));
        }

        @Override
        public String update(byte[] key, byte[] value, long flags) {
            return run(() -> {
                map.update(key, value, flags);
                return "ok";
            });
        }

        @Override
        public String delete(byte[] key) {
            return run(() -> map.delete(key) ? "ok" : "ENOENT");
        }

        @Override
        public String nextKey(byte[] key) {
            return run(() -> map.nextKey(key).map(b -> "key " + hex(b)).orElse("ENOENT"));
        }

        @Override
        public String lookupAndDelete(byte[] key) {
            return run(() -> value(map.lookupAndDelete(key)));
        }

        @Override
        public String freeze() {
            return run(() -> {
                map.freeze();
                return "ok";
            });
        }

        @Override
        public String contains(byte[] value) {
            return run(() -> map.contains(value) ? "ok" : "ENOENT");
        }

        @Override
        public void close() {
            map.close();
        }
    }

    /** The kernel, through the kernel backend. */
    record Kernel(BpfMap map) implements Side {
        private static String run(Supplier<String> op) {
            try {
                return op.get();
            } catch (BpfException e) {
                return e.errno().name();
            }
        }

        private static String value(Optional<byte[]> v) {
            return v.map(b -> "value " + hex(b)).orElse("ENOENT");
        }

        @Override
        public String lookup(byte[] key) {
            return run(() -> value(map.lookup(key)));
        }

        @Override
        public String update(byte[] key, byte[] value, long flags) {
            return run(() -> {
                map.update(key, value, flags);
                return "ok";
            });
        }

        @Override
        public String delete(byte[] key) {
            return run(() -> map.delete(key) ? "ok" : "ENOENT");
        }

        @Override
        public String nextKey(byte[] key) {
            return run(() -> map.nextKey(key).map(b -> "key " + hex(b)).orElse("ENOENT"));
        }

        @Override
        public String lookupAndDelete(byte[] key) {
            return run(() -> value(map.lookupAndDelete(key)));
        }

        @Override
        public String freeze() {
            return run(() -> {
                map.freeze();
                return "ok";
            });
        }

        @Override
        public String contains(byte[] value) {
            return run(() -> map.contains(value) ? "ok" : "ENOENT");
        }

        @Override
        public void close() {
            map.close();
        }
    }
}
