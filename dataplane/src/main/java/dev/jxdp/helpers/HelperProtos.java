package dev.jxdp.helpers;

import static dev.jxdp.helpers.ArgType.ANYTHING;
import static dev.jxdp.helpers.ArgType.CONST_ALLOC_SIZE_OR_ZERO;
import static dev.jxdp.helpers.ArgType.CONST_MAP_PTR;
import static dev.jxdp.helpers.ArgType.CONST_SIZE;
import static dev.jxdp.helpers.ArgType.CONST_SIZE_OR_ZERO;
import static dev.jxdp.helpers.ArgType.PTR_TO_CONST_STR;
import static dev.jxdp.helpers.ArgType.PTR_TO_CTX;
import static dev.jxdp.helpers.ArgType.PTR_TO_FUNC;
import static dev.jxdp.helpers.ArgType.PTR_TO_MAP_KEY;
import static dev.jxdp.helpers.ArgType.PTR_TO_MAP_VALUE;
import static dev.jxdp.helpers.ArgType.PTR_TO_MEM;
import static dev.jxdp.helpers.ArgType.PTR_TO_MEM_OR_NULL;
import static dev.jxdp.helpers.ArgType.PTR_TO_MEM_OR_NULL_RDONLY;
import static dev.jxdp.helpers.ArgType.PTR_TO_MEM_RDONLY;
import static dev.jxdp.helpers.ArgType.PTR_TO_RINGBUF_MEM_RELEASE;
import static dev.jxdp.helpers.ArgType.PTR_TO_SPIN_LOCK;
import static dev.jxdp.helpers.ArgType.PTR_TO_STACK_OR_NULL;
import static dev.jxdp.helpers.ArgType.PTR_TO_UNINIT_MAP_VALUE;
import static dev.jxdp.helpers.ArgType.PTR_TO_UNINIT_MEM;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The prototypes of the helpers jxdp implements or will implement, as the kernel declares them in its
 * {@code bpf_func_proto} structs (kernel/bpf/helpers.c, net/core/filter.c, kernel/bpf/ringbuf.c,
 * kernel/bpf/bpf_iter.c, kernel/trace/bpf_trace.c), and which program families may call them
 * ({@code xdp_func_proto}, {@code tc_cls_act_func_proto}, both falling back to
 * {@code bpf_base_func_proto}, as seen by a privileged loader). GPL-only flags come from
 * {@link HelperIds}. This table is the contract between the verifier and the runtime helpers:
 * a helper outside it is refused by the verifier as the kernel refuses an unknown one.
 */
public final class HelperProtos {
    private HelperProtos() {}

    /** Program families with one helper set each: XDP, and tc (SCHED_CLS and SCHED_ACT share theirs). */
    public enum Family { XDP, TC }

    private static final Set<Family> BOTH = EnumSet.allOf(Family.class);
    private static final Set<Family> XDP = EnumSet.of(Family.XDP);
    private static final Set<Family> TC = EnumSet.of(Family.TC);

    private static final int NONE = 0;
    /** .pkt_access = true: packet pointers may be passed as memory. */
    private static final int PKT = 1;
    /** bpf_helper_changes_pkt_data(): the call invalidates packet pointers. */
    private static final int CHANGES = 2;

    private static final Map<Integer, HelperProto> BY_ID;

    static {
        Map<Integer, HelperProto> m = new TreeMap<>();
        // bpf_base_func_proto: maps, time, randomness, ring buffers, loops (every program type).
        add(m, "map_lookup_elem", RetType.PTR_TO_MAP_VALUE_OR_NULL, BOTH, PKT, CONST_MAP_PTR, PTR_TO_MAP_KEY);
        add(m, "map_update_elem", RetType.INTEGER, BOTH, PKT, CONST_MAP_PTR, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, ANYTHING);
        add(m, "map_delete_elem", RetType.INTEGER, BOTH, PKT, CONST_MAP_PTR, PTR_TO_MAP_KEY);
        add(m, "map_push_elem", RetType.INTEGER, BOTH, PKT, CONST_MAP_PTR, PTR_TO_MAP_VALUE, ANYTHING);
        add(m, "map_pop_elem", RetType.INTEGER, BOTH, NONE, CONST_MAP_PTR, PTR_TO_UNINIT_MAP_VALUE);
        add(m, "map_peek_elem", RetType.INTEGER, BOTH, NONE, CONST_MAP_PTR, PTR_TO_UNINIT_MAP_VALUE);
        add(m, "ktime_get_ns", RetType.INTEGER, BOTH, NONE);
        add(m, "ktime_get_boot_ns", RetType.INTEGER, BOTH, NONE);
        add(m, "ktime_get_coarse_ns", RetType.INTEGER, BOTH, NONE);
        add(m, "map_lookup_percpu_elem", RetType.PTR_TO_MAP_VALUE_OR_NULL, BOTH, NONE, CONST_MAP_PTR, PTR_TO_MAP_KEY, ANYTHING);
        add(m, "get_prandom_u32", RetType.INTEGER, BOTH, NONE);
        add(m, "get_smp_processor_id", RetType.INTEGER, BOTH, NONE);
        add(m, "get_numa_node_id", RetType.INTEGER, BOTH, NONE);
        add(m, "tail_call", RetType.VOID, BOTH, NONE, PTR_TO_CTX, CONST_MAP_PTR, ANYTHING);
        add(m, "ringbuf_output", RetType.INTEGER, BOTH, NONE, CONST_MAP_PTR, PTR_TO_MEM_RDONLY, CONST_SIZE_OR_ZERO, ANYTHING);
        add(m, "ringbuf_reserve", RetType.PTR_TO_RINGBUF_MEM_OR_NULL, BOTH, NONE, CONST_MAP_PTR, CONST_ALLOC_SIZE_OR_ZERO, ANYTHING);
        add(m, "ringbuf_submit", RetType.VOID, BOTH, NONE, PTR_TO_RINGBUF_MEM_RELEASE, ANYTHING);
        add(m, "ringbuf_discard", RetType.VOID, BOTH, NONE, PTR_TO_RINGBUF_MEM_RELEASE, ANYTHING);
        add(m, "ringbuf_query", RetType.INTEGER, BOTH, NONE, CONST_MAP_PTR, ANYTHING);
        add(m, "for_each_map_elem", RetType.INTEGER, BOTH, NONE, CONST_MAP_PTR, PTR_TO_FUNC, PTR_TO_STACK_OR_NULL, ANYTHING);
        add(m, "loop", RetType.INTEGER, BOTH, NONE, ANYTHING, PTR_TO_FUNC, PTR_TO_STACK_OR_NULL, ANYTHING);
        add(m, "strncmp", RetType.INTEGER, BOTH, NONE, PTR_TO_MEM_RDONLY, CONST_SIZE, PTR_TO_CONST_STR);
        // CAP_BPF part of bpf_base_func_proto.
        add(m, "spin_lock", RetType.VOID, BOTH, NONE, PTR_TO_SPIN_LOCK);
        add(m, "spin_unlock", RetType.VOID, BOTH, NONE, PTR_TO_SPIN_LOCK);
        add(m, "jiffies64", RetType.INTEGER, BOTH, NONE);
        // CAP_PERFMON part.
        add(m, "trace_printk", RetType.INTEGER, BOTH, NONE, PTR_TO_MEM_RDONLY, CONST_SIZE);
        add(m, "trace_vprintk", RetType.INTEGER, BOTH, NONE, PTR_TO_MEM_RDONLY, CONST_SIZE, PTR_TO_MEM_OR_NULL_RDONLY, CONST_SIZE_OR_ZERO);
        add(m, "snprintf", RetType.INTEGER, BOTH, NONE, PTR_TO_MEM_OR_NULL, CONST_SIZE_OR_ZERO, PTR_TO_CONST_STR,
                PTR_TO_MEM_OR_NULL_RDONLY, CONST_SIZE_OR_ZERO);

        // Both families, each with its own proto of the same shape.
        add(m, "perf_event_output", RetType.INTEGER, BOTH, NONE, PTR_TO_CTX, CONST_MAP_PTR, ANYTHING, PTR_TO_MEM_RDONLY, CONST_SIZE_OR_ZERO);
        add(m, "csum_diff", RetType.INTEGER, BOTH, PKT, PTR_TO_MEM_OR_NULL_RDONLY, CONST_SIZE_OR_ZERO, PTR_TO_MEM_OR_NULL_RDONLY,
                CONST_SIZE_OR_ZERO, ANYTHING);
        add(m, "redirect", RetType.INTEGER, BOTH, NONE, ANYTHING, ANYTHING);
        add(m, "fib_lookup", RetType.INTEGER, BOTH, NONE, PTR_TO_CTX, PTR_TO_MEM, CONST_SIZE, ANYTHING);

        // xdp_func_proto.
        add(m, "xdp_adjust_head", RetType.INTEGER, XDP, CHANGES, PTR_TO_CTX, ANYTHING);
        add(m, "xdp_adjust_meta", RetType.INTEGER, XDP, CHANGES, PTR_TO_CTX, ANYTHING);
        add(m, "xdp_adjust_tail", RetType.INTEGER, XDP, CHANGES, PTR_TO_CTX, ANYTHING);
        add(m, "redirect_map", RetType.INTEGER, XDP, NONE, CONST_MAP_PTR, ANYTHING, ANYTHING);
        add(m, "xdp_get_buff_len", RetType.INTEGER, XDP, NONE, PTR_TO_CTX);
        add(m, "xdp_load_bytes", RetType.INTEGER, XDP, NONE, PTR_TO_CTX, ANYTHING, PTR_TO_UNINIT_MEM, CONST_SIZE);
        add(m, "xdp_store_bytes", RetType.INTEGER, XDP, NONE, PTR_TO_CTX, ANYTHING, PTR_TO_MEM_RDONLY, CONST_SIZE);

        // tc_cls_act_func_proto.
        add(m, "skb_store_bytes", RetType.INTEGER, TC, CHANGES, PTR_TO_CTX, ANYTHING, PTR_TO_MEM_RDONLY, CONST_SIZE, ANYTHING);
        add(m, "skb_load_bytes", RetType.INTEGER, TC, NONE, PTR_TO_CTX, ANYTHING, PTR_TO_UNINIT_MEM, CONST_SIZE);
        add(m, "skb_load_bytes_relative", RetType.INTEGER, TC, NONE, PTR_TO_CTX, ANYTHING, PTR_TO_UNINIT_MEM, CONST_SIZE, ANYTHING);
        add(m, "skb_pull_data", RetType.INTEGER, TC, CHANGES, PTR_TO_CTX, ANYTHING);
        add(m, "csum_update", RetType.INTEGER, TC, NONE, PTR_TO_CTX, ANYTHING);
        add(m, "csum_level", RetType.INTEGER, TC, NONE, PTR_TO_CTX, ANYTHING);
        add(m, "l3_csum_replace", RetType.INTEGER, TC, CHANGES, PTR_TO_CTX, ANYTHING, ANYTHING, ANYTHING, ANYTHING);
        add(m, "l4_csum_replace", RetType.INTEGER, TC, CHANGES, PTR_TO_CTX, ANYTHING, ANYTHING, ANYTHING, ANYTHING);
        add(m, "clone_redirect", RetType.INTEGER, TC, CHANGES, PTR_TO_CTX, ANYTHING, ANYTHING);
        add(m, "get_cgroup_classid", RetType.INTEGER, TC, NONE, PTR_TO_CTX);
        add(m, "skb_vlan_push", RetType.INTEGER, TC, CHANGES, PTR_TO_CTX, ANYTHING, ANYTHING);
        add(m, "skb_vlan_pop", RetType.INTEGER, TC, CHANGES, PTR_TO_CTX);
        add(m, "skb_change_proto", RetType.INTEGER, TC, CHANGES, PTR_TO_CTX, ANYTHING, ANYTHING);
        add(m, "skb_change_type", RetType.INTEGER, TC, NONE, PTR_TO_CTX, ANYTHING);
        add(m, "skb_adjust_room", RetType.INTEGER, TC, CHANGES, PTR_TO_CTX, ANYTHING, ANYTHING, ANYTHING);
        add(m, "skb_change_tail", RetType.INTEGER, TC, CHANGES, PTR_TO_CTX, ANYTHING, ANYTHING);
        add(m, "skb_change_head", RetType.INTEGER, TC, CHANGES, PTR_TO_CTX, ANYTHING, ANYTHING);
        add(m, "skb_get_tunnel_key", RetType.INTEGER, TC, NONE, PTR_TO_CTX, PTR_TO_UNINIT_MEM, CONST_SIZE, ANYTHING);
        add(m, "skb_set_tunnel_key", RetType.INTEGER, TC, NONE, PTR_TO_CTX, PTR_TO_MEM_RDONLY, CONST_SIZE, ANYTHING);
        add(m, "get_route_realm", RetType.INTEGER, TC, NONE, PTR_TO_CTX);
        add(m, "get_hash_recalc", RetType.INTEGER, TC, NONE, PTR_TO_CTX);
        add(m, "set_hash_invalid", RetType.INTEGER, TC, NONE, PTR_TO_CTX);
        add(m, "set_hash", RetType.INTEGER, TC, NONE, PTR_TO_CTX, ANYTHING);
        add(m, "redirect_peer", RetType.INTEGER, TC, NONE, ANYTHING, ANYTHING);
        add(m, "redirect_neigh", RetType.INTEGER, TC, NONE, ANYTHING, PTR_TO_MEM_OR_NULL_RDONLY, CONST_SIZE_OR_ZERO, ANYTHING);
        BY_ID = Collections.unmodifiableMap(m);
    }

    private static void add(Map<Integer, HelperProto> m, String name, RetType ret, Set<Family> families, int flags, ArgType... args) {
        HelperId id = HelperIds.byName(name).orElseThrow(() -> new IllegalStateException("no helper " + name));
        m.put(id.id(), new HelperProto(id, ret, List.of(args), (flags & PKT) != 0, (flags & CHANGES) != 0, families));
    }

    /** The prototype of helper {@code id}, whatever the program type. */
    public static Optional<HelperProto> of(int id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /** The prototype a program of {@code family} gets for helper {@code id}, or empty if it may not call it. */
    public static Optional<HelperProto> forFamily(int id, Family family) {
        HelperProto p = BY_ID.get(id);
        return p != null && p.families().contains(family) ? Optional.of(p) : Optional.empty();
    }

    /** Every prototype, by id. */
    public static List<HelperProto> all() {
        return List.copyOf(BY_ID.values());
    }
}
