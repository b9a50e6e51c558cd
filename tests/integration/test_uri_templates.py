"""The hub and the gateway pick the same resource, end to end, for the rows of
tests/data/uri_templates.tsv (the one table of URI-template cases, also run by
the unit tests of common/tg_uri_template.c, validation.c and router.c).

For each row whose resources the hub accepts, with a verb it accepts and a
printable path, an API is made whose expected resource has auth type None and
every other resource Application_User, and an application token is subscribed
to it. On every hub, validateKey with the row's path as matchingResource is
authorized exactly when the hub picked the expected resource (another one
answers 900908, none 900906): unnormalised paths such as /public/..;/items
included. On every gateway, for the rows whose path a client can send unchanged
(normalised, plain characters), the routed request is proxied (200) exactly when
the gateway picked it (another: 403 / 900908, none: 404 / 900906). A row the
table marks 400 is refused by createApi with 400.
"""
import json
import os
import re
import unittest

import harness

TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data",
                     "uri_templates.tsv")
HUB_VERBS = ("GET", "POST", "PUT", "DELETE", "PATCH")
PLAIN_PATH = re.compile(r"^(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?$")


def load_table():
    rows = []
    with open(TABLE, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            resources, verb, path, expected, create = line.split("\t")
            words = resources.split(" ")
            pairs = list(zip(words[0::2], words[1::2]))
            rows.append({"line": lineno, "resources": pairs, "verb": verb, "path": path,
                         "expected": None if expected == "-" else tuple(expected.split(" ", 1)),
                         "refused": create == "400"})
    return rows


def hub_row(row):
    """A row a gateway can ask the hub about (printable ASCII) and a publisher can create."""
    return (not row["refused"] and row["verb"] in HUB_VERBS
            and all(" " < ch < "\x7f" and ch != "\\" for ch in row["path"])
            and all(v in HUB_VERBS for v, _ in row["resources"]))


def end_to_end(row):
    """A hub row a client can also send through a gateway unchanged (a normalised path of
    plain characters: the gateway's path normalisation would change the others)."""
    path = row["path"]
    return bool(hub_row(row) and path.startswith("/") and PLAIN_PATH.match(path)
                and "/./" not in path + "/" and "/../" not in path + "/")


def fault_code(body):
    try:
        return json.loads(body.decode())["fault"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


class UriTemplatesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.HUBS or not harness.GATEWAYS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS / TOLLGATE_GATEWAYS unset)")
        cls.rows = load_table()
        cls.admin = harness.Session()
        cls.gw = [harness.Session("gateway", harness.gateway_password(), hub=k)
                  for k in range(len(harness.HUBS))]
        cls.hub_cases, cls.cases = [], []
        for row in cls.rows:
            if not hub_row(row):
                continue
            res = [(v, t, "None" if (v, t) == row["expected"] else "Application_User")
                   for v, t in row["resources"]]
            api = harness.new_api(resources=res, session=cls.admin)
            key = harness.new_app_with_key(api=api, session=cls.admin)
            cls.hub_cases.append((row, api, key["token"]))
            if end_to_end(row):
                cls.cases.append((row, api, key["token"]))

    @classmethod
    def tearDownClass(cls):
        for s in getattr(cls, "gw", []):
            s.close()
        if getattr(cls, "admin", None):
            cls.admin.close()

    def what(self, row):
        return "uri_templates.tsv line %d: %s %r with %s" % (row["line"], row["verb"],
                                                             row["path"], row["resources"])

    def test_enough_rows_run_end_to_end(self):
        self.assertGreaterEqual(len(self.cases), 40)
        self.assertGreaterEqual(len(self.hub_cases), 90)

    def test_hub_picks_the_expected_resource(self):
        for row, api, token in self.hub_cases:
            for k, s in enumerate(self.gw):
                dto = harness.validate_key(s.client, s.sid, api, token, row["path"], row["verb"])
                if row["expected"]:
                    self.assertTrue(dto.authorized, "%s on hub %d: %r" % (self.what(row), k + 1, dto))
                else:
                    self.assertFalse(dto.authorized, self.what(row))
                    self.assertEqual(dto.validationStatus, 900906, self.what(row))

    def gateway_call(self, row, api, token, k):
        return harness.http(row["verb"], harness.api_url(api, row["path"], k),
                            headers={"Authorization": "Bearer %s" % token})

    def test_gateway_routes_to_the_expected_resource(self):
        for k in range(len(harness.GATEWAYS)):
            for row, api, token in self.cases:
                # the change feed brings a new API within about a second: until then, 404/404
                status, _, body = harness.wait_until(
                    lambda: (lambda r: r if not (r[0] == 404 and fault_code(r[2]) == 404)
                             else None)(self.gateway_call(row, api, token, k)),
                    10, message="API %s on gateway %d" % (api["context"], k + 1))
                what = "%s on gateway %d" % (self.what(row), k + 1)
                if row["expected"]:
                    self.assertEqual(status, 200, "%s: %r" % (what, body[:200]))
                else:
                    self.assertEqual((status, fault_code(body)), (404, 900906), what)

    def test_hub_refuses_what_the_table_marks_400(self):
        T = harness.thrift_modules()[1]
        tried = 0
        for row in self.rows:
            if not row["refused"]:
                continue
            tried += 1
            with self.assertRaises(T.TollgateException, msg=self.what(row)) as cm:
                harness.new_api(resources=[(v, t, "Any") for v, t in row["resources"]],
                                session=self.admin)
            self.assertEqual(cm.exception.code, 400, "%s: %s" % (self.what(row),
                                                                 cm.exception.message))
        self.assertGreaterEqual(tried, 15)

if __name__ == "__main__":
    unittest.main()
