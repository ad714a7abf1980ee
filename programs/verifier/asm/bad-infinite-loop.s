; a loop that makes no progress
; type: xdp
; kernel: reject
; error: infinite loop detected at insn 1
r0 = 0
loop:
if r0 == 0 goto loop
exit
