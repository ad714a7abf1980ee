; key and value on the stack
; type: xdp
; map m: hash key=4 value=8 entries=4
; kernel: accept
*(u32 *)(r10 - 4) = 1
*(u64 *)(r10 - 16) = 7
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
r1 = map[m] ll
call 2
r0 = 2
exit
