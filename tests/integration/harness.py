"""harness.py: what every integration test imports to reach the running stack.

It reads the stack's description (var-test/stack.env, also in the environment
of `./tollgate test`), talks to hubs over Thrift (TLS socket, binary protocol)
and over /thriftAuthenticator (THttpClient, compact protocol), runs tollgatectl,
makes plain HTTP calls, and stops/starts components through ./tollgate.

Trade-off: only the standard library and python3-thrift (Debian's
/usr/bin/python3), so the Thrift Python code is generated at first use into
$TOLLGATE_VAR/gen-py instead of being checked in.
"""

import fcntl
import http.client as httplib
import json
import os
import shlex
import shutil
import ssl
import subprocess
import sys
import time
import urllib.parse
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ROOT = os.path.dirname(os.path.dirname(HERE))


def _load_stack_env():
    """The stack's variables: stack.env under TOLLGATE_VAR (or ./var-test),
    overridden by the environment."""
    var = os.environ.get("TOLLGATE_VAR") or os.path.join(DEFAULT_ROOT, "var-test")
    env = {}
    path = os.path.join(var, "stack.env")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#") or "=" not in line:
                    continue
                key, _, value = line.partition("=")
                parts = shlex.split(value) if value else [""]
                env[key] = parts[0] if parts else ""
    for key, value in os.environ.items():
        if key.startswith("TOLLGATE_"):
            env[key] = value
    env.setdefault("TOLLGATE_VAR", var)
    return env


ENV = _load_stack_env()
VAR = ENV["TOLLGATE_VAR"]
ROOT = ENV.get("TOLLGATE_ROOT", DEFAULT_ROOT)
BUILD = ENV.get("TOLLGATE_BUILD", os.path.join(ROOT, "build-test"))
CA = ENV.get("TOLLGATE_CA", os.path.join(VAR, "tls", "ca.crt"))
ADMIN_PASSWORD = ENV.get("TOLLGATE_ADMIN_PASSWORD", "")


def _list(name):
    value = ENV.get(name, "")
    return [v.strip() for v in value.split(",") if v.strip()]


HUBS = _list("TOLLGATE_HUBS")                  # "127.0.0.1:10497"
HUB_HTTPS = _list("TOLLGATE_HUB_HTTPS")        # "https://127.0.0.1:9544"
GATEWAYS = _list("TOLLGATE_GATEWAYS")          # "http://127.0.0.1:8380"
GATEWAYS_TLS = _list("TOLLGATE_GATEWAYS_TLS")
GATEWAY_ADMIN = _list("TOLLGATE_GATEWAY_ADMIN")
BACKEND = ENV.get("TOLLGATE_BACKEND", "")
DB_PORT = int(ENV.get("TOLLGATE_DB_PORT", "0") or 0)


def unique(prefix="t"):
    """A name no other test (or earlier run) uses: prefix plus 10 hex chars."""
    return "%s%s" % (prefix, uuid.uuid4().hex[:10])


def binary(name):
    """Path of a built program (build dir or one level below), or None."""
    for cand in (os.path.join(BUILD, name),):
        if os.access(cand, os.X_OK):
            return cand
    if os.path.isdir(BUILD):
        for sub in sorted(os.listdir(BUILD)):
            cand = os.path.join(BUILD, sub, name)
            if os.path.isfile(cand) and os.access(cand, os.X_OK):
                return cand
    return None


def require_binary(testcase, name):
    """Skip the test when a component is not built (yet)."""
    path = binary(name)
    if path is None:
        testcase.skipTest("%s is not built in %s" % (name, BUILD))
    return path


# ------------------------------------------------------------------ tollgatectl

class CtlError(Exception):
    def __init__(self, returncode, stdout, stderr):
        super().__init__("tollgatectl exit %d: %s%s" % (returncode, stderr.strip(), stdout.strip()))
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr


def ctl_raw(*args, user="admin", password=None, hub=0, extra_env=None, timeout=60):
    """Run tollgatectl (no --json added); returns CompletedProcess."""
    ctl = binary("tollgatectl")
    if ctl is None:
        raise RuntimeError("tollgatectl is not built in %s" % BUILD)
    env = dict(os.environ)
    env.update({
        "TOLLGATE_HUB": HUBS[hub] if HUBS else "",
        "TOLLGATE_CA": CA,
        "TOLLGATE_USER": user,
        "TOLLGATE_PASSWORD": ADMIN_PASSWORD if password is None else password,
    })
    if extra_env:
        env.update(extra_env)
    return subprocess.run([ctl] + [str(a) for a in args], env=env, capture_output=True,
                          text=True, timeout=timeout)


def ctl(*args, check=True, **kwargs):
    """Run `tollgatectl --json ARGS` as admin; returns the parsed JSON: a dict
    for one object (or {} when the command prints nothing), a list for list
    commands. check=True raises CtlError on a non-zero exit; with check=False
    an error comes back as tollgatectl's {"error": ..., "code": N} plus
    "exit_code"."""
    proc = ctl_raw("--json", *args, **kwargs)
    if check and proc.returncode != 0:
        raise CtlError(proc.returncode, proc.stdout, proc.stderr)
    text = proc.stdout.strip()
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        value = {"output": proc.stdout}
    if isinstance(value, dict) and set(value) == {"items"}:
        value = value["items"]   # list commands print {"items": [...]}
    if not check and isinstance(value, dict):
        value.setdefault("exit_code", proc.returncode)
        if proc.returncode and "error" not in value:
            value["error"] = proc.stderr.strip()
    return value


# ------------------------------------------------------------------ Thrift

_GEN_PY = os.path.join(VAR, "gen-py")


def _generate_thrift_python():
    """thrift -r --gen py into $TOLLGATE_VAR/gen-py once (regenerated when the
    IDL is newer); a lock file keeps parallel test processes apart."""
    idl = os.path.join(ROOT, "thrift", "tollgate.thrift")
    idl_mtime = max(os.path.getmtime(os.path.join(ROOT, "thrift", f))
                    for f in os.listdir(os.path.join(ROOT, "thrift")) if f.endswith(".thrift"))
    stamp = os.path.join(_GEN_PY, ".stamp")
    os.makedirs(VAR, exist_ok=True)
    with open(os.path.join(VAR, ".gen-py.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(stamp) and os.path.getmtime(stamp) >= idl_mtime:
            return
        tmp = _GEN_PY + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        subprocess.run(["thrift", "-r", "--gen", "py", "-out", tmp, idl], check=True,
                       capture_output=True)
        open(os.path.join(tmp, ".stamp"), "w").close()
        shutil.rmtree(_GEN_PY, ignore_errors=True)
        os.rename(tmp, _GEN_PY)


def thrift_modules():
    """(Tollgate service module, tollgate.ttypes, wso2.ttypes), generating them
    on first use."""
    _generate_thrift_python()
    if _GEN_PY not in sys.path:
        sys.path.insert(0, _GEN_PY)
    from tollgate import Tollgate, ttypes  # noqa: E402  (generated)
    from wso2 import ttypes as wso2_ttypes  # noqa: E402
    return Tollgate, ttypes, wso2_ttypes


def ssl_context():
    """A client context that trusts the stack's CA and checks the host name."""
    ctx = ssl.create_default_context(cafile=CA)
    ctx.check_hostname = True
    return ctx


def _host_port(hostport):
    host, _, port = hostport.rpartition(":")
    return host.strip("[]"), int(port)


def thrift_client(hub=0, protocol="binary", framed=False, timeout=10):
    """(client, transport) of our service on hub `hub` (TLS socket, strict
    binary by default), already open. Close the transport when done."""
    from thrift.protocol import TBinaryProtocol, TCompactProtocol
    from thrift.transport import TSSLSocket, TTransport
    Tollgate, _, _ = thrift_modules()
    host, port = _host_port(HUBS[hub])
    sock = TSSLSocket.TSSLSocket(host, port, ssl_context=ssl_context(), server_hostname=host,
                                 validate_callback=lambda cert, hostname: None)
    sock.setTimeout(timeout * 1000)
    transport = TTransport.TFramedTransport(sock) if framed else TTransport.TBufferedTransport(sock)
    if protocol == "compact":
        proto = TCompactProtocol.TCompactProtocol(transport)
    else:
        proto = TBinaryProtocol.TBinaryProtocol(transport, strictRead=True, strictWrite=True)
    transport.open()
    return Tollgate.Client(proto), transport


def authenticator_client(hub=0, timeout=10):
    """(client, transport) of AuthenticatorService over HTTPS
    /thriftAuthenticator (compact protocol)."""
    from thrift.protocol import TCompactProtocol
    from thrift.transport import THttpClient
    Tollgate, _, _ = thrift_modules()
    from wso2 import AuthenticatorService  # noqa: E402  (generated)
    url = HUB_HTTPS[hub].rstrip("/") + "/thriftAuthenticator"
    transport = THttpClient.THttpClient(url, ssl_context=ssl_context())
    transport.setTimeout(timeout * 1000)
    transport.setCustomHeaders({"Content-Type": "application/x-thrift"})
    proto = TCompactProtocol.TCompactProtocol(transport)
    transport.open()
    return AuthenticatorService.Client(proto), transport


def login(user="admin", password=None, hub=0):
    """Session id for user (admin with the stack's password by default) from
    /thriftAuthenticator on hub `hub`."""
    from thrift.Thrift import TException
    client, transport = authenticator_client(hub)
    try:
        return client.authenticate(user, ADMIN_PASSWORD if password is None else password)
    except TException as e:
        # THttpClient ignores the HTTP status: say what the hub really answered.
        code = getattr(transport, "code", 200)
        if code != 200 and not type(e).__module__.startswith("wso2"):
            raise RuntimeError("%s/thriftAuthenticator answered HTTP %s %s" % (
                HUB_HTTPS[hub], code, getattr(transport, "message", ""))) from e
        raise
    finally:
        transport.close()


class Session:
    """A logged-in Thrift client: s.call("listApis") passes the session id as
    the first argument. Use as a context manager or call close()."""

    def __init__(self, user="admin", password=None, hub=0):
        self.user = user
        self.sid = login(user, password, hub)
        self.client, self.transport = thrift_client(hub)

    def call(self, method, *args):
        return getattr(self.client, method)(self.sid, *args)

    def close(self):
        self.transport.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _admin():
    return Session("admin")


def new_user(roles=("subscriber",), name=None, password=None):
    """Create a user through the hub; returns {"name", "password", "roles"}."""
    name = name or unique("user")
    password = password or uuid.uuid4().hex
    with _admin() as s:
        s.call("addUser", name, password, list(roles))
    return {"name": name, "password": password, "roles": list(roles)}


def new_api(name=None, context=None, version="1.0.0", endpoint=None, sandbox=None,
            resources=None, auth_type="Application", tier="Unlimited", publish=True,
            session=None, **fields):
    """Create (and by default publish) an API that proxies to the sample
    backend; returns the Api as a dict (context, version, name, status, ...).
    resources: list of (verb, uri_template[, auth_type[, tier[, scope]]]);
    default: every verb on /*."""
    _, T, _ = thrift_modules()
    suffix = uuid.uuid4().hex[:10]
    name = name or "api" + suffix
    context = context or "/t" + suffix
    endpoint = endpoint or BACKEND
    if resources is None:
        resources = [(v, "/*") for v in ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")]
    res = []
    for r in resources:
        r = tuple(r) + (None,) * (5 - len(r))
        res.append(T.Resource(verb=r[0], uriTemplate=r[1], authType=r[2] or auth_type,
                              throttlingTier=r[3] or tier, scope=r[4] or ""))
    api = T.Api(name=name, context=context, version=version, productionEndpoint=endpoint,
                sandboxEndpoint=sandbox or endpoint, resources=res, apiTier=tier, **fields)
    own = session is None
    s = session or _admin()
    try:
        created = s.call("createApi", api)
        if publish:
            created = s.call("setApiLifecycle", context, version, "PUBLISHED")
    finally:
        if own:
            s.close()
    return to_dict(created)


def new_app_with_key(api=None, owner=None, tier="Unlimited", key_type="PRODUCTION",
                     validity=0, scopes=None, app_name=None, session=None, **app_fields):
    """An application subscribed to `api` (a dict from new_api; a fresh one by
    default) with keys generated. Returns a dict: api, app, owner, consumerKey,
    consumerSecret, accessToken, refreshToken, expiresIn, keyType, token
    (= accessToken), headers ({"Authorization": "Bearer ..."})."""
    _, T, _ = thrift_modules()
    api = api or new_api()
    own = session is None
    s = session or _admin()
    try:
        owner = owner if owner is not None else s.user
        app = T.Application(name=app_name or unique("app"), owner=owner, tier=tier, **app_fields)
        app = s.call("createApplication", app)
        s.call("subscribe", owner, app.name, api["context"], api["version"], tier)
        keys = s.call("generateKeys", owner, app.name, key_type, validity, list(scopes or []))
    finally:
        if own:
            s.close()
    out = to_dict(keys)
    out.update({"api": api, "app": to_dict(app), "owner": owner, "token": keys.accessToken,
                "headers": {"Authorization": "Bearer %s" % keys.accessToken}})
    return out


def to_dict(obj):
    """A Thrift struct (or list of them) as plain dicts, None fields dropped."""
    if isinstance(obj, (list, tuple, set)):
        return [to_dict(o) for o in obj]
    if hasattr(obj, "thrift_spec") or hasattr(obj, "__dict__") and type(obj).__module__.endswith("ttypes"):
        return {k: to_dict(v) for k, v in vars(obj).items() if v is not None}
    return obj


# ------------------------------------------------------------------ HTTP

def http(method, url, headers=None, body=None, timeout=10):
    """(status, headers with lower-case names, body bytes). Never raises for an
    HTTP status; HTTPS trusts the stack's CA. body may be str, bytes or a
    dict/list (sent as JSON)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if parts.scheme == "https":
        conn = httplib.HTTPSConnection(parts.hostname, parts.port or 443, timeout=timeout,
                                           context=ssl_context())
    else:
        conn = httplib.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    hdrs = dict(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
        hdrs.setdefault("Content-Type", "application/json")
    if isinstance(body, str):
        body = body.encode()
    try:
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        conn.close()


def gateway_url(k=0, path="/", tls=False):
    """URL on gateway k (0-based) for path."""
    base = (GATEWAYS_TLS if tls else GATEWAYS)[k]
    return base.rstrip("/") + path


def api_url(api, resource="/", k=0, tls=False):
    """URL of an API (dict from new_api) resource on gateway k."""
    return gateway_url(k, "%s/%s%s" % (api["context"].rstrip("/"), api["version"], resource), tls)


# ------------------------------------------------------------------ components

def tollgate(*args, check=True, timeout=120):
    """Run ./tollgate ARGS against this stack; returns CompletedProcess."""
    env = dict(os.environ)
    env["TOLLGATE_VAR"] = VAR
    proc = subprocess.run([os.path.join(ROOT, "tollgate")] + [str(a) for a in args], env=env,
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise RuntimeError("./tollgate %s failed (%d): %s" % (
            " ".join(map(str, args)), proc.returncode, proc.stderr[-2000:]))
    return proc


def sql(db, statement):
    """Runs SQL as MariaDB's root on the stack's private server; returns the rows
    as lists of strings (tab-separated output, no header)."""
    sock = ENV.get("TOLLGATE_DB_SOCKET") or os.path.join(VAR, "mysql", "mysqld.sock")
    proc = subprocess.run(["mariadb", "--socket", sock, "-uroot", db, "-N", "-B", "-e", statement],
                          capture_output=True, text=True, timeout=20)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip())
    return [line.split("\t") for line in proc.stdout.splitlines()]


def usage_sum_sql(context):
    """SQL that sums the request counts statdb holds for an API context. The usage table
    is found by its columns (sql/statdb.sql): one naming the API context, one a count."""
    rows = sql("statdb", "SELECT table_name, column_name FROM information_schema.columns "
                         "WHERE table_schema = 'statdb'")
    tables = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    for table, columns in sorted(tables.items()):
        ctx = [c for c in columns if "context" in c.lower()]
        cnt = [c for c in columns if c.lower() in ("count", "request_count", "requests",
                                                     "hits", "call_count", "total_request_count")]
        if ctx and cnt:
            return "SELECT COALESCE(SUM(`%s`),0) FROM `%s` WHERE `%s` = '%s'" % (
                cnt[0], table, ctx[0], context.replace("'", ""))
    raise AssertionError("no usage table with a context and a count column in statdb: %s"
                         % tables)


def usage_sum(statement):
    return int(float(sql("statdb", statement)[0][0]))


def usage_settled(statement):
    """usage_sum once earlier calls have been flushed (at least one row, then unchanged
    across two of the gateways' flush intervals)."""
    wait_until(lambda: usage_sum(statement) > 0, 15, message="warm-up usage")
    while True:
        before = usage_sum(statement)
        time.sleep(2.5)
        after = usage_sum(statement)
        if after == before:
            return after


def stop_db():
    tollgate("stop", "db")


def start_db():
    tollgate("start", "db")


def stop_hub(k):
    """k is the 1-based hub number (hub1 is k=1)."""
    tollgate("stop", "hub", k)


def start_hub(k):
    tollgate("start", "hub", k)


def stop_gateway(k):
    """k is the 1-based gateway number (gw1 is k=1)."""
    tollgate("stop", "gateway", k)


def start_gateway(k):
    tollgate("start", "gateway", k)


def stop_backend():
    tollgate("stop", "backend")


def start_backend():
    tollgate("start", "backend")


def wait_until(predicate, timeout=10, interval=0.1, message=None):
    """Call predicate until it returns something truthy (returned); exceptions
    count as "not yet". Raises AssertionError at the timeout, with the last
    value or exception."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = predicate()
            if last:
                return last
        except Exception as e:  # noqa: BLE001  (retry until the deadline)
            last = e
        if time.monotonic() >= deadline:
            raise AssertionError("%s: not true after %ss (last: %r)" % (
                message or getattr(predicate, "__name__", "condition"), timeout, last))
        time.sleep(interval)


# ------------------------------------------------------------------ hub helpers
# (added for the test_hub_* modules: validation calls, the gateway user, hub
# processes and configuration, raw Thrift bytes on the TLS port)

def gateway_password():
    """The `gateway` user's password ($TOLLGATE_VAR/gateway.password)."""
    with open(os.path.join(VAR, "gateway.password")) as f:
        return f.read().strip()


def validate_key(client, sid, api, token, resource="/*", verb="GET", auth_level="Any",
                 domain=""):
    """validateKey for api (a dict from new_api) as a gateway asks it; returns the DTO."""
    return client.validateKey(api["context"], api["version"], token, sid, auth_level, domain,
                              resource, verb)


def hub_pid(k=1):
    """pid of hub k (1-based) from its pid file when that process runs, else None."""
    try:
        with open(os.path.join(VAR, "run", "hub%d.pid" % k)) as f:
            pid = int(f.read().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def metrics_headers():
    """Headers for a hub's /metrics: the launcher's metrics_token, as a scraper sends it (an
    admin session would also do, but needs the database)."""
    return {"Authorization": "Bearer " + ENV.get("TOLLGATE_METRICS_TOKEN", "")}


def hub_config(k=1, key=None, default=None):
    """hub k's generated configuration: the [hub] value of key (a string, inline
    ';' comments dropped), or default when the file or key is missing."""
    import configparser
    parser = configparser.ConfigParser(inline_comment_prefixes=(";", "#"))
    try:
        parser.read(os.path.join(VAR, "conf", "hub%d.conf" % k))
        return parser.get("hub", key)
    except (configparser.Error, OSError):
        return default


def conf_with(conf_path, group, settings, out_path=None):
    """The text of the generated GKeyFile conf_path with [group] KEY = VALUE for each item
    of settings, written to out_path (default: conf_path itself). Each key is replaced
    where the file sets it, by the launcher's conf_set (launcher/config.sh): the launcher
    writes every key and a GKeyFile's later duplicate wins, so adding a line does nothing."""
    out_path = out_path or conf_path
    if out_path != conf_path:
        shutil.copyfile(conf_path, out_path)
    script = '. "$1/launcher/config.sh"; f=$2; g=$3; shift 3; ' \
             'while [ $# -gt 0 ]; do conf_set "$f" "$g" "$1" "$2" || exit 1; shift 2; done'
    args = [str(x) for kv in settings.items() for x in kv]
    subprocess.run(["bash", "-c", script, "conf_with", ROOT, out_path, group] + args, check=True,
                   timeout=30)
    with open(out_path) as f:
        return f.read()


def tls_socket(hub=0, timeout=10):
    """A raw TLS socket (ssl.SSLSocket, handshake done) to hub's Thrift port,
    for tests that write bytes by hand."""
    import socket
    host, port = _host_port(HUBS[hub])
    raw = socket.create_connection((host, port), timeout=timeout)
    try:
        return ssl_context().wrap_socket(raw, server_hostname=host)
    except Exception:
        raw.close()
        raise


def binary_string_field(fid, value):
    """One string field of a strict-binary struct: type 11, id, i32 length, bytes."""
    import struct
    data = value.encode() if isinstance(value, str) else value
    return struct.pack(">bhi", 11, fid, len(data)) + data


def binary_message(name, seqid, body, mtype=1):
    """A strict TBinaryProtocol message: version|type, name, seqid, then body
    (the argument struct, its STOP byte included by the caller). mtype 1 = CALL."""
    import struct
    n = name.encode()
    return struct.pack(">Ii", 0x80010000 | mtype, len(n)) + n + struct.pack(">i", seqid) + body


def binary_validate_key_call(api, token, sid, seqid=1, resource="/*", verb="GET"):
    """The bytes of a complete strict-binary validateKey call."""
    args = [api["context"], api["version"], token, sid, "Any", "", resource, verb]
    body = b"".join(binary_string_field(i + 1, v) for i, v in enumerate(args)) + b"\x00"
    return binary_message("validateKey", seqid, body)
