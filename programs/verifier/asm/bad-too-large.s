; a loop of 600,000 iterations needs more than the 1,000,000-instruction budget
; type: xdp
; kernel: reject
; error: BPF program is too large. Processed 1000001 insn
r0 = 0
loop:
r0 += 1
if r0 < 600000 goto loop
r0 = 2
exit
