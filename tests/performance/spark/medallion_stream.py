#!/usr/bin/env python3
"""The Spark reference of the ingest benchmark: the original design's stack, PySpark Structured
Streaming writing Delta Lake, building the medallion tables of DESIGN.md from the Kafka topic.

    .venv/bin/python tests/performance/spark/medallion_stream.py \
        --bootstrap 127.0.0.1:9092 --topic ecommerce_events --out /tmp/spark-delta \
        [--run-seconds N] [--idle-seconds N] [--starting-offsets earliest|latest]
    .venv/bin/python tests/performance/spark/medallion_stream.py --resolve-only

Versions: requirements-bench.txt (pyspark, delta-spark). The Delta and Kafka-source jars are
resolved from Maven Central through spark.jars.packages (Ivy) on the first run, copied to
$XDG_CACHE_HOME/rt-lakehouse/spark-jars/<pyspark>-<delta>/ (override: RT_LAKEHOUSE_SPARK_JARS),
and passed as spark.jars from then on: later runs need no network and no Ivy resolution.
Transitive jars that Spark already ships (Jackson, Hadoop client, Parquet, log4j...) are
excluded, so the driver's classpath has one version of each.

Tables, exactly as DESIGN.md defines them, under --out:
  bronze_events      Kafka -> Delta sink (append): key, value, topic, kafka_partition,
                     kafka_offset, kafka_ts, ingested_at.
  silver_events      Bronze (Delta streaming source) -> from_json with an all-string schema ->
  quarantine_events  coercion, normalisation and validation in Spark SQL expressions (the rules of
                     kernel-helpers/src/events/ecommerceEvent.ts, rejection codes as there) ->
                     valid rows: withWatermark(ts, 10 minutes).dropDuplicatesWithinWatermark(
                     event_id) (state evicted behind the watermark), unioned with the rejected
                     rows, -> foreachBatch writing quarantine_events then silver_events, each
                     write idempotent (txnAppId/txnVersion = batch id).
  gold_kpis          Silver (Delta streaming source) -> foreachBatch that finds the 1-minute
                     windows a micro-batch touched, skips those already behind the 15-minute
                     lateness watermark (max event time seen before the batch - 15 min; their
                     events are counted as late, like Spark's own streaming aggregations would
                     drop them), recomputes the others from the silver_events snapshot with EXACT
                     distinct counts (count(DISTINCT ...) in a batch query), and replaces them in
                     one Delta commit (replaceWhere = remove + add), idempotent by batch id.
                     Why not a streaming groupBy(window): Structured Streaming supports no
                     count(DISTINCT) in streaming aggregations (only approx_count_distinct, which
                     the original design used), and an append-mode aggregation emits a window
                     only after the 15-minute watermark passes it. The recompute mirrors this
                     project's gold pipeline and matches DESIGN.md ("exact distinct counts").
Checkpoints: --out/_spark_checkpoints/{bronze,silver,gold}.

Differences from this project's pipelines, on purpose (the reference is plain Spark):
  - a duplicate event_id inside the 10-minute watermark is dropped by dropDuplicatesWithinWatermark
    (not quarantined), and Spark drops valid events whose ts is already behind the dedup
    watermark as late; so silver + quarantine = bronze - duplicates - late;
  - from_json reads every field as text, so a JSON number where a string id is expected is taken as
    its text (the zod schema rejects it as invalid_type).

Settings for 2 cores (a fair, tuned reference): local[2], 2 shuffle partitions, 2 Delta snapshot
partitions, Kryo, UI and console progress off, triggers back to back (--trigger-ms 0) unless
given, --max-offsets-per-trigger to cap Kafka micro-batches (0 = no cap).

Protocol on stdout (one JSON object per line after a tag; everything else goes to stderr):
  SPARK_REFERENCE_READY {...}     once the three streaming queries are started
  SPARK_PROGRESS {...}            each micro-batch's progress (name, batchId, numInputRows, ...)
  SPARK_REFERENCE_SUMMARY {...}   totals per query, after the queries stopped
  SPARK_REFERENCE_STOPPED {...}   last line, after the Spark session stopped
Stops on SIGTERM/SIGINT (a second one exits at once), after --run-seconds, or once every query
has been idle for --idle-seconds. Each query is stopped between micro-batches where it can be:
a micro-batch interrupted anyway has committed nothing to its Delta table (commits are atomic) and
is re-run from the checkpoint on the next start. --drain-on-stop first lets silver and gold
process everything bronze already committed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import sys
import threading
import time
from importlib import metadata
from pathlib import Path

SCALA = "2.13"
WINDOW_MS = 60_000
GOLD_LATENESS_MS = 15 * 60_000
DEDUP_WATERMARK = "10 minutes"
TABLES = ("bronze_events", "silver_events", "quarantine_events", "gold_kpis")
EVENT_FIELDS = (
    "event_id",
    "user_id",
    "session_id",
    "product_id",
    "category_id",
    "event_type",
    "price",
    "quantity",
    "discount",
    "currency",
    "ts",
    "ua",
    "country",
    "device_type",
    "referrer",
)
# Jars the Delta and Kafka packages pull in that Spark already ships (same or newer version).
EXCLUDED_JARS = (
    "com.fasterxml.jackson.core:jackson-core",
    "com.fasterxml.jackson.core:jackson-databind",
    "com.fasterxml.jackson.core:jackson-annotations",
    "org.apache.hadoop:hadoop-client-api",
    "org.apache.hadoop:hadoop-client-runtime",
    "org.apache.parquet:parquet-column",
    "org.apache.parquet:parquet-common",
    "org.apache.parquet:parquet-encoding",
    "org.apache.parquet:parquet-format-structures",
    "org.apache.parquet:parquet-hadoop",
    "org.apache.parquet:parquet-jackson",
    "org.apache.logging.log4j:log4j-api",
    "org.apache.logging.log4j:log4j-core",
    "org.apache.logging.log4j:log4j-slf4j2-impl",
    "org.slf4j:slf4j-api",
    "com.github.luben:zstd-jni",
    "org.lz4:lz4-java",
    "org.xerial.snappy:snappy-java",
    "io.airlift:aircompressor",
    "org.locationtech.jts:jts-core",
    "org.roaringbitmap:RoaringBitmap",
    "org.roaringbitmap:shims",
)


def emit(tag: str, payload: dict) -> None:
    sys.stdout.write(f"{tag} {json.dumps(payload, separators=(',', ':'), default=str)}\n")
    sys.stdout.flush()


def log(message: str) -> None:
    sys.stderr.write(f"[medallion_stream] {message}\n")
    sys.stderr.flush()


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bootstrap", help="Kafka bootstrap servers, host:port[,host:port]")
    p.add_argument("--topic", default="ecommerce_events")
    p.add_argument("--out", help="directory of the four Delta tables (and the checkpoints)")
    p.add_argument("--run-seconds", type=float, default=0, help="stop after this long (0: no limit)")
    p.add_argument(
        "--idle-seconds",
        type=float,
        default=0,
        help="stop once no query has had input for this long (since start or the last input; 0: never)",
    )
    p.add_argument("--starting-offsets", default="earliest", choices=["earliest", "latest"])
    p.add_argument("--max-offsets-per-trigger", type=int, default=0, help="Kafka records per batch (0: no cap)")
    p.add_argument("--trigger-ms", type=int, default=0, help="processing-time trigger (0: back to back)")
    p.add_argument("--shuffle-partitions", type=int, default=2)
    p.add_argument("--driver-memory", default="4g")
    p.add_argument("--drain-on-stop", action="store_true", help="let silver and gold catch up before stopping")
    p.add_argument(
        "--layers",
        type=lambda text: set(text.split(",")),
        default={"bronze", "silver", "gold"},
        help="comma-separated subset of bronze,silver,gold to run (for profiling; bronze always runs)",
    )
    p.add_argument("--resolve-only", action="store_true", help="resolve and cache the jars, then exit")
    args = p.parse_args(argv)
    if not args.resolve_only and (not args.bootstrap or not args.out):
        p.error("--bootstrap and --out are required")
    return args


# ----------------------------------------------------------------------------------------- jars


def versions() -> dict[str, str]:
    import pyspark

    return {"pyspark": pyspark.__version__, "delta_spark": metadata.version("delta_spark")}


def packages(v: dict[str, str]) -> list[str]:
    spark_minor = ".".join(v["pyspark"].split(".")[:2])
    delta_major = int(v["delta_spark"].split(".")[0])
    # delta-spark 4.1+ publishes one artifact per Spark minor (delta-spark_4.1_2.13); 4.0 did not.
    delta_artifact = (
        f"delta-spark_{spark_minor}_{SCALA}"
        if (delta_major, int(v["delta_spark"].split(".")[1])) >= (4, 1)
        else f"delta-spark_{SCALA}"
    )
    return [
        f"io.delta:{delta_artifact}:{v['delta_spark']}",
        f"org.apache.spark:spark-sql-kafka-0-10_{SCALA}:{v['pyspark']}",
    ]


def jar_cache_dir(v: dict[str, str]) -> Path:
    root = os.environ.get("RT_LAKEHOUSE_SPARK_JARS")
    if root:
        base = Path(root)
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rt-lakehouse" / "spark-jars"
    key = hashlib.sha256(json.dumps([packages(v), EXCLUDED_JARS]).encode()).hexdigest()[:10]
    return base / f"spark-{v['pyspark']}-delta-{v['delta_spark']}-{key}"


def cached_jars(v: dict[str, str]) -> list[str] | None:
    d = jar_cache_dir(v)
    manifest = d / "jars.txt"
    if not manifest.is_file():
        return None
    jars = [str(d / name) for name in manifest.read_text().split()]
    return jars if jars and all(Path(j).is_file() for j in jars) else None


def remember_jars(v: dict[str, str], resolved: str) -> None:
    """Copies the jars Ivy resolved (spark.jars after --packages) into the cache, with a manifest."""
    paths = [j[len("file:") :] if j.startswith("file:") else j for j in resolved.split(",") if j]
    paths = [p for p in paths if p.endswith(".jar") and Path(p).is_file()]
    if not paths:
        log(f"could not cache the resolved jars (spark.jars = {resolved!r})")
        return
    d = jar_cache_dir(v)
    tmp = d.with_name(d.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for p in paths:
        shutil.copy2(p, tmp / Path(p).name)
    (tmp / "jars.txt").write_text("\n".join(Path(p).name for p in paths) + "\n")
    shutil.rmtree(d, ignore_errors=True)
    tmp.rename(d)
    log(f"cached {len(paths)} jars in {d}")


# -------------------------------------------------------------------------------------- session


def build_session(args: argparse.Namespace):
    from pyspark.sql import SparkSession

    v = versions()
    jars = cached_jars(v)
    b = (
        SparkSession.builder.master("local[2]")
        .appName("rt-lakehouse-spark-reference")
        .config("spark.driver.memory", args.driver_memory)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.shuffle.partitions", str(args.shuffle_partitions))
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        # Delta's state reconstruction defaults to 50 partitions: 50 tasks per log replay on 2 cores.
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.streaming.minBatchesToRetain", "20")
        # Spark makes its (unused) warehouse folder in the working directory, the repo, otherwise.
        .config("spark.sql.warehouse.dir", os.path.join(os.path.abspath(args.out), "spark-warehouse"))
    )
    if jars:
        b = b.config("spark.jars", ",".join(jars))
    else:
        log(f"resolving {', '.join(packages(v))} from Maven Central (first run; cached afterwards)")
        b = b.config("spark.jars.packages", ",".join(packages(v))).config(
            "spark.jars.excludes", ",".join(EXCLUDED_JARS)
        )
        if os.environ.get("SPARK_IVY_DIR"):
            b = b.config("spark.jars.ivy", os.environ["SPARK_IVY_DIR"])
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    if not jars:
        remember_jars(v, spark.sparkContext.getConf().get("spark.jars", ""))
    return spark, v


# --------------------------------------------------------------------------------------- tables

BRONZE_DDL = (
    "key STRING, value STRING, topic STRING, kafka_partition INT, kafka_offset BIGINT, "
    "kafka_ts TIMESTAMP, ingested_at TIMESTAMP"
)
SILVER_DDL = (
    "event_id STRING, user_id STRING, session_id STRING, product_id STRING, category_id STRING, "
    "event_type STRING, price DOUBLE, quantity INT, discount DOUBLE, currency STRING, ts TIMESTAMP, "
    "ua STRING, country STRING, device_type STRING, referrer STRING, source_partition INT, "
    "source_offset BIGINT, ingested_at TIMESTAMP"
)
QUARANTINE_DDL = "raw STRING, reason STRING, source_partition INT, source_offset BIGINT, quarantined_at TIMESTAMP"
GOLD_DDL = (
    "window_start TIMESTAMP, window_end TIMESTAMP, total_events BIGINT, page_views BIGINT, "
    "cart_adds BIGINT, orders BIGINT, gmv DOUBLE, active_users BIGINT, view_users BIGINT, "
    "cart_users BIGINT, purchase_users BIGINT, conversion_rate DOUBLE, avg_order_value DOUBLE"
)


def create_tables(spark, out: Path) -> dict[str, str]:
    from delta.tables import DeltaTable
    from pyspark.sql.types import _parse_datatype_string

    paths = {name: str(out / name) for name in TABLES}
    for name, ddl in zip(TABLES, (BRONZE_DDL, SILVER_DDL, QUARANTINE_DDL, GOLD_DDL)):
        DeltaTable.createIfNotExists(spark).location(paths[name]).addColumns(
            _parse_datatype_string(ddl)
        ).execute()
    return paths


# --------------------------------------------------------------------------------------- silver


def silver_frame(bronze):
    """Bronze rows -> one row per record: kind 's' (valid, normalised, first of its event_id within
    the watermark) or 'q' (raw + reason)."""
    return silver_validated(bronze).withWatermark("ts", DEDUP_WATERMARK).dropDuplicatesWithinWatermark(
        ["dedup_key"]
    )


def silver_validated(bronze):
    """Bronze rows -> parsed, normalised and checked (before deduplication)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType([StructField(f, StringType()) for f in EVENT_FIELDS] + [StructField("_corrupt", StringType())])
    j = F.from_json("value", schema, {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": "_corrupt"})
    parsed = bronze.select(
        F.col("value").alias("raw"),
        F.col("kafka_partition").alias("source_partition"),
        F.col("kafka_offset").alias("source_offset"),
        j.alias("j"),
    )

    decimal = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
    iso = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}([.,]\d{1,9})?)?([Zz]|[+-]\d{2}(:?\d{2})?)?$"
    guid = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

    def text(f):
        return F.trim(F.col(f"j.{f}"))

    def number(f):  # the value when it is plain decimal notation, else null
        t = text(f)
        return F.when(t.rlike(decimal), F.expr(f"try_cast(trim(j.{f}) AS DOUBLE)"))

    raw_ts = text("ts")
    ts = (
        F.when(raw_ts.rlike(r"^-?\d{1,15}$"), F.expr("timestamp_millis(try_cast(trim(j.ts) AS BIGINT))"))
        .when(raw_ts.rlike(iso), F.expr("try_cast(replace(replace(trim(j.ts), 't', 'T'), 'z', 'Z') AS TIMESTAMP)"))
    )
    country_raw = F.upper(text("country"))
    country = (
        F.when(country_raw.isin("GB", "GBR"), F.lit("UK"))
        .when(country_raw == "USA", F.lit("US"))
        .when(country_raw == "CAN", F.lit("CA"))
        .when(country_raw == "DEU", F.lit("DE"))
        .when(country_raw == "FRA", F.lit("FR"))
        .otherwise(country_raw)
    )
    n = {
        "event_id": F.lower(text("event_id")),
        "user_id": text("user_id"),
        "session_id": text("session_id"),
        "product_id": text("product_id"),
        "category_id": text("category_id"),
        "event_type": F.lower(text("event_type")),
        "price": number("price"),
        "quantity_d": number("quantity"),
        "discount": F.when(F.col("j.discount").isNull(), F.lit(0.0)).otherwise(number("discount")),
        "currency": F.upper(text("currency")),
        "ts": ts,
        "ua": text("ua"),
        "country": country,
        "device_type": F.lower(text("device_type")),
        "referrer": F.lower(text("referrer")),
    }
    norm = parsed.select("raw", "source_partition", "source_offset", "j", *[c.alias(k) for k, c in n.items()])

    col = F.col
    missing = lambda f: col(f"j.{f}").isNull()  # noqa: E731
    checks = [
        F.when(col("raw").isNull() | (F.trim(col("raw")) == ""), F.lit("empty_value: the record is empty")),
        F.when(
            col("j").isNull() | col("j._corrupt").isNotNull(),
            F.when(
                F.get_json_object(col("raw"), "$").isNotNull(),
                F.lit("invalid_type: the value is not a JSON object"),
            ).otherwise(F.lit("malformed_json: the value is not JSON")),
        ),
        F.when(missing("event_id"), F.lit("missing_field: event_id")),
        F.when(~col("event_id").rlike(guid), F.lit("invalid_value: event_id is not a UUID")),
    ]
    for f in ("user_id", "session_id", "product_id", "category_id"):
        checks += [
            F.when(missing(f), F.lit(f"missing_field: {f}")),
            F.when(col(f) == "", F.lit(f"empty_value: {f}")),
        ]
    checks += [
        F.when(missing("event_type"), F.lit("missing_field: event_type")),
        F.when(
            ~col("event_type").isin("page_view", "add_to_cart", "purchase"),
            F.lit("unknown_event_type: event_type"),
        ),
        F.when(missing("price"), F.lit("missing_field: price")),
        F.when(col("price").isNull(), F.lit("invalid_type: price is not a number")),
        F.when(col("price") < 0, F.lit("invalid_value: price is negative")),
        F.when(missing("quantity"), F.lit("missing_field: quantity")),
        F.when(col("quantity_d").isNull(), F.lit("invalid_type: quantity is not a number")),
        F.when(
            (col("quantity_d") != F.floor(col("quantity_d")))
            | (col("quantity_d") < 1)
            | (col("quantity_d") > 2147483647),
            F.lit("invalid_value: quantity is not an integer from 1"),
        ),
        F.when(col("discount").isNull(), F.lit("invalid_type: discount is not a number")),
        F.when(col("discount") < 0, F.lit("invalid_value: discount is negative")),
        F.when(missing("currency"), F.lit("missing_field: currency")),
        F.when(~col("currency").isin("USD", "GBP", "CAD", "EUR"), F.lit("invalid_value: currency")),
        F.when(missing("ts"), F.lit("missing_field: ts")),
        F.when(
            col("ts").isNull()
            | (col("ts") < F.lit("2000-01-01 00:00:00").cast("timestamp"))
            | (col("ts") > F.current_timestamp() + F.expr("INTERVAL 24 HOURS")),
            F.lit("invalid_value: ts"),
        ),
        F.when(missing("ua"), F.lit("missing_field: ua")),
        F.when(missing("country"), F.lit("missing_field: country")),
        F.when(~col("country").rlike("^[A-Z]{2}$"), F.lit("invalid_value: country")),
        F.when(missing("device_type"), F.lit("missing_field: device_type")),
        F.when(~col("device_type").isin("desktop", "mobile", "tablet"), F.lit("invalid_value: device_type")),
        F.when(missing("referrer"), F.lit("missing_field: referrer")),
        F.when(col("referrer") == "", F.lit("empty_value: referrer")),
    ]
    checked = norm.withColumn("reason", F.coalesce(*checks))

    valid = col("reason").isNull()
    # One stream through one stateful operator (a union of a valid and a rejected branch would
    # scan and parse Bronze twice): valid rows are keyed by event_id, rejected rows by their
    # unique Kafka position and carry a null ts, which neither advances the watermark nor makes
    # them late; the operator evicts their keys at the next watermark advance.
    return checked.select(
        F.when(valid, F.lit("s")).otherwise(F.lit("q")).alias("kind"),
        F.when(valid, col("event_id"))
        .otherwise(F.format_string("#%d/%d", col("source_partition"), col("source_offset")))
        .alias("dedup_key"),
        *[F.when(valid, c).alias(name) for name, c in silver_columns()],
        "source_partition",
        "source_offset",
        F.when(~valid, col("raw")).alias("raw"),  # only quarantined rows carry it through the shuffle
        "reason",
    )


def silver_columns():
    from pyspark.sql import functions as F

    return [(f, F.col("quantity_d").cast("int") if f == "quantity" else F.col(f)) for f in EVENT_FIELDS]


# ----------------------------------------------------------------------------------------- main


class Progress:
    """Receives every query's progress (StreamingQueryListener) and prints it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last_input_at = 0.0
        self.totals: dict[str, dict] = {}

    def on_progress(self, p: dict) -> None:
        name = p.get("name") or p.get("id")
        rows = int(p.get("numInputRows") or 0)
        durations = p.get("durationMs") or {}
        with self.lock:
            t = self.totals.setdefault(
                name, {"batches": 0, "rows": 0, "first_batch_at": None, "last_batch_at": None, "trigger_ms": 0}
            )
            if rows > 0:
                self.last_input_at = time.monotonic()
                t["batches"] += 1
                t["rows"] += rows
                t["first_batch_at"] = t["first_batch_at"] or p.get("timestamp")
                t["last_batch_at"] = p.get("timestamp")
                t["trigger_ms"] += int(durations.get("triggerExecution") or 0)
        emit(
            "SPARK_PROGRESS",
            {
                "name": name,
                "batchId": p.get("batchId"),
                "timestamp": p.get("timestamp"),
                "numInputRows": rows,
                "inputRowsPerSecond": p.get("inputRowsPerSecond"),
                "processedRowsPerSecond": p.get("processedRowsPerSecond"),
                "durationMs": durations,
                "eventTime": p.get("eventTime"),
                "stateRows": [s.get("numRowsTotal") for s in p.get("stateOperators") or []],
                "sink": (p.get("sink") or {}).get("numOutputRows"),
            },
        )


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")

    stop_requested = threading.Event()

    def on_signal(signum, _frame):
        if stop_requested.is_set():
            log(f"signal {signum} again: exiting now")
            os._exit(130)
        log(f"signal {signum}: stopping")
        stop_requested.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    started = time.monotonic()
    if args.resolve_only and cached_jars(versions()):
        v = versions()
        emit("SPARK_JARS", {"dir": str(jar_cache_dir(v)), "jars": cached_jars(v), **v})
        return 0
    spark, v = build_session(args)
    if args.resolve_only:
        emit("SPARK_JARS", {"dir": str(jar_cache_dir(v)), "jars": cached_jars(v), **v})
        spark.stop()
        return 0 if cached_jars(v) else 1

    from pyspark.sql import functions as F
    from pyspark.sql.streaming import StreamingQueryListener

    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    paths = create_tables(spark, out)
    checkpoints = out / "_spark_checkpoints"
    progress = Progress()

    class Listener(StreamingQueryListener):
        def onQueryStarted(self, event):  # noqa: N802
            pass

        def onQueryProgress(self, event):  # noqa: N802
            try:
                progress.on_progress(json.loads(event.progress.json))
            except Exception as e:  # a listener must never throw into Spark
                log(f"progress listener: {e}")

        def onQueryIdle(self, event):  # noqa: N802
            pass

        def onQueryTerminated(self, event):  # noqa: N802
            if event.exception:
                log(f"query {event.id} failed: {event.exception}")

    spark.streams.addListener(Listener())

    def trigger(w):
        return w.trigger(processingTime=f"{args.trigger_ms} milliseconds") if args.trigger_ms > 0 else w

    # ---- bronze: Kafka -> Delta
    kafka = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", args.bootstrap)
        .option("subscribe", args.topic)
        .option("startingOffsets", args.starting_offsets)
        .option("kafka.max.partition.fetch.bytes", str(8 * 1024 * 1024))
    )
    if args.max_offsets_per_trigger > 0:
        kafka = kafka.option("maxOffsetsPerTrigger", str(args.max_offsets_per_trigger))
    bronze_rows = kafka.load().select(
        F.col("key").cast("string").alias("key"),
        F.col("value").cast("string").alias("value"),
        "topic",
        F.col("partition").alias("kafka_partition"),
        F.col("offset").alias("kafka_offset"),
        F.col("timestamp").alias("kafka_ts"),
        F.current_timestamp().alias("ingested_at"),
    )
    queries = {}
    queries["bronze"] = trigger(
        bronze_rows.writeStream.queryName("bronze")
        .format("delta")
        .outputMode("append")
        .option("checkpointLocation", str(checkpoints / "bronze"))
    ).start(paths["bronze_events"])

    # ---- silver + quarantine: Bronze -> parse/validate/dedup -> two tables
    def write_silver(df, batch_id: int) -> None:
        df.persist()
        try:
            quarantine = df.where("kind = 'q'").select(
                "raw", "reason", "source_partition", "source_offset", F.current_timestamp().alias("quarantined_at")
            )
            silver = df.where("kind = 's'").select(
                *EVENT_FIELDS, "source_partition", "source_offset", F.current_timestamp().alias("ingested_at")
            )
            for frame, table in ((quarantine, "quarantine_events"), (silver, "silver_events")):
                if frame.isEmpty():
                    continue
                frame.write.format("delta").mode("append").option("txnAppId", f"rt-spark-{table}").option(
                    "txnVersion", batch_id
                ).save(paths[table])
        finally:
            df.unpersist()

    if "silver" in args.layers:
        queries["silver"] = trigger(
            silver_frame(spark.readStream.format("delta").load(paths["bronze_events"]))
            .writeStream.queryName("silver")
            .foreachBatch(write_silver)
            .option("checkpointLocation", str(checkpoints / "silver"))
        ).start()

    # ---- gold: Silver -> recompute touched 1-minute windows -> replace in gold_kpis
    gold_state = {"max_ts_ms": None, "late": 0}

    def write_gold(df, batch_id: int) -> None:
        touched = (
            df.where("ts IS NOT NULL")
            .groupBy(F.unix_millis(F.date_trunc("minute", "ts")).alias("w"))
            .agg(F.count("*").alias("n"), F.max(F.unix_millis("ts")).alias("max_ts"))
            .collect()
        )
        if not touched:
            return
        prev = gold_state["max_ts_ms"]
        watermark = None if prev is None else prev - GOLD_LATENESS_MS
        windows = sorted(r.w for r in touched if watermark is None or r.w + WINDOW_MS > watermark)
        gold_state["late"] += sum(r.n for r in touched if watermark is not None and r.w + WINDOW_MS <= watermark)
        batch_max = max(r.max_ts for r in touched)
        gold_state["max_ts_ms"] = batch_max if prev is None else max(prev, batch_max)
        if not windows:
            return
        lo, hi = windows[0], windows[-1] + WINDOW_MS
        in_list = ", ".join(f"timestamp_millis({w})" for w in windows)
        silver = (
            spark.read.format("delta")
            .load(paths["silver_events"])
            .where(f"ts >= timestamp_millis({lo}) AND ts < timestamp_millis({hi})")
        )
        kpis = silver.groupBy(F.date_trunc("minute", "ts").alias("window_start")).agg(
            F.count("*").alias("total_events"),
            F.count(F.when(F.col("event_type") == "page_view", 1)).alias("page_views"),
            F.count(F.when(F.col("event_type") == "add_to_cart", 1)).alias("cart_adds"),
            F.count(F.when(F.col("event_type") == "purchase", 1)).alias("orders"),
            F.sum(F.when(F.col("event_type") == "purchase", F.col("price") * F.col("quantity"))).alias("gmv_sum"),
            F.count_distinct("user_id").alias("active_users"),
            F.count_distinct(F.when(F.col("event_type") == "page_view", F.col("user_id"))).alias("view_users"),
            F.count_distinct(F.when(F.col("event_type") == "add_to_cart", F.col("user_id"))).alias("cart_users"),
            F.count_distinct(F.when(F.col("event_type") == "purchase", F.col("user_id"))).alias("purchase_users"),
        )
        gold = kpis.where(f"window_start IN ({in_list})").select(
            "window_start",
            (F.col("window_start") + F.expr("INTERVAL 1 MINUTE")).alias("window_end"),
            "total_events",
            "page_views",
            "cart_adds",
            "orders",
            F.coalesce(F.col("gmv_sum"), F.lit(0.0)).alias("gmv"),
            "active_users",
            "view_users",
            "cart_users",
            "purchase_users",
            F.expr("purchase_users / nullif(view_users, 0)").cast("double").alias("conversion_rate"),
            F.expr("gmv_sum / nullif(orders, 0)").cast("double").alias("avg_order_value"),
        )
        (
            gold.write.format("delta")
            .mode("overwrite")
            .option(
                "replaceWhere",
                f"window_start >= timestamp_millis({lo}) AND window_start < timestamp_millis({hi}) "
                f"AND window_start IN ({in_list})",
            )
            .option("txnAppId", "rt-spark-gold_kpis")
            .option("txnVersion", batch_id)
            .save(paths["gold_kpis"])
        )

    if "gold" in args.layers:
        queries["gold"] = trigger(
            spark.readStream.format("delta")
            .load(paths["silver_events"])
            .select("ts")
            .writeStream.queryName("gold")
            .foreachBatch(write_gold)
            .option("checkpointLocation", str(checkpoints / "gold"))
        ).start()

    ready_at = time.monotonic()
    emit(
        "SPARK_REFERENCE_READY",
        {
            "pid": os.getpid(),
            **v,
            "startupSeconds": round(ready_at - started, 3),
            "tables": paths,
            "checkpoints": str(checkpoints),
            "queries": {k: q.id for k, q in queries.items()},
        },
    )

    # ---- run until told to stop, a deadline, idleness, or a failed query
    failed = None
    reason = "signal"
    while not stop_requested.wait(0.2):
        now = time.monotonic()
        for name, q in queries.items():
            if not q.isActive:
                failed = f"{name}: {q.exception()}"
        if failed:
            reason = "failed"
            break
        if args.run_seconds > 0 and now - ready_at >= args.run_seconds:
            reason = "run-seconds"
            break
        if args.idle_seconds > 0 and now - max(progress.last_input_at, ready_at) >= args.idle_seconds:
            busy = any(q.status.get("isTriggerActive") or q.status.get("isDataAvailable") for q in queries.values())
            if not busy:
                reason = "idle"
                break

    log(f"stopping ({reason})")
    stop_started = time.monotonic()
    for name, q in queries.items():
        if not q.isActive:
            continue
        try:
            if args.drain_on_stop and name != "bronze":
                q.processAllAvailable()
            deadline = time.monotonic() + 30
            while q.status.get("isTriggerActive") and time.monotonic() < deadline:
                time.sleep(0.05)
            q.stop()
        except Exception as e:  # noqa: BLE001
            log(f"stopping {name}: {e}")
    for name, q in queries.items():
        if q.exception():
            failed = failed or f"{name}: {q.exception()}"
    emit(
        "SPARK_REFERENCE_SUMMARY",
        {
            "reason": reason,
            "queries": progress.totals,
            "goldLateEvents": gold_state["late"],
            "runSeconds": round(stop_started - ready_at, 3),
            "stopSeconds": round(time.monotonic() - stop_started, 3),
            "error": failed,
        },
    )
    spark.stop()
    emit("SPARK_REFERENCE_STOPPED", {"reason": reason, "ok": failed is None})
    return 0 if failed is None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
