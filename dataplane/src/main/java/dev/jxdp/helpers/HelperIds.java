package dev.jxdp.helpers;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel's helper functions by id: their names (the {@code ___BPF_FUNC_MAPPER} list of
 * include/uapi/linux/bpf.h; ids 210 and 211 are newer than the 6.1 headers installed here) and whether
 * they are GPL-only ({@code .gpl_only = true} in their {@code bpf_func_proto}). No implementations:
 * the loader, the verifier and the interpreter share this table.
 *
 * <p>Where the gpl_only flag comes from, per row:
 * <ul>
 *   <li>{@code PACKET}: the Linux 6.18 kernel itself, asked by loading {@code call N} in an XDP and a
 *       SCHED_CLS program with license "Proprietary" and reading the verifier's answer ("cannot call
 *       GPL-restricted function from non-GPL compatible program" or not). This is the flag that
 *       matters to jxdp, and a kernel test re-checks it when BPF is usable.</li>
 *   <li>{@code OTHER_TYPES}: the same probe with other program types (kprobe, tracepoint, perf_event,
 *       cgroup, socket ...), for helpers that XDP and tc programs cannot call at all.</li>
 *   <li>{@code SOURCE}: helpers none of those types can call (LSM, tracing, iterators, lirc), from their
 *       protos in the kernel sources.</li>
 * </ul>
 * A few helpers have per-program-type protos with different flags (bpf_get_stackid is GPL-only except
 * for perf_event programs); the flag here is the one packet programs would see, else the tracing one.
 */
public final class HelperIds {
    private HelperIds() {}

    /** Where a row's gpl_only flag was established (see the class comment). */
    enum Evidence { PACKET, OTHER_TYPES, SOURCE }

    private static final Evidence K = Evidence.PACKET;
    private static final Evidence k = Evidence.OTHER_TYPES;
    private static final Evidence s = Evidence.SOURCE;

    private static final List<HelperId> ALL = List.of(
            h(1, "map_lookup_elem", false, K),
            h(2, "map_update_elem", false, K),
            h(3, "map_delete_elem", false, K),
            h(4, "probe_read", true, k),
            h(5, "ktime_get_ns", false, K),
            h(6, "trace_printk", true, K),
            h(7, "get_prandom_u32", false, K),
            h(8, "get_smp_processor_id", false, K),
            h(9, "skb_store_bytes", false, K),
            h(10, "l3_csum_replace", false, K),
            h(11, "l4_csum_replace", false, K),
            h(12, "tail_call", false, K),
            h(13, "clone_redirect", false, K),
            h(14, "get_current_pid_tgid", false, K),
            h(15, "get_current_uid_gid", false, K),
            h(16, "get_current_comm", false, K),
            h(17, "get_cgroup_classid", false, K),
            h(18, "skb_vlan_push", false, K),
            h(19, "skb_vlan_pop", false, K),
            h(20, "skb_get_tunnel_key", false, K),
            h(21, "skb_set_tunnel_key", false, K),
            h(22, "perf_event_read", true, K),
            h(23, "redirect", false, K),
            h(24, "get_route_realm", false, K),
            h(25, "perf_event_output", true, K),
            h(26, "skb_load_bytes", false, K),
            h(27, "get_stackid", true, k),
            h(28, "csum_diff", false, K),
            h(29, "skb_get_tunnel_opt", false, K),
            h(30, "skb_set_tunnel_opt", false, K),
            h(31, "skb_change_proto", false, K),
            h(32, "skb_change_type", false, K),
            h(33, "skb_under_cgroup", false, K),
            h(34, "get_hash_recalc", false, K),
            h(35, "get_current_task", true, K),
            h(36, "probe_write_user", true, s),
            h(37, "current_task_under_cgroup", false, K),
            h(38, "skb_change_tail", false, K),
            h(39, "skb_pull_data", false, K),
            h(40, "csum_update", false, K),
            h(41, "set_hash_invalid", false, K),
            h(42, "get_numa_node_id", false, K),
            h(43, "skb_change_head", false, K),
            h(44, "xdp_adjust_head", false, K),
            h(45, "probe_read_str", true, k),
            h(46, "get_socket_cookie", false, K),
            h(47, "get_socket_uid", false, K),
            h(48, "set_hash", false, K),
            h(49, "setsockopt", false, k),
            h(50, "skb_adjust_room", false, K),
            h(51, "redirect_map", false, K),
            h(52, "sk_redirect_map", false, k),
            h(53, "sock_map_update", false, k),
            h(54, "xdp_adjust_meta", false, K),
            h(55, "perf_event_read_value", true, K),
            h(56, "perf_prog_read_value", true, k),
            h(57, "getsockopt", false, k),
            h(58, "override_return", true, s),
            h(59, "sock_ops_cb_flags_set", false, k),
            h(60, "msg_redirect_map", false, k),
            h(61, "msg_apply_bytes", false, k),
            h(62, "msg_cork_bytes", false, k),
            h(63, "msg_pull_data", false, k),
            h(64, "bind", false, s),
            h(65, "xdp_adjust_tail", false, K),
            h(66, "skb_get_xfrm_state", false, K),
            h(67, "get_stack", true, k),
            h(68, "skb_load_bytes_relative", false, K),
            h(69, "fib_lookup", true, K),
            h(70, "sock_hash_update", false, k),
            h(71, "msg_redirect_hash", false, k),
            h(72, "sk_redirect_hash", false, k),
            h(73, "lwt_push_encap", false, k),
            h(74, "lwt_seg6_store_bytes", false, s),
            h(75, "lwt_seg6_adjust_srh", false, s),
            h(76, "lwt_seg6_action", false, s),
            h(77, "rc_repeat", true, s),
            h(78, "rc_keydown", true, s),
            h(79, "skb_cgroup_id", false, K),
            h(80, "get_current_cgroup_id", false, K),
            h(81, "get_local_storage", false, k),
            h(82, "sk_select_reuseport", false, s),
            h(83, "skb_ancestor_cgroup_id", false, K),
            h(84, "sk_lookup_tcp", false, K),
            h(85, "sk_lookup_udp", false, K),
            h(86, "sk_release", false, K),
            h(87, "map_push_elem", false, K),
            h(88, "map_pop_elem", false, K),
            h(89, "map_peek_elem", false, K),
            h(90, "msg_push_data", false, k),
            h(91, "msg_pop_data", false, k),
            h(92, "rc_pointer_rel", true, s),
            h(93, "spin_lock", false, K),
            h(94, "spin_unlock", false, K),
            h(95, "sk_fullsock", false, K),
            h(96, "tcp_sock", false, K),
            h(97, "skb_ecn_set_ce", false, K),
            h(98, "get_listener_sock", false, K),
            h(99, "skc_lookup_tcp", false, K),
            h(100, "tcp_check_syncookie", true, K),
            h(101, "sysctl_get_name", false, k),
            h(102, "sysctl_get_current_value", false, k),
            h(103, "sysctl_get_new_value", false, k),
            h(104, "sysctl_set_new_value", false, k),
            h(105, "strtol", false, K),
            h(106, "strtoul", false, K),
            h(107, "sk_storage_get", false, K),
            h(108, "sk_storage_delete", false, K),
            h(109, "send_signal", false, K),
            h(110, "tcp_gen_syncookie", true, K),
            h(111, "skb_output", true, s),
            h(112, "probe_read_user", true, K),
            h(113, "probe_read_kernel", true, K),
            h(114, "probe_read_user_str", true, K),
            h(115, "probe_read_kernel_str", true, K),
            h(116, "tcp_send_ack", false, s),
            h(117, "send_signal_thread", false, K),
            h(118, "jiffies64", false, K),
            h(119, "read_branch_records", true, k),
            h(120, "get_ns_current_pid_tgid", false, K),
            h(121, "xdp_output", true, s),
            h(122, "get_netns_cookie", false, K),
            h(123, "get_current_ancestor_cgroup_id", false, K),
            h(124, "sk_assign", false, K),
            h(125, "ktime_get_boot_ns", false, K),
            h(126, "seq_printf", true, s),
            h(127, "seq_write", true, s),
            h(128, "sk_cgroup_id", false, k),
            h(129, "sk_ancestor_cgroup_id", false, k),
            h(130, "ringbuf_output", false, K),
            h(131, "ringbuf_reserve", false, K),
            h(132, "ringbuf_submit", false, K),
            h(133, "ringbuf_discard", false, K),
            h(134, "ringbuf_query", false, K),
            h(135, "csum_level", false, K),
            h(136, "skc_to_tcp6_sock", false, K),
            h(137, "skc_to_tcp_sock", false, K),
            h(138, "skc_to_tcp_timewait_sock", false, K),
            h(139, "skc_to_tcp_request_sock", false, K),
            h(140, "skc_to_udp6_sock", false, K),
            h(141, "get_task_stack", false, K),
            h(142, "load_hdr_opt", false, k),
            h(143, "store_hdr_opt", false, k),
            h(144, "reserve_hdr_opt", false, k),
            h(145, "inode_storage_get", false, s),
            h(146, "inode_storage_delete", false, s),
            h(147, "d_path", false, s),
            h(148, "copy_from_user", false, K),
            h(149, "snprintf_btf", false, K),
            h(150, "seq_printf_btf", true, s),
            h(151, "skb_cgroup_classid", false, K),
            h(152, "redirect_neigh", false, K),
            h(153, "per_cpu_ptr", false, K),
            h(154, "this_cpu_ptr", false, K),
            h(155, "redirect_peer", false, K),
            h(156, "task_storage_get", false, K),
            h(157, "task_storage_delete", false, K),
            h(158, "get_current_task_btf", true, K),
            h(159, "bprm_opts_set", false, s),
            h(160, "ktime_get_coarse_ns", false, K),
            h(161, "ima_inode_hash", false, s),
            h(162, "sock_from_file", false, s),
            h(163, "check_mtu", true, K),
            h(164, "for_each_map_elem", false, K),
            h(165, "snprintf", true, K),
            h(166, "sys_bpf", false, s),
            h(167, "btf_find_by_name_kind", false, s),
            h(168, "sys_close", false, s),
            h(169, "timer_init", true, K),
            h(170, "timer_set_callback", true, K),
            h(171, "timer_start", true, K),
            h(172, "timer_cancel", true, K),
            h(173, "get_func_ip", true, k),
            h(174, "get_attach_cookie", false, k),
            h(175, "task_pt_regs", true, K),
            h(176, "get_branch_snapshot", true, K),
            h(177, "trace_vprintk", true, K),
            h(178, "skc_to_unix_sock", false, K),
            h(179, "kallsyms_lookup_name", false, s),
            h(180, "find_vma", false, K),
            h(181, "loop", false, K),
            h(182, "strncmp", false, K),
            h(183, "get_func_arg", false, s),
            h(184, "get_func_ret", false, s),
            h(185, "get_func_arg_cnt", false, s),
            h(186, "get_retval", false, k),
            h(187, "set_retval", false, k),
            h(188, "xdp_get_buff_len", false, K),
            h(189, "xdp_load_bytes", false, K),
            h(190, "xdp_store_bytes", false, K),
            h(191, "copy_from_user_task", true, K),
            h(192, "skb_set_tstamp", false, K),
            h(193, "ima_file_hash", false, s),
            h(194, "kptr_xchg", false, K),
            h(195, "map_lookup_percpu_elem", false, K),
            h(196, "skc_to_mptcp_sock", false, K),
            h(197, "dynptr_from_mem", false, K),
            h(198, "ringbuf_reserve_dynptr", false, K),
            h(199, "ringbuf_submit_dynptr", false, K),
            h(200, "ringbuf_discard_dynptr", false, K),
            h(201, "dynptr_read", false, K),
            h(202, "dynptr_write", false, K),
            h(203, "dynptr_data", false, K),
            h(204, "tcp_raw_gen_syncookie_ipv4", true, K),
            h(205, "tcp_raw_gen_syncookie_ipv6", true, K),
            h(206, "tcp_raw_check_syncookie_ipv4", true, K),
            h(207, "tcp_raw_check_syncookie_ipv6", true, K),
            h(208, "ktime_get_tai_ns", false, K),
            h(209, "user_ringbuf_drain", false, K),
            h(210, "cgrp_storage_get", false, K),
            h(211, "cgrp_storage_delete", false, K)
    );

    private static final Map<Integer, HelperId> BY_ID;
    private static final Map<String, HelperId> BY_NAME;

    static {
        Map<Integer, HelperId> byId = new HashMap<>();
        Map<String, HelperId> byName = new HashMap<>();
        for (HelperId h : ALL) {
            byId.put(h.id(), h);
            byName.put(h.name(), h);
        }
        BY_ID = Collections.unmodifiableMap(byId);
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private static HelperId h(int id, String name, boolean gplOnly, Evidence evidence) {
        return new HelperId(id, name, gplOnly);
    }

    /** Every known helper, by increasing id (1 to {@link #maxId()}). */
    public static List<HelperId> all() {
        return ALL;
    }

    public static Optional<HelperId> byId(int id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /** By name without the {@code bpf_} prefix ({@code map_lookup_elem}) or with it. */
    public static Optional<HelperId> byName(String name) {
        String n = name.startsWith("bpf_") ? name.substring(4) : name;
        return Optional.ofNullable(BY_NAME.get(n));
    }

    /** The highest helper id in the table. */
    public static int maxId() {
        return ALL.getLast().id();
    }

    /** True when the helper is GPL-only; false for unknown ids (the verifier refuses those anyway). */
    public static boolean isGplOnly(int id) {
        HelperId h = BY_ID.get(id);
        return h != null && h.gplOnly();
    }

    /** {@code bpf_map_lookup_elem#1} as the kernel's verifier names helpers, or {@code unknown#N}. */
    public static String describe(int id) {
        HelperId h = BY_ID.get(id);
        return (h == null ? "unknown" : "bpf_" + h.name()) + "#" + id;
    }
}
