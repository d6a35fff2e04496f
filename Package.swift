// swift-tools-version:6.1
import PackageDescription

/// scoot-console: a terminal operations console for Scoot clusters. Linux only (ncurses, Glibc,
/// `/proc`); it claims no other platform.
///
/// Modules, along the one-way flow of data (wire → client/core → snapshot → view model →
/// widgets → cell buffer → backend):
/// - `Thrift`: TBinaryProtocol codec, message framing and NIO transports (no Scoot knowledge).
/// - `ThriftTLS`: TLS with client certificates for those transports (swift-nio-ssl).
/// - `ThriftCodegen`: the IDL parser and Swift emitter behind `thrift-swift-gen`.
/// - `ScootAPI`: Swift types generated from `idl/scoot.thrift`, the CloudScoot client and server.
/// - `ScootWorkerAPI`: Swift types generated from `idl/worker.thrift`, a Scoot worker's API.
/// - `SchedulerCore`: the scheduler: jobs, tasks, workers, the load-based algorithm, settings.
/// - `JobStore`: the durable SQLite job log behind `serve`.
/// - `ProcessWorkers`: workers that run tasks as local processes; `CRunKeeper`, the C code of the
///   per-run keeper process they fork (code a fork of a multithreaded process may run).
/// - `ScootServer`: `serve`, CloudScoot and the metrics endpoint over `SchedulerCore`; `CHeap`,
///   glibc's heap controls it uses to give freed memory back.
/// - `ClusterObservation`: polling Scoot workers and budgeted job-status refreshes, shared by the
///   console and the gateway.
/// - `ScootGateway`: `gateway`, a CloudScoot proxy in front of a real Scoot scheduler that
///   records every job and action and serves the console extension.
/// - `HostEnvironment`: the user's identity and the XDG directories.
/// - `AuditLog`: the audit log and its shared action vocabulary.
/// - `FlightRecorder`: the console's flight recorder (every poll's snapshot and every audit entry,
///   in hourly files of zlib-compressed chunks) and its reader for replay; `CZlib`, zlib.
/// - `ScootCLI`: the scootcl-compatible commands, the JSON reader and `plan`'s files.
/// - `TUIKit`: the widget toolkit: cells, buffers, layout, widgets, themes (no terminal I/O).
/// - `CNcurses`, `TUINcurses`: the only code that touches ncurses (the backend).
/// - `ConsoleApp`: the console: Model (state, view-model rows), Update, View, Effects, Config.
/// - `scoot-console`, `thrift-swift-gen`: the executables; `scoot-bench`, `thrift-fuzz`:
///   benchmarks and the fuzzer; `TestSupport`: fakes and process helpers for tests.
let package = Package(
    name: "scoot-console",
    products: [
        .executable(name: "scoot-console", targets: ["scoot-console"]),
        .executable(name: "thrift-swift-gen", targets: ["thrift-swift-gen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .target(
            name: "Thrift",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ThriftTLS",
            dependencies: [
                "Thrift",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "ScootAPI",
            dependencies: [
                "Thrift",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "ThriftCodegen"),
        .target(name: "ScootWorkerAPI", dependencies: ["Thrift"]),
        .target(
            name: "ClusterObservation",
            dependencies: [
                "ScootAPI", "ScootWorkerAPI", "Thrift",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(name: "CHeap"),
        .target(name: "SchedulerCore", dependencies: [.product(name: "HeapModule", package: "swift-collections"), .product(name: "DequeModule", package: "swift-collections")]),
        .target(name: "CRunKeeper"),
        .target(name: "ProcessWorkers", dependencies: ["SchedulerCore", "CRunKeeper", .product(name: "Logging", package: "swift-log")]),
        .target(name: "TUIKit"),
        .target(name: "HostEnvironment"),
        .target(name: "AuditLog", dependencies: ["HostEnvironment"]),
        .target(
            name: "ScootCLI",
            dependencies: ["ScootAPI", "Thrift", "AuditLog", "HostEnvironment", "SchedulerCore", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "ConsoleApp",
            dependencies: [
                "TUIKit", "ScootAPI", "Thrift", "SchedulerCore", "AuditLog", "HostEnvironment", "ClusterObservation", "ScootWorkerAPI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "FlightRecorder", dependencies: ["ConsoleApp", "AuditLog", "ScootAPI", "Thrift", "HostEnvironment", "CZlib"]),
        .target(name: "TUINcurses", dependencies: ["TUIKit", "CNcurses"]),
        .target(name: "JobStore", dependencies: ["SchedulerCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "ScootServer",
            dependencies: [
                "SchedulerCore", "ScootAPI", "Thrift", "ThriftTLS", "ProcessWorkers", "JobStore", "CHeap",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ScootGateway",
            dependencies: [
                "ScootAPI", "ScootWorkerAPI", "ClusterObservation", "SchedulerCore", "ScootServer", "Thrift",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "thrift-swift-gen",
            dependencies: ["ThriftCodegen", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "scoot-console",
            dependencies: [
                "ScootAPI", "Thrift", "ThriftTLS", "SchedulerCore", "ScootServer", "ConsoleApp", "TUIKit", "TUINcurses", "ScootCLI", "ScootGateway", "FlightRecorder",
                "AuditLog",
                "ClusterObservation", "HostEnvironment", "ProcessWorkers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "scoot-bench",
            dependencies: [
                "ScootAPI", "Thrift", "SchedulerCore", "ScootServer", "ConsoleApp", "TUIKit", "ScootGateway", "TestSupport", "FlightRecorder",
                "AuditLog",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            ],
            path: "Benchmarks/scoot-bench"
        ),
        .executableTarget(
            name: "thrift-fuzz",
            dependencies: ["ScootAPI", "Thrift"],
            path: "Fuzz/thrift-fuzz",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        // Fakes and process helpers for tests and benchmarks (not part of any product).
        .target(name: "TestSupport", dependencies: ["ScootAPI", "Thrift", .product(name: "Logging", package: "swift-log")], path: "Tests/Support/TestSupport"),
        .testTarget(name: "ThriftTests", dependencies: ["Thrift"]),
        .testTarget(name: "ThriftCodegenTests", dependencies: ["ThriftCodegen"]),
        .testTarget(name: "SchedulerCoreTests", dependencies: ["SchedulerCore", .product(name: "HeapModule", package: "swift-collections")]),
        .testTarget(name: "TUIKitTests", dependencies: ["TUIKit"]),
        .testTarget(name: "AuditLogTests", dependencies: ["AuditLog", "HostEnvironment"]),
        .testTarget(name: "FlightRecorderTests", dependencies: ["FlightRecorder", "ConsoleApp", "AuditLog", "ScootAPI", "Thrift", "TestSupport"]),
        .testTarget(name: "ScootCLITests", dependencies: ["ScootCLI", "ScootAPI", "ScootServer", "SchedulerCore", "AuditLog", "Thrift", "TestSupport"]),
        .testTarget(
            name: "ConsoleAppTests",
            dependencies: ["ConsoleApp", "AuditLog", "HostEnvironment", "TUIKit", "ScootAPI", "SchedulerCore", "ScootServer", "Thrift", "TestSupport", .product(name: "Logging", package: "swift-log")],
            exclude: ["Snapshots"]
        ),
        .testTarget(name: "TUINcursesTests", dependencies: ["TUINcurses", "TUIKit"]),
        .testTarget(name: "ProcessWorkersTests", dependencies: ["ProcessWorkers", "SchedulerCore", "TestSupport"]),
        .testTarget(name: "JobStoreTests", dependencies: ["JobStore", "SchedulerCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "ScootServerTests",
            dependencies: [
                "ScootServer", "CHeap", "SchedulerCore", "ScootAPI", "Thrift", "ThriftTLS", "ThriftCodegen", "TestSupport",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Tests that drive the real binaries (tmux, serve, gateway) and other processes.
        .testTarget(name: "EndToEndTests", dependencies: ["ScootAPI", "ScootWorkerAPI", "Thrift", "ConsoleApp", "ClusterObservation", "TestSupport"]),
        .testTarget(
            name: "ScootAPITests", dependencies: ["ScootAPI", "ScootWorkerAPI", "Thrift", "ConsoleApp", "ClusterObservation", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "ClusterObservationTests", dependencies: ["ClusterObservation", "ScootWorkerAPI", "ScootAPI", "Thrift"]),
        .testTarget(
            name: "ScootGatewayTests",
            dependencies: ["ScootGateway", "ClusterObservation", "ScootAPI", "ScootWorkerAPI", "Thrift", "SchedulerCore", "TestSupport"]
        ),
        .testTarget(
            name: "ReliabilityTests",
            dependencies: [
                "ConsoleApp", "ScootAPI", "ScootServer", "SchedulerCore", "Thrift", "TUIKit", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
