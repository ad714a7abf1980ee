; privileged programs may read stack they did not write
; type: xdp
; kernel: accept
r0 = *(u64 *)(r10 - 8)
r0 = 2
exit
