package dev.jxdp.cli;

/**
 * A value that an option or argument cannot take, found by a command after picocli parsed it (a
 * range, a word from a fixed set): a usage error, exit status 2, said as picocli's own are ("Error:
 * ... (see 'jxdp CMD --help')"), where a failure of the input or the kernel is exit status 1.
 */
final class UsageException extends IllegalArgumentException {
    UsageException(String message) {
        super(message);
    }

    /** A number as a user would have written it: 0, -5, 0.25 (not Java's 0.0 and -5.0). */
    static String plain(double v) {
        return Double.isFinite(v) ? java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() : Double.toString(v);
    }
}
