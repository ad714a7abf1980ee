/**
 * Facts about the kernel's BPF helper functions that the loader, the verifier and the interpreter
 * share: ids, names and the GPL-only flag. Implementations of helpers live elsewhere.
 */
package dev.jxdp.helpers;
