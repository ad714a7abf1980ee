; a number used as a pointer
; type: xdp
; kernel: reject
; error: R1 invalid mem access 'scalar'
r1 = 0x1000
r0 = *(u32 *)(r1 + 0)
exit
