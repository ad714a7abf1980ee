; a spilled scalar keeps its bounds (index into a 16-byte value)
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
r7 &= 15
*(u64 *)(r10 - 16) = r7
r8 = *(u64 *)(r10 - 16)
r0 += r8
r0 = *(u8 *)(r0 + 0)
r0 = 2
exit
