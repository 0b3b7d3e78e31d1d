"""The JSON Schemas are themselves valid and describe their choices."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import ROOT

SCHEMAS = sorted((ROOT / "schema").glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_2020_12(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(path.name)
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_objects_are_closed_and_enums_described(path):
    schema = json.loads(path.read_text(encoding="utf-8"))

    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, f"{where} must set additionalProperties: false"
            if "enum" in node:
                assert node.get("description"), f"{where} has an enum without a description"
            for k, v in node.items():
                walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}/{i}")

    walk(schema, "#")


def test_schema_lists_at_least_two_schemas():
    assert {p.name for p in SCHEMAS} >= {"case.schema.json"}
