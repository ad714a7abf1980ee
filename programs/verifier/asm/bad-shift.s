; shift by 64
; type: xdp
; kernel: reject
; error: invalid shift 64
r0 = 1
r0 <<= 64
exit
