package dev.jxdp.hooks;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Moving a VLAN tag between the packet and the skb's hardware-accelerated tag (vlan_present, vlan_tci,
 * vlan_proto), where the kernel's receive and transmit paths move it whatever the device:
 *
 * <ul>
 *   <li>{@link #untag}: __netif_receive_skb_core calls skb_vlan_untag before tc ingress, so tc sees a
 *       tagged frame with its outer tag held out of the data (the MAC addresses and any XDP metadata
 *       moved 4 bytes on) and protocol the encapsulated type; a frame too short to hold the tag and the
 *       type after it does not get that far.
 *   <li>{@link #insertHeld}: a held tag goes back into the packet after the MAC addresses when the frame
 *       leaves (validate_xmit_vlan for a device without tag offload, tun_put_user for a tap) or when a
 *       second tag is pushed (__vlan_insert_tag).
 * </ul>
 * Both measured on a kernel tap (VlanAtTcKernelTest in nic-sim).
 */
final class VlanTags {
    private VlanTags() {}

    static final int ETH_P_8021Q = 0x8100;
    static final int ETH_P_8021AD = 0x88a8;
    static final int VLAN_HLEN = 4;
    /** skb_vlan_untag pulls the tag and the two bytes after it past the Ethernet header (pskb_may_pull). */
    static final int UNTAG_MIN = XdpBuff.ETH_HLEN + VLAN_HLEN + 2;
    private static final int MACS = 12;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    static boolean isVlan(int proto) {
        return proto == ETH_P_8021Q || proto == ETH_P_8021AD;
    }

    /** Whether {@link #untag} would move a tag: the frame is tagged and no tag is held already. */
    static boolean tagged(Skb s) {
        return !s.vlanPresent && isVlan(s.protocol);
    }

    /**
     * skb_vlan_untag on a frame {@link #tagged} says is tagged, its data at the MAC header. Returns
     * false, changing nothing, if the frame is shorter than {@link #UNTAG_MIN} (the kernel frees it).
     */
    static boolean untag(Skb s) {
        if (s.length() < UNTAG_MIN) {
            return false;
        }
        s.vlanProto = s.protocol;
        s.vlanTci = s.be16At(14);
        s.vlanPresent = true;
        s.protocol = encapsulated(s, 16);
        pullTag(s, s.metaLength()); // skb_reorder_vlan_header moves the metadata along with the MAC addresses
        return true;
    }

    /**
     * The tag after the MAC addresses (data at the MAC header) comes out of the data: the MAC addresses
     * and the {@code meta} bytes before them move 4 bytes on over it, the type after it stays, and the
     * headers' offsets follow. skb_vlan_untag moves the metadata ({@code meta} its length), the
     * bpf_skb_vlan_pop helper's __skb_vlan_pop does not (0).
     */
    static void pullTag(Skb s, int meta) {
        MemorySegment head = s.head();
        MemorySegment.copy(head, s.dataOffset() - meta, head, s.dataOffset() - meta + VLAN_HLEN, meta + MACS);
        int network = s.networkOffset();
        s.pull(VLAN_HLEN);
        s.setMacOffset(0);
        s.setNetworkOffset(Math.max(network - VLAN_HLEN, XdpBuff.ETH_HLEN));
    }

    /**
     * vlan_set_encap_proto: the type at {@code at}, or for a length there 802.3 raw (0xffff after it, IPX)
     * or 802.2 LLC.
     */
    static int encapsulated(Skb s, int at) {
        int type = s.be16At(at);
        if (type >= 0x600) {
            return type;
        }
        boolean raw = s.length() >= at + 4 && s.be16At(at + 2) == 0xffff;
        return raw ? 0x0001 : 0x0004; // ETH_P_802_3 : ETH_P_802_2
    }

    /**
     * __vlan_insert_tag: the held tag goes into the packet after the MAC addresses (data at the MAC
     * header), protocol becomes the tag's, and no tag is held any more. The skb moves to a bigger buffer
     * if it lacks 4 bytes of headroom.
     */
    static void insertHeld(Skb s) {
        s.reserve(VLAN_HLEN, 0);
        s.push(VLAN_HLEN);
        MemorySegment b = s.bytes();
        MemorySegment.copy(b, VLAN_HLEN, b, 0, MACS);
        b.set(BE16, 12, (short) s.vlanProto);
        b.set(BE16, 14, (short) s.vlanTci);
        s.setMacOffset(0);
        s.setNetworkOffset(s.networkOffset() - VLAN_HLEN);
        s.protocol = s.vlanProto;
        s.vlanPresent = false;
        s.vlanProto = 0;
        s.vlanTci = 0;
    }
}
