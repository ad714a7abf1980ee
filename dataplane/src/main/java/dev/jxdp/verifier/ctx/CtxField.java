package dev.jxdp.verifier.ctx;

/**
 * One field of a context structure as the program sees it (the uapi struct): name, byte offset and
 * size, and what a load of it gives the program.
 */
public record CtxField(String name, int offset, int size, Yields yields) {

    /** What the verifier types a load of the field as. */
    public enum Yields {
        /** A number. */
        SCALAR,
        /** The packet's first byte: PTR_TO_PACKET. */
        PACKET,
        /** One past the packet's last byte: PTR_TO_PACKET_END. */
        PACKET_END,
        /** The metadata's first byte: PTR_TO_PACKET_META. */
        PACKET_META,
        /** A socket pointer (__sk_buff.sk), which jxdp does not model. */
        SOCKET
    }

    public boolean contains(int off) {
        return off >= offset && off < offset + size;
    }
}
