package dev.jxdp.maps;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * BPF_MAP_TYPE_LPM_TRIE (kernel/bpf/lpm_trie.c, Linux 6.14+): longest-prefix match over keys
 * {@code struct bpf_lpm_trie_key_u8 { u32 prefixlen; u8 data[]; }} (data big-endian, as IP addresses
 * are written: IPv4 with 4 bytes, IPv6 with 16). The same binary trie with intermediate nodes as the
 * kernel's, built by the same steps, so lookups, errors (ENOSPC when full, EEXIST/ENOENT for
 * BPF_NOEXIST/BPF_EXIST) and the get_next_key order (more specific prefixes first, postorder) are the
 * kernel's. BPF_F_NO_PREALLOC is required, as in the kernel.
 *
 * <p>Writers take the trie's lock; lookups take none and follow child links read with acquire loads.
 * Replaced and deleted nodes are reclaimed through the epochs, so a program's value pointer stays
 * valid for its run.
 */
public final class LpmTrie extends EbpfMap {
    private static final int CHILD0 = 0;
    private static final int CHILD1 = 4;
    private static final int PREFIXLEN = 8;
    private static final int FLAGS = 12;
    private static final int DATA = 16;
    /** LPM_TREE_NODE_FLAG_IM: an intermediate node, which has no value and is never a result. */
    private static final int IM = 1;

    static final int DATA_SIZE_MAX = 256;

    private final int dataSize;
    private final int maxPrefixlen;
    private final long valueOffset;
    private final SlotPool pool;
    private volatile int root;
    private int entries;

    LpmTrie(MapDefinition def, MapEnvironment env) {
        super(def, env);
        this.dataSize = def.keySize() - 4;
        this.maxPrefixlen = dataSize * 8;
        this.valueOffset = DATA + MapDefinition.roundUp8(dataSize);
        this.pool = new SlotPool(arena, env.epochs(), (int) (valueOffset + def.valueStride()),
                Math.min(Integer.toUnsignedLong(def.maxEntries()), 1 << 16), env.poison());
    }

    /** trie_alloc's checks. */
    static int check(MapDefinition def) {
        int allowed = MapFlags.NO_PREALLOC | MapFlags.NUMA_NODE | MapFlags.ACCESS_MASK;
        long keySize = Integer.toUnsignedLong(def.keySize());
        long valueSize = Integer.toUnsignedLong(def.valueSize());
        // LPM_VAL_SIZE_MAX: KMALLOC_MAX_SIZE - LPM_DATA_SIZE_MAX - sizeof(struct lpm_trie_node) (24 + 16).
        if (def.maxEntries() == 0 || (def.flags() & MapFlags.NO_PREALLOC) == 0 || (def.flags() & ~allowed) != 0
                || !MapFlags.accessOk(def.flags()) || keySize < 4 + 1 || keySize > 4 + DATA_SIZE_MAX || valueSize < 1
                || valueSize > (4L << 20) - DATA_SIZE_MAX - 40) {
            return -Errnos.EINVAL;
        }
        return 0;
    }

    // ---- nodes

    private int child(int node, int bit) {
        return pool.getIntAcquire(node, bit == 0 ? CHILD0 : CHILD1) - 1;
    }

    private void setChild(int node, int bit, int child) {
        pool.setIntRelease(node, bit == 0 ? CHILD0 : CHILD1, child + 1);
    }

    private int prefixlen(int node) {
        return pool.getInt(node, PREFIXLEN);
    }

    private boolean intermediate(int node) {
        return (pool.getIntAcquire(node, FLAGS) & IM) != 0;
    }

    private byte dataByte(int node, int i) {
        return pool.chunk(node).get(ValueLayout.JAVA_BYTE, pool.offset(node) + DATA + i);
    }

    private static int keyPrefixlen(MemorySegment key) {
        return key.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
    }

    private static byte keyByte(MemorySegment key, int i) {
        return key.get(ValueLayout.JAVA_BYTE, 4 + i);
    }

    /** extract_bit: bit {@code index} of the data, most significant bit of byte 0 first. */
    private static int bit(byte b, int index) {
        return (b >> (7 - index % 8)) & 1;
    }

    /** longest_prefix_match: how many leading bits agree, at most min(node's, key's prefixlen). */
    private int longestPrefixMatch(int node, MemorySegment key) {
        long limit = Math.min(Integer.toUnsignedLong(prefixlen(node)), Integer.toUnsignedLong(keyPrefixlen(key)));
        for (int i = 0; i < dataSize; i++) {
            int diff = (dataByte(node, i) ^ keyByte(key, i)) & 0xff;
            if (diff != 0) {
                return (int) Math.min(limit, i * 8L + Integer.numberOfLeadingZeros(diff) - 24);
            }
            if ((i + 1) * 8L >= limit) {
                return (int) limit;
            }
        }
        return (int) limit;
    }

    private MemorySegment valueOf(int node) {
        return pool.chunk(node).asSlice(pool.offset(node) + valueOffset, def.valueSize());
    }

    /** trie_lookup_elem: the most specific non-intermediate node matching the key, or -1. */
    private int lookup(MemorySegment key) {
        if (Integer.toUnsignedLong(keyPrefixlen(key)) > maxPrefixlen) {
            return -1;
        }
        int found = -1;
        for (int node = root - 1; node >= 0; ) {
            int matchlen = longestPrefixMatch(node, key);
            if (matchlen == maxPrefixlen) {
                found = node;
                break;
            }
            if (matchlen < prefixlen(node)) {
                break;
            }
            if (!intermediate(node)) {
                found = node;
            }
            int p = prefixlen(node);
            node = child(node, bit(keyByte(key, p / 8), p));
        }
        return found;
    }

    /** A new unlinked node with the key's prefix and data, and {@code value} (or none for an intermediate node). */
    private int newNode(int prefixlen, MemorySegment data, long dataOff, MemorySegment value) {
        int node = pool.allocate();
        pool.setInt(node, PREFIXLEN, prefixlen);
        MemorySegment.copy(data, dataOff, pool.chunk(node), pool.offset(node) + DATA, dataSize);
        if (value != null) {
            MemorySegment.copy(value, 0, pool.chunk(node), pool.offset(node) + valueOffset, def.valueSize());
        }
        return node;
    }

    /** A "slot": the root, or child {@code bit} of {@code parent}. */
    private void assign(int parent, int bit, int node) {
        if (parent < 0) {
            root = node + 1;
        } else {
            setChild(parent, bit, node);
        }
    }

    private int at(int parent, int bit) {
        return parent < 0 ? root - 1 : child(parent, bit);
    }

    /** trie_check_add_elem. */
    private int checkAdd(long flags) {
        if (flags == MapFlags.EXIST) {
            return -Errnos.ENOENT;
        }
        if (entries == def.maxEntries()) {
            return -Errnos.ENOSPC;
        }
        entries++;
        return 0;
    }

    /** trie_update_elem. */
    private synchronized int update(MemorySegment key, MemorySegment value, long flags) {
        if (flags > MapFlags.EXIST) {
            return -Errnos.EINVAL;
        }
        int keyLen = keyPrefixlen(key);
        if (Integer.toUnsignedLong(keyLen) > maxPrefixlen) {
            return -Errnos.EINVAL;
        }
        int newNode = newNode(keyLen, key, 4, value);
        int parent = -1;
        int slotBit = 0;
        int node;
        int matchlen = 0;
        while ((node = at(parent, slotBit)) >= 0) {
            matchlen = longestPrefixMatch(node, key);
            if (prefixlen(node) != matchlen || prefixlen(node) == keyLen) {
                break;
            }
            parent = node;
            int p = prefixlen(node);
            slotBit = bit(keyByte(key, p / 8), p);
        }
        int r;
        if (node < 0) {
            r = checkAdd(flags);
            if (r == 0) {
                assign(parent, slotBit, newNode);
                return 0;
            }
        } else if (prefixlen(node) == matchlen) {
            if (!intermediate(node)) {
                r = flags == MapFlags.NOEXIST ? -Errnos.EEXIST : 0;
            } else {
                r = checkAdd(flags);
            }
            if (r == 0) {
                setChild(newNode, 0, child(node, 0));
                setChild(newNode, 1, child(node, 1));
                assign(parent, slotBit, newNode);
                pool.retire(node);
                return 0;
            }
        } else {
            r = checkAdd(flags);
            if (r == 0) {
                if (matchlen == keyLen) {
                    setChild(newNode, bit(dataByte(node, matchlen / 8), matchlen), node);
                    assign(parent, slotBit, newNode);
                    return 0;
                }
                int im = newNode(matchlen, pool.chunk(node), pool.offset(node) + DATA, null);
                pool.setInt(im, FLAGS, IM);
                if (bit(keyByte(key, matchlen / 8), matchlen) != 0) {
                    setChild(im, 0, node);
                    setChild(im, 1, newNode);
                } else {
                    setChild(im, 0, newNode);
                    setChild(im, 1, node);
                }
                assign(parent, slotBit, im);
                return 0;
            }
        }
        pool.release(newNode);
        return r;
    }

    /** trie_delete_elem. */
    private synchronized int delete(MemorySegment key) {
        int keyLen = keyPrefixlen(key);
        if (Integer.toUnsignedLong(keyLen) > maxPrefixlen) {
            return -Errnos.EINVAL;
        }
        int parent = -1;
        int parentSlotParent = -1;
        int parentSlotBit = 0;
        int trimParent = -1;
        int trimBit = 0;
        int node;
        int matchlen = 0;
        while ((node = at(trimParent, trimBit)) >= 0) {
            matchlen = longestPrefixMatch(node, key);
            if (prefixlen(node) != matchlen || prefixlen(node) == keyLen) {
                break;
            }
            parent = node;
            parentSlotParent = trimParent;
            parentSlotBit = trimBit;
            trimParent = node;
            int p = prefixlen(node);
            trimBit = bit(keyByte(key, p / 8), p);
        }
        if (node < 0 || prefixlen(node) != keyLen || prefixlen(node) != matchlen || intermediate(node)) {
            return -Errnos.ENOENT;
        }
        entries--;
        int c0 = child(node, 0);
        int c1 = child(node, 1);
        if (c0 >= 0 && c1 >= 0) {
            pool.setIntRelease(node, FLAGS, pool.getInt(node, FLAGS) | IM);
            return 0;
        }
        if (parent >= 0 && intermediate(parent) && c0 < 0 && c1 < 0) {
            int other = child(parent, 0) == node ? child(parent, 1) : child(parent, 0);
            assign(parentSlotParent, parentSlotBit, other);
            pool.retire(parent);
            pool.retire(node);
            return 0;
        }
        assign(trimParent, trimBit, c0 >= 0 ? c0 : c1);
        pool.retire(node);
        return 0;
    }

    /** trie_get_next_key: postorder, more specific prefixes before less specific ones. */
    private int nextKey(MemorySegment key, MemorySegment next) {
        int searchRoot = root - 1;
        if (searchRoot < 0) {
            return -Errnos.ENOENT;
        }
        if (key != null && Integer.toUnsignedLong(keyPrefixlen(key)) <= maxPrefixlen) {
            int[] stack = new int[maxPrefixlen + 1];
            int sp = -1;
            int node;
            int matchlen = 0;
            for (node = searchRoot; node >= 0; ) {
                stack[++sp] = node;
                matchlen = longestPrefixMatch(node, key);
                if (prefixlen(node) != matchlen || prefixlen(node) == keyPrefixlen(key)) {
                    break;
                }
                int p = prefixlen(node);
                node = child(node, bit(keyByte(key, p / 8), p));
            }
            if (node >= 0 && prefixlen(node) == matchlen && !intermediate(node)) {
                node = stack[sp];
                boolean leftmost = false;
                while (sp > 0) {
                    int parent = stack[sp - 1];
                    if (child(parent, 0) == node) {
                        int right = child(parent, 1);
                        if (right >= 0) {
                            searchRoot = right;
                            leftmost = true;
                            break;
                        }
                    }
                    if (!intermediate(parent)) {
                        copyKey(parent, next);
                        return 0;
                    }
                    node = parent;
                    sp--;
                }
                if (!leftmost) {
                    return -Errnos.ENOENT;
                }
            }
        }
        // find_leftmost: every intermediate node has two children, so this always finds a node.
        int found = -1;
        for (int node = searchRoot; node >= 0; ) {
            if (intermediate(node)) {
                node = child(node, 0);
            } else {
                found = node;
                node = child(node, 0);
                if (node < 0) {
                    node = child(found, 1);
                }
            }
        }
        copyKey(found, next);
        return 0;
    }

    private void copyKey(int node, MemorySegment to) {
        to.set(ValueLayout.JAVA_INT_UNALIGNED, 0, prefixlen(node));
        MemorySegment.copy(pool.chunk(node), pool.offset(node) + DATA, to, 4, dataSize);
    }

    /** Entries (nodes with values). */
    public synchronized int size() {
        return entries;
    }

    // ---- user space

    @Override
    int sysLookup(MemorySegment key, MemorySegment out, long flags) {
        int node = lookup(key);
        if (node < 0) {
            return -Errnos.ENOENT;
        }
        MemorySegment.copy(valueOf(node), 0, out, 0, def.valueSize());
        return 0;
    }

    @Override
    int sysUpdate(MemorySegment key, MemorySegment value, long flags) {
        return update(key, value, flags);
    }

    @Override
    int sysDelete(MemorySegment key) {
        return delete(key);
    }

    @Override
    int sysNextKey(MemorySegment key, MemorySegment next) {
        return nextKey(key, next);
    }

    // ---- programs

    @Override
    public MemorySegment lookupElem(MemorySegment key, int worker) {
        int node = lookup(key);
        return node < 0 ? null : valueOf(node);
    }

    @Override
    public long updateElem(MemorySegment key, MemorySegment value, long flags, int worker) {
        return update(key, value, flags);
    }

    @Override
    public long deleteElem(MemorySegment key, int worker) {
        return delete(key);
    }
}
