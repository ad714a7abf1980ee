; recursion beyond 8 frames
; type: xdp
; kernel: reject
; error: the call stack of 9 frames is too deep
r0 = 0
call pc+1
exit
call pc-1
exit
