# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The OpenAPI document built from the one description of the API."""

import json
import unittest

from core.openapi import (
    API_BASE,
    OPERATIONS,
    SCHEMAS,
    conformance_problems,
    openapi_document,
)


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


class TestDocument(unittest.TestCase):
    def test_document_is_json_and_lists_every_operation(self):
        """One path entry per operation, under the API base."""
        document = json.loads(json.dumps(openapi_document("https://erp.example")))
        self.assertEqual(document["openapi"], "3.1.0")
        self.assertEqual(document["servers"], [{"url": "https://erp.example"}])
        operations = {
            (path, method)
            for path, methods in document["paths"].items()
            for method in methods
        }
        self.assertEqual(
            operations, {(API_BASE + path, method) for path, method in OPERATIONS}
        )

    def test_every_reference_resolves(self):
        """Each $ref names a schema of SCHEMAS."""
        document = openapi_document()
        for ref in set(_refs(document)):
            with self.subTest(ref=ref):
                self.assertTrue(ref.startswith("#/components/schemas/"))
                self.assertIn(ref.rsplit("/", 1)[-1], SCHEMAS)

    def test_errors_documented(self):
        """Authenticated operations document 401 with the Error schema."""
        document = openapi_document()
        for path, methods in document["paths"].items():
            for method, operation in methods.items():
                with self.subTest(path=path, method=method):
                    if operation.get("security") == []:
                        self.assertNotIn("401", operation["responses"])
                        continue
                    answer = operation["responses"]["401"]
                    self.assertEqual(
                        answer["content"]["application/json"]["schema"],
                        {"$ref": "#/components/schemas/Error"},
                    )

    def test_webhook_events_documented(self):
        """Each event type is a webhook of the document."""
        document = openapi_document()
        self.assertEqual(
            set(document["webhooks"]),
            {"status_changed", "shipped", "delayed", "exception_opened", "cancelled"},
        )


class TestConformance(unittest.TestCase):
    def _error(self, **changes):
        return {"error": {"code": "not_found", "message": "No such order."} | changes}

    def test_conforming_value(self):
        """An error answer with exactly the documented keys conforms."""
        self.assertEqual(
            conformance_problems(self._error(), {"$ref": "#/components/schemas/Error"}),
            [],
        )

    def test_extra_missing_and_types(self):
        """Extra keys, missing keys and wrong types are each reported."""
        schema = {"$ref": "#/components/schemas/Error"}
        self.assertEqual(
            conformance_problems(self._error(detail="x"), schema),
            ["$.error: extra detail"],
        )
        self.assertEqual(
            conformance_problems({"error": {"code": "x"}}, schema),
            ["$.error: missing message"],
        )
        self.assertEqual(
            conformance_problems(self._error(code=4), schema),
            ["$.error.code: int is not string"],
        )

    def test_nullable_enum_and_arrays(self):
        """null where allowed, enums and array items are checked."""
        schema = SCHEMAS["HistoryEntry"]
        good = {
            "from": None,
            "to": "shipped",
            "date": "2026-01-01T00:00:00Z",
            "trigger": None,
        }
        self.assertEqual(conformance_problems(good, schema), [])
        self.assertEqual(
            conformance_problems(good | {"to": "lost"}, schema),
            ["$.to: 'lost' not in enum"],
        )
        self.assertEqual(
            conformance_problems(good | {"to": None}, schema),
            ["$.to: NoneType is not string"],
        )
        lines = {"type": "array", "items": {"type": "integer"}}
        self.assertEqual(
            conformance_problems([1, True, 2.5], lines),
            ["$[1]: bool is not integer", "$[2]: float is not integer"],
        )
