; an array lookup with a constant key in range cannot fail (Linux 6.13+)
; type: xdp
; map a: array key=4 value=8 entries=4
; kernel: accept
*(u32 *)(r10 - 8) = 2
r2 = r10
r2 += -8
r1 = map[a] ll
call 1
r0 = *(u64 *)(r0 + 0)
r0 = 2
exit
