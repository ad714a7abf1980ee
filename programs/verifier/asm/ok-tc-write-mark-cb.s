; tc programs may set mark, priority and cb[]
; type: tc
; kernel: accept
r2 = 7
*(u32 *)(r1 + 8) = r2
*(u32 *)(r1 + 32) = r2
*(u32 *)(r1 + 48) = 5
r0 = 0
exit
