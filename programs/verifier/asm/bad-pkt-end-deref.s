; data_end marks the end: it cannot be dereferenced
; type: xdp
; kernel: reject
; error: R2 invalid mem access 'pkt_end'
r2 = *(u32 *)(r1 + 4)
r0 = *(u8 *)(r2 + 0)
exit
