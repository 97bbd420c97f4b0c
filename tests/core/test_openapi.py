"""The OpenAPI document names every schema uniquely and documents each operation with the body
it really accepts (issue 23 item 7: the cases app's decision-meeting POST was documented with the
meetings app's ``MeetingIn``)."""

from collections import defaultdict

import pytest

from gongxin.api import _all_schemas, api, schema_name


@pytest.fixture(scope="module")
def document():
    return api.get_openapi_schema()


def _operations():
    """operationId → the ninja Operation, for every route of every app."""
    found = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                found[operation.operation_id or api.get_openapi_operation_id(operation)] = operation
    return found


def _body_schema_class(operation):
    bodies = [m for m in operation.models if m.__ninja_param_source__ == "body"]
    if len(bodies) != 1:
        return None
    (field,) = bodies[0].model_fields.values()
    return field.annotation


def test_no_two_schema_classes_share_a_component_name():
    owners = defaultdict(set)
    for model in _all_schemas():
        if model.__module__.startswith("gongxin."):
            owners[schema_name(model.__module__, model.__qualname__)].add(f"{model.__module__}.{model.__qualname__}")
    assert {name: classes for name, classes in owners.items() if len(classes) > 1} == {}


def test_each_operation_documents_the_body_it_accepts(document):
    operations = _operations()
    schemas = document["components"]["schemas"]
    checked = 0
    for path, methods in document["paths"].items():
        for method, doc in methods.items():
            content = doc.get("requestBody", {}).get("content", {}).get("application/json")
            if not content or "$ref" not in content["schema"]:
                continue
            accepted = _body_schema_class(operations[doc["operationId"]])
            ref = content["schema"]["$ref"].rsplit("/", 1)[1]
            assert ref == schema_name(accepted.__module__, accepted.__qualname__), (method, path)
            expected = set(accepted.model_json_schema(by_alias=True).get("properties", {}))
            assert set(schemas[ref].get("properties", {})) == expected, (method, path, ref)
            checked += 1
    assert checked >= 20


def test_the_decision_meeting_post_is_documented_with_the_cases_body(document):
    doc = document["paths"]["/api/v1/cases/cases/{case_id}/decision-meetings"]["post"]
    ref = doc["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    properties = document["components"]["schemas"][ref]["properties"]
    assert "members" in properties and "org_unit_id" not in properties
