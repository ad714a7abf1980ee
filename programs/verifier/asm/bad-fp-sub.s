; no subtraction from the stack pointer
; type: xdp
; kernel: reject
; error: R1 subtraction from stack pointer prohibited
r0 = 0
r1 = r10
r1 -= 8
exit
