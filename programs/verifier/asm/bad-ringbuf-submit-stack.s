; only a reservation may be submitted
; type: xdp
; kernel: reject
; error: R1 type=fp expected=ringbuf_mem
r1 = r10
r1 += -8
r2 = 0
call 132
r0 = 0
exit
