// `make bench`: the project's benchmarks, each printing a table of figures measured in this run.
// `scoot-bench wire`, `scheduler`, `serve`, `status`, `gateway`, `console`, `recorder` and `soak` run one entry; no
// argument runs all. `make bench` runs the scheduler entry with the malloc counter preloaded and
// the others without it, so that counting costs nothing in the timings.
let entries = CommandLine.arguments.dropFirst()
if entries.isEmpty || entries.contains("wire") { try runWireBenchmark() }
if entries.isEmpty || entries.contains("scheduler") { runSchedulerBenchmark() }
if entries.isEmpty || entries.contains("serve") { try await runServeBenchmark() }
if entries.isEmpty || entries.contains("status") { try await runStatusReplyBenchmark() }
if entries.isEmpty || entries.contains("gateway") { try await runGatewayBenchmark() }
if entries.isEmpty || entries.contains("console") { runConsoleBenchmark() }
if entries.isEmpty || entries.contains("recorder") { try runRecorderBenchmark() }
if entries.isEmpty || entries.contains("soak") { try await runSoakBenchmark() }
