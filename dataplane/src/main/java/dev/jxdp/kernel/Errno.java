package dev.jxdp.kernel;

import java.util.Map;

/**
 * A Linux errno value with its symbolic name and the text strerror(3) gives for it. The table holds
 * the values bpf() is documented or known to return (plus a few generic ones); it is ours rather than
 * libc's because ENOTSUPP (524) is kernel-internal and libc has no name for it, and because a fixed
 * table gives the same messages on every libc.
 */
public record Errno(int value, String name, String description) {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int E2BIG = 7;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ENOSYS = 38;

    private static final Map<Integer, Errno> KNOWN = Map.ofEntries(
            known(1, "EPERM", "Operation not permitted"),
            known(2, "ENOENT", "No such file or directory"),
            known(3, "ESRCH", "No such process"),
            known(4, "EINTR", "Interrupted system call"),
            known(5, "EIO", "Input/output error"),
            known(6, "ENXIO", "No such device or address"),
            known(7, "E2BIG", "Argument list too long"),
            known(9, "EBADF", "Bad file descriptor"),
            known(11, "EAGAIN", "Resource temporarily unavailable"),
            known(12, "ENOMEM", "Cannot allocate memory"),
            known(13, "EACCES", "Permission denied"),
            known(14, "EFAULT", "Bad address"),
            known(16, "EBUSY", "Device or resource busy"),
            known(17, "EEXIST", "File exists"),
            known(19, "ENODEV", "No such device"),
            known(22, "EINVAL", "Invalid argument"),
            known(23, "ENFILE", "Too many open files in system"),
            known(24, "EMFILE", "Too many open files"),
            known(27, "EFBIG", "File too large"),
            known(28, "ENOSPC", "No space left on device"),
            known(34, "ERANGE", "Numerical result out of range"),
            known(38, "ENOSYS", "Function not implemented"),
            known(40, "ELOOP", "Too many levels of symbolic links"),
            known(61, "ENODATA", "No data available"),
            known(75, "EOVERFLOW", "Value too large for defined data type"),
            known(90, "EMSGSIZE", "Message too long"),
            known(95, "EOPNOTSUPP", "Operation not supported"),
            known(105, "ENOBUFS", "No buffer space available"),
            known(524, "ENOTSUPP", "Operation is not supported"));

    private static Map.Entry<Integer, Errno> known(int value, String name, String description) {
        return Map.entry(value, new Errno(value, name, description));
    }

    public static Errno of(int value) {
        Errno e = KNOWN.get(value);
        return e != null ? e : new Errno(value, "errno " + value, "Unknown error " + value);
    }

    /** {@code EPERM (Operation not permitted)}. */
    @Override
    public String toString() {
        return name + " (" + description + ")";
    }
}
