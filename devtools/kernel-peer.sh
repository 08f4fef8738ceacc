#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# The kernel peer: a QEMU guest running the Linux vNTB endpoint stack
# (pci-epf-vntb, ntb_transport, ntb_netdev) on our pci_epc_ivshmem
# endpoint controller, for a DPDK process on the host to act as its RC.
# See doc/guides/tools/kernel_peer.rst.
set -eu

usage() {
	cat <<EOF
usage: $0 [--kernel S] build
       $0 [--kernel S] up [--name N] [KEY=VALUE...]
       $0 exec [--name N] [--timeout S] -- CMD...
       $0 reboot [--name N]
       $0 status [--name N]
       $0 down [--name N]
       $0 [--kernel S] selftest

build   installs missing Debian packages, builds (or finds in the cache)
        the guest kernel, pci_epc_ivshmem.ko and the initramfs
up      boots guest N (default "default"), starts its vNTB function and
        prints RC_VDEV=, GUEST_IF=, GUEST_IP=, PEER_IP= (and more) lines
        KEY=VALUE: vNTB configfs attributes (db_count=, spad_count=,
          num_mws=, mw1=, vntb_vid=, vbus_number=, msi_interrupts=,
          vendorid=, deviceid=, ...), module parameters as
          MODULE.PARAM=VALUE (ntb_transport.transport_mtu=,
          ntb_transport.max_mw_size=, ...), and guest_ip=A.B.C.D/N, peer_ip=,
          mtu=N, transport=0|1, netdev=0|1, tool=0|1, vntb=0 (EPC only),
          start=0 (vNTB function bound, controller not started: an EP
          that starts late; start it with: exec -- kpeer-up start)
exec    runs CMD (joined with spaces) with sh in the guest; prints its
        output (stdout and stderr), exits with its status (124: timeout)
reboot  restarts QEMU on the same files, then brings up as "up" did
status  the EPC descriptor and the vNTB ctrl region, read from the host
down    stops guest N (by PID) and removes its files
selftest  boots guest "selftest" with ntb_tool and checks, as a minimal
        host peer, the ivshmem protocol, MSI delivery, reconnect, reboot
--kernel S  guest kernel series: 6.1 (default, bookworm's linux-source-6.1)
        or 7.2 (forky's linux-source-7.2, downloaded once, not installed);
        options may come before or after the command

Environment: DPDK_VNTB_CACHE (default ~/.cache/dpdk-vntb),
KPEER_RUN_DIR (default /run/dpdk-vntb, or \$XDG_RUNTIME_DIR/dpdk-vntb
when /run is not writable), KPEER_SHM_DIR (guest RAM and ivshmem files,
default /dev/shm; 320 MiB), KPEER_LIFETIME (seconds before a forgotten
guest stops itself, default 7200), KPEER_KERNEL (the kernel series when
--kernel is not given, default 6.1).
EOF
}

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
kp=$here/kernel-peer
cache=${DPDK_VNTB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dpdk-vntb}
series=${KPEER_KERNEL:-6.1}
check_series() {
	case "$series" in
	6.1|7.2) ;;
	*) die "kernel series '$series': 6.1 or 7.2";;
	esac
}
lifetime=${KPEER_LIFETIME:-7200}
shm_dir=${KPEER_SHM_DIR:-/dev/shm}
ram_size=256M
shm_size=$((64 << 20))
vectors=16

log() { echo "kernel-peer: $*" >&2; }
die() { log "$*"; exit 1; }
case "$lifetime" in
''|*[!0-9]*) die "KPEER_LIFETIME='$lifetime': seconds, 0 for none";;
esac

run_base() {
	if [ -n "${KPEER_RUN_DIR:-}" ]; then
		echo "$KPEER_RUN_DIR"
	elif mkdir -p /run/dpdk-vntb 2>/dev/null && [ -w /run/dpdk-vntb ]; then
		echo /run/dpdk-vntb
	else
		echo "${XDG_RUNTIME_DIR:-/tmp}/dpdk-vntb"
	fi
}

# --- build ---------------------------------------------------------------

need_packages() {
	pkgs="qemu-system-x86 busybox-static gcc make libc6-dev bc flex
		bison libelf-dev libssl-dev cpio xz-utils python3"
	# 7.2's source is forky's, fetched by build-kernel.sh (not installed)
	[ "$series" = 6.1 ] && pkgs="$pkgs linux-source-6.1"
	missing=
	for p in $pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	log "installing:$missing"
	sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -q >&2
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
		--no-install-recommends $missing >&2
}

# Prints the directory with bzImage, initramfs.cpio.gz, pci_epc_ivshmem.ko
do_build() {
	need_packages
	mkdir -p "$cache"
	# one build at a time (several guests or test runs may start at once)
	exec 9>"$cache/kernel-peer.lock"
	flock 9
	kdir=$("$kp/build-kernel.sh" "$series" | tail -n 1)
	[ -f "$kdir/done" ] || die "kernel build failed"
	busybox_ver=$(dpkg-query -W -f='${Version}' busybox-static)
	gcc_ver=$(gcc -dumpfullversion 2>/dev/null || gcc -dumpversion)
	hash=$( (echo "$kdir $busybox_ver $gcc_ver"
		cat "$top"/kernel/linux/pci_epc_ivshmem/* "$kp"/guest/* \
			"$kp/kpeer_exec.py" "$here/kernel-peer.sh") | sha256sum | cut -c1-12)
	out=$cache/kpeer-$(basename "$kdir")-$hash
	if [ -f "$out/done" ]; then
		exec 9>&-
		echo "$out"
		return 0
	fi
	log "building pci_epc_ivshmem.ko, ntb_frames and the initramfs in $out"
	rm -rf "$out.new"
	mkdir -p "$out.new/mod" "$out.new/root"
	cp "$top"/kernel/linux/pci_epc_ivshmem/* "$out.new/mod/"
	make -s -C "$kdir/build" M="$out.new/mod" W=1 modules >&2
	gcc -static -O2 -Wall -Wextra -Werror -o "$out.new/ntb_frames" \
		"$kp/guest/ntb_frames.c"
	"$out.new/ntb_frames" selftest >&2 || die "ntb_frames selftest failed"
	gic=$kdir/build/usr/gen_init_cpio
	[ -x "$gic" ] || die "$gic missing (kernel tree incomplete)"
	list=$out.new/initramfs.list
	{
		for d in /bin /sbin /usr /usr/bin /usr/sbin /dev /proc /sys \
			/tmp /lib /lib/modules /root /etc; do
			echo "dir $d 755 0 0"
		done
		echo "nod /dev/console 600 0 0 c 5 1"
		echo "nod /dev/null 666 0 0 c 1 3"
		echo "file /bin/busybox /bin/busybox 755 0 0"
		/bin/busybox --list-full | while read -r a; do
			[ "$a" = bin/busybox ] && continue
			echo "slink /$a /bin/busybox 777 0 0"
		done
		echo "file /init $kp/guest/init 755 0 0"
		echo "file /bin/kpeer-cmdloop $kp/guest/kpeer-cmdloop 755 0 0"
		echo "file /bin/kpeer-up $kp/guest/kpeer-up 755 0 0"
		echo "file /bin/ntb_frames $out.new/ntb_frames 755 0 0"
		echo "file /lib/modules/pci_epc_ivshmem.ko" \
			"$out.new/mod/pci_epc_ivshmem.ko 644 0 0"
		for m in "$kdir"/modules/*.ko; do
			echo "file /lib/modules/$(basename "$m") $m 644 0 0"
		done
	} >"$list"
	"$gic" "$list" >"$out.new/initramfs.cpio" ||
		die "gen_init_cpio failed on $list"
	n=$(cpio -t <"$out.new/initramfs.cpio" 2>/dev/null |
		grep -c '^lib/modules/.*\.ko$')
	[ "$n" -eq $(($(ls "$kdir"/modules/*.ko | wc -l) + 1)) ] ||
		die "initramfs has $n modules, not all"
	gzip -9 "$out.new/initramfs.cpio"
	cp "$kdir/bzImage" "$out.new/mod/pci_epc_ivshmem.ko" "$out.new/"
	cp "$kdir/version" "$out.new/kernel-version"
	rm -rf "$out.new/root"
	touch "$out.new/done"
	rm -rf "$out"
	mv "$out.new" "$out"
	exec 9>&-
	echo "$out"
}

# --- run state -------------------------------------------------------------

name=default
parse_name() {
	case "$name" in
	''|*[!A-Za-z0-9_-]*) die "--name '$name': letters, digits, _ and - only";;
	esac
	[ ${#name} -le 32 ] || die "--name '$name': 32 characters at most"
	run=$(run_base)/kpeer-$name
	shm=$shm_dir/dpdk-vntb-kpeer-$name-ivshmem
	ram=$shm_dir/dpdk-vntb-kpeer-$name-ram
	# a guest that is up keeps the files it was started with
	if [ -f "$run/files" ]; then
		shm=$(sed -n 1p "$run/files")
		ram=$(sed -n 2p "$run/files")
	fi
}

# running, not a zombie (an init that reaps late leaves those around)
proc_alive() {
	kill -0 "$1" 2>/dev/null || return 1
	st=$(sed 's/^.*) \(.\).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "$st" != Z ]
}

pid_alive() {
	[ -f "$1" ] && proc_alive "$(cat "$1")"
}

# kill_pid FILE [GROUP]: TERM, up to 5 s, then KILL; by the PID in FILE
kill_pid() {
	[ -f "$1" ] || return 0
	p=$(cat "$1")
	case "$p" in ''|*[!0-9]*) rm -f "$1"; return 0;; esac
	t=$p
	[ "${2:-}" = group ] && t=-$p
	if proc_alive "$p"; then
		kill -TERM "$t" 2>/dev/null || true
		i=0
		while proc_alive "$p" && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$t" 2>/dev/null || true
	fi
	rm -f "$1"
}

start_qemu() {
	rm -f "$run/console.log" "$run/cmd.sock"
	qemu-system-x86_64 -nodefaults -M q35,memory-backend=ram \
		-object "memory-backend-file,id=ram,share=on,mem-path=$ram,size=$ram_size" \
		-m "$ram_size" -smp 1 -accel tcg -nic none -display none \
		-kernel "$art/bzImage" -initrd "$art/initramfs.cpio.gz" \
		-append "console=ttyS0 panic=1 loglevel=6 ipv6.disable=1 rdinit=/init" \
		-serial "file:$run/console.log" \
		-chardev "socket,id=cmd,path=$run/cmd.sock,server=on,wait=off" \
		-serial chardev:cmd \
		-chardev "socket,id=ivsh,path=$run/ivshmem.sock" \
		-device "ivshmem-doorbell,chardev=ivsh,vectors=$vectors" \
		-no-reboot -pidfile "$run/qemu.pid" -daemonize \
		>>"$run/qemu.log" 2>&1 ||
		die "QEMU did not start: $(tail -n 3 "$run/qemu.log")"
}

kexec() {
	python3 "$kp/kpeer_exec.py" --sock "$run/cmd.sock" \
		--lock "$run/cmd.lock" "$@"
}

# Waits for the guest's command loop, then runs kpeer-up with $run/args.
guest_up() {
	i=0
	until grep -q '^kpeer: ready' "$run/console.log" 2>/dev/null; do
		pid_alive "$run/qemu.pid" ||
			die "QEMU exited; console: $(tail -n 5 "$run/console.log")"
		i=$((i + 1))
		[ $i -lt 600 ] || die "guest not ready after 60 s ($run/console.log)"
		sleep 0.1
	done
	t_ready=$(date +%s.%N)
	i=0
	until kexec --timeout 2 -- true >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 20 ] || die "guest command channel not answering"
	done
	# shellcheck disable=SC2046
	if ! kexec --timeout 60 -- kpeer-up $(cat "$run/args") \
		>"$run/up.out"; then
		cat "$run/up.out" >&2
		die "bring-up in the guest failed (console: $run.console.log)"
	fi
	grep -qw 'vntb=0' "$run/args" && return 0
	grep -qw 'start=0' "$run/args" && return 0
	python3 "$kp/kpeer_status.py" --shm "$shm" --ram "$ram" --quiet \
		--wait-started 10 || die "the vNTB function did not start"
}

print_env() {
	gip=10.88.0.2/24
	pip=10.88.0.1
	for kv in $(cat "$run/args"); do
		case "$kv" in
		guest_ip=*) gip=${kv#guest_ip=};;
		esac
	done
	[ -f "$run/peer_ip" ] && pip=$(cat "$run/peer_ip")
	echo "RC_VDEV=raw_ntb_ivshmem0,server=$run/ivshmem.sock,ram=$ram"
	grep '^GUEST_IF=' "$run/up.out" || echo "GUEST_IF="
	echo "GUEST_IP=${gip%/*}"
	echo "PEER_IP=$pip"
	grep '^GUEST_MAC=\|^GUEST_MTU=' "$run/up.out" || true
	echo "KPEER_KERNEL=$(cat "$run/series" 2>/dev/null || echo "$series")"
	echo "KPEER_NAME=$name"
	echo "KPEER_RUN=$run"
	echo "KPEER_SHM=$shm"
	echo "KPEER_RAM=$ram"
}

cmd_up() {
	args=
	for kv in "$@"; do
		case "$kv" in
		peer_ip=*) ;;
		*=*) args="$args $kv";;
		*) die "up: '$kv' is not KEY=VALUE";;
		esac
		case "$kv" in *[!-0-9a-zA-Z._,:/=]*)
			die "up: '$kv': letters, digits and -._,:/ only";;
		esac
	done
	if pid_alive "$run/qemu.pid" || pid_alive "$run/server.pid"; then
		die "guest '$name' is already up ($run): down it first"
	fi
	t0=$(date +%s.%N)
	art=$(do_build | tail -n 1)
	t1=$(date +%s.%N)
	rm -rf "$run"
	mkdir -p "$run"
	# a failed up leaves nothing running
	trap 'cp "$run/console.log" "$run.console.log" 2>/dev/null
		cmd_down >/dev/null 2>&1' EXIT
	echo "$art" >"$run/artifacts"
	echo "$series" >"$run/series"
	printf '%s\n%s\n' "$shm" "$ram" >"$run/files"
	echo "$args" >"$run/args"
	for kv in "$@"; do
		case "$kv" in peer_ip=*) echo "${kv#peer_ip=}" >"$run/peer_ip";;
		esac
	done
	rm -f "$shm" "$ram"
	# guest RAM + ivshmem: 320 MiB (a container's /dev/shm may be 64 MiB)
	free=$(df -Pk "$shm_dir" 2>/dev/null | awk 'NR == 2 { print $4 }')
	[ "${free:-0}" -ge $((320 * 1024)) ] ||
		die "$shm_dir has ${free:-?} KiB free, 320 MiB needed (set KPEER_SHM_DIR)"
	setsid python3 "$kp/ivshmem_server.py" --socket "$run/ivshmem.sock" \
		--shm "$shm" --size "$shm_size" --vectors "$vectors" \
		--pidfile "$run/server.pid" </dev/null >>"$run/server.log" 2>&1 &
	i=0
	until [ -S "$run/ivshmem.sock" ] && [ -f "$run/server.pid" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || die "ivshmem server did not start: $(cat "$run/server.log")"
		sleep 0.1
	done
	if [ "$lifetime" -gt 0 ]; then
		setsid sh -c "sleep $lifetime; exec '$here/kernel-peer.sh' down --name '$name' --watchdog" \
			</dev/null >/dev/null 2>&1 &
		echo $! >"$run/watchdog.pid"
	fi
	start_qemu
	guest_up
	t2=$(date +%s.%N)
	log "up in $(echo "$t2 - $t0" | bc) s: build/cache $(echo "$t1 - $t0" | bc) s, QEMU + boot to the command loop $(echo "$t_ready - $t1" | bc) s, bring-up $(echo "$t2 - $t_ready" | bc) s"
	print_env | tee "$run/env"
	trap - EXIT
}

cmd_reboot() {
	[ -f "$run/artifacts" ] || die "guest '$name' is not up"
	art=$(cat "$run/artifacts")
	pid_alive "$run/server.pid" || die "ivshmem server of '$name' is gone"
	kill_pid "$run/qemu.pid"
	# the guest is gone: say so in the descriptor, forget its RAM
	python3 "$kp/kpeer_status.py" --shm "$shm" --reset
	fallocate -p -o 0 -l "$ram_size" "$ram" 2>/dev/null || true
	t0=$(date +%s.%N)
	start_qemu
	guest_up
	log "rebooted in $(echo "$(date +%s.%N) - $t0" | bc) s"
	print_env | tee "$run/env"
}

cmd_down() {
	if [ ! -d "$run" ]; then
		log "guest '$name' is not up"
		rm -f "$shm" "$ram"
		return 0
	fi
	[ "${1:-}" = --watchdog ] || kill_pid "$run/watchdog.pid" group
	kill_pid "$run/qemu.pid"
	kill_pid "$run/server.pid"
	rm -f "$shm" "$ram"
	rm -rf "$run"
	log "guest '$name' down"
}

opt_timeout=60
opt_kernel=
watchdog=
# --kernel may come before the command too
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) [ $# -ge 2 ] || die "--kernel needs a value"
		opt_kernel=$2; shift 2;;
	--kernel=*) opt_kernel=${1#--kernel=}; shift;;
	*) break;;
	esac
done
cmd=${1:-}
[ $# -gt 0 ] && shift
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) [ $# -ge 2 ] || die "--kernel needs a value"
		opt_kernel=$2; shift 2;;
	--kernel=*) opt_kernel=${1#--kernel=}; shift;;
	--name) [ $# -ge 2 ] || die "--name needs a value"; name=$2; shift 2;;
	--name=*) name=${1#--name=}; shift;;
	--timeout) [ $# -ge 2 ] || die "--timeout needs a value"
		opt_timeout=$2; shift 2;;
	--watchdog) watchdog=--watchdog; shift;;
	--) break;;
	*) break;;
	esac
done
[ -n "$opt_kernel" ] && series=$opt_kernel
check_series
parse_name
case "$cmd" in
build)
	do_build;;
up)
	cmd_up "$@";;
exec)
	[ "${1:-}" = -- ] && shift
	[ $# -gt 0 ] || die "exec: no command (exec [--name N] -- CMD...)"
	[ -S "$run/cmd.sock" ] || die "guest '$name' is not up"
	pid_alive "$run/qemu.pid" ||
		die "QEMU of guest '$name' is gone (console: $run/console.log)"
	set +e
	kexec --timeout "$opt_timeout" -- "$@"
	exit $?;;
reboot)
	cmd_reboot;;
selftest)
	KPEER_KERNEL=$series exec python3 "$kp/kpeer_selftest.py";;
status)
	[ -d "$run" ] || die "guest '$name' is not up"
	for f in server qemu watchdog; do
		if pid_alive "$run/$f.pid"; then
			echo "$f: pid $(cat "$run/$f.pid")"
		else
			echo "$f: not running"
		fi
	done
	echo "run dir: $run"
	python3 "$kp/kpeer_status.py" --shm "$shm" --ram "$ram" --check \
		--kernel "$(cat "$run/series" 2>/dev/null || echo "$series")";;
down)
	cmd_down $watchdog;;
-h|--help|help)
	usage;;
*)
	usage >&2
	exit 2;;
esac
