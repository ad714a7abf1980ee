package dev.jxdp.maps;

/**
 * The errno values maps return: negated as a program's r0 ({@code -EEXIST}), or named in a
 * {@link MapException} to user space. Values are Linux x86-64's.
 */
public final class Errnos {
    private Errnos() {}

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ERANGE = 34;
    public static final int EOVERFLOW = 75;
    public static final int EOPNOTSUPP = 95;
    /** Kernel-internal ENOTSUPP, which bpf() passes on for operations a map type lacks. */
    public static final int ENOTSUPP = 524;
}
