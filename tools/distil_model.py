#!/usr/bin/env python3
"""Distil an AWS service model from botocore into the committed, documentation-free form that
Tributary embeds (src/model/data/<service>-<version>.json).

Keeps every fact that drives decoding and validation (shapes, members and their order,
required lists, min/max, patterns, enums, error shapes, event streams) and drops the
documentation text. Records which botocore release the facts came from.

Usage: tools/distil_model.py kinesis 2013-12-02 > src/model/data/kinesis-2013-12-02.json
"""
import gzip
import json
import os
import sys

DROP = {"documentation", "documentationUrl", "examples", "deprecatedMessage"}


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in DROP}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def main():
    import botocore

    service, version = sys.argv[1], sys.argv[2]
    base = os.path.join(os.path.dirname(botocore.__file__), "data", service, version)
    path = os.path.join(base, "service-2.json")
    if os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rt") as f:
            model = json.load(f)
    else:
        with open(path) as f:
            model = json.load(f)
    out = {
        "source": {
            "botocore": botocore.__version__,
            "file": f"botocore/data/{service}/{version}/service-2.json",
        },
        "metadata": strip(model["metadata"]),
        "operations": strip(model["operations"]),
        "shapes": strip(model["shapes"]),
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
