; a function writing through a pointer into its caller's stack
; type: xdp
; kernel: accept
r1 = r10
r1 += -8
call pc+3
r0 = *(u64 *)(r10 - 8)
r0 = 2
exit
r2 = 42
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
