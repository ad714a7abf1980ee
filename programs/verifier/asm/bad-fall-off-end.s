; the last instruction must be an exit or a jump
; type: xdp
; kernel: reject
; error: last insn is not an exit or jmp
r0 = 0
if r0 == 0 goto +1
exit
r0 = 1
