package dev.jxdp.hooks;

import java.util.Locale;

/**
 * The fields of {@code struct __sk_buff} (include/uapi/linux/bpf.h, as of Linux 6.18), with their
 * offsets and sizes. The pad after tstamp_type is no field; {@link #at} finds the field holding an
 * offset.
 */
public enum SkBuffField implements ContextField {
    LEN(0, 4), PKT_TYPE(4, 4), MARK(8, 4), QUEUE_MAPPING(12, 4), PROTOCOL(16, 4), VLAN_PRESENT(20, 4),
    VLAN_TCI(24, 4), VLAN_PROTO(28, 4), PRIORITY(32, 4), INGRESS_IFINDEX(36, 4), IFINDEX(40, 4),
    TC_INDEX(44, 4), CB(48, 20), HASH(68, 4), TC_CLASSID(72, 4), DATA(76, 4), DATA_END(80, 4), NAPI_ID(84, 4),
    FAMILY(88, 4), REMOTE_IP4(92, 4), LOCAL_IP4(96, 4), REMOTE_IP6(100, 16), LOCAL_IP6(116, 16),
    REMOTE_PORT(132, 4), LOCAL_PORT(136, 4), DATA_META(140, 4), FLOW_KEYS(144, 8), TSTAMP(152, 8),
    WIRE_LEN(160, 4), GSO_SEGS(164, 4), SK(168, 8), GSO_SIZE(176, 4), TSTAMP_TYPE(180, 1), HWTSTAMP(184, 8);

    /** sizeof(struct __sk_buff). */
    public static final int STRUCT_SIZE = 192;

    private static final SkBuffField[] BY_BYTE = new SkBuffField[STRUCT_SIZE];

    static {
        for (SkBuffField f : values()) {
            for (int i = 0; i < f.size; i++) {
                BY_BYTE[f.offset + i] = f;
            }
        }
    }

    private final int offset;
    private final int size;

    SkBuffField(int offset, int size) {
        this.offset = offset;
        this.size = size;
    }

    @Override
    public String cName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public int offset() {
        return offset;
    }

    @Override
    public int size() {
        return size;
    }

    /** The field holding byte {@code offset}, or null (outside the struct, or the padding after tstamp_type). */
    public static SkBuffField at(long offset) {
        return offset >= 0 && offset < STRUCT_SIZE ? BY_BYTE[(int) offset] : null;
    }
}
