; adding an unbounded number to a packet pointer
; type: xdp
; kernel: reject
; error: math between pkt pointer and register with unbounded min value is not allowed
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 1
if r4 > r3 goto out
r5 = *(u64 *)(r10 - 8)
r2 += r5
out:
r0 = 2
exit
