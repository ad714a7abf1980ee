; helper 999 does not exist
; type: xdp
; kernel: reject
; error: invalid func unknown#999
r0 = 0
call 999
exit
