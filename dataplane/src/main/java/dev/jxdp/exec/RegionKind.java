package dev.jxdp.exec;

/** What a {@link Region} holds; it names the region in error messages and lets the JIT tell them apart. */
public enum RegionKind {
    /** A 512-byte frame of the program's stack (r10 points at its end). */
    STACK,
    /** Memory the caller passed in (the test vectors' {@code mem}). */
    INPUT,
    /** A context structure (xdp_md, __sk_buff), usually a {@link Region.Handled} region. */
    CONTEXT,
    /** Packet data. */
    PACKET,
    /** A map value. */
    MAP_VALUE,
    /** Anything else a caller or helper hands out. */
    OTHER
}
