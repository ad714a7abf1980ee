package dev.jxdp.verifier;

/**
 * What a register (or a spilled stack slot) holds, the kernel's {@code enum bpf_reg_type} restricted to
 * what XDP and tc programs can meet. The flags of the kernel's type word (PTR_MAYBE_NULL, MEM_RDONLY,
 * MEM_RINGBUF) are fields of {@link Reg}. {@link #logName} is the kernel's name in logs and errors.
 */
public enum RegType {
    NOT_INIT("?"),
    SCALAR("scalar"),
    PTR_TO_CTX("ctx"),
    CONST_PTR_TO_MAP("map_ptr"),
    PTR_TO_MAP_VALUE("map_value"),
    PTR_TO_MAP_KEY("map_key"),
    PTR_TO_STACK("fp"),
    PTR_TO_PACKET("pkt"),
    PTR_TO_PACKET_META("pkt_meta"),
    PTR_TO_PACKET_END("pkt_end"),
    PTR_TO_MEM("mem"),
    PTR_TO_FUNC("func"),
    /**
     * __sk_buff.sk: a socket, or NULL; once checked, the common fields of {@code struct bpf_sock} are
     * readable ({@link SockAccess}).
     */
    PTR_TO_SOCK_COMMON("sock_common");

    public final String logName;

    RegType(String logName) {
        this.logName = logName;
    }

    public boolean isPointer() {
        return this != NOT_INIT && this != SCALAR;
    }

    /** PTR_TO_PACKET or PTR_TO_PACKET_META: pointers with a range into the packet. */
    public boolean isPacket() {
        return this == PTR_TO_PACKET || this == PTR_TO_PACKET_META;
    }
}
