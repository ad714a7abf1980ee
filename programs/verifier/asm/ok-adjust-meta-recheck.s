; after bpf_xdp_adjust_meta the pointers are reloaded and checked again
; type: xdp
; kernel: accept
r6 = r1
r2 = -4
call 54
r0 = 2
if r0 != 0 goto out
r2 = *(u32 *)(r6 + 8)
r3 = *(u32 *)(r6 + 0)
r4 = r2
r4 += 4
if r4 > r3 goto out
r5 = 1
*(u32 *)(r2 + 0) = r5
out:
r0 = 2
exit
