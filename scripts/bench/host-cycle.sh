#!/usr/bin/env bash
# CPU and allocation of one host cycle of the agent (HostWatch.cycle(), run every 5 s: read and parse mountinfo
# and mountstats, stat+statvfs of the watched mounts on the mount-call workers, pressure, diskstats and each
# running container's I/O, JSON-encode the mounts and io payloads), minus the MQTT send. Runs HostCycleBench
# (agent test sources, nothing of it ships) on this machine's real /proc, with N synthetic containers on real
# PIDs, once per container count with the agent's small-footprint JVM flags and once with the default flags;
# a fresh JVM each time, so the first cycles are really cold.
#
# CPU per cycle = thread CPU time (user + system) of the cycle's thread plus the mediawatch-mount-call-*
# workers (ThreadMXBean); alloc = bytes allocated by those threads. JIT and GC threads are not in it: the
# "process CPU" column (/proc/self/stat utime+stime over the steady phase / cycles) includes them.
# Prints Markdown tables: cold (first 10 cycles, no warm-up), steady (median/p90/max after warm-up), a
# per-part breakdown, the parts of the cold cycles and a per-operation probe (largest N only) and, with
# HOST_CYCLE_PACED=K, the largest N at the agent's real cadence with the small flags (the agent's): K cycles 5 s
# apart from a fresh JVM's start, then K more 5 s apart after the warm-up, on both roots (4 x K x 5 s: slow).
#
# This machine has no NFS, few mounts and no container cgroups, so the largest N also runs on a "prod-like"
# host root built in a temporary directory, shaped as a Docker host of the download role: pure cgroup v2,
# /mnt/media and /mnt/docker NFSv4 (watched, the role's default), mountinfo with 3 lines per container
# (overlay, shm, netns), mountstats with two full NFSv4.2 blocks (a real capture from the agent's test
# fixtures), and per container /proc/<pid>/cgroup -> io.stat + io.pressure. Those are regular files (the
# pressure files and diskstats link to the real ones), the watched paths local directories: it shows the
# shape's cost (more lines, the v2 path), not the kernel's or the NFS server's. HOST_CYCLE_PRODLIKE=0 skips it.
#
#   scripts/bench/host-cycle.sh [cycles=1000] [containers...=0 10 34]
#
#   HOST_CYCLE_WARMUP=200                            warm-up cycles before the steady phase
#   HOST_CYCLE_WATCH=/:,/tmp:,/mnt/absent:nfs4:rw    watched mounts (mediawatch.mounts.watch syntax)
#   HOST_CYCLE_PACED=0                               K > 0: paced runs as above (largest N only; slow)
#   HOST_CYCLE_ROOT=/                                host root (mediawatch.host-root)
#   HOST_CYCLE_PRODLIKE=1                            0: no run on the prod-like root
#
# Compare figures within one run only: machines here are shared and noisy.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
cycles=${1:-1000}
if [ $# -gt 0 ]; then shift; fi
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(0 10 34)
warmup=${HOST_CYCLE_WARMUP:-200}
watch=${HOST_CYCLE_WATCH:-/:,/tmp:,/mnt/absent:nfs4:rw}
paced=${HOST_CYCLE_PACED:-0}
root=${HOST_CYCLE_ROOT:-/}
prodlike=${HOST_CYCLE_PRODLIKE:-1}
small_flags=(-Xmx24m -Xss256k -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=16m -XX:+UseSerialGC
  -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:MaxDirectMemorySize=16m -Dio.netty.allocator.type=unpooled
  -XX:-UsePerfData)

# Build when the bench class is missing or older than what it runs.
bench_class=agent/target/test-classes/dev/mediawatch/agent/host/HostCycleBench.class
common_jar=$(find "$HOME/.m2/repository/dev/mediawatch/mediawatch-common" -name 'mediawatch-common-*.jar' \
  2>/dev/null | head -1 || true)
if [ -z "$common_jar" ] || [ -n "$(find common/src common/pom.xml pom.xml -newer "$common_jar" -type f | head -1)" ]; then
  echo "building common" >&2
  ./mvnw -q -o install -pl common -DskipTests
fi
if [ ! -f "$bench_class" ] || [ -n "$(find agent/src agent/pom.xml -newer "$bench_class" -type f | head -1)" ]; then
  echo "compiling agent (main and test)" >&2
  ./mvnw -q -o test-compile -pl agent
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./mvnw -q -o -pl agent dependency:build-classpath -Dmdep.outputFile="$work/classpath" >/dev/null
cp="agent/target/test-classes:agent/target/classes:$(cat "$work/classpath")"

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# cycles=$cycles warm-up=$warmup watch=$watch host root=$root containers=${counts[*]}"
largest=${counts[0]}
for n in "${counts[@]}"; do [ "$n" -gt "$largest" ] && largest=$n; done

# prodlike_root DIR N: the prod-like host root described above, containers on fake PIDs 900001.. .
prodlike_root() {
  local d=$1 n=$2 i id pid fixtures=agent/src/test/resources/fixtures/proc
  mkdir -p "$d/proc/1" "$d/proc/pressure" "$d/mnt/media" "$d/mnt/docker" "$d/sys/fs/cgroup"
  ln -s /proc/diskstats "$d/proc/diskstats"
  for f in io cpu memory; do ln -s "/proc/pressure/$f" "$d/proc/pressure/$f"; done
  local nfs_block
  nfs_block=$(awk '/^device .* with fstype nfs4/ {p = 1; print; next} /^device / {p = 0} p' \
    "$fixtures/mountstats-nfs4.2-and-nfs3-tcp.txt")
  {
    grep -v -e ' - cgroup' -e ' /sys/fs/cgroup ' /proc/self/mountinfo
    echo "31 23 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot"
    echo "98 27 0:52 / /mnt/media rw,relatime shared:60 - nfs4 pve:/media rw,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=192.168.1.209,local_lock=none,addr=192.168.1.10"
    echo "99 27 0:53 / /mnt/docker rw,relatime shared:61 - nfs4 pve:/tank/docker/download-stack rw,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=192.168.1.209,local_lock=none,addr=192.168.1.10"
  } >"$d/proc/1/mountinfo"
  {
    cat /proc/self/mountstats
    printf '%s\n' "$nfs_block" | sed '1s|.*|device pve:/media mounted on /mnt/media with fstype nfs4 statvers=1.1|'
    printf '%s\n' "$nfs_block" | sed '1s|.*|device pve:/tank/docker/download-stack mounted on /mnt/docker with fstype nfs4 statvers=1.1|'
  } >"$d/proc/1/mountstats"
  for i in $(seq 1 "$n"); do
    id=$(printf '%064x' "$((0x5eed0000 + i))")
    pid=$((900000 + i))
    mkdir -p "$d/proc/$pid" "$d/sys/fs/cgroup/system.slice/docker-$id.scope"
    echo "0::/system.slice/docker-$id.scope" >"$d/proc/$pid/cgroup"
    printf '254:0 rbytes=%d wbytes=%d rios=%d wios=%d dbytes=0 dios=0\n253:0 rbytes=4096 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n' \
      "$((i * 1048576))" "$((i * 524288))" "$((i * 97))" "$((i * 57))" >"$d/sys/fs/cgroup/system.slice/docker-$id.scope/io.stat"
    ln -s /proc/pressure/io "$d/sys/fs/cgroup/system.slice/docker-$id.scope/io.pressure"
    {
      echo "$((1000 + 3 * i)) 27 0:$((100 + i)) / /var/lib/docker/overlay2/$id/merged rw,relatime - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/AAAAAAAAAAAAAAAAAAAAAAAA$i:/var/lib/docker/overlay2/l/BBBBBBBBBBBBBBBBBBBBBBBB$i:/var/lib/docker/overlay2/l/CCCCCCCCCCCCCCCCCCCCCCCC$i:/var/lib/docker/overlay2/l/DDDDDDDDDDDDDDDDDDDDDDDD$i:/var/lib/docker/overlay2/l/EEEEEEEEEEEEEEEEEEEEEEEE$i,upperdir=/var/lib/docker/overlay2/$id/diff,workdir=/var/lib/docker/overlay2/$id/work"
      echo "$((1001 + 3 * i)) 27 0:$((200 + i)) / /var/lib/docker/containers/$id/mounts/shm rw,nosuid,nodev,noexec,relatime shared:$((300 + i)) - tmpfs shm rw,size=65536k,inode64"
      echo "$((1002 + 3 * i)) 27 0:4 net:[$((4026532000 + i))] /run/docker/netns/${id:0:12} rw shared:$((400 + i)) - nsfs nsfs rw"
    } >>"$d/proc/1/mountinfo"
    {
      echo "device overlay mounted on /var/lib/docker/overlay2/$id/merged with fstype overlay"
      echo "device shm mounted on /var/lib/docker/containers/$id/mounts/shm with fstype tmpfs"
      echo "device nsfs mounted on /run/docker/netns/${id:0:12} with fstype nsfs"
    } >>"$d/proc/1/mountstats"
  done
  seq -s, 900001 "$((900000 + n))"
}

# bench LABEL: runs HostCycleBench with the JVM flags in $flags, appending its output to $work/out.
bench() {
  local label=$1; shift
  java "${flags[@]}" -Dbench.clkTck="$(getconf CLK_TCK)" -cp "$cp" dev.mediawatch.agent.host.HostCycleBench \
    --label "$label" "$@" >>"$work/out"
}

if [ "$prodlike" = 1 ]; then
  prodlike_pids=$(prodlike_root "$work/root" "$largest")
fi
for mode in small default; do
  flags=()
  [ "$mode" = small ] && flags=("${small_flags[@]}")
  for n in "${counts[@]}"; do
    brief=(--brief)
    [ "$n" = "$largest" ] && brief=()
    bench "$mode" --watch "$watch" --root "$root" --containers "$n" --cycles "$cycles" --warmup "$warmup" --cold 10 \
      "${brief[@]}"
  done
  if [ "$prodlike" = 1 ]; then
    bench "$mode, prod-like root" --root "$work/root" --watch "/mnt/media:nfs|nfs4:rw,/mnt/docker:nfs|nfs4:rw" \
      --pids "$prodlike_pids" --containers "$largest" --cycles "$cycles" --warmup "$warmup" --cold 10 --brief
  fi
done
if [ "$paced" -gt 0 ]; then
  flags=("${small_flags[@]}")
  echo "paced runs: $((2 * paced * 5)) s each" >&2
  bench small --watch "$watch" --root "$root" --containers "$largest" --paced-start "$paced" --cold 0 \
    --warmup "$warmup" --cycles 0 --paced "$paced" --brief
  if [ "$prodlike" = 1 ]; then
    bench "small, prod-like root" --root "$work/root" --watch "/mnt/media:nfs|nfs4:rw,/mnt/docker:nfs|nfs4:rw" \
      --pids "$prodlike_pids" --containers "$largest" --paced-start "$paced" --cold 0 --warmup "$warmup" \
      --cycles 0 --paced "$paced" --brief
  fi
fi

rows() { grep "^@$1 " "$work/out" | cut -d' ' -f2- || true; }

echo
echo "Steady state: $cycles cycles after $warmup warm-up cycles, back to back. CPU = cycle thread + mount-call workers."
echo
echo "| JVM flags | containers | CPU ms median | CPU ms p90 | CPU ms max | alloc KiB median | alloc KiB p90 | alloc KiB max | wall ms median | wall ms p90 | process CPU ms/cycle (incl. JIT, GC) | payload B (mounts + io) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
rows steady
echo
echo "Cold: the first 10 cycles of a fresh JVM, one by one, nothing run before them."
echo
echo "| JVM flags | containers | per cycle | #1 | #2 | #3 | #4 | #5 | #6 | #7 | #8 | #9 | #10 |"
echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
rows cold
echo
parts_head="read+parse mountinfo | read+parse mountstats | MountCollector.collect | IoCollector.collect | write HostMounts | write HostIo | timer.record | mount-call workers"
echo "Parts of a steady cycle (medians; CPU us / alloc KiB of the cycle thread; the workers' own on the side)."
echo
echo "| JVM flags | containers | $parts_head | MountCollector.collect wall us |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
rows parts
echo
echo "Parts of the cold cycles, largest N (CPU us; the cycle thread, then the workers)."
echo
echo "| JVM flags | containers | cycle | $parts_head |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
rows coldparts
echo
echo "Probe, largest N: each operation alone, mean CPU us and bytes allocated per call (median of 5 rounds of 2000)."
echo
echo "| JVM flags | containers | operation | CPU us | alloc B |"
echo "|---|---:|---|---:|---:|"
rows probe
if [ "$paced" -gt 0 ]; then
  echo
  echo "Paced, largest N, small flags: cycles 5 s apart (the agent's cadence) from a fresh JVM's start, then after $warmup more back to back."
  echo
  echo "| JVM flags | containers | phase | cycle | CPU ms | alloc KiB | wall ms | $parts_head |"
  echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  rows paced
fi
echo
grep '^#' "$work/out" || true
