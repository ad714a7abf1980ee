; opcode 0x8e does not exist
; type: xdp
; kernel: reject
; error: unknown opcode 8e
r0 = 0
raw 8e 00 00 00 00 00 00 00
exit
