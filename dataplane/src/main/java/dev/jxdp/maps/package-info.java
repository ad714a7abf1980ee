/**
 * Maps with the kernel's semantics: {@link dev.jxdp.maps.EbpfMap} and its types (array, hash family
 * with the kernel's LRU, LPM trie, ring buffer, queue and stack, bloom filter, prog array, devmap,
 * cpumap, xskmap, perf event array, map-in-maps), made by {@link dev.jxdp.maps.Maps#create} after the
 * kernel's creation checks.
 *
 * <p>Values live off the Java heap at addresses that do not move while their element lives, so a
 * program can point into them. Lookups on the packet path take no lock; deleted elements are reclaimed
 * through {@link dev.jxdp.maps.Epochs} (a program run is one read section). Programs hold maps as
 * {@link dev.jxdp.maps.MapHandle}s, ids of a {@link dev.jxdp.maps.MapTable}. Per-CPU means per packet
 * worker. User-space operations fail with {@link dev.jxdp.maps.MapException}s naming the kernel's errno;
 * program operations return the kernel's helper results.
 */
package dev.jxdp.maps;
