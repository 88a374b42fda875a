#!/usr/bin/env bash
# Bring up a single-node Slurm cluster (Debian's slurm-wlm: munge, slurmdbd with accounting in this
# machine's MariaDB, slurmctld, slurmd) for the executor-slurm tests, as root, without systemd.
# Idempotent: installs what is missing, writes the configuration only when it differs (and then
# restarts the daemons), starts the daemons that are not running, resumes a node left down, and
# proves the cluster with a real job recorded by sacct. MariaDB must answer on 127.0.0.1:3306 as root.
#
# Environment (all optional):
#   SLURM_SETUP_DEADLINE   seconds to wait for each daemon / the check job (default 60)
set -Eeuo pipefail

START_NS=$(date +%s%N)
DEADLINE=${SLURM_SETUP_DEADLINE:-60}
CLUSTER=jobmon
PACKAGES=(slurmctld slurmd slurm-client slurmdbd munge)
CONF=/etc/slurm
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

log() { echo "slurm-setup: $*"; }
die() { echo "slurm-setup: FAILED: $*" >&2; exit 1; }
trap 'rc=$?; echo "slurm-setup: FAILED: command \"$BASH_COMMAND\" (line $LINENO) exited $rc" >&2; exit $rc' ERR
elapsed() { echo $(( ($(date +%s%N) - START_NS) / 1000000 )) | sed -E 's/^([0-9]*)([0-9]{3})$/\1.\2/; s/^\./0./'; }
# await WHAT COMMAND...: runs COMMAND every 0.2 s until it succeeds, for at most DEADLINE seconds
await() {
  local what=$1; shift
  local until=$(( $(date +%s) + DEADLINE ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$until" ] || die "$what did not happen within $DEADLINE s"
    sleep 0.2
  done
}
running() { pgrep -x "$1" >/dev/null 2>&1; }

[ "$(id -u)" = 0 ] || die "must run as root"
mariadb() { command mariadb --protocol=tcp -h 127.0.0.1 -P 3306 -u root "$@"; }
mariadb -e 'SELECT 1' >/dev/null 2>&1 || die "MariaDB does not answer on 127.0.0.1:3306 as root (start it first)"

# ---------------------------------------------------------------------------------------------- install
missing=()
for p in "${PACKAGES[@]}"; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  policy_created=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    # keep the maintainer scripts from starting daemons: they are started below, configured
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; policy_created=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >/tmp/slurm-setup-apt.log 2>&1; then
    apt-get update -q >/dev/null 2>&1 || true
    apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >/tmp/slurm-setup-apt.log 2>&1 \
      || { [ -n "$policy_created" ] && rm -f /usr/sbin/policy-rc.d; tail -20 /tmp/slurm-setup-apt.log >&2; die "apt-get install failed"; }
  fi
  [ -n "$policy_created" ] && rm -f /usr/sbin/policy-rc.d
  log "installed ($(elapsed) s)"
fi

# ------------------------------------------------------------------------------------------------ munge
if [ ! -s /etc/munge/munge.key ]; then
  log "creating the munge key"
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
fi
chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! running munged; then
  log "starting munged"
  runuser -u munge -- /usr/sbin/munged
fi
await "munge to answer" sh -c 'munge -n | unmunge'

# ---------------------------------------------------------------------------------- accounting database
mariadb -e "CREATE DATABASE IF NOT EXISTS slurm_acct_db;
  CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY 'slurm';
  CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY 'slurm';
  GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';
  GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';"

# ------------------------------------------------------------------------------------------ configuration
HOST=$(hostname -s)
CPUS=$(nproc)
MEM_MIB=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
mkdir -p "$CONF" /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/slurm
chown slurm:slurm /var/spool/slurmctld /var/log/slurm /run/slurm

changed=
# write_conf FILE MODE OWNER: stdin becomes FILE when it differs
write_conf() {
  local file=$1 mode=$2 owner=$3 tmp
  tmp=$(mktemp)
  cat > "$tmp"
  if ! cmp -s "$tmp" "$file"; then
    install -m "$mode" -o "${owner%:*}" -g "${owner#*:}" "$tmp" "$file"
    changed=1
    log "wrote $file"
  fi
  rm -f "$tmp"
}

write_conf "$CONF/slurm.conf" 644 root:root <<EOC
# single-node cluster for Jobmon's tests (.ci/slurm-setup.sh)
ClusterName=$CLUSTER
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1024
SchedulerParameters=sched_interval=1
MinJobAge=300
KillWait=5
OverTimeLimit=0
ReturnToService=2
ProctrackType=proctrack/cgroup
TaskPlugin=task/cgroup
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=task=1
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
MpiDefault=none
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM_MIB State=UNKNOWN
PartitionName=all.q Nodes=$HOST Default=YES MaxTime=3-00:00:00 State=UP
PartitionName=long.q Nodes=$HOST MaxTime=16-00:00:00 State=UP
EOC

write_conf "$CONF/cgroup.conf" 644 root:root <<EOC
CgroupPlugin=cgroup/v1
ConstrainCores=yes
ConstrainRAMSpace=yes
EOC

write_conf "$CONF/slurmdbd.conf" 600 slurm:slurm <<EOC
AuthType=auth/munge
DbdHost=localhost
SlurmUser=slurm
PidFile=/run/slurm/slurmdbd.pid
LogFile=/var/log/slurm/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=3306
StorageUser=slurm
StoragePass=slurm
StorageLoc=slurm_acct_db
EOC

if [ -n "$changed" ]; then
  for d in slurmd slurmctld slurmdbd; do
    if running "$d"; then log "configuration changed: stopping $d"; pkill -x "$d"; fi
  done
  await "the slurm daemons to stop" sh -c '! pgrep -x "slurmd|slurmctld|slurmdbd"'
fi

# ---------------------------------------------------------------------------------------------- daemons
if ! running slurmdbd; then
  log "starting slurmdbd"
  /usr/sbin/slurmdbd
fi
await "slurmdbd to answer" sacctmgr -n list cluster
if ! sacctmgr -n -P list cluster format=Cluster | grep -qx "$CLUSTER"; then
  sacctmgr -i add cluster "$CLUSTER" >/dev/null
fi
if ! running slurmctld; then
  log "starting slurmctld"
  /usr/sbin/slurmctld
fi
await "slurmctld to answer" scontrol ping
if ! running slurmd; then
  log "starting slurmd"
  /usr/sbin/slurmd
fi
node_ready() { sinfo -h -n "$HOST" -o %T | grep -Eq '^(idle|mixed|allocated)'; }
if ! node_ready; then
  state=$(sinfo -h -n "$HOST" -o %T || true)
  case "$state" in
    down*|drain*|fail*) log "node $HOST is $state: resuming it"; scontrol update nodename="$HOST" state=resume || true ;;
  esac
fi
await "node $HOST to be ready" node_ready

# ------------------------------------------------------------------------------------------------ prove
job=$(sbatch --parsable -o /dev/null -e /dev/null -t 1 --wrap true)
await "check job $job to be recorded COMPLETED by sacct" sh -c "sacct -n -X -P -j $job -o State | grep -qx COMPLETED"
log "cluster $CLUSTER ready on $HOST ($CPUS CPUs, ${MEM_MIB} MiB; check job $job COMPLETED) in $(elapsed) s"
