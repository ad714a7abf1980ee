package dev.jxdp.exec;

/**
 * The seam for context structures: loads and stores into a {@link Region.Handled} region go here
 * instead of to memory, so that a program's {@code r2 = *(u32 *)(r1 + 0x0)} on an {@code xdp_md} can
 * yield a field computed on the fly, as the kernel's ctx-access rewriting does. The region has
 * already checked bounds and permission; {@code offset} is from the region's start and {@code bytes}
 * is 1, 2, 4 or 8.
 */
public interface RegionHandler {

    /** The zero-extended value of the {@code bytes} at {@code offset}. */
    long load(long offset, int bytes);

    /** Stores the low {@code bytes} of {@code value} at {@code offset}. */
    void store(long offset, int bytes, long value);
}
