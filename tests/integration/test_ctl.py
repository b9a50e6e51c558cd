"""tollgatectl end to end against the running hub: user add, api create /
publish / lifecycle, app create, subscribe, keys generate (the token then
validates over Thrift and through `tollgatectl validate`), token revoke
by value and by id (then 900904); --json prints exactly one JSON object per command (errors
included); SQL metacharacters ('";--%_\\) and non-ASCII text in names and
descriptions round-trip unchanged and are never treated as LIKE patterns;
usage errors exit 2 without reaching a hub, hub errors exit 1.
"""
import hashlib
import json
import os
import subprocess
import time
import unittest
import uuid

import harness

META = "'\";--%_\\"
NON_ASCII = "Zürich café 日本語 ✓"


def ctl_json(*args, **kw):
    """(exit code, the one JSON object tollgatectl --json printed, stderr)."""
    proc = harness.ctl_raw("--json", *args, **kw)
    text = proc.stdout
    try:
        value = json.loads(text)
    except ValueError:
        raise AssertionError("tollgatectl --json %s printed no single JSON value: %r (stderr %r)"
                             % (" ".join(map(str, args)), text, proc.stderr))
    return proc.returncode, value, proc.stderr


class CtlTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.HUBS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS unset)")
        if harness.binary("tollgatectl") is None:
            raise unittest.SkipTest("tollgatectl is not built in %s" % harness.BUILD)
        _, cls.T, cls.W = harness.thrift_modules()
        cls.admin = harness.Session()

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "admin", None):
            cls.admin.close()

    def validate(self, context, version, token, resource="/items", verb="GET"):
        return self.admin.client.validateKey(context, version, token, self.admin.sid, "Any", "",
                                             resource, verb)

    def new_api(self, name=None, description=None, resources=("GET /items",)):
        ctx = "/ctl" + uuid.uuid4().hex[:10]
        args = ["api", "create", "--name", name or "ctl api " + ctx, "--context", ctx,
                "--version", "1.0.0", "--endpoint", harness.BACKEND or "http://127.0.0.1:9"]
        for r in resources:
            args += ["--resource", r]
        if description is not None:
            args += ["--description", description]
        return harness.ctl(*args)

    # ---------------------------------------------------------------- the whole flow

    def test_user_add_then_login(self):
        name = harness.unique("ctluser")
        out = harness.ctl("user", "add", name, "--password", "pw-" + name, "--role",
                          "subscriber,publisher")
        self.assertEqual(out["name"], name)
        self.assertEqual(sorted(out["roles"]), ["publisher", "subscriber"])
        self.assertTrue(harness.login(name, "pw-" + name))
        listed = {u["name"]: u for u in harness.ctl("user", "list")}
        self.assertIn(name, listed)
        self.assertEqual(sorted(listed[name]["roles"]), ["publisher", "subscriber"])
        again = harness.ctl("user", "add", name, "--password", "x", "--role", "subscriber",
                            check=False)
        self.assertEqual(again["exit_code"], 1, again)
        self.assertEqual(again.get("code"), 409, again)

    def test_api_app_subscribe_keys_validate_revoke(self):
        owner = harness.unique("owner")
        harness.ctl("user", "add", owner, "--password", "pw", "--role", "subscriber")
        res_tier = harness.unique("ResGold")  # a resource tier is a RESOURCE-level one
        harness.ctl("tier", "add", res_tier, "--level", "resource", "--requests", "100",
                    "--unit", "minute")
        api = self.new_api(resources=("GET /items", "POST /items/{id} Application " + res_tier,
                                      "GET /me Application_User Unlimited profile"))
        ctx, ver = api["context"], api["version"]
        self.assertEqual(api["status"], "CREATED")
        self.assertEqual(ver, "1.0.0")
        self.assertEqual(api["provider"], "admin")
        self.assertEqual(
            sorted((r["verb"], r["uri_template"], r["auth_type"], r["throttling_tier"],
                    r.get("scope", "")) for r in api["resources"]),
            [("GET", "/items", "Any", "Unlimited", ""), ("GET", "/me", "Application_User",
                                                         "Unlimited", "profile"),
             ("POST", "/items/{id}", "Application", res_tier, "")])
        self.assertEqual(harness.ctl("api", "publish", ctx, ver)["status"], "PUBLISHED")

        app = harness.ctl("app", "create", "ctlapp-" + owner, "--owner", owner, "--tier",
                          "20PerMin")
        self.assertEqual((app["name"], app["owner"], app["tier"]),
                         ("ctlapp-" + owner, owner, "20PerMin"))
        sub = harness.ctl("subscribe", "--app", app["name"], "--owner", owner, "--api",
                          "%s:%s" % (ctx, ver), "--tier", "Gold")
        self.assertEqual((sub["api_context"], sub["api_version"], sub["tier"], sub["status"]),
                         (ctx, ver, "Gold", "UNBLOCKED"))
        keys = harness.ctl("keys", "generate", "--app", app["name"], "--owner", owner,
                           "--validity", "600")
        for field in ("consumer_key", "consumer_secret", "access_token", "expires_in"):
            self.assertTrue(keys.get(field), "keys generate: no %s in %r" % (field, keys))
        self.assertEqual(keys["expires_in"], 600)
        self.assertEqual(keys.get("key_type"), "PRODUCTION")
        token = keys["access_token"]

        dto = self.validate(ctx, ver, token)
        self.assertTrue(dto.authorized, dto)
        self.assertEqual((dto.consumerKey, dto.subscriber, dto.applicationName, dto.tier),
                         (keys["consumer_key"], owner, app["name"], "Gold"))
        shown = harness.ctl("validate", "--api", "%s:%s" % (ctx, ver), "--token", token,
                            "--resource", "/items", "--verb", "get")
        self.assertIs(shown["authorized"], True, shown)
        self.assertEqual(shown["consumer_key"], keys["consumer_key"])

        # a second generate: same consumer key, new token, both valid
        keys2 = harness.ctl("keys", "generate", "--app", app["name"], "--owner", owner)
        self.assertEqual(keys2["consumer_key"], keys["consumer_key"])
        self.assertNotEqual(keys2["access_token"], token)
        sandbox = harness.ctl("keys", "generate", "--app", app["name"], "--owner", owner,
                              "--type", "sandbox")
        self.assertEqual(sandbox["key_type"], "SANDBOX")
        self.assertNotEqual(sandbox["consumer_key"], keys["consumer_key"])
        self.assertEqual(self.validate(ctx, ver, sandbox["access_token"]).type, "SANDBOX")

        self.assertEqual(harness.ctl("token", "revoke", token), {"ok": True})
        dto = self.validate(ctx, ver, token)
        self.assertFalse(dto.authorized)
        self.assertEqual(dto.validationStatus, 900904)
        self.assertTrue(self.validate(ctx, ver, keys2["access_token"]).authorized)
        shown = harness.ctl("validate", "--api", "%s:%s" % (ctx, ver), "--token", token,
                            "--resource", "/items", "--verb", "GET")
        self.assertEqual(shown.get("validation_status"), 900904, shown)

        # lifecycle
        for state in ("DEPRECATED", "BLOCKED"):
            self.assertEqual(harness.ctl("api", "lifecycle", ctx, ver, state)["status"], state)
        self.assertEqual(harness.ctl("api", "show", "%s:%s" % (ctx, ver))["status"], "BLOCKED")
        dto = self.validate(ctx, ver, keys2["access_token"])
        self.assertEqual(dto.validationStatus, 900907, dto)

    def test_end_user_token_via_token_issue(self):
        api = self.new_api(resources=("GET /me Application_User",))
        harness.ctl("api", "publish", api["context"], api["version"])
        app = harness.ctl("app", "create", harness.unique("eu"))
        harness.ctl("subscribe", "--app", app["name"], "--api",
                    "%s:%s" % (api["context"], api["version"]), "--tier", "Unlimited")
        harness.ctl("keys", "generate", "--app", app["name"])
        tok = harness.ctl("token", "issue", "--app", app["name"], "--end-user", "carol")
        dto = self.validate(api["context"], api["version"], tok["access_token"], "/me")
        self.assertTrue(dto.authorized, dto)
        self.assertEqual(dto.endUserName, "carol")
        listed = harness.ctl("token", "list", "--app", app["name"])
        self.assertIn("carol", [t.get("end_user_name") for t in listed])
        for t in listed:
            self.assertNotIn(tok["access_token"], json.dumps(t), "token listing shows a token")

    def test_token_revoke_by_id(self):
        owner = harness.new_user()
        as_owner = {"user": owner["name"], "password": owner["password"]}
        api = self.new_api()
        ref = "%s:%s" % (api["context"], api["version"])
        harness.ctl("api", "publish", api["context"], api["version"])
        app = harness.ctl("app", "create", harness.unique("rid"), "--owner", owner["name"])
        harness.ctl("subscribe", "--app", app["name"], "--owner", owner["name"], "--api", ref,
                    "--tier", "Unlimited")
        first = harness.ctl("keys", "generate", "--app", app["name"], **as_owner)["access_token"]
        second = harness.ctl("token", "issue", "--app", app["name"], **as_owner)["access_token"]
        listed = harness.ctl("token", "list", "--app", app["name"], **as_owner)
        prefix = hashlib.sha256(first.encode()).hexdigest()[:12]
        tid = [t["id"] for t in listed if t["token_hash_prefix"] == prefix][0]
        # another user's application named with this id: 404, exit 1, token untouched
        other = harness.ctl("app", "create", harness.unique("rid"))
        gone = harness.ctl("token", "revoke", "--id", tid, "--app", "admin:" + other["name"],
                           check=False)
        self.assertEqual((gone["exit_code"], gone["code"]), (1, 404), gone)
        self.assertTrue(self.validate(api["context"], api["version"], first).authorized)
        # the admin names the owner, the owner their own application; both --json
        self.assertEqual(harness.ctl("token", "revoke", "--id", tid, "--app",
                                     "%s:%s" % (owner["name"], app["name"])), {"ok": True})
        self.assertEqual(harness.ctl("token", "revoke", "--id", tid, "--app", app["name"],
                                     **as_owner), {"ok": True})   # again: no error
        self.assertEqual(self.validate(api["context"], api["version"], first).validationStatus,
                         900904)
        self.assertTrue(self.validate(api["context"], api["version"], second).authorized)
        proc = harness.ctl_raw("token", "revoke", "--id", tid, "--app", app["name"], **as_owner)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("token %d revoked" % tid, proc.stdout)

    # ---------------------------------------------------------------- --json

    def test_json_outputs_are_one_object(self):
        app = harness.ctl("app", "create", harness.unique("js"))
        for args in (["api", "list"], ["app", "list"], ["user", "list"], ["tiers"],
                     ["subscription", "list"], ["token", "list", "--app", app["name"]],
                     ["login"], ["gateway-config"], ["api", "show", "/nosuch", "1.0.0"],
                     ["token", "revoke", "no-such-token-" + uuid.uuid4().hex],
                     ["nosuchcommand"]):
            code, value, _ = ctl_json(*args)
            self.assertIsInstance(value, dict, "%s: %r" % (args, value))
            if code == 0:
                self.assertNotIn("error", value, args)
            else:
                self.assertIsInstance(value.get("error"), str, args)
                self.assertIsInstance(value.get("code"), int, args)
        code, value, _ = ctl_json("tiers")
        names = {t["name"] for t in value["items"]}
        self.assertTrue({"Gold", "Silver", "Bronze", "Unlimited", "50PerMin", "20PerMin",
                         "10PerMin"} <= names, names)
        code, value, _ = ctl_json("login")
        self.assertEqual(code, 0)
        self.assertTrue(value["session_id"])
        # without --json: text, not JSON
        proc = harness.ctl_raw("tiers")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("Gold", proc.stdout)
        self.assertFalse(proc.stdout.lstrip().startswith("{"), proc.stdout[:80])

    # ---------------------------------------------------------------- metacharacters

    def test_metacharacters_and_non_ascii_round_trip(self):
        uniq = uuid.uuid4().hex[:8]
        api_name = "api %s %s %s" % (META, NON_ASCII, uniq)
        api_desc = "description %s %s ' OR '1'='1" % (META, NON_ASCII)
        api = self.new_api(name=api_name, description=api_desc)
        self.assertEqual((api["name"], api["description"]), (api_name, api_desc))
        shown = harness.ctl("api", "show", api["context"], api["version"])
        self.assertEqual((shown["name"], shown["description"]), (api_name, api_desc))
        harness.ctl("api", "publish", api["context"], api["version"])

        app_name = "app %s %s %s" % (META, NON_ASCII, uniq)
        app_desc = "app description %s %s" % (META, NON_ASCII)
        app = harness.ctl("app", "create", app_name, "--description", app_desc)
        self.assertEqual((app["name"], app["description"]), (app_name, app_desc))
        listed = {a["name"]: a for a in harness.ctl("app", "list")}
        self.assertIn(app_name, listed)
        self.assertEqual(listed[app_name]["description"], app_desc)
        sub = harness.ctl("subscribe", "--app", app_name, "--api",
                          "%s:%s" % (api["context"], api["version"]), "--tier", "Unlimited")
        self.assertEqual(sub["application_name"], app_name)
        keys = harness.ctl("keys", "generate", "--app", app_name)
        dto = self.validate(api["context"], api["version"], keys["access_token"])
        self.assertTrue(dto.authorized, dto)
        self.assertEqual(dto.applicationName, app_name)
        self.assertEqual(dto.apiName, api_name)

    def test_like_wildcards_are_literal(self):
        """'%' and '_' in a name match only themselves (no LIKE lookups)."""
        api = self.new_api()
        harness.ctl("api", "publish", api["context"], api["version"])
        ref = "%s:%s" % (api["context"], api["version"])
        base = harness.unique("lk")
        plain = harness.ctl("app", "create", base + "ab")["name"]
        for pattern in (base + "%", base + "_b", base + "a_"):
            self.assertEqual(harness.ctl("keys", "generate", "--app", pattern, check=False)
                             .get("code"), 404, "%r found an application" % pattern)
        wild = harness.ctl("app", "create", base + "%")["name"]
        harness.ctl("subscribe", "--app", wild, "--api", ref, "--tier", "Unlimited")
        keys = harness.ctl("keys", "generate", "--app", wild)
        dto = self.validate(api["context"], api["version"], keys["access_token"])
        self.assertEqual(dto.applicationName, wild)
        # the plain application was not subscribed by the wildcard one
        subs = harness.ctl("subscription", "list", "--app", plain)
        self.assertEqual(subs, [], subs)

    def test_user_name_and_password_with_metacharacters(self):
        name = "u%s%s%s" % (META.replace(" ", ""), "ü日", uuid.uuid4().hex[:6])
        password = "p%s %s" % (META, NON_ASCII)
        out = harness.ctl("user", "add", name, "--password", password, "--role", "subscriber")
        self.assertEqual(out["name"], name)
        self.assertIn(name, [u["name"] for u in harness.ctl("user", "list")])
        self.assertTrue(harness.login(name, password))
        with self.assertRaises(self.W.AuthenticationException):
            harness.login(name, password[:-1])

    # ---------------------------------------------------------------- exit codes

    def test_bad_usage_exits_2_without_a_hub(self):
        unreachable = {"TOLLGATE_HUB": "127.0.0.1:1"}
        cases = [
            [], ["nosuchcommand"], ["api"], ["api", "nosuchverb"], ["api", "create"],
            ["api", "create", "--name", "x"],
            ["api", "create", "--name", "x", "--context", "/x", "--version", "1",
             "--endpoint", "http://h", "--resource", "FETCH /x"],
            ["api", "create", "--name", "x", "--context", "/x", "--version", "1",
             "--endpoint", "http://h", "--resource", "GET no-slash"],
            ["api", "create", "--name", "x", "--context", "/x", "--version", "1",
             "--endpoint", "http://h", "--resource", "GET /x Sometimes"],
            ["api", "publish"], ["api", "publish", "/a", "1", "extra"],
            ["api", "lifecycle", "/a", "1"], ["api", "show", "/a b", "1"],
            ["user", "add", "x", "--password", "p"], ["user", "add", "--role", "admin"],
            ["app", "create"], ["subscribe", "--app", "a", "--api", "/a:1"],
            ["subscribe", "--app", "a", "--api", "noversion", "--tier", "Gold"],
            ["keys", "generate"], ["keys", "generate", "--app", "a", "--validity", "abc"],
            ["keys", "generate", "--app", "a", "--validity", "-5"],
            ["keys", "generate", "--app", "a", "--type", "GOLD"],
            ["token", "revoke"], ["token", "revoke", "a", "b"],
            ["token", "revoke", "--id", "1"], ["token", "revoke", "--id", "x", "--app", "a"],
            ["token", "revoke", "--id", "0", "--app", "a"],
            ["token", "revoke", "--id", "-1", "--app", "a"],
            ["token", "revoke", "--id", "1 OR 1=1", "--app", "a"],
            ["token", "revoke", "--id", "99999999999999999999", "--app", "a"],
            ["token", "revoke", "--id", "1", "--app", "o:"],
            ["token", "revoke", "--id", "1", "--app", ""],
            ["token", "revoke", "tok", "--id", "1", "--app", "a"],
            ["token", "revoke", "tok", "--app", "a"],
            ["api", "list", "--bogus-flag"], ["--timeout", "0", "api", "list"],
            ["validate", "--api", "/a:1", "--token", "t"],
        ]
        for args in cases:
            proc = harness.ctl_raw(*args, extra_env=unreachable)
            self.assertEqual(proc.returncode, 2, "%r exit %d: %s" % (args, proc.returncode,
                                                                     proc.stderr))
            self.assertTrue(proc.stderr.strip(), "%r: no message on stderr" % (args,))
            code, value, _ = ctl_json(*args, extra_env=unreachable)
            self.assertEqual(code, 2, args)
            self.assertEqual(value.get("code"), 400, "%r: %r" % (args, value))
            self.assertTrue(value.get("error"), args)
        proc = harness.ctl_raw("--help", extra_env=unreachable)
        self.assertEqual(proc.returncode, 0)
        self.assertIn("keys generate", proc.stdout)

    def test_every_command_of_the_table_answers_help_without_a_hub(self):
        # every row of ctl/commands.c goes through the one dispatcher: its options parse and
        # --help prints its own usage line, before any connection
        unreachable = {"TOLLGATE_HUB": "127.0.0.1:1"}
        listing = harness.ctl_raw("--help", extra_env=unreachable).stdout
        commands = []
        for line in listing.splitlines():
            if not line.startswith("  tollgatectl "):
                continue
            words = []
            for word in line.split()[1:3]:
                if not word.replace("-", "").isalpha() or not word.islower():
                    break
                words.append(word)
            commands.append(words)
        self.assertGreaterEqual(len(commands), 41, listing)
        for words in commands:
            proc = harness.ctl_raw(*(words + ["--json", "--help"]), extra_env=unreachable)
            self.assertEqual(proc.returncode, 0, "%r: %s" % (words, proc.stderr))
            self.assertTrue(proc.stdout.startswith("usage:\n  tollgatectl %s" % " ".join(words)),
                            "%r: %r" % (words, proc.stdout))

    def test_hub_errors_exit_1(self):
        code, value, _ = ctl_json("api", "show", "/nosuch" + uuid.uuid4().hex[:8], "1.0.0")
        self.assertEqual((code, value.get("code")), (1, 404), value)
        code, value, err = ctl_json("api", "list", password=harness.ADMIN_PASSWORD + "x")
        self.assertEqual(code, 1, value)
        self.assertEqual(value.get("code"), 401, value)
        self.assertNotIn(harness.ADMIN_PASSWORD, err + json.dumps(value))
        code, value, _ = ctl_json("api", "list", extra_env={"TOLLGATE_HUB": "127.0.0.1:1"})
        self.assertEqual(code, 1, value)
        self.assertEqual(value.get("code"), 503, value)
        user = harness.new_user(roles=("subscriber",))
        code, value, _ = ctl_json("user", "list", user=user["name"], password=user["password"])
        self.assertEqual((code, value.get("code")), (1, 403), value)


class CtlPasswordInputTest(unittest.TestCase):
    """Passwords reach tollgatectl from a prompt (no echo), standard input (-) or
    TOLLGATE_PASSWORD; one on the command line still works but is warned about
    (ps shows every process's arguments to every user)."""

    WARNING = "password on the command line"

    def run_ctl(self, *args, stdin=None, env_password=True, new_session=False):
        env = dict(os.environ)
        env.update({"TOLLGATE_HUB": harness.HUBS[0], "TOLLGATE_CA": harness.CA,
                    "TOLLGATE_USER": "admin"})
        env.pop("TOLLGATE_PASSWORD", None)
        if env_password:
            env["TOLLGATE_PASSWORD"] = harness.ADMIN_PASSWORD
        return subprocess.run([harness.binary("tollgatectl")] + list(args), env=env,
                              input=stdin, capture_output=True, text=True, timeout=60,
                              stdin=None if stdin is not None else subprocess.DEVNULL,
                              start_new_session=new_session)

    def test_command_line_password_works_with_a_warning(self):
        name = harness.unique("ctlpw")
        proc = self.run_ctl("user", "add", name, "--password", "pw-" + name, "--role",
                            "subscriber")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(self.WARNING, proc.stderr)
        self.assertNotIn("pw-" + name, proc.stderr)
        self.assertTrue(harness.login(name, "pw-" + name))
        proc = self.run_ctl("--password", harness.ADMIN_PASSWORD, "user", "list",
                            env_password=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(self.WARNING, proc.stderr)
        # the environment is not warned about
        proc = self.run_ctl("user", "list")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertNotIn(self.WARNING, proc.stderr)

    def test_passwords_from_standard_input(self):
        name = harness.unique("ctlstdin")
        proc = self.run_ctl("user", "add", name, "--password", "-", "--role", "subscriber",
                            stdin="from-stdin %s\n" % name)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertNotIn(self.WARNING, proc.stderr)
        self.assertTrue(harness.login(name, "from-stdin %s" % name))
        # the login password from standard input too
        proc = self.run_ctl("--password", "-", "user", "list",
                            stdin=harness.ADMIN_PASSWORD + "\n", env_password=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(name, proc.stdout)
        self.assertNotIn(self.WARNING, proc.stderr)

    def test_prompt_on_a_terminal_without_echo(self):
        import pty
        name = harness.unique("ctltty")
        secret = "typed-" + uuid.uuid4().hex[:8]
        env = dict(os.environ, TOLLGATE_HUB=harness.HUBS[0], TOLLGATE_CA=harness.CA,
                   TOLLGATE_USER="admin", TOLLGATE_PASSWORD=harness.ADMIN_PASSWORD)
        pid, fd = pty.fork()
        if pid == 0:  # child: the pty is its controlling terminal
            os.execve(harness.binary("tollgatectl"),
                      ["tollgatectl", "user", "add", name, "--role", "subscriber"], env)
        seen = b""
        try:
            deadline = time.monotonic() + 20
            while b"password" not in seen.lower() and time.monotonic() < deadline:
                seen += os.read(fd, 1024)
            self.assertIn(("New password for %s" % name).encode(), seen)
            os.write(fd, (secret + "\n").encode())
            while True:
                try:
                    chunk = os.read(fd, 1024)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
        finally:
            _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0, seen)
        self.assertNotIn(secret.encode(), seen, "the password was echoed")
        self.assertTrue(harness.login(name, secret))
        # no terminal (a new session, stdin not a tty): no prompt, a usage error
        proc = self.run_ctl("user", "add", harness.unique("ctlnotty"), "--role", "subscriber",
                            new_session=True)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("terminal", proc.stderr)


if __name__ == "__main__":
    unittest.main()
