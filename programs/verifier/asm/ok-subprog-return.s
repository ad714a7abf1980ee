; a function computing a bounded index (into a 16-byte value)
; type: xdp
; map a: array key=4 value=16 entries=1
; kernel: accept
r6 = r1
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map[a] ll
call 1
r7 = *(u32 *)(r6 + 16)
r1 = r7
r6 = r0
call pc+4
r6 += r0
r0 = *(u8 *)(r6 + 0)
r0 = 2
exit
r0 = r1
r0 &= 15
exit
