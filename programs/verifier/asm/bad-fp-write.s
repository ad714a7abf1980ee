; r10 is the frame pointer, read-only
; type: xdp
; kernel: reject
; error: frame pointer is read only
r10 = 0
r0 = 0
exit
