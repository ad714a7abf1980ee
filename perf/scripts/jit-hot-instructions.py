#!/usr/bin/env python3
"""Where in a C2-compiled method a perf profile's samples fall, instruction by instruction.

The JDK on these machines finds no hsdis, so -XX:CompileCommand=print prints a compiled method's code
as hex bytes. This reads those bytes back, disassembles them with objdump and puts next to each
instruction the number of perf samples at its address. Used for perf/README.md's "seventh session".

  perf record -F 9999 -o /tmp/p.data -- java -XX:-UseCompressedOops -XX:+UnlockDiagnosticVMOptions \\
      -XX:+DumpPerfMapAtExit -XX:CompileCommand=quiet -XX:CompileCommand=print,dev.jxdp.hooks.Worker::xdp \\
      --enable-native-access=ALL-UNNAMED -jar nic-sim/target/jxdp.jar bench --xdp programs/bin/xdp_drop.o \\
      --duration 6s --sampling 0 > /tmp/asm.out 2>&1
  perf script -i /tmp/p.data -F ip,sym > /tmp/ips.txt
  perf/scripts/jit-hot-instructions.py /tmp/asm.out /tmp/ips.txt Worker::xdp | sort -rn | head -40

Samples land on the instruction after the one that waited (skid): read a hot line with its
neighbours. Each C2 compilation of the method (OSR ones too) is printed with its share of all samples.
"""
import collections
import re
import subprocess
import sys
import tempfile


def blocks(asm_lines):
    """Each printed compilation: its header line and its code bytes by address."""
    current = None
    for line in asm_lines:
        if line.startswith("Compiled method"):
            current = {"header": line.rstrip(), "bytes": {}}
            yield current
            continue
        m = re.match(r"\s+0x([0-9a-f]+): ((?:[0-9a-f]{4} ?\|? ?)+)$", line)
        if current is not None and m:
            current["bytes"][int(m.group(1), 16)] = bytes.fromhex("".join(m.group(2).replace("|", "").split()))


def main(asm_file, ips_file, method):
    samples = collections.Counter()
    with open(ips_file) as f:
        for line in f:
            fields = line.split()
            if fields:
                samples[int(fields[0], 16)] += 1
    total = sum(samples.values())
    with open(asm_file) as f:
        compiled = [b for b in blocks(f) if "(c2)" in b["header"] and method in b["header"]]
    for b in compiled:
        if not b["bytes"]:
            continue
        start = min(b["bytes"])
        code = b"".join(b["bytes"][a] for a in sorted(b["bytes"]))
        hits = sum(c for ip, c in samples.items() if start <= ip < start + len(code))
        print(f"{hits:6d} {b['header']} ({100 * hits / max(total, 1):.1f}% of all samples)")
        if hits == 0:
            continue
        with tempfile.NamedTemporaryFile(suffix=".bin") as t:
            t.write(code)
            t.flush()
            out = subprocess.run(["objdump", "-D", "-b", "binary", "-mi386:x86-64", "-Mintel", f"--adjust-vma={start:#x}", t.name],
                                 capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            m = re.match(r"\s*([0-9a-f]+):", line)
            if m:
                print(f"{samples.get(int(m.group(1), 16), 0):6d} {line}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: jit-hot-instructions.py ASM_OUTPUT PERF_SCRIPT_IPS METHOD (e.g. Worker::xdp)")
    main(*sys.argv[1:])
