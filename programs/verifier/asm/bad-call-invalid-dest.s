; a call past the end
; type: xdp
; kernel: reject
; error: call to invalid destination
r0 = 0
call pc+5
exit
