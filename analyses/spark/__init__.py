"""The Spark engine: the analyses whose input grows with transfers, on Apache Spark.

`guanxi analyze … --engine spark` runs them here (optional extra `guanxi[spark]`); the
single-process engine stays the default. Modules: `session` (one SparkSession,
`GUANXI_SPARK_MASTER`), `extract` (the bank extract read directly by Spark, ids as the loader
makes them), `flows` (the party-level fund-flow projection in Spark SQL), `components`
(connected components, large-star/small-star), `communities` (Leiden per component and per
county, refined across borders), `circles` (guarantee circles per weakly connected
component), `supply` (supply-chain inference, concentration and leakage as aggregations).
Nothing here is imported unless the Spark engine is asked for, so the package imports
without pyspark installed.
"""
