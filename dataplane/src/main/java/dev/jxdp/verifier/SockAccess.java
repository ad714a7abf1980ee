package dev.jxdp.verifier;

/**
 * Reads of a {@code struct bpf_sock} through a sock_common pointer (__sk_buff.sk after its NULL check):
 * the kernel's check_sock_access with bpf_sock_common_is_valid_access. The fields from {@code type} to
 * {@code priority} are closed; the others take 4-byte reads, and narrow ones where the kernel's
 * rewrite allows them (at the start of most fields, anywhere in the addresses and the port).
 */
final class SockAccess {
    /** sizeof(struct bpf_sock). */
    static final int SIZE = 80;
    private static final int TYPE = 8;
    private static final int PRIORITY_END = 24;
    private static final int FAMILY = 4;
    private static final int SRC_IP4 = 24;
    private static final int SRC_IP6_END = 44;
    private static final int SRC_PORT = 44;
    private static final int DST_PORT = 48;
    private static final int DST_IP4 = 52;
    private static final int DST_IP6_END = 72;
    private static final int STATE = 72;
    private static final int RX_QUEUE_MAPPING = 76;

    private SockAccess() {}

    static void check(int regno, Reg reg, int off, int size) {
        if (reg.smin < 0) {
            throw Reject.eacces("R%d min value is negative, either use unsigned index or do a if (index >=0) check.", regno);
        }
        if (!valid(off, size)) {
            throw Reject.eacces("R%d invalid %s access off=%d size=%d", regno, RegFormat.typeName(reg), off, size);
        }
    }

    /** bpf_sock_common_is_valid_access for a read. */
    static boolean valid(int off, int size) {
        if (off < 0 || off >= SIZE || off % size != 0) {
            return false;
        }
        if (off >= TYPE && off < PRIORITY_END) {
            return false; // type, protocol, mark, priority: full sockets only
        }
        if (off == FAMILY || off == SRC_PORT || off == STATE || off == RX_QUEUE_MAPPING) {
            return size <= 4;
        }
        if (off >= SRC_IP4 && off < SRC_IP6_END || off >= DST_IP4 && off < DST_IP6_END) {
            return size <= 4;
        }
        if (off >= DST_PORT && off < DST_PORT + 2) {
            // a 4-byte read covers the port and its padding; narrower ones the 2-byte port only
            return size <= (size == 4 ? 4 : 2);
        }
        if (off >= DST_PORT + 2 && off < DST_IP4) {
            return false;
        }
        return size == 4;
    }
}
