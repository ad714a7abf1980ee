; programs may not write a map created BPF_F_RDONLY_PROG
; type: xdp
; map ro: array key=4 value=8 entries=1 flags=0x80
; kernel: reject
; error: write into map forbidden, value_size=8 off=0 size=4
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map[ro] ll
call 1
if r0 == 0 goto out
r1 = 1
*(u32 *)(r0 + 0) = r1
out:
r0 = 0
exit
