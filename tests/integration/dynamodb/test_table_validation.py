"""CreateTable / DescribeTable / DeleteTable / ListTables validation texts, in both wordings.

The texts are those of src/dynamodb/ops/create_table.cc and src/dynamodb/tables/table_ref.cc;
their sources are marked there and in /work/shared/facts/dynamodb.md §19 ([V, rec] recorded
on AWS, [P] a peer's reproduction, guesses labelled). The wording (§20): the current form
`Value at 'TableName' ...` (no value, PascalCase path, first violation only) is the default;
`--validation-messages legacy` gives `Value 'ab' at 'tableName' ...` (value echoed, camelCase
path, every violation listed) — tested on a server of its own (legacy_server).
"""

from __future__ import annotations

import botocore.exceptions
import pytest

from support import error_code, error_message, unique_name

from .dynamodb_support import dynamodb_client, hash_table_arguments

INVALID = "One or more parameter values were invalid: "
PATTERN = "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"


def refused(call, **arguments) -> tuple[str, str]:
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call(**arguments)
    return error_code(caught.value), error_message(caught.value)


def assert_validation(call, message: str, **arguments) -> None:
    assert refused(call, **arguments) == ("ValidationException", message)


def keys(*names_and_types: tuple[str, str]) -> list[dict]:
    return [{"AttributeName": name, "KeyType": kind} for name, kind in names_and_types]


def definitions(*names_and_types: tuple[str, str]) -> list[dict]:
    return [{"AttributeName": name, "AttributeType": kind} for name, kind in names_and_types]


def gsi(name: str, *key: tuple[str, str], projection: dict | None = None, **extra) -> dict:
    return {
        "IndexName": name,
        "KeySchema": keys(*key),
        "Projection": {"ProjectionType": "ALL"} if projection is None else projection,
        **extra,
    }


# --------------------------------------------------------------------------------------
# TableName, both wordings (table_ref.cc: pattern, then length 3..255; the model's TableArn
# shape 1..1024 first)
# --------------------------------------------------------------------------------------

TABLE_NAME_CASES = [
    # (name, current form, legacy form)
    (
        "ab",
        "1 validation error detected: Value at 'TableName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3",
        "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3",
    ),
    (
        "a b c",
        f"1 validation error detected: Value at 'TableName' failed to satisfy constraint: {PATTERN}",
        f"1 validation error detected: Value 'a b c' at 'tableName' failed to satisfy "
        f"constraint: {PATTERN}",
    ),
    (
        "x" * 256,
        "1 validation error detected: Value at 'TableName' failed to satisfy constraint: "
        "Member must have length less than or equal to 255",
        f"1 validation error detected: Value '{'x' * 256}' at 'tableName' failed to satisfy "
        "constraint: Member must have length less than or equal to 255",
    ),
    (
        "!!",
        f"1 validation error detected: Value at 'TableName' failed to satisfy constraint: {PATTERN}",
        f"2 validation errors detected: Value '!!' at 'tableName' failed to satisfy constraint: "
        f"{PATTERN}; Value '!!' at 'tableName' failed to satisfy constraint: Member must have "
        "length greater than or equal to 3",
    ),
    (
        # The model's TableArn shape (1..1024) is checked before the name rules.
        "",
        "1 validation error detected: Value at 'TableName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1",
        "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1",
    ),
    (
        # ... and its maximum, 1024, before the name's 255.
        "y" * 1025,
        "1 validation error detected: Value at 'TableName' failed to satisfy constraint: "
        "Member must have length less than or equal to 1024",
        f"1 validation error detected: Value '{'y' * 1025}' at 'tableName' failed to satisfy "
        "constraint: Member must have length less than or equal to 1024",
    ),
]


def table_name_calls(client, name: str):
    return [
        lambda: client.create_table(**hash_table_arguments(name)),
        lambda: client.describe_table(TableName=name),
        lambda: client.delete_table(TableName=name),
    ]


@pytest.mark.parametrize("name,current,legacy", TABLE_NAME_CASES,
                         ids=["short", "pattern", "long", "pattern-and-short", "empty", "longer-than-an-arn"])
def test_bad_table_name_current_wording(raw_dynamodb, name, current, legacy):
    for call in table_name_calls(raw_dynamodb, name):
        assert_validation(call, current)


@pytest.mark.parametrize("name,current,legacy", TABLE_NAME_CASES,
                         ids=["short", "pattern", "long", "pattern-and-short", "empty", "longer-than-an-arn"])
def test_bad_table_name_legacy_wording(legacy_server, name, current, legacy):
    client = dynamodb_client(legacy_server, validate=False)
    for call in table_name_calls(client, name):
        assert_validation(call, legacy)


def test_missing_key_schema_and_definitions_both_wordings(raw_dynamodb, legacy_server):
    arguments = {"TableName": unique_name("val"), "BillingMode": "PAY_PER_REQUEST"}
    assert_validation(
        raw_dynamodb.create_table,
        "1 validation error detected: Value at 'AttributeDefinitions' failed to satisfy "
        "constraint: Member must not be null",
        **arguments,
    )
    assert_validation(
        raw_dynamodb.create_table,
        "1 validation error detected: Value at 'KeySchema' failed to satisfy constraint: "
        "Member must not be null",
        AttributeDefinitions=definitions(("pk", "S")),
        **arguments,
    )
    legacy = dynamodb_client(legacy_server, validate=False)
    assert_validation(
        legacy.create_table,
        "2 validation errors detected: Value null at 'attributeDefinitions' failed to satisfy "
        "constraint: Member must not be null; Value null at 'keySchema' failed to satisfy "
        "constraint: Member must not be null",
        **arguments,
    )


def test_create_table_without_table_name(raw_dynamodb):
    arguments = hash_table_arguments("placeholder")
    del arguments["TableName"]
    assert_validation(
        raw_dynamodb.create_table,
        "The parameter 'TableName' is required but was not present in the request",
        **arguments,
    )


def test_attribute_definition_without_type(raw_dynamodb):
    assert_validation(
        raw_dynamodb.create_table,
        "1 validation error detected: Value at 'AttributeDefinitions.1.member.AttributeType' "
        "failed to satisfy constraint: Member must not be null",
        TableName=unique_name("val"),
        AttributeDefinitions=[{"AttributeName": "pk"}],
        KeySchema=keys(("pk", "HASH")),
        BillingMode="PAY_PER_REQUEST",
    )


def test_list_tables_bounds_legacy_wording(legacy_server):
    client = dynamodb_client(legacy_server, validate=False)
    assert_validation(
        client.list_tables,
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1",
        Limit=0,
    )
    assert_validation(
        client.list_tables,
        "1 validation error detected: Value 'ab' at 'exclusiveStartTableName' failed to "
        "satisfy constraint: Member must have length greater than or equal to 3",
        ExclusiveStartTableName="ab",
    )


def test_list_tables_legacy_order_of_violations(legacy_server):
    client = dynamodb_client(legacy_server, validate=False)
    assert_validation(
        client.list_tables,
        "2 validation errors detected: Value '0' at 'limit' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1; Value 'ab' at "
        "'exclusiveStartTableName' failed to satisfy constraint: Member must have length "
        "greater than or equal to 3",
        Limit=0,
        ExclusiveStartTableName="ab",
    )


def test_legacy_server_uses_the_current_texts_elsewhere(legacy_server):
    """Texts that are not constraint violations do not change with the wording."""
    client = dynamodb_client(legacy_server, validate=False)
    name = unique_name("val")
    assert refused(client.describe_table, TableName=name) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Table: {name} not found",
    )
    assert_validation(
        client.create_table,
        INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
        "BillingMode is PAY_PER_REQUEST",
        **hash_table_arguments(
            name, ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
        ),
    )


# --------------------------------------------------------------------------------------
# CreateTable: billing and throughput
# --------------------------------------------------------------------------------------


def test_on_demand_with_throughput(raw_dynamodb):
    # facts §19 [V].
    assert_validation(
        raw_dynamodb.create_table,
        INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
        "BillingMode is PAY_PER_REQUEST",
        **hash_table_arguments(
            unique_name("val"),
            ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        ),
    )


@pytest.mark.parametrize("billing_mode", ["PROVISIONED", None])
def test_provisioned_without_throughput(raw_dynamodb, billing_mode):
    arguments = hash_table_arguments(unique_name("val"), BillingMode=billing_mode)
    if billing_mode is None:
        del arguments["BillingMode"]
    assert_validation(
        raw_dynamodb.create_table,
        INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be specified when "
        "BillingMode is PROVISIONED",
        **arguments,
    )


@pytest.mark.parametrize("member", ["ReadCapacityUnits", "WriteCapacityUnits"])
def test_throughput_out_of_bounds(raw_dynamodb, member):
    throughput = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1, member: 1_000_000_000_001}
    assert_validation(
        raw_dynamodb.create_table,
        f"Given value 1000000000001 for {member} is out of bounds",
        **hash_table_arguments(
            unique_name("val"), BillingMode="PROVISIONED", ProvisionedThroughput=throughput
        ),
    )


def test_throughput_below_one_is_a_model_violation(raw_dynamodb):
    assert_validation(
        raw_dynamodb.create_table,
        "1 validation error detected: Value at 'ProvisionedThroughput.ReadCapacityUnits' "
        "failed to satisfy constraint: Member must have value greater than or equal to 1",
        **hash_table_arguments(
            unique_name("val"),
            BillingMode="PROVISIONED",
            ProvisionedThroughput={"ReadCapacityUnits": 0, "WriteCapacityUnits": 1},
        ),
    )


# --------------------------------------------------------------------------------------
# CreateTable: key schema and attribute definitions
# --------------------------------------------------------------------------------------


def create_with(client, key_schema: list[dict], attribute_definitions: list[dict], **extra):
    return client.create_table(
        TableName=unique_name("val"),
        KeySchema=key_schema,
        AttributeDefinitions=attribute_definitions,
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )


def test_more_keys_than_definitions(raw_dynamodb):
    # facts §19 [V, rec].
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH"), ("sk", "RANGE")),
        attribute_definitions=definitions(("pk", "S")),
    ) == ("ValidationException", "Invalid KeySchema: Some index key attribute have no definition")


def test_key_not_in_definitions(raw_dynamodb):
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH")),
        attribute_definitions=definitions(("other", "S")),
    ) == (
        "ValidationException",
        INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
        "Keys: [pk], AttributeDefinitions: [other]",
    )


def test_hash_and_range_with_the_same_name(raw_dynamodb):
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH"), ("pk", "RANGE")),
        attribute_definitions=definitions(("pk", "S"), ("x", "S")),
    ) == (
        "ValidationException",
        "Both the Hash Key and the Range Key element in the KeySchema have the same name",
    )


def test_first_key_not_hash(raw_dynamodb):
    for schema in (keys(("pk", "RANGE")), keys(("pk", "RANGE"), ("sk", "HASH"))):
        assert refused(
            create_with, client=raw_dynamodb,
            key_schema=schema,
            attribute_definitions=definitions(("pk", "S"), ("sk", "S"))[: len(schema)],
        ) == (
            "ValidationException",
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        )


def test_second_key_not_range(raw_dynamodb):
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH"), ("sk", "HASH")),
        attribute_definitions=definitions(("pk", "S"), ("sk", "S")),
    ) == (
        "ValidationException",
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
    )


def test_more_than_two_key_elements(raw_dynamodb, legacy_server):
    """A table's and a local index's KeySchema: refused, not cut to two, with the older
    model's constraint text, as AWS answers (ack-api-quirks' catalogue, DDB-TABLE-123). A
    global index's may have more (multi-attribute keys: test_multi_attribute_keys.py)."""
    three = keys(("a", "HASH"), ("b", "RANGE"), ("c", "RANGE"))
    attributes = definitions(("a", "S"), ("b", "S"), ("c", "S"))
    assert refused(
        create_with, client=raw_dynamodb, key_schema=three, attribute_definitions=attributes,
    ) == (
        "ValidationException",
        "1 validation error detected: Value at 'KeySchema' failed to satisfy constraint: "
        "Member must have length less than or equal to 2",
    )
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("a", "HASH"), ("b", "RANGE")),
        attribute_definitions=attributes,
        LocalSecondaryIndexes=[lsi("loc", ("a", "HASH"), ("c", "RANGE"), ("b", "RANGE"))],
    ) == (
        "ValidationException",
        "1 validation error detected: Value at 'LocalSecondaryIndexes.1.member.KeySchema' "
        "failed to satisfy constraint: Member must have length less than or equal to 2",
    )
    # The legacy wording lists it with the other model-level violations, camelCase.
    legacy = dynamodb_client(legacy_server, validate=False)
    code, message = refused(
        legacy.create_table, TableName=unique_name("val"), KeySchema=three,
        BillingMode="PAY_PER_REQUEST",
    )
    assert code == "ValidationException"
    assert message.startswith(
        "2 validation errors detected: Value null at 'attributeDefinitions' failed to satisfy "
        "constraint: Member must not be null; Value '["
    ), message
    assert message.endswith(
        "]' at 'keySchema' failed to satisfy constraint: Member must have length less than or "
        "equal to 2"
    ), message


def test_unused_attribute_definition(raw_dynamodb):
    message = (
        INVALID + "Number of attributes in KeySchema does not exactly match number of "
        "attributes defined in AttributeDefinitions"
    )
    # Without indexes.
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH")),
        attribute_definitions=definitions(("pk", "S"), ("unused", "S")),
    ) == ("ValidationException", message)
    # With an index that does not use it either.
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH")),
        attribute_definitions=definitions(("pk", "S"), ("g", "S"), ("unused", "S")),
        GlobalSecondaryIndexes=[gsi("by-g", ("g", "HASH"))],
    ) == ("ValidationException", message)


def test_bad_attribute_type_is_a_model_violation(raw_dynamodb):
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH")),
        attribute_definitions=definitions(("pk", "X")),
    ) == (
        "ValidationException",
        "1 validation error detected: Value at 'AttributeDefinitions.1.member.AttributeType' "
        "failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
    )


# --------------------------------------------------------------------------------------
# CreateTable: secondary indexes
# --------------------------------------------------------------------------------------

def lsi(name: str, *key: tuple[str, str], projection: dict | None = None) -> dict:
    return {
        "IndexName": name,
        "KeySchema": keys(*key),
        "Projection": {"ProjectionType": "ALL"} if projection is None else projection,
    }


@pytest.mark.parametrize("kind", ["LocalSecondaryIndexes", "GlobalSecondaryIndexes"])
def test_empty_index_list(raw_dynamodb, kind):
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH"), ("sk", "RANGE")),
        attribute_definitions=definitions(("pk", "S"), ("sk", "S")),
        **{kind: []},
    ) == ("ValidationException", INVALID + f"List of {kind} is empty")


def test_local_index_on_a_table_without_range_key(raw_dynamodb):
    # facts §19 [V, rec].
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH")),
        attribute_definitions=definitions(("pk", "S"), ("l", "S")),
        LocalSecondaryIndexes=[lsi("loc", ("pk", "HASH"), ("l", "RANGE"))],
    ) == (
        "ValidationException",
        INVALID + "Table KeySchema does not have a range key, which is required when "
        "specifying a LocalSecondaryIndex",
    )


def test_local_index_without_range_key(raw_dynamodb):
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH"), ("sk", "RANGE")),
        attribute_definitions=definitions(("pk", "S"), ("sk", "S")),
        LocalSecondaryIndexes=[lsi("loc", ("pk", "HASH"))],
    ) == ("ValidationException", INVALID + "Index KeySchema does not have a range key for index: loc")


def test_local_index_with_another_hash_key(raw_dynamodb):
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH"), ("sk", "RANGE")),
        attribute_definitions=definitions(("pk", "S"), ("sk", "S"), ("other", "S")),
        LocalSecondaryIndexes=[lsi("loc", ("other", "HASH"), ("sk", "RANGE"))],
    ) == (
        "ValidationException",
        INVALID + "Index KeySchema does not have the same leading hash key as table KeySchema "
        "for index: loc. index hash key: other, table hash key: pk",
    )


def test_index_key_not_defined(raw_dynamodb):
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH")),
        attribute_definitions=definitions(("pk", "S")),
        GlobalSecondaryIndexes=[gsi("glo", ("missing", "HASH"))],
    ) == (
        "ValidationException",
        INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
        "Keys: [missing], AttributeDefinitions: [pk]",
    )


def test_index_key_schema_order(raw_dynamodb):
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH")),
        attribute_definitions=definitions(("pk", "S"), ("g", "S")),
        GlobalSecondaryIndexes=[gsi("glo", ("g", "RANGE"))],
    ) == ("ValidationException", "Invalid KeySchema: The first KeySchemaElement is not a HASH key type")


def test_projection_without_type(raw_dynamodb):
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH")),
        attribute_definitions=definitions(("pk", "S"), ("g", "S")),
        GlobalSecondaryIndexes=[gsi("glo", ("g", "HASH"), projection={})],
    ) == ("ValidationException", INVALID + "Unknown ProjectionType: null")


@pytest.mark.parametrize("projection_type", ["ALL", "KEYS_ONLY"])
def test_non_key_attributes_without_include(raw_dynamodb, projection_type):
    projection = {"ProjectionType": projection_type, "NonKeyAttributes": ["a"]}
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH")),
        attribute_definitions=definitions(("pk", "S"), ("g", "S")),
        GlobalSecondaryIndexes=[gsi("glo", ("g", "HASH"), projection=projection)],
    ) == (
        "ValidationException",
        INVALID + f"ProjectionType is {projection_type}, but NonKeyAttributes is specified",
    )


def test_global_index_throughput_on_an_on_demand_table(raw_dynamodb):
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH")),
        attribute_definitions=definitions(("pk", "S"), ("g", "S")),
        GlobalSecondaryIndexes=[
            gsi("glo", ("g", "HASH"),
                ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
        ],
    ) == (
        "ValidationException",
        INVALID + "ProvisionedThroughput should not be specified for index: glo when "
        "BillingMode is PAY_PER_REQUEST",
    )


def test_global_index_without_throughput_on_a_provisioned_table(raw_dynamodb):
    # AWS's text, from a catalogue of AWS responses recorded 2026-10-09 (see schema.cc).
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        raw_dynamodb.create_table(
            TableName=unique_name("val"),
            KeySchema=keys(("pk", "HASH")),
            AttributeDefinitions=definitions(("pk", "S"), ("g", "S")),
            BillingMode="PROVISIONED",
            ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
            GlobalSecondaryIndexes=[gsi("glo", ("g", "HASH"))],
        )
    assert error_code(caught.value) == "ValidationException"
    assert error_message(caught.value) == (
        INVALID + "ProvisionedThroughput is not specified for index: glo"
    )


def test_duplicate_index_name(raw_dynamodb):
    # facts §19 [V, rec]; a local and a global index cannot share a name either.
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH"), ("sk", "RANGE")),
        attribute_definitions=definitions(("pk", "S"), ("sk", "S"), ("l", "S")),
        LocalSecondaryIndexes=[lsi("same", ("pk", "HASH"), ("l", "RANGE"))],
        GlobalSecondaryIndexes=[gsi("same", ("l", "HASH"))],
    ) == ("ValidationException", INVALID + "Duplicate index name: same")
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH")),
        attribute_definitions=definitions(("pk", "S"), ("g", "S")),
        GlobalSecondaryIndexes=[gsi("twice", ("g", "HASH")), gsi("twice", ("g", "HASH"))],
    ) == ("ValidationException", INVALID + "Duplicate index name: twice")


def test_too_many_local_indexes(raw_dynamodb):
    attributes = [("pk", "S"), ("sk", "S")] + [(f"l{i}", "S") for i in range(6)]
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH"), ("sk", "RANGE")),
        attribute_definitions=definitions(*attributes),
        LocalSecondaryIndexes=[lsi(f"loc{i}", ("pk", "HASH"), (f"l{i}", "RANGE")) for i in range(6)],
    ) == ("ValidationException", INVALID + "Number of LocalSecondaryIndexes exceeds per-table limit of 5")


def test_too_many_global_indexes(raw_dynamodb):
    attributes = [("pk", "S")] + [(f"g{i}", "S") for i in range(21)]
    assert refused(
        create_with, client=raw_dynamodb,
        key_schema=keys(("pk", "HASH")),
        attribute_definitions=definitions(*attributes),
        GlobalSecondaryIndexes=[gsi(f"glo{i}", (f"g{i}", "HASH")) for i in range(21)],
    ) == ("ValidationException", INVALID + "GlobalSecondaryIndex count exceeds the per-table limit of 20")


def test_five_local_and_twenty_global_indexes_are_allowed(dynamodb, make_table):
    name = unique_name("val")
    attributes = [("pk", "S"), ("sk", "S")] + [(f"l{i}", "S") for i in range(5)] + [
        (f"g{i}", "S") for i in range(20)
    ]
    make_table(name, arguments=dict(
        TableName=name,
        KeySchema=keys(("pk", "HASH"), ("sk", "RANGE")),
        AttributeDefinitions=definitions(*attributes),
        BillingMode="PAY_PER_REQUEST",
        LocalSecondaryIndexes=[lsi(f"loc{i}", ("pk", "HASH"), (f"l{i}", "RANGE")) for i in range(5)],
        GlobalSecondaryIndexes=[gsi(f"glo{i}", (f"g{i}", "HASH")) for i in range(20)],
    ))
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert len(table["LocalSecondaryIndexes"]) == 5
    assert len(table["GlobalSecondaryIndexes"]) == 20


# --------------------------------------------------------------------------------------
# CreateTable: streams
# --------------------------------------------------------------------------------------


def test_enabled_stream_without_view_type(raw_dynamodb):
    assert_validation(
        raw_dynamodb.create_table,
        INVALID + "You must specify a StreamViewType when enabling a stream",
        **hash_table_arguments(unique_name("val"), StreamSpecification={"StreamEnabled": True}),
    )


def test_bad_enum_values_are_model_violations(raw_dynamodb):
    assert_validation(
        raw_dynamodb.create_table,
        "1 validation error detected: Value at 'TableClass' failed to satisfy constraint: "
        "Member must satisfy enum value set: [STANDARD, STANDARD_INFREQUENT_ACCESS]",
        **hash_table_arguments(unique_name("val"), TableClass="COLD"),
    )
