/**
 * The kernel differential runner: a program run packet by packet in jxdp and in the kernel
 * ({@link dev.jxdp.diff.DiffRunner}), the first difference reported with where in the program it
 * may come from. Behind {@code jxdp diff} and the corpus tests that diff every program of
 * programs/ against the kernel.
 */
package dev.jxdp.diff;
