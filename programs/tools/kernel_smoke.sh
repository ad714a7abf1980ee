#!/bin/bash
# Loads every committed object into the running kernel with
# `bpftool prog loadall` and runs each program with `bpftool prog run`:
# once on a 64-byte IPv4/UDP frame, and on the extra frames listed below.
# Prints one line per object and per run; exits 1 if a load or a verdict
# differs from what is expected. Pins go to a private bpffs directory that
# is removed on exit. Needs root, bpftool, python3 and /sys/fs/bpf.
#
# usage: tools/kernel_smoke.sh [NAME...]     (default: every bin/*.o)
set -u
cd "$(dirname "$0")/.." || exit 1

PIN=/sys/fs/bpf/jxdp-smoke-$$	# bpffs refuses "." in names
PKT=$(mktemp -d)
trap 'rm -rf "$PIN" "$PKT"' EXIT
python3 tools/make_packets.py "$PKT" || exit 1

# Objects that libbpf >= 1.0, and so bpftool, refuses by design.
LEGACY="xdp_legacy_ethertype_filter tc_iproute2_dscp_classifier"

# Verdicts other than XDP_PASS (2) / TC_ACT_OK (0) on udp64: program retval
declare -A UDP64=(
	[xdp_l2_switch]=4	# unknown destination MAC: flooded, XDP_REDIRECT
	[xdp_icmp_policy]=1	# run directly, not via the dispatcher: reads UDP as ICMP
	[tc_drop]=2		# TC_ACT_SHOT
	[tc_redirect_port]=7	# bpf_redirect: TC_ACT_REDIRECT
)

# Second-stage programs (SEC xdp/cpumap, xdp/devmap): the kernel's test run
# refuses them (EINVAL); they run only from a cpumap or devmap entry.
SECOND_STAGE="cpumap_fields"

# Extra runs: program frame expected-retval
EXTRA="
xdp_icmp_echo icmp_echo 3
xdp_icmp_firewall icmp_echo 1
xdp_ipv4_filter udp64_bad_ipcsum 1
xdp_dispatch udp_dport0 1
xdp_udp_port_filter udp_dport0 1
xdp_syn_mss_guard tcp_syn_lowmss_vlan_ipopt 1
xdp_syn_mss_guard tcp_syn_lowmss_ipv6_ext 1
xdp_dns_amp_guard dns_big_response 1
tc_rtp_jitter rtp 0
xdp_sensor_telemetry sensor_report 2
xdp_sensor_telemetry sensor_report_weak 1
"

rc=0
run() {	# run PINNED_PROG FRAME EXPECTED
	local out got
	out=$(bpftool prog run pinned "$1" data_in "$PKT/$2.bin" 2>&1)
	got=$(sed -n 's/^Return value: \([0-9]*\),.*/\1/p' <<<"$out")
	if [ "$got" = "$3" ]; then
		printf '    run %-26s %-28s retval %s ok\n' "$(basename "$1")" "$2" "$got"
	else
		printf '    run %-26s %-28s retval %s, expected %s FAIL\n' "$(basename "$1")" "$2" "${got:-?}" "$3"
		rc=1
	fi
}

names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(ls bin/*.o | xargs -n1 basename | sed 's/\.o$//'))

for n in "${names[@]}"; do
	mkdir -p "$PIN/$n/maps"
	# pinmaps keeps the PROG_ARRAY referenced after bpftool exits; without a
	# user reference the kernel empties it and tail calls fall through.
	if ! err=$(bpftool prog loadall "bin/$n.o" "$PIN/$n/progs" pinmaps "$PIN/$n/maps" 2>&1); then
		if [[ " $LEGACY " == *" $n "* ]]; then
			echo "$n: refused by bpftool (expected: $(grep -m1 'legacy map' <<<"$err" | sed 's/^libbpf: //'))"
		else
			echo "$n: LOAD FAILED"; echo "$err" | tail -20; rc=1
		fi
		continue
	fi
	echo "$n: loaded"
	for p in "$PIN/$n/progs"/*; do
		prog=$(basename "$p")
		type=$(bpftool prog show pinned "$p" | sed -n '1s/^[0-9]*: \([a-z_]*\) .*/\1/p')
		case "$type" in
		xdp) def=2 ;;
		sched_cls | sched_act) def=0 ;;
		*) echo "    $prog: unexpected type $type"; rc=1; continue ;;
		esac
		if [[ " $SECOND_STAGE " == *" $prog "* ]]; then
			if bpftool prog run pinned "$p" data_in "$PKT/udp64.bin" 2>&1 | grep -q "Invalid argument"; then
				printf '    run %-26s %-28s refused (second stage) ok\n' "$prog" udp64
			else
				printf '    run %-26s %-28s not refused, expected EINVAL FAIL\n' "$prog" udp64
				rc=1
			fi
			continue
		fi
		run "$p" udp64 "${UDP64[$prog]:-$def}"
		while read -r ep frame want; do
			[ "$ep" = "$prog" ] && run "$p" "$frame" "$want"
		done <<<"$EXTRA"
	done
	rm -rf "${PIN:?}/$n"
done
exit $rc
