; a sign-extending load (cpu v4) bounded from both sides
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
*(u32 *)(r10 - 16) = r7
r8 = *(s8 *)(r10 - 16)
if r8 s< 0 goto out
if r8 s> 15 goto out
r0 += r8
r0 = *(u8 *)(r0 + 0)
out:
r0 = 2
exit
