package dev.jxdp.isa;

/**
 * Read-modify-write operations of STX|ATOMIC (RFC 9669 5.3), kept in the imm field. The FETCH flag
 * (0x01) makes the instruction return the old value in src; XCHG and CMPXCHG always carry it.
 */
public enum AtomicOp {
    ADD(0x00, "+=", "add"),
    OR(0x40, "|=", "or"),
    AND(0x50, "&=", "and"),
    XOR(0xa0, "^=", "xor"),
    XCHG(0xe0, null, null),
    CMPXCHG(0xf0, null, null);

    public static final int FETCH = 0x01;

    public final int code;
    /** Operator of the non-fetching form: {@code lock *(u64 *)(r1 + 0x0) += r2}. */
    public final String operator;
    /** Name in the fetching form: {@code r2 = atomic_fetch_add((u64 *)(r1 + 0x0), r2)}. */
    public final String fetchName;

    AtomicOp(int code, String operator, String fetchName) {
        this.code = code;
        this.operator = operator;
        this.fetchName = fetchName;
    }

    /** XCHG and CMPXCHG exist only with FETCH. */
    public boolean alwaysFetches() {
        return this == XCHG || this == CMPXCHG;
    }

    static AtomicOp of(int code) {
        for (AtomicOp op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        return null;
    }
}
