/**
 * The object model of eBPF ELF files: bytes in, specs out. Pure: no I/O beyond reading the file's
 * bytes, no runtime state. Bad input fails with an {@link dev.jxdp.obj.ObjectFormatException} that
 * names the file, the section and the offset.
 */
package dev.jxdp.obj;
