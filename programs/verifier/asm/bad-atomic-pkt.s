; atomic operations on packet memory
; type: xdp
; kernel: reject
; error: BPF_ATOMIC stores into R2 pkt is not allowed
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r4 > r3 goto out
r5 = 1
lock *(u64 *)(r2 + 0) += r5
out:
r0 = 2
exit
