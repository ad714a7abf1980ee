package dev.jxdp.hooks;

/**
 * tc_cls_act_is_valid_access and bpf_skb_is_valid_access (net/core/filter.c) for SCHED_CLS and
 * SCHED_ACT programs: what a tc program may read and write of {@code struct __sk_buff}.
 *
 * <ul>
 *   <li>writes: mark, tc_index, priority, tc_classid, queue_mapping (4 bytes), cb (any aligned size
 *       inside it), tstamp (8 bytes); nothing else;
 *   <li>data, data_end, data_meta: 4-byte reads only (the load gives the 64-bit pointer);
 *   <li>family .. local_port (socket fields) and flow_keys: never;
 *   <li>tstamp, hwtstamp, sk: 8-byte reads at their offset; tstamp_type a 1-byte read; the padding
 *       after it never;
 *   <li>other fields: 1-, 2- or 4-byte reads of their 4 bytes (narrow loads), aligned to the size.
 * </ul>
 */
public final class SkBuffRules implements ContextRules<SkBuffField> {
    public static final SkBuffRules TC = new SkBuffRules();

    private SkBuffRules() {}

    @Override
    public SkBuffField check(long offset, int size, boolean write) {
        SkBuffField f = SkBuffField.at(offset);
        if (f == null || offset % size != 0 || !allowed(f, (int) offset, size, write)) {
            throw ContextRules.refused(offset, size);
        }
        return f;
    }

    private static boolean allowed(SkBuffField f, int offset, int size, boolean write) {
        if (write) {
            switch (f) {
                case MARK, TC_INDEX, PRIORITY, TC_CLASSID, CB, TSTAMP, QUEUE_MAPPING -> {}
                default -> {
                    return false;
                }
            }
        }
        return switch (f) {
            case FAMILY, REMOTE_IP4, LOCAL_IP4, REMOTE_IP6, LOCAL_IP6, REMOTE_PORT, LOCAL_PORT, FLOW_KEYS -> false;
            case TSTAMP_TYPE -> size == 1 && !write;
            case CB -> offset + size <= f.offset() + f.size();
            case DATA, DATA_END, DATA_META -> size == 4;
            case TSTAMP -> size == 8;
            case HWTSTAMP -> size == 8 && !write;
            case SK -> offset == f.offset() && size == 8 && !write;
            default -> write ? size == 4 : size <= 4;
        };
    }
}
