# shellcheck shell=bash
# launcher/setup.sh: what ./tollgate does before it starts anything (sourced
# by it): the Debian packages of PACKAGES, the out-of-tree build, and var/'s
# directories, local CA, server certificate and random secrets (each made once).
# Trade-off: openssl's command line instead of a CA tool; enough for 127.0.0.1.

missing_packages() {
	local p missing=""
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $p"
	done
	echo "${missing# }"
}

ensure_packages() {
	local missing
	missing=$(missing_packages)
	[[ -z $missing ]] && return 0
	if [[ $(id -u) -ne 0 ]]; then
		log "missing packages; install them with:"
		echo "sudo apt-get install -y --no-install-recommends $missing"
		exit 1
	fi
	log "installing:$missing"
	apt-get update -q
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
}

# build_tree [CONFIGURE-ARGS]: configure once, then let make decide what is stale.
build_tree() {
	if [[ ! -x $ROOT/configure ]]; then
		log "bootstrapping (autogen.sh)"
		(cd "$ROOT" && ./autogen.sh)
	fi
	mkdir -p "$BUILD"
	if [[ ! -f $BUILD/Makefile ]]; then
		log "configuring $BUILD $*"
		(cd "$BUILD" && "$ROOT/configure" -q "$@")
	fi
	log "building in $BUILD"
	if ! make -C "$BUILD" -j"$(nproc)" -s >"$BUILD/make.out" 2>&1; then
		grep -E 'error|Error' "$BUILD/make.out" | head -n 40 >&2 || true
		tail -n 20 "$BUILD/make.out" >&2
		die "build failed (full output: $BUILD/make.out)"
	fi
}

secret_file() { # secret_file PATH [VALUE]: write once, 0600
	[[ -s $1 ]] && return 0
	(umask 077 && printf '%s' "${2:-$(openssl rand -hex 24)}" >"$1")
	chmod 600 "$1"
}

ensure_dirs() {
	mkdir -p "$VAR"/{tls,mysql,conf,log,run}
	chmod 700 "$VAR/mysql"
}

ensure_tls() {
	local d=$VAR/tls
	[[ -s $d/server.crt && -s $d/server.key && -s $d/ca.crt ]] && return 0
	log "making a local CA and a server certificate in $d"
	(
		umask 077
		openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
			-subj "/CN=Tollgate local CA" -keyout "$d/ca.key" -out "$d/ca.crt" \
			-addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
		openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=localhost" \
			-keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
		printf '%s\n' "basicConstraints=CA:FALSE" \
			"keyUsage=critical,digitalSignature,keyEncipherment" \
			"extendedKeyUsage=serverAuth,clientAuth" \
			"subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost" >"$d/server.ext"
		openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
			-CAcreateserial -days 3650 -sha256 -extfile "$d/server.ext" \
			-out "$d/server.crt" 2>/dev/null
		rm -f "$d/server.csr" "$d/server.ext" "$d/ca.srl"
	)
	chmod 600 "$d/ca.key" "$d/server.key"
	chmod 644 "$d/ca.crt" "$d/server.crt"
}

ensure_secrets() {
	secret_file "$VAR/session.secret" "$(openssl rand -hex 32)"
	secret_file "$VAR/admin.password" "${TOLLGATE_ADMIN_PASSWORD:-$(openssl rand -hex 12)}"
	secret_file "$VAR/gateway.password"
	secret_file "$VAR/db.password"
	secret_file "$VAR/metrics.token" "$(openssl rand -hex 24)"
}
