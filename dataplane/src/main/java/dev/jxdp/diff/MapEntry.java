package dev.jxdp.diff;

/**
 * One element to put in a map before the first packet, as bpf(BPF_MAP_UPDATE_ELEM) takes it: for a
 * per-CPU map the value is one 8-aligned slot per possible CPU, which is also what jxdp's maps take
 * when they have one worker per possible CPU (the runner loads them so).
 */
public record MapEntry(byte[] key, byte[] value) {
    public MapEntry {
        key = key.clone();
        value = value.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }
}
