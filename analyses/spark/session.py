"""One SparkSession per process for the Spark engine (`GUANXI_SPARK_MASTER`, default local[*])."""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[*]"


class SparkUnavailable(RuntimeError):
    """pyspark or a Java runtime is missing: the Spark engine cannot start."""


def spark_available() -> str | None:
    """Return None when pyspark and Java are present, else a one-line reason why not."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'guanxi[spark]')"
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        return "no Java runtime found (install openjdk-17-jre-headless or set JAVA_HOME)"
    return None


def master_url(master: str | None = None) -> str:
    """Return the Spark master to use: `master`, else `GUANXI_SPARK_MASTER`, else local[*]."""
    return master or os.environ.get("GUANXI_SPARK_MASTER") or DEFAULT_MASTER


def get_session(master: str | None = None, *, app_name: str = "guanxi",
                shuffle_partitions: int | None = None,
                conf: dict[str, str] | None = None) -> SparkSession:
    """Return the process's SparkSession (created on first call) for `master_url(master)`.

    Arrow-based pandas exchange is on (applyInPandas, toPandas); the session time zone is
    UTC (instants are epoch ms; months are computed in China time explicitly); the web UI is
    off. `shuffle_partitions` defaults to `GUANXI_SPARK_PARTITIONS`, else 4 × the local cores
    (a cluster sets `spark.sql.shuffle.partitions` through spark-submit instead). Raises
    `SparkUnavailable` with a one-line reason if pyspark or Java is missing.
    """
    why = spark_available()
    if why is not None:
        raise SparkUnavailable(why)
    from pyspark.sql import SparkSession

    url = master_url(master)
    if url.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    parts = shuffle_partitions or int(os.environ.get("GUANXI_SPARK_PARTITIONS", "0") or 0)
    if not parts:
        parts = 4 * (os.cpu_count() or 2) if url.startswith("local") else 200
    b = (
        SparkSession.builder.master(url)
        # one stalled local driver misses heartbeats on a loaded machine and cannot recover
        .config("spark.network.timeout", "900s")
        .config("spark.executor.heartbeatInterval", "60s")
        .appName(app_name)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(parts))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.adaptive.enabled", "true")
    )
    if url.startswith("local"):
        b = b.config("spark.driver.memory", os.environ.get("GUANXI_SPARK_DRIVER_MEMORY", "2g"))
    for k, v in (conf or {}).items():
        b = b.config(k, v)
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def stop_session() -> None:
    """Stop the process's active SparkSession, if any."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return
    s = SparkSession.getActiveSession()
    if s is not None:
        s.stop()
