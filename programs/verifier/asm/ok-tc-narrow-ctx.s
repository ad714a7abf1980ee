; tc programs may read parts of __sk_buff fields
; type: tc
; kernel: accept
r2 = *(u16 *)(r1 + 16)
r3 = *(u8 *)(r1 + 0)
r4 = *(u8 *)(r1 + 51)
r0 = 0
exit
