; two frames of 512 and 256 bytes
; type: xdp
; kernel: reject
; error: combined stack size of 2 calls is 768. Too large
*(u64 *)(r10 - 512) = 0
call pc+2
r0 = 0
exit
*(u64 *)(r10 - 256) = 0
r0 = 0
exit
