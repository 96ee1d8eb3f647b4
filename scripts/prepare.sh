# Sourced by bench.sh and ab.sh. `prepare PATH...` puts the machine in the same state before a
# measured command, whatever ran before it: dirty pages written back, the page cache and the
# inode cache dropped (as root; elsewhere the `sync` alone; DROP_CACHES=0 keeps them), then the
# command's inputs (files or folders) read back so that every tool starts with them warm. On this
# project's virtual machine the cost of writing a file depends on how much of the page cache
# earlier runs have filled (docs/performance.md#the-page-cache-between-runs): without the drop,
# a command run after several builds paid up to twice the system time for the same output.
prepare() {
  sync
  if [ "${DROP_CACHES:-1}" = 1 ] && [ -w /proc/sys/vm/drop_caches ]; then
    echo 3 >/proc/sys/vm/drop_caches
  fi
  local d
  for d in "$@"; do
    find "$d" -type f -print0 | xargs -0 -r cat >/dev/null
  done
}
