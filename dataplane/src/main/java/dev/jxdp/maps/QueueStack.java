package dev.jxdp.maps;

import dev.jxdp.obj.MapType;
import java.lang.foreign.MemorySegment;

/**
 * BPF_MAP_TYPE_QUEUE and STACK (kernel/bpf/queue_stack_maps.c): {@code max_entries} values in a ring of
 * {@code max_entries + 1} slots, no keys. Push (bpf_map_push_elem, or an update from user space) is
 * E2BIG when full unless BPF_EXIST, which drops the oldest element; pop and peek are ENOENT when empty
 * (and zero the output, as the kernel does). Values are copied in and out, so no program ever holds
 * a pointer into the ring and one lock suffices (the kernel's is a spinlock too).
 */
public final class QueueStack extends EbpfMap {
    private final boolean stack;
    private final long size;
    private final MemorySegment elements;
    private long head;
    private long tail;

    QueueStack(MapDefinition def, MapEnvironment env) {
        super(def, env);
        this.stack = def.type() == MapType.STACK;
        this.size = Integer.toUnsignedLong(def.maxEntries()) + 1;
        this.elements = arena.allocate(size * Integer.toUnsignedLong(def.valueSize()), 8);
    }

    /** queue_stack_map_alloc_check. */
    static int check(MapDefinition def) {
        int allowed = MapFlags.NUMA_NODE | MapFlags.ACCESS_MASK;
        if (def.maxEntries() == 0 || def.keySize() != 0 || def.valueSize() == 0 || (def.flags() & ~allowed) != 0
                || !MapFlags.accessOk(def.flags())) {
            return -Errnos.EINVAL;
        }
        if (Integer.toUnsignedLong(def.valueSize()) > 4L << 20) {
            return -Errnos.E2BIG;
        }
        return 0;
    }

    private long at(long index) {
        return index * Integer.toUnsignedLong(def.valueSize());
    }

    private boolean isEmpty() {
        return head == tail;
    }

    private boolean isFull() {
        long h = head + 1;
        if (h >= size) {
            h = 0;
        }
        return h == tail;
    }

    private synchronized int get(MemorySegment out, boolean delete) {
        int vs = def.valueSize();
        if (isEmpty()) {
            out.asSlice(0, vs).fill((byte) 0);
            return -Errnos.ENOENT;
        }
        long index;
        if (stack) {
            index = head - 1;
            if (index < 0) {
                index = size - 1;
            }
            if (delete) {
                head = index;
            }
        } else {
            index = tail;
            if (delete && ++tail >= size) {
                tail = 0;
            }
        }
        MemorySegment.copy(elements, at(index), out, 0, vs);
        return 0;
    }

    private synchronized int push(MemorySegment value, long flags) {
        boolean replace = (flags & MapFlags.EXIST) != 0;
        if ((flags & MapFlags.NOEXIST) != 0 || flags > MapFlags.EXIST) {
            return -Errnos.EINVAL;
        }
        if (isFull()) {
            if (!replace) {
                return -Errnos.E2BIG;
            }
            if (++tail >= size) {
                tail = 0;
            }
        }
        MemorySegment.copy(value, 0, elements, at(head), def.valueSize());
        if (++head >= size) {
            head = 0;
        }
        return 0;
    }

    // ---- user space: lookup is peek, update is push, lookup-and-delete is pop

    @Override
    int sysLookup(MemorySegment key, MemorySegment out, long flags) {
        return get(out, false);
    }

    @Override
    int sysUpdate(MemorySegment key, MemorySegment value, long flags) {
        return push(value, flags);
    }

    @Override
    int sysDelete(MemorySegment key) {
        return -Errnos.EINVAL;
    }

    @Override
    int sysNextKey(MemorySegment key, MemorySegment next) {
        return -Errnos.EINVAL;
    }

    @Override
    int sysLookupAndDelete(MemorySegment key, MemorySegment out, long flags) {
        return get(out, true);
    }

    // ---- programs

    @Override
    public long pushElem(MemorySegment value, long flags) {
        return push(value, flags);
    }

    @Override
    public long popElem(MemorySegment out) {
        return get(out, true);
    }

    @Override
    public long peekElem(MemorySegment out) {
        return get(out, false);
    }
}
