# shellcheck shell=bash
# launcher/database.sh: the private MariaDB of ./tollgate (sourced by it): one
# server, or with `up --galera K` a K-node Galera cluster, and the schemas.
# Trade-off: no system service and no galera_new_cluster; the launcher runs
# mariadbd itself under var/ so a stack never touches the machine's databases.

DATABASES="apimgtdb userdb regdb statdb"

db_client() { mariadb --no-defaults --socket="$(db_socket)" -u "$(id -un)" "$@"; }
db_socket() { if [[ $GALERA -gt 0 ]]; then galera_socket 1; else echo "$VAR/mysql/mysqld.sock"; fi; }

start_db() {
	[[ -n $(pid_of db) ]] && return 0
	local data=$VAR/mysql/data user
	user=$(id -un)
	ports_free mariadb "$(db_port)" || exit 1
	if [[ ! -d $data/mysql ]]; then
		log "initialising MariaDB in $data"
		mariadb-install-db --no-defaults --datadir="$data" --user="$user" \
			--auth-root-authentication-method=socket --skip-test-db \
			>"$VAR/log/mariadb-install.log" 2>&1 ||
			{ tail -n 20 "$VAR/log/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
	fi
	setsid mariadbd --no-defaults --datadir="$data" --socket="$(db_socket)" \
		--port="$(db_port)" --bind-address=127.0.0.1 --pid-file="$VAR/mysql/mysqld.pid" \
		--log-error="$VAR/log/mariadb.log" --user="$user" --skip-name-resolve \
		</dev/null >>"$VAR/log/mariadb.out" 2>&1 &
	local i
	for ((i = 0; i < HEALTH_TIMEOUT * 5; i++)); do
		mariadb-admin --no-defaults --socket="$(db_socket)" -u "$(id -un)" ping >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	log "MariaDB did not answer on $(db_socket) after ${HEALTH_TIMEOUT}s; last log lines:"
	tail -n 20 "$VAR/log/mariadb.log" >&2
	exit 1
}

stop_db() {
	local pid i
	pid=$(pid_of db)
	[[ -z $pid ]] && return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 600; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	log "MariaDB (pid $pid) did not stop in 60s: killing it"
	kill -KILL "$pid" 2>/dev/null || true
}

# load_schema: user, grants, schemas and migrations; every step is idempotent.
load_schema() {
	local pw db f grants=""
	pw=$(<"$VAR/db.password")
	pw=${pw//\'/\'\'}
	for db in $DATABASES; do
		grants="$grants CREATE DATABASE IF NOT EXISTS \`$db\`;
  GRANT ALL ON \`$db\`.* TO 'tollgate'@'localhost';
  GRANT ALL ON \`$db\`.* TO 'tollgate'@'127.0.0.1';"
	done
	db_client <<EOF
CREATE USER IF NOT EXISTS 'tollgate'@'localhost' IDENTIFIED BY '$pw';
CREATE USER IF NOT EXISTS 'tollgate'@'127.0.0.1' IDENTIFIED BY '$pw';
ALTER USER 'tollgate'@'localhost' IDENTIFIED BY '$pw';
ALTER USER 'tollgate'@'127.0.0.1' IDENTIFIED BY '$pw';
$grants
FLUSH PRIVILEGES;
EOF
	for db in $DATABASES; do
		db_client "$db" <"$ROOT/sql/$db.sql" || die "loading sql/$db.sql failed"
	done
	while IFS= read -r f; do
		db_client <"$f" || die "migration $f failed"
	done < <(find "$ROOT/sql/migrations" -maxdepth 1 -name '*.sql' | LC_ALL=C sort)
}

# ---------------------------------------------------------------- Galera (up --galera K)

# A K-node MariaDB Galera cluster instead of the one MariaDB: node K lives in
# var/galera/dbK (its own datadir, socket, pid file; log var/log/dbK.log), the
# client port is the single MariaDB's plus K-1, and Galera's own three ports
# (replication, IST, SST) are 20000 + 10*SHIFT + 3*(K-1) + 0/1/2, so stacks with
# different shifts never meet. No system service, no galera_new_cluster: the
# first node is bootstrapped with --wsrep-new-cluster on the private mariadbd,
# the others join with an rsync state transfer (SST), or an incremental one (IST)
# when they come back. Timeouts are short (suspect 3 s) so a hung node is evicted
# quickly; docs/DEPLOY.md has the production settings.
GALERA_SYNC_TIMEOUT=180

galera_dir() { echo "$VAR/galera/db$1"; }
galera_socket() { echo "$(galera_dir "$1")/mysqld.sock"; }
galera_port() { echo $((3406 + SHIFT + $1 - 1)); }
galera_base() { echo $((20000 + 10 * SHIFT + 3 * ($1 - 1))); }

galera_client() { # galera_client K ARGS...: the mariadb client as root on node K's socket
	local k=$1
	shift
	mariadb --no-defaults --socket="$(galera_socket "$k")" -u "$(id -un)" "$@"
}

# galera_status K VARIABLE: a wsrep status value of node K, or nothing.
galera_status() {
	galera_client "$1" -N -B -e "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | cut -f2
}

galera_any_running() {
	local k
	for ((k = 1; k <= GALERA; k++)); do [[ -n $(pid_of "db$k") ]] && return 0; done
	return 1
}

# galera_bootstrap_node: the node that may start a new cluster: the one whose
# grastate.dat says safe_to_bootstrap (the last one stopped cleanly), node 1 on a
# fresh cluster; after a crash of all nodes node 1, marked safe by hand (a dev stack).
galera_bootstrap_node() {
	local k f any=0
	for ((k = 1; k <= GALERA; k++)); do
		f=$(galera_dir "$k")/data/grastate.dat
		[[ -f $f ]] || continue
		any=1
		grep -q '^safe_to_bootstrap: 1' "$f" && { echo "$k"; return 0; }
	done
	if [[ $any -eq 1 ]]; then
		f=$(galera_dir 1)/data/grastate.dat
		log "no Galera node stopped cleanly: bootstrapping db1 (writes only db2..db$GALERA had may be lost)"
		[[ -f $f ]] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$f"
	fi
	echo 1
}

# galera_user: who the nodes run as. Root's mariadbd would start the rsync
# state-transfer daemon as root, which then writes as 'nobody': run them as mysql.
galera_user() { if [[ $(id -u) -eq 0 ]]; then echo mysql; else id -un; fi; }

# galera_args K: mariadbd's arguments for node K (GALERA_ARGS).
galera_args() {
	local k=$1 dir base peers="" j
	dir=$(galera_dir "$k")
	base=$(galera_base "$k")
	for ((j = 1; j <= GALERA; j++)); do peers="${peers:+$peers,}127.0.0.1:$(galera_base "$j")"; done
	GALERA_ARGS=(--no-defaults --datadir="$dir/data" --socket="$(galera_socket "$k")"
		--port="$(galera_port "$k")" --bind-address=127.0.0.1 --pid-file="$dir/mysqld.pid"
		--user="$(galera_user)" --skip-name-resolve
		--innodb-buffer-pool-size=64M --innodb-log-file-size=32M
		--binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2
		--wsrep-on=ON --wsrep-provider=/usr/lib/galera/libgalera_smm.so
		--wsrep-cluster-name=tollgate --wsrep-node-name="db$k"
		--wsrep-node-address="127.0.0.1:$base" --wsrep-cluster-address="gcomm://$peers"
		--wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$base;ist.recv_addr=127.0.0.1:$((base + 1));gcache.size=64M;repl.causal_read_timeout=PT1S;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.inactive_check_period=PT1S;evs.keepalive_period=PT1S"
		--wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$((base + 2))"
		--wsrep-slave-threads=2)
}

# galera_recovered K: after a crash grastate.dat has no position (seqno -1): ask
# InnoDB for it (what the packaged galera_recovery does), so the node catches up
# by IST instead of copying everything. Prints --wsrep-start-position=... or nothing.
galera_recovered() {
	local k=$1 dir pos
	dir=$(galera_dir "$k")
	[[ -d $dir/data/mysql && -f $dir/data/grastate.dat ]] || return 0
	grep -q '^seqno: *-1' "$dir/data/grastate.dat" || return 0
	galera_args "$k"
	rm -f "$dir/recover.log"
	mariadbd "${GALERA_ARGS[@]}" --log-error="$dir/recover.log" --wsrep-recover \
		</dev/null >/dev/null 2>&1 || true
	pos=$(sed -n 's/.*WSREP: Recovered position: *\([^ ]*\).*/\1/p' "$dir/recover.log" 2>/dev/null | tail -n1)
	[[ -n $pos ]] && echo "--wsrep-start-position=$pos"
	return 0
}

# start_galera_node K [new]: start node K (new: bootstrap a new cluster with it)
# and wait until it is Synced.
start_galera_node() {
	local k=$1 new=${2:-} dir data base user recovered
	[[ -n $(pid_of "db$k") ]] && return 0
	dir=$(galera_dir "$k")
	data=$dir/data
	user=$(galera_user)
	base=$(galera_base "$k")
	mkdir -p "$data"
	touch "$VAR/log/db$k.log"
	[[ $(id -u) -eq 0 ]] && chown -R "$user" "$dir" "$VAR/log/db$k.log"
	chmod 700 "$dir"
	if [[ $(id -u) -eq 0 ]] && ! runuser -u "$user" -- test -x "$dir" 2>/dev/null; then
		log "db$k: the $user user cannot reach $dir (a parent directory is private): make $VAR's parents searchable (chmod o+x)"
		return 1
	fi
	ports_free "db$k" "$(galera_port "$k")" "$base" $((base + 1)) $((base + 2)) || return 1
	if [[ -n $new && ! -d $data/mysql ]]; then
		log "initialising MariaDB in $data"
		mariadb-install-db --no-defaults --datadir="$data" --user="$user" \
			--auth-root-authentication-method=socket --skip-test-db \
			>"$VAR/log/mariadb-install.log" 2>&1 ||
			{ tail -n 20 "$VAR/log/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
	fi
	recovered=$(galera_recovered "$k")
	galera_args "$k"
	printf '=== %s starting db%s%s %s\n' "$(date -u +%FT%TZ)" "$k" "${new:+ (new cluster)}" "$recovered" >>"$VAR/log/db$k.log"
	# shellcheck disable=SC2086
	setsid mariadbd "${GALERA_ARGS[@]}" --log-error="$VAR/log/db$k.log" $recovered \
		${new:+--wsrep-new-cluster} </dev/null >>"$VAR/log/db$k.out" 2>&1 &
	echo $! >"$VAR/run/db$k.pid"   # mariadbd writes its own only after a state transfer
	wait_galera_synced "$k"
}

wait_galera_synced() {
	local k=$1 i
	for ((i = 0; i < GALERA_SYNC_TIMEOUT * 5; i++)); do
		[[ $(galera_status "$k" wsrep_local_state) == 4 ]] && return 0
		if ((i > 10)) && [[ -z $(pid_of "db$k") ]]; then
			log "db$k exited during start-up; last log lines:"
			tail -n 20 "$VAR/log/db$k.log" >&2
			return 1
		fi
		sleep 0.2
	done
	log "db$k not synced after ${GALERA_SYNC_TIMEOUT}s; last log lines:"
	tail -n 20 "$VAR/log/db$k.log" >&2
	return 1
}

# start_galera: every node; a new cluster first when none is running.
start_galera() {
	local k first=""
	if ! galera_any_running; then
		first=$(galera_bootstrap_node)
		start_galera_node "$first" new || die "Galera node db$first did not start"
	fi
	for ((k = 1; k <= GALERA; k++)); do
		[[ $k == "$first" ]] && continue
		start_galera_node "$k" || die "Galera node db$k did not join"
	done
}

stop_galera_node() { # SIGTERM and wait: a clean stop writes grastate.dat for the next start
	local k=$1 pid i
	pid=$(pid_of "db$k")
	[[ -z $pid ]] && { rm -f "$(pidfile "db$k")"; return 0; }
	kill -CONT "$pid" 2>/dev/null || true   # a test may have left it stopped
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 600; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "db$k (pid $pid) did not stop in 60s: killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$(pidfile "db$k")"
}

galera_start_one() { # start db K: joins the running cluster, or bootstraps one when none runs
	[[ $1 -le $GALERA ]] || die "no node db$1 (the cluster has $GALERA)"
	if galera_any_running; then start_galera_node "$1"; else start_galera; fi
}

stop_galera() { # the last node stopped is the one safe to bootstrap next time: db1
	local k
	for ((k = GALERA; k >= 1; k--)); do stop_galera_node "$k"; done
}

galera_hosts() { # the hub's [database] hosts line, in node order
	local k hosts=""
	for ((k = 1; k <= GALERA; k++)); do hosts="${hosts:+$hosts, }127.0.0.1:$(galera_port "$k")"; done
	echo "$hosts"
}

galera_stack_env() { # the cluster's nodes for the tests (nothing with one MariaDB)
	local k ports="" sockets="" pids=""
	printf 'TOLLGATE_GALERA=%s\n' "$GALERA"
	[[ $GALERA -gt 0 ]] || return 0
	for ((k = 1; k <= GALERA; k++)); do
		ports="${ports:+$ports,}$(galera_port "$k")"
		sockets="${sockets:+$sockets,}$(galera_socket "$k")"
		pids="${pids:+$pids,}$(pidfile "db$k")"
	done
	printf 'TOLLGATE_DB_PORTS=%s\nTOLLGATE_DB_SOCKETS=%s\nTOLLGATE_DB_PIDFILES=%s\n' "$ports" "$sockets" "$pids"
}

galera_status_lines() { # one status line per node, then the cluster size as a node sees it
	local k size=""
	for ((k = 1; k <= GALERA; k++)); do
		status_line "db$k" "$(galera_port "$k")"
		[[ -z $size && -n $(pid_of "db$k") ]] && size=$(galera_status "$k" wsrep_cluster_size)
	done
	printf '%-8s size %s\n' cluster "${size:-?}"
}

