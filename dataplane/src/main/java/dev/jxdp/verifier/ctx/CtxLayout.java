package dev.jxdp.verifier.ctx;

import dev.jxdp.verifier.ctx.CtxField.Yields;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A context structure's layout, from include/uapi/linux/bpf.h: {@code struct xdp_md} for XDP programs,
 * {@code struct __sk_buff} for tc programs. Hooks build their runtime contexts from these offsets.
 */
public record CtxLayout(String name, int size, List<CtxField> fields) {
    public CtxLayout {
        fields = List.copyOf(fields);
    }

    /** The field holding byte {@code off}, if any (padding holds none). */
    public Optional<CtxField> fieldAt(int off) {
        for (CtxField f : fields) {
            if (f.contains(off)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public Optional<CtxField> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    public CtxField require(String fieldName) {
        return field(fieldName).orElseThrow(() -> new IllegalArgumentException(name + " has no field " + fieldName));
    }

    /** struct xdp_md. */
    public static final CtxLayout XDP_MD = new CtxLayout("xdp_md", 24, List.of(
            new CtxField("data", 0, 4, Yields.PACKET),
            new CtxField("data_end", 4, 4, Yields.PACKET_END),
            new CtxField("data_meta", 8, 4, Yields.PACKET_META),
            new CtxField("ingress_ifindex", 12, 4, Yields.SCALAR),
            new CtxField("rx_queue_index", 16, 4, Yields.SCALAR),
            new CtxField("egress_ifindex", 20, 4, Yields.SCALAR)));

    /** struct __sk_buff (192 bytes). */
    public static final CtxLayout SK_BUFF = skBuff();

    private static CtxLayout skBuff() {
        List<CtxField> f = new ArrayList<>();
        int off = 0;
        for (String n : List.of("len", "pkt_type", "mark", "queue_mapping", "protocol", "vlan_present", "vlan_tci", "vlan_proto",
                "priority", "ingress_ifindex", "ifindex", "tc_index")) {
            f.add(new CtxField(n, off, 4, Yields.SCALAR));
            off += 4;
        }
        for (int i = 0; i < 5; i++) {
            f.add(new CtxField("cb[" + i + "]", off, 4, Yields.SCALAR));
            off += 4;
        }
        f.add(new CtxField("hash", 68, 4, Yields.SCALAR));
        f.add(new CtxField("tc_classid", 72, 4, Yields.SCALAR));
        f.add(new CtxField("data", 76, 4, Yields.PACKET));
        f.add(new CtxField("data_end", 80, 4, Yields.PACKET_END));
        f.add(new CtxField("napi_id", 84, 4, Yields.SCALAR));
        f.add(new CtxField("family", 88, 4, Yields.SCALAR));
        f.add(new CtxField("remote_ip4", 92, 4, Yields.SCALAR));
        f.add(new CtxField("local_ip4", 96, 4, Yields.SCALAR));
        for (int i = 0; i < 4; i++) {
            f.add(new CtxField("remote_ip6[" + i + "]", 100 + 4 * i, 4, Yields.SCALAR));
        }
        for (int i = 0; i < 4; i++) {
            f.add(new CtxField("local_ip6[" + i + "]", 116 + 4 * i, 4, Yields.SCALAR));
        }
        f.add(new CtxField("remote_port", 132, 4, Yields.SCALAR));
        f.add(new CtxField("local_port", 136, 4, Yields.SCALAR));
        f.add(new CtxField("data_meta", 140, 4, Yields.PACKET_META));
        f.add(new CtxField("flow_keys", 144, 8, Yields.SCALAR));
        f.add(new CtxField("tstamp", 152, 8, Yields.SCALAR));
        f.add(new CtxField("wire_len", 160, 4, Yields.SCALAR));
        f.add(new CtxField("gso_segs", 164, 4, Yields.SCALAR));
        f.add(new CtxField("sk", 168, 8, Yields.SOCKET));
        f.add(new CtxField("gso_size", 176, 4, Yields.SCALAR));
        f.add(new CtxField("tstamp_type", 180, 1, Yields.SCALAR));
        f.add(new CtxField("hwtstamp", 184, 8, Yields.SCALAR));
        return new CtxLayout("__sk_buff", 192, f);
    }
}
