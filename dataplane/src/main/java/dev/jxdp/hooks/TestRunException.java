package dev.jxdp.hooks;

/**
 * BPF_PROG_TEST_RUN refused the input, with the errno the kernel gives (EINVAL, ENODEV, E2BIG, ENOSPC,
 * ENOMEM) and a sentence saying why.
 */
public final class TestRunException extends RuntimeException {
    private final int errno;

    TestRunException(int errno, String why) {
        super(why);
        this.errno = errno;
    }

    /** The positive errno. */
    public int errno() {
        return errno;
    }

    /** strerror's words for it, as bpftool prints them ("Invalid argument"). */
    public String strerror() {
        return switch (errno) {
            case 22 -> "Invalid argument";
            case 19 -> "No such device";
            case 7 -> "Argument list too long";
            case 28 -> "No space left on device";
            case 12 -> "Cannot allocate memory";
            case 14 -> "Bad address";
            default -> "errno " + errno;
        };
    }
}
