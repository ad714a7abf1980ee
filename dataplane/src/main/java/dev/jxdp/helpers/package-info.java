/**
 * Facts about the kernel's BPF helper functions that the loader, the verifier and the engines share:
 * ids, names and the GPL-only flag ({@link dev.jxdp.helpers.HelperIds}), and the prototypes
 * ({@link dev.jxdp.helpers.HelperProtos}: argument and return types, which program families may call
 * each) that are the contract between the verifier and the runtime implementations. Implementations
 * of helpers live elsewhere.
 */
package dev.jxdp.helpers;
