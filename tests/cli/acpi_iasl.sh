#!/usr/bin/env bash
# The VMM's ACPI tables disassembled by acpica's `iasl -d`: every table
# decodes without checksum warnings or errors, and the decoded MADT, SRAT and
# SLIT carry the topology (one CPU entry per CPU with its APIC ID, each CPU
# on the node of its LLC, one memory range per node, 10/20 distances).
# Skips (77) without iasl (Debian: acpica-tools).
. "$(dirname "$0")/lib.sh"
: "${ACPI_DUMP:?run through meson test}"
command -v iasl >/dev/null || { echo "SKIP: iasl not installed (acpica-tools)"; exit 77; }

# hex2dec: every whitespace-separated hex field of stdin in decimal (mawk has no strtonum).
hex2dec() {
	local line f outl
	while read -r line; do
		outl=""
		for f in $line; do outl="$outl $((16#$f))"; done
		echo "${outl# }"
	done
}

# apic_id CPU T C T: the catalog's encoding, computed independently here.
bits() { local n=$1 b=0; while [ $((1 << b)) -lt "$n" ]; do b=$((b + 1)); done; echo $b; }

check_topo() {	# check_topo NAME N L C T
	local name=$1 n=$2 l=$3 c=$4 t=$5 d="$TMP/$1"
	local cpus=$((l * c * t)) sb cb x2=0
	mkdir -p "$d"
	run "$ACPI_DUMP" "$name" "$d"
	expect_rc 0 "$name: acpi_dump"
	# iasl cannot disassemble a bare RSDP ("not a valid ACPI table"): the
	# unit test checks it; iasl gets every table it points to.
	(cd "$d" && rm rsdp.dat && iasl -d ./*.dat) >"$d/iasl.log" 2>&1
	rc=$?; out=$(cat "$d/iasl.log"); err=
	expect_rc 0 "$name: iasl -d"
	checks=$((checks + 1))
	if grep -Eiq 'incorrect checksum|warning|error' "$d/iasl.log" "$d"/*.dsl; then
		fail "$name: iasl reports: $(grep -Eih 'incorrect checksum|warning|error' "$d/iasl.log" "$d"/*.dsl | head -3)"
	fi
	for tbl in apic facp dsdt srat slit rsdt xsdt; do
		checks=$((checks + 1))
		[ -s "$d/$tbl.dsl" ] || fail "$name: no $tbl.dsl"
	done

	# FADT rev 6.5 (not hardware-reduced), DSDT with \_S5 for ACPI power-off.
	for want in 'Revision : 06' 'FADT Minor Revision : 05' 'Hardware Reduced \(V5\) : 0' \
		'Control Method Power Button \(V1\) : 1' 'Control Method Sleep Button \(V1\) : 1' \
		'PM1A Control Block Address : 00000604'; do
		checks=$((checks + 1))
		grep -Eq "$want" "$d/facp.dsl" || fail "$name: FADT lacks /$want/"
	done
	checks=$((checks + 1))
	grep -q 'Name (_S5, Package (0x04)' "$d/dsdt.dsl" || fail "$name: DSDT has no _S5"

	# The expected APIC IDs and nodes, one line per CPU: "apic node".
	sb=$(bits "$t"); cb=$((sb + $(bits "$c")))
	: >"$d/want"
	for ((cpu = 0; cpu < cpus; cpu++)); do
		local llc=$((cpu / (c * t))) core=$(((cpu / t) % c)) th=$((cpu % t))
		local apic=$(((llc << cb) | (core << sb) | th))
		[ $apic -gt 254 ] && x2=1
		echo "$apic $((llc / (l / n)))" >>"$d/want"
	done

	# MADT: one Local APIC (ID <= 254) or Processor x2Apic ID entry per CPU.
	grep -E '(Local Apic ID|Processor x2Apic ID) :' "$d/apic.dsl" |
		awk '{ print $NF }' | hex2dec >"$d/madt_ids"
	expect_eq "$(wc -l <"$d/madt_ids")" "$cpus" "$name: MADT has one entry per CPU"
	expect_eq "$(cat "$d/madt_ids")" "$(cut -d' ' -f1 "$d/want")" "$name: MADT APIC IDs"
	expect_eq "$(grep -c 'I/O Apic ID' "$d/apic.dsl")" 1 "$name: one IOAPIC"
	expect_eq "$(grep -c 'Interrupt Source Override' "$d/apic.dsl")" 1 "$name: one ISO"
	checks=$((checks + 1))
	grep -q 'Address : FEC00000' "$d/apic.dsl" || fail "$name: IOAPIC address"
	if [ $x2 = 1 ]; then
		checks=$((checks + 1))
		grep -q 'Processor x2Apic ID' "$d/apic.dsl" || fail "$name: x2APIC entries"
	fi

	# SRAT: "apic node" per CPU in order, from either affinity structure.
	awk '
		/Subtable Type : 00/ { k = 0 } /Subtable Type : 02/ { k = 2 } /Subtable Type : 01/ { k = 1 }
		k == 0 && /Proximity Domain Low\(8\)/ { lo = $NF }
		k == 0 && /Apic ID :/ { id = $NF }
		k == 0 && /Proximity Domain High\(24\)/ { print id, $NF lo }
		k == 2 && /Proximity Domain :/ { pd = $NF }
		k == 2 && /Apic ID :/ { print $NF, pd }
	' "$d/srat.dsl" | hex2dec >"$d/srat_cpus"
	expect_eq "$(cat "$d/srat_cpus")" "$(cat "$d/want")" "$name: SRAT proximity domain per CPU = node of its LLC"
	expect_eq "$(grep -c 'Memory Affinity' "$d/srat.dsl")" "$n" "$name: one memory affinity per node"

	# SLIT: N localities, 0A on the diagonal, 14 elsewhere.
	expect_eq "$(grep -c 'Locality *[0-9]* :' "$d/slit.dsl")" "$n" "$name: SLIT locality rows"
	local row want
	for ((i = 0; i < n; i++)); do
		want=""
		for ((j = 0; j < n; j++)); do
			[ $i = $j ] && want="$want 0A" || want="$want 14"
		done
		row=$(grep -E "Locality +$i :" "$d/slit.dsl" | sed 's/.*: *//')
		expect_eq " $row" "$want" "$name: SLIT row $i"
	done
	echo "$name: $cpus CPUs, $(grep -c . "$d/srat_cpus") SRAT CPUs, $n nodes: checked"
}

check_topo 1n1l2c1t 1 1 2 1
check_topo 1n2l4c2t 1 2 4 2
check_topo 2n4l2c1t 2 4 2 1
check_topo 4n8l4c1t 4 8 4 1
check_topo 2n14l9c2t 2 14 9 2
finish
