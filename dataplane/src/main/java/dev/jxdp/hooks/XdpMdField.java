package dev.jxdp.hooks;

/** The fields of {@code struct xdp_md} (include/uapi/linux/bpf.h), all __u32. */
public enum XdpMdField implements ContextField {
    DATA(0), DATA_END(4), DATA_META(8), INGRESS_IFINDEX(12), RX_QUEUE_INDEX(16), EGRESS_IFINDEX(20);

    /** sizeof(struct xdp_md). */
    public static final int STRUCT_SIZE = 24;

    private final int offset;

    XdpMdField(int offset) {
        this.offset = offset;
    }

    @Override
    public String cName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public int offset() {
        return offset;
    }

    @Override
    public int size() {
        return 4;
    }

    /** The field at a 4-byte aligned offset, or null. */
    public static XdpMdField at(long offset) {
        return offset >= 0 && offset < STRUCT_SIZE && (offset & 3) == 0 ? values()[(int) (offset / 4)] : null;
    }
}
