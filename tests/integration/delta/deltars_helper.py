"""delta-rs (the `deltalake` package) as an independent Delta reader and writer for the
interoperability tests and the snapshot-load benchmark.

    .venv/bin/python deltars_helper.py < request.json > response.json

The request is one JSON object {"command": ..., ...}; the response is one JSON object on stdout
({"ok": true, ...} or {"ok": false, "error": ...} with exit code 1). Commands:

  check                                 versions of python, deltalake and pyarrow
  inspect  path [version|loadAsVersion] [txnAppIds]
                                        rows (canonical), version, live files, protocol,
                                        metadata, txn versions
  write    path ops                     write/checkpoint/compact/delete operations in order
  bench    path repeats [version]       times cold `DeltaTable(path)` loads in this process

Rows are canonical JSON so that both sides compare exactly: integers as decimal strings,
decimals as plain strings with the column's scale, timestamps as ISO-8601 with six fraction
digits (`Z` for UTC `timestamp`, none for `timestamp_ntz`), dates as YYYY-MM-DD, binary as hex,
maps as [key, value] pairs sorted by key, structs as objects, floats as JSON numbers.
"""

import datetime as dt
import decimal
import json
import platform
import statistics
import sys
import time
import traceback

import deltalake
import pyarrow as pa
from deltalake import CommitProperties, DeltaTable, Transaction, write_deltalake

UTC = dt.timezone.utc
EPOCH_UTC = dt.datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_NAIVE = dt.datetime(1970, 1, 1)
MICROSECOND = dt.timedelta(microseconds=1)


# ------------------------------------------------------------------ canonical values


def format_micros(micros: int, utc: bool) -> str:
    t = EPOCH_NAIVE + dt.timedelta(microseconds=micros)
    text = (
        f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
        f".{t.microsecond:06d}"
    )
    return text + ("Z" if utc else "")


def format_unscaled(unscaled: int, scale: int) -> str:
    sign = "-" if unscaled < 0 else ""
    digits = str(abs(unscaled)).rjust(scale + 1, "0")
    return sign + (digits[:-scale] + "." + digits[-scale:] if scale > 0 else digits)


def canonical_decimal(value: decimal.Decimal, scale: int) -> str:
    sign, digits, exponent = value.as_tuple()
    unscaled = int("".join(map(str, digits)) or "0")
    shift = exponent + scale
    unscaled = unscaled * 10**shift if shift >= 0 else unscaled // 10 ** (-shift)
    return format_unscaled(-unscaled if sign else unscaled, scale)


def canonical(value, typ: pa.DataType):
    """The canonical JSON form of one Arrow value of type `typ` (see the module docstring)."""
    if value is None:
        return None
    if pa.types.is_dictionary(typ):
        return canonical(value, typ.value_type)
    if pa.types.is_boolean(typ):
        return bool(value)
    if pa.types.is_integer(typ):
        return str(int(value))
    if pa.types.is_floating(typ):
        return float(value)
    if pa.types.is_decimal(typ):
        return canonical_decimal(value, typ.scale)
    if pa.types.is_timestamp(typ):
        if value.tzinfo is not None:
            return format_micros((value - EPOCH_UTC) // MICROSECOND, True)
        return format_micros((value - EPOCH_NAIVE) // MICROSECOND, False)
    if pa.types.is_date(typ):
        return value.isoformat()
    if pa.types.is_binary(typ) or pa.types.is_large_binary(typ) or pa.types.is_binary_view(typ):
        return bytes(value).hex()
    if pa.types.is_map(typ):
        pairs = [[canonical(k, typ.key_type), canonical(v, typ.item_type)] for k, v in value]
        return sorted(pairs, key=lambda kv: json.dumps(kv[0]))
    if pa.types.is_struct(typ):
        fields = [typ.field(i) for i in range(typ.num_fields)]
        return {f.name: canonical(value.get(f.name), f.type) for f in fields}
    if pa.types.is_list(typ) or pa.types.is_large_list(typ) or pa.types.is_list_view(typ):
        return [canonical(v, typ.value_type) for v in value]
    if pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_string_view(typ):
        return str(value)
    raise TypeError(f"no canonical form for Arrow type {typ}")


def canonical_rows(table: pa.Table) -> list:
    columns = [(f.name, f.type, table.column(f.name).to_pylist()) for f in table.schema]
    return [{name: canonical(values[i], typ) for name, typ, values in columns} for i in range(table.num_rows)]


# ------------------------------------------------------------------ Arrow data from JSON


def arrow_type(delta_type) -> pa.DataType:
    """The Arrow type delta-rs writes for a Delta type (Delta's JSON schema type names)."""
    if isinstance(delta_type, dict):
        kind = delta_type["type"]
        if kind == "array":
            return pa.list_(arrow_type(delta_type["elementType"]))
        if kind == "map":
            return pa.map_(arrow_type(delta_type["keyType"]), arrow_type(delta_type["valueType"]))
        if kind == "struct":
            return pa.struct([pa.field(f["name"], arrow_type(f["type"])) for f in delta_type["fields"]])
        raise ValueError(f"unknown Delta type {delta_type}")
    if delta_type.startswith("decimal("):
        precision, scale = (int(x) for x in delta_type[len("decimal(") : -1].split(","))
        return pa.decimal128(precision, scale)
    simple = {
        "string": pa.string(),
        "long": pa.int64(),
        "integer": pa.int32(),
        "short": pa.int16(),
        "byte": pa.int8(),
        "double": pa.float64(),
        "float": pa.float32(),
        "boolean": pa.bool_(),
        "binary": pa.binary(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "timestamp_ntz": pa.timestamp("us"),
    }
    return simple[delta_type]


def python_value(value, delta_type):
    """A JSON value (canonical form) as the Python value pyarrow expects for `delta_type`."""
    if value is None:
        return None
    if isinstance(delta_type, dict):
        kind = delta_type["type"]
        if kind == "array":
            return [python_value(v, delta_type["elementType"]) for v in value]
        if kind == "map":
            key_type, value_type = delta_type["keyType"], delta_type["valueType"]
            return [(python_value(k, key_type), python_value(v, value_type)) for k, v in value]
        return {f["name"]: python_value(value.get(f["name"]), f["type"]) for f in delta_type["fields"]}
    if delta_type in ("long", "integer", "short", "byte"):
        return int(value)
    if delta_type in ("double", "float"):
        return float(value)
    if delta_type.startswith("decimal("):
        return decimal.Decimal(value)
    if delta_type in ("timestamp", "timestamp_ntz"):
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.astimezone(UTC) if delta_type == "timestamp" else parsed.replace(tzinfo=None)
    if delta_type == "date":
        return dt.date.fromisoformat(value)
    if delta_type == "binary":
        return bytes.fromhex(value)
    return value


def arrow_table(columns: list, rows: list) -> pa.Table:
    """An Arrow table from [{name, type}] (Delta types) and rows in canonical JSON form."""
    fields = [pa.field(c["name"], arrow_type(c["type"])) for c in columns]
    arrays = [
        pa.array([python_value(r.get(c["name"]), c["type"]) for r in rows], type=f.type)
        for c, f in zip(columns, fields)
    ]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


# ------------------------------------------------------------------ commands


def command_check(_request: dict) -> dict:
    return {
        "python": platform.python_version(),
        "deltalake": deltalake.__version__,
        "pyarrow": pa.__version__,
    }


def command_inspect(request: dict) -> dict:
    path = request["path"]
    version = request.get("version")
    table = DeltaTable(path) if version is None else DeltaTable(path, version=version)
    if request.get("loadAsVersion") is not None:
        table.load_as_version(request["loadAsVersion"])
    data = table.to_pyarrow_table()
    adds = canonical_rows(pa.table(table.get_add_actions(flatten=True)))
    protocol = table.protocol()
    metadata = table.metadata()
    files = []
    for a in adds:
        files.append(
            {
                "path": a["path"],
                "size": a["size_bytes"],
                "numRecords": a.get("num_records"),
                "partitionValues": {k[len("partition.") :]: v for k, v in a.items() if k.startswith("partition.")},
            }
        )
    return {
        "version": table.version(),
        "columns": data.column_names,
        "rows": canonical_rows(data),
        "numRows": data.num_rows,
        "files": sorted(files, key=lambda f: f["path"]),
        "protocol": {
            "minReaderVersion": protocol.min_reader_version,
            "minWriterVersion": protocol.min_writer_version,
            "readerFeatures": protocol.reader_features,
            "writerFeatures": protocol.writer_features,
        },
        "metadata": {
            "id": metadata.id,
            "partitionColumns": list(metadata.partition_columns),
            "configuration": dict(metadata.configuration),
            "schema": json.loads(table.schema().to_json()),
        },
        "txns": {app: table.transaction_version(app) for app in request.get("txnAppIds", [])},
    }


def command_write(request: dict) -> dict:
    """Runs operations in order; returns the table version after each (a checkpoint adds none)."""
    path = request["path"]
    versions = []
    for op in request["ops"]:
        kind = op["op"]
        txns = [Transaction(app_id=t["appId"], version=t["version"]) for t in op.get("txns", [])]
        commit = CommitProperties(app_transactions=txns) if txns else None
        if kind == "write":
            write_deltalake(
                path,
                arrow_table(op["columns"], op["rows"]),
                mode=op.get("mode", "append"),
                partition_by=op.get("partitionBy"),
                schema_mode=op.get("schemaMode"),
                predicate=op.get("predicate"),
                configuration=op.get("configuration"),
                commit_properties=commit,
            )
        elif kind == "checkpoint":
            DeltaTable(path).create_checkpoint()
        elif kind == "compact":
            DeltaTable(path).optimize.compact()
        elif kind == "delete":
            DeltaTable(path).delete(op["predicate"])
        else:
            raise ValueError(f"unknown write op {kind}")
        versions.append({"op": kind, "version": DeltaTable(path).version()})
    return {"versions": versions}


def percentile(sorted_values: list, q: float) -> float:
    index = min(len(sorted_values) - 1, max(0, int(round(q * (len(sorted_values) - 1)))))
    return sorted_values[index]


def command_bench(request: dict) -> dict:
    """Cold loads: a new DeltaTable each time (log listing, checkpoint, commits, file list)."""
    path = request["path"]
    version = request.get("version")
    repeats = int(request.get("repeats", 20))
    warmup = int(request.get("warmup", 1))
    timings = []
    table = None
    for i in range(warmup + repeats):
        start = time.perf_counter()
        # delta-rs loads the snapshot with its file list eagerly in the constructor.
        table = DeltaTable(path) if version is None else DeltaTable(path, version=version)
        elapsed = (time.perf_counter() - start) * 1000
        if i >= warmup:
            timings.append(elapsed)
    loaded = {"version": table.version(), "files": len(table.file_uris())}
    ordered = sorted(timings)
    return {
        "timingsMs": timings,
        "medianMs": statistics.median(ordered),
        "p90Ms": percentile(ordered, 0.9),
        **loaded,
    }


COMMANDS = {"check": command_check, "inspect": command_inspect, "write": command_write, "bench": command_bench}


def main() -> int:
    try:
        request = json.loads(sys.stdin.read())
        result = COMMANDS[request["command"]](request)
        sys.stdout.write(json.dumps({"ok": True, **result}))
        return 0
    except Exception as error:  # reported to the caller, which fails the test with it
        message = f"{type(error).__name__}: {error}"
        sys.stdout.write(json.dumps({"ok": False, "error": message, "trace": traceback.format_exc()}))
        return 1


if __name__ == "__main__":
    sys.exit(main())
