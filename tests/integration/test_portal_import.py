"""OpenAPI import from YAML and by file upload, against the real stack: a YAML
body through the JSON API (and the YAML export importing again) and a multipart/form-data upload (JSON API with a
bearer token, and the publisher's page with its cookie session and the CSRF
token as a multipart field) each create the API with its resources; a
billion-laughs YAML, a second YAML document, a foreign tag, an oversized
upload (past [portal] upload_max_body: 413), a bad or
missing boundary, a missing, wrong or file-borne CSRF token and a cross-site
upload are refused with 400/403 and create nothing; a
subscriber is refused; routes that take no upload refuse multipart (415).
A JSON body nested deeper than 64 levels is refused unread (it used to
overflow the portal's stack in json-glib's recursive parser, even anonymous).
"""
import json
import unittest

import harness
from test_portal_store import PORTAL, Browser, api_token, bearer
from test_portal_publisher import PASSWORD, call, portal_users

BOUNDARY = "----TollgateTestBoundary7MA4YWxk"


def yaml_doc(ctx, title="Imported", version="1.0.0"):
    return ("# an OpenAPI 3 document in YAML\n"
            "openapi: 3.0.3\n"
            "info:\n  title: %s\n  version: %s\n  description: Imported from YAML.\n"
            "x-tollgate-context: %s\n"
            "x-tollgate-production-endpoint: %s\n"
            "tags:\n  - name: Yaml\n"
            "paths:\n"
            "  /items:\n"
            "    get:\n      responses: &ok\n        200:\n          description: ok\n"
            "    post:\n      x-auth-type: Application\n      responses: *ok\n"
            "  /items/{id}:\n"
            "    delete:\n      security: []\n      responses: *ok\n") % (title, version, ctx, harness.BACKEND)


def multipart(parts, boundary=BOUNDARY, close=True):
    """parts: (name, value, filename or None, content type or None); bytes out."""
    out = b""
    for name, value, filename, ctype in parts:
        out += b"--" + boundary.encode() + b"\r\n"
        disp = 'Content-Disposition: form-data; name="%s"' % name
        if filename is not None:
            disp += '; filename="%s"' % filename
        out += disp.encode() + b"\r\n"
        if ctype:
            out += ("Content-Type: %s\r\n" % ctype).encode()
        out += b"\r\n" + (value if isinstance(value, bytes) else value.encode()) + b"\r\n"
    out += b"--" + boundary.encode() + (b"--\r\n" if close else b"\r\n")
    return out


def mp_headers(boundary=BOUNDARY):
    return {"Content-Type": "multipart/form-data; boundary=" + boundary}


LAUGHS = "lol0: &a0 [lol]\n" + "".join(
    "lol%d: &a%d [%s]\n" % (i, i, ",".join(["*a%d" % (i - 1)] * 10)) for i in range(1, 9))


@unittest.skipUnless(PORTAL, "no portal in this stack (TOLLGATE_PORTAL unset)")
class PortalImportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        portal_users(cls, "imp", "impsub")

    def exists(self, ctx, version="1.0.0"):
        status, _, _ = call("GET", "/api/publisher/v1/apis%s/%s" % (ctx, version), self.pt)
        return status == 200

    def assert_imported(self, ctx):
        status, api, text = call("GET", "/api/publisher/v1/apis%s/1.0.0" % ctx, self.pt)
        self.assertEqual(status, 200, text)
        self.assertEqual(api["name"], "Imported")
        self.assertEqual(api["description"], "Imported from YAML.")
        self.assertIn("yaml", api["tags"])
        got = sorted((r["verb"], r["uriTemplate"], r["authType"]) for r in api["resources"])
        self.assertEqual(got, [("DELETE", "/items/{id}", "None"), ("GET", "/items", "Any"),
                               ("POST", "/items", "Application")])

    def raw(self, path, body, headers, token=None, browser=None, same_origin=True):
        b = browser or Browser()
        h = dict(bearer(token)) if token else {}
        h.update(headers)
        status, hdrs, text, _ = b.request("POST", path, body=body, headers=h, same_origin=same_origin)
        return status, hdrs, text

    def test_yaml_body_through_the_json_api(self):
        ctx = "/" + harness.unique("yamlbody")
        status, _, text = self.raw("/api/publisher/v1/import", yaml_doc(ctx).encode(),
                                   {"Content-Type": "application/yaml"}, self.pt)
        self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text)["context"], ctx)
        self.assert_imported(ctx)
        # exported as YAML, it imports again (as another context)
        b = Browser()
        status, hdrs, text, _ = b.request("GET", "/api/publisher/v1/openapi%s/1.0.0?format=yaml" % ctx,
                                          headers=bearer(self.pt))
        self.assertEqual(status, 200, text)
        self.assertTrue(hdrs["content-type"].startswith("application/yaml"), hdrs)
        self.assertIn(".openapi.yaml", hdrs["content-disposition"])
        self.assertIn("x-tollgate-context: %s\n" % ctx, text)
        again = "/" + harness.unique("yamlagain")
        status, _, out = self.raw("/api/publisher/v1/import",
                                  text.replace("x-tollgate-context: %s\n" % ctx, "x-tollgate-context: %s\n" % again).encode(),
                                  {"Content-Type": "application/yaml"}, self.pt)
        self.assertEqual(status, 200, out)
        self.assertEqual(len(json.loads(out)["resources"]), 3)
        # no type at all: YAML by content
        ctx2 = "/" + harness.unique("yamlplain")
        status, _, text = self.raw("/api/publisher/v1/import", yaml_doc(ctx2).encode(),
                                   {"Content-Type": "text/plain"}, self.pt)
        self.assertEqual(status, 200, text)
        self.assert_imported(ctx2)

    def test_upload_through_the_json_api(self):
        ctx = "/" + harness.unique("upapi")
        body = multipart([("file", yaml_doc(ctx), "api.yml", "application/octet-stream")])
        status, _, text = self.raw("/api/publisher/v1/import", body, mp_headers(), self.pt)
        self.assertEqual(status, 200, text)
        self.assert_imported(ctx)
        # a JSON file works the same way
        ctx2 = "/" + harness.unique("upjson")
        doc = {"openapi": "3.0.0", "info": {"title": "J", "version": "1.0.0"}, "x-tollgate-context": ctx2,
               "x-tollgate-production-endpoint": harness.BACKEND,
               "paths": {"/j": {"get": {}}}}
        body = multipart([("file", json.dumps(doc), "api.json", "application/json")])
        status, _, text = self.raw("/api/publisher/v1/import", body, mp_headers(), self.pt)
        self.assertEqual(status, 200, text)
        self.assertTrue(self.exists(ctx2))

    def test_upload_from_the_page(self):
        b = Browser()
        b.login(self.pub, PASSWORD)
        status, _, page, _ = b.get("/publisher/new")
        self.assertEqual(status, 200)
        self.assertIn('enctype="multipart/form-data"', page)
        self.assertIn('type="file"', page)
        ctx = "/" + harness.unique("uppage")
        body = multipart([("csrf", b.csrf, None, None), ("file", yaml_doc(ctx), "api.yaml", "application/x-yaml"),
                          ("document", "", None, None)])
        status, hdrs, text = self.raw("/publisher/import", body, mp_headers(), browser=b)
        self.assertEqual(status, 303, text)
        self.assertIn("/publisher/apis" + ctx, hdrs.get("location", ""))
        self.assert_imported(ctx)
        # the same form with the document pasted instead of a file (the file input left empty)
        ctx2 = "/" + harness.unique("pastepage")
        body = multipart([("csrf", b.csrf, None, None), ("file", "", "", "application/octet-stream"),
                          ("document", yaml_doc(ctx2), None, None)])
        status, _, text = self.raw("/publisher/import", body, mp_headers(), browser=b)
        self.assertEqual(status, 303, text)
        self.assert_imported(ctx2)
        # nothing chosen and nothing pasted: the page again, saying what to do
        body = multipart([("csrf", b.csrf, None, None), ("file", "", "", "application/octet-stream"),
                          ("document", "", None, None)])
        status, _, text = self.raw("/publisher/import", body, mp_headers(), browser=b)
        self.assertEqual(status, 400, text)
        self.assertIn("Choose a file or paste a document", text)
        self.assertIn('type="file"', text)
        # a refused document comes back as the page with the reason, and creates nothing
        ctx3 = "/" + harness.unique("laughpage")
        body = multipart([("csrf", b.csrf, None, None), ("file", yaml_doc(ctx3) + LAUGHS, "api.yaml", None)])
        status, _, text = self.raw("/publisher/import", body, mp_headers(), browser=b)
        self.assertEqual(status, 400)
        self.assertIn("aliases expand to more than", text)
        self.assertFalse(self.exists(ctx3))

    def test_hostile_documents_create_nothing(self):
        cases = [
            ("billion laughs", lambda c: yaml_doc(c) + LAUGHS, "aliases expand"),
            ("second document", lambda c: yaml_doc(c) + "---\n" + yaml_doc(c + "two"), "second YAML document"),
            ("foreign tag", lambda c: yaml_doc(c) + "x: !!python/object/apply:os.system [ls]\n", "tag"),
            ("repeated key", lambda c: yaml_doc(c) + "x: 1\nx: 2\n", "twice"),
            ("unknown alias", lambda c: yaml_doc(c) + "x: *nowhere\n", "no anchor"),
        ]
        for what, make, message in cases:
            for how in ("body", "upload"):
                ctx = "/" + harness.unique("bad")
                doc = make(ctx)
                if how == "body":
                    status, _, text = self.raw("/api/publisher/v1/import", doc.encode(),
                                               {"Content-Type": "application/yaml"}, self.pt)
                else:
                    status, _, text = self.raw("/api/publisher/v1/import",
                                               multipart([("file", doc, "a.yaml", None)]), mp_headers(), self.pt)
                self.assertEqual(status, 400, "%s by %s: %s" % (what, how, text))
                self.assertIn(message, json.loads(text)["message"], what)
                self.assertFalse(self.exists(ctx), what)

    def test_malformed_uploads_create_nothing(self):
        ctx = "/" + harness.unique("malformed")
        good = [("file", yaml_doc(ctx), "api.yaml", None)]
        cases = [
            ("boundary differs", multipart(good, boundary="other"), mp_headers(), 400),
            ("no boundary", multipart(good), {"Content-Type": "multipart/form-data"}, 400),
            ("no closing boundary", multipart(good, close=False), mp_headers(), 400),
            ("cut short", multipart(good)[:-40], mp_headers(), 400),
            ("bare LF", multipart(good).replace(b"\r\n", b"\n"), mp_headers(), 400),
            ("too many parts", multipart([("f%d" % i, "v", None, None) for i in range(40)] + good), mp_headers(), 400),
            ("oversized", multipart([("file", yaml_doc(ctx) + "#" * (4200 * 1024), "api.yaml", None)]),
             mp_headers(), 413),
        ]
        for what, body, headers, want in cases:
            try:
                status, _, text = self.raw("/api/publisher/v1/import", body, headers, self.pt)
            except (ConnectionError, OSError) as e:  # the 413 may close before all is sent
                self.assertEqual(want, 413, "%s: %r" % (what, e))
                continue
            if want == 413:
                self.assertIn(status, (400, 413), what)
            else:
                self.assertEqual(status, want, "%s: %s" % (what, text))
        self.assertFalse(self.exists(ctx))
        # the portal still answers after all that
        self.assertEqual(call("GET", "/api/publisher/v1/apis", self.pt)[0], 200)

    def test_csrf_in_a_multipart_form(self):
        b = Browser()
        b.login(self.pub, PASSWORD)
        b.get("/publisher/new")
        token = b.csrf
        cases = [
            ("no token", [], {}),
            ("wrong token", [("csrf", "0" * len(token), None, None)], {}),
            ("token as a file", [("csrf", token, "csrf.txt", "text/plain")], {}),
            ("token in a differently named field", [("csrf_", token, None, None)], {}),
            ("cross-site", [("csrf", token, None, None)], {"Sec-Fetch-Site": "cross-site"}),
            ("foreign Origin", [("csrf", token, None, None)], {"Origin": "https://evil.example"}),
        ]
        for what, fields, extra in cases:
            ctx = "/" + harness.unique("csrf")
            body = multipart(fields + [("file", yaml_doc(ctx), "api.yaml", None)])
            headers = dict(mp_headers())
            headers.update(extra)
            status, _, text = self.raw("/publisher/import", body, headers, browser=b)
            self.assertEqual(status, 403, "%s: %s" % (what, text))
            self.assertFalse(self.exists(ctx), what)

    def test_subscriber_and_anonymous_refused(self):
        ctx = "/" + harness.unique("subup")
        body = multipart([("file", yaml_doc(ctx), "api.yaml", None)])
        self.assertEqual(self.raw("/api/publisher/v1/import", body, mp_headers(), self.st)[0], 403)
        self.assertEqual(self.raw("/api/publisher/v1/import", yaml_doc(ctx).encode(),
                                  {"Content-Type": "application/yaml"}, self.st)[0], 403)
        self.assertEqual(self.raw("/api/publisher/v1/import", body,
                                  dict(mp_headers(), Accept="application/json"))[0], 401)
        b = Browser()
        b.login(self.sub, PASSWORD)
        page_body = multipart([("csrf", b.csrf, None, None), ("file", yaml_doc(ctx), "api.yaml", None)])
        self.assertEqual(self.raw("/publisher/import", page_body, mp_headers(), browser=b)[0], 403)
        self.assertFalse(self.exists(ctx))

    def test_other_routes_take_no_multipart(self):
        b = Browser()
        b.login(self.sub, PASSWORD)
        body = multipart([("csrf", b.csrf, None, None), ("name", harness.unique("app"), None, None)])
        status, _, text = self.raw("/store/apps", body, mp_headers(), browser=b)
        self.assertEqual(status, 415, text)
        status, _, text = self.raw("/api/publisher/v1/apis", b"name: x\n", {"Content-Type": "application/yaml"},
                                   self.pt)
        self.assertEqual(status, 415, text)

    def test_deep_json_body_refused(self):
        deep = b'{"a":' + b"[" * 200000 + b"]" * 200000 + b"}"
        for path, token in (("/api/auth/token", None), ("/api/publisher/v1/apis", self.pt),
                            ("/api/publisher/v1/import", self.pt)):
            status, _, text = self.raw(path, deep, {"Content-Type": "application/json"}, token)
            self.assertEqual(status, 400, "%s: %s" % (path, text))
            self.assertIn("nests deeper than 64", text)
        ok = b'{"a":' + b"[" * 63 + b"]" * 63 + b"}"
        status, _, text = self.raw("/api/publisher/v1/apis", ok, {"Content-Type": "application/json"}, self.pt)
        self.assertEqual(status, 400, text)  # parsed, then refused for what it lacks
        self.assertNotIn("nests deeper", text)
        self.assertEqual(call("GET", "/api/publisher/v1/apis", self.pt)[0], 200)


if __name__ == "__main__":
    unittest.main()
