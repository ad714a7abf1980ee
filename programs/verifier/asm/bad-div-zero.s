; division by a constant zero
; type: xdp
; kernel: reject
; error: div by zero
r0 = 1
r0 /= 0
exit
