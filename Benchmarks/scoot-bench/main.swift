// `make bench`: the project's benchmarks, each printing a table of figures measured in this run.
// `scoot-bench wire` and `scoot-bench scheduler` run one entry; no argument runs both.
// `make bench` runs the scheduler entry with the malloc counter preloaded and the wire entry
// without it, so that counting costs nothing in the timings compared with Python.
let entries = CommandLine.arguments.dropFirst()
if entries.isEmpty || entries.contains("wire") { try runWireBenchmark() }
if entries.isEmpty || entries.contains("scheduler") { runSchedulerBenchmark() }
