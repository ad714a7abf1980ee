package dev.jxdp.maps;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * BPF_MAP_TYPE_XSKMAP (net/xdp/xskmap.c): bpf_redirect_map to an AF_XDP socket, which in jxdp is a
 * Java receiver ({@link XskSocket}) bound with {@link #bind}. The kernel stores socket fds, which
 * jxdp has none of: a byte-level update is EBADF, and user-space lookups are EOPNOTSUPP, as in the
 * kernel. Program lookups give {@code struct bpf_xdp_sock} (its u32 queue_id), read-only.
 */
public final class XskMap extends EbpfMap {
    /** The AF_XDP equivalent: receives the frames redirected to it. */
    public interface XskSocket {
        /** The queue it is bound to ({@code struct bpf_xdp_sock.queue_id}). */
        int queueId();

        /** Takes a redirected frame (a copy is the socket's to make); false if its ring is full. */
        boolean receive(MemorySegment frame);
    }

    private record Entry(XskSocket socket, MemorySegment info) {}

    private final AtomicReferenceArray<Entry> sockets;

    XskMap(MapDefinition def, MapEnvironment env) {
        super(def, env);
        this.sockets = new AtomicReferenceArray<>(def.maxEntries());
    }

    /** xsk_map_alloc's checks. */
    static int check(MapDefinition def) {
        int allowed = MapFlags.NUMA_NODE | MapFlags.RDONLY | MapFlags.WRONLY;
        if (def.maxEntries() == 0 || def.keySize() != 4 || def.valueSize() != 4 || (def.flags() & ~allowed) != 0) {
            return -Errnos.EINVAL;
        }
        return 0;
    }

    /** Binds {@code socket} at {@code index} (what an update with an XSK fd does). */
    public void bind(int index, XskSocket socket) {
        if (Integer.compareUnsigned(index, def.maxEntries()) >= 0) {
            throw fail("BPF_MAP_UPDATE_ELEM", Errnos.E2BIG);
        }
        MemorySegment info = arena.allocate(8, 8);
        info.set(ValueLayout.JAVA_INT, 0, socket.queueId());
        sockets.set(index, new Entry(socket, info));
    }

    /** The socket at {@code index}, or null: where bpf_redirect_map sends. */
    public XskSocket socket(int index) {
        Entry e = Integer.compareUnsigned(index, sockets.length()) < 0 ? sockets.get(index) : null;
        return e == null ? null : e.socket();
    }

    @Override
    int sysLookup(MemorySegment key, MemorySegment out, long flags) {
        return -Errnos.EOPNOTSUPP;
    }

    @Override
    int sysUpdate(MemorySegment key, MemorySegment value, long flags) {
        if (flags > MapFlags.EXIST) {
            return -Errnos.EINVAL;
        }
        if (Integer.compareUnsigned(index(key), def.maxEntries()) >= 0) {
            return -Errnos.E2BIG;
        }
        return -Errnos.EBADF;
    }

    @Override
    int sysDelete(MemorySegment key) {
        int k = index(key);
        if (Integer.compareUnsigned(k, def.maxEntries()) >= 0) {
            return -Errnos.EINVAL;
        }
        sockets.set(k, null);
        return 0;
    }

    @Override
    int sysNextKey(MemorySegment key, MemorySegment next) {
        return arrayNextKey(key, next);
    }

    @Override
    public MemorySegment lookupElem(MemorySegment key, int worker) {
        int k = index(key);
        Entry e = Integer.compareUnsigned(k, sockets.length()) < 0 ? sockets.get(k) : null;
        return e == null ? null : e.info().asSlice(0, 4);
    }

    @Override
    public boolean programWritable() {
        return false;
    }
}
