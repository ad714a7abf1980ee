; a jump into the second slot of a 64-bit load
; type: xdp
; kernel: reject
; error: jump into the middle of ldimm64 insn 0
r0 = 0 ll
if r0 == 0 goto -2
exit
