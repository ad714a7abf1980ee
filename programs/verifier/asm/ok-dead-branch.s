; an access on a branch the values rule out
; type: xdp
; kernel: accept
r2 = 5
if r2 > 7 goto bad
r0 = 2
exit
bad:
r0 = *(u64 *)(r2 + 0)
exit
