import Foundation
import NIOCore
import SchedulerCore
import ScootAPI
import ScootServer
import Synchronization
import Testing
import Thrift

/// The processor `serve` runs (CloudScoot + console extension over the scheduler service), on a
/// real `ThriftServer`, with one job whose status a well-behaved client checks throughout.
struct HostileTarget {
    let server: ThriftServer
    let jobID: String
    let expectedStatus: ScootAPI.JobStatus

    /// `idleTimeout` is short so that stalled clients are dropped within the test (and long
    /// enough that a client thread starved by a busy machine is not dropped between its calls).
    static func start(idleTimeout: TimeAmount = .seconds(2)) async throws -> HostileTarget {
        let clock = ManualClock()
        let scheduler = Scheduler(clock: clock, backend: SimulatedWorkers(clock: clock, configuration: .init(workerCount: 2)))
        let processor = ScootConsoleProcessor(handler: SchedulerService(scheduler: scheduler, metrics: ServerMetrics()))
        let server = try await ThriftServer.start(configuration: .init(port: 0, idleTimeout: idleTimeout), processor: processor)
        let id = try await scheduler.runJob(SchedulerCore.JobDefinition(tasks: [.init(taskID: "t", argv: ["sleep", "5"])], requestor: "land-good"))
        let expected = try await CloudScootClient(caller: ThriftLoopbackCaller(processor: processor)).getStatus(jobId: id)
        return HostileTarget(server: server, jobID: id, expectedStatus: expected)
    }

    /// Calls GetStatus and GetSchedulerStatus over one connection until `stop`; every answer must
    /// be right. Blocking sockets on a thread of its own, so that busy test suites sharing the
    /// cooperative pool cannot starve it into the server's idle timeout.
    func wellBehavedClient(until stop: StopFlag) async -> (calls: Int, failures: [String]) {
        let port = server.port, jobID = jobID, expectedStatus = expectedStatus
        return await Reliability.offPool {
            guard let connection = RawConnection(port: port, receiveTimeoutMs: 10_000) else { return (0, ["cannot connect"]) }
            var calls = 0
            var failures: [String] = []
            var sequenceID: Int32 = 0
            func call<A: ThriftStruct, R: ThriftStruct>(_ method: String, _ arguments: A, _ result: R.Type) throws -> R {
                sequenceID += 1
                connection.send(ThriftClientCall.encodeCall(method: method, sequenceID: sequenceID, arguments: arguments))
                guard let reply = connection.readMessage() else { throw ThriftTransportError.connectionClosed }
                calls += 1
                return try ThriftClientCall.decodeReply(reply, method: method, sequenceID: sequenceID, limits: .default, resultType: result)
            }
            while !stop.isSet && failures.isEmpty {
                do {
                    let status = try call("GetStatus", CloudScootMessages.GetStatusArguments(jobId: jobID), CloudScootMessages.GetStatusResult.self)
                    if status.success != expectedStatus { failures.append("GetStatus answered \(String(describing: status.success))") }
                    let scheduler = try call("GetSchedulerStatus", CloudScootMessages.GetSchedulerStatusArguments(), CloudScootMessages.GetSchedulerStatusResult.self)
                    if scheduler.success == nil { failures.append("GetSchedulerStatus answered no status") }
                } catch {
                    failures.append("\(error)")
                }
            }
            return (calls, failures)
        }
    }
}

/// Tells a loop running in another task to stop.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}

/// One hostile input's fate.
struct Delivery {
    /// The server's answers, decoded: reply or exception.
    var answers: [Answer]
    var closed: Bool
    /// Bytes that did not decode as answers (must stay nil).
    var undecodable: String?

    enum Answer: Hashable {
        case reply(ThriftMessageHeader)
        case exception(ThriftMessageHeader, TApplicationException.Kind)
    }

    /// Sends `bytes` on a new connection and reads until the server closes. With `awaitAnswer`
    /// it first waits for one answer (so that the end of the stream cannot overtake it); with
    /// `halfClose` it then ends its side of the stream.
    static func send(_ bytes: [UInt8], port: Int, awaitAnswer: Bool = false, halfClose: Bool, framed: Bool) -> Delivery {
        guard let connection = RawConnection(port: port, receiveTimeoutMs: 10_000) else {
            return Delivery(answers: [], closed: false, undecodable: "cannot connect")
        }
        connection.send(bytes)
        let first = awaitAnswer ? connection.readMessage() ?? [] : []
        if halfClose { connection.finishSending() }
        var (received, closed) = connection.readUntilClosed()
        received = first + received
        var delivery = Delivery(answers: [], closed: closed)
        do {
            delivery.answers = try decode(received, framed: framed)
        } catch {
            delivery.undecodable = "\(error) in \(received.count) bytes"
        }
        return delivery
    }

    static func decode(_ bytes: [UInt8], framed: Bool) throws -> [Answer] {
        var answers: [Answer] = []
        var offset = 0
        while offset < bytes.count {
            try ThriftBinaryReader.withReader(bytes) { reader in
                reader.seek(to: offset + (framed ? 4 : 0))
                let header = try reader.readMessageHeader()
                switch header.type {
                case .exception: answers.append(.exception(header, try reader.readStruct(TApplicationException.self).kind))
                case .reply:
                    try reader.skip(.struct)
                    answers.append(.reply(header))
                case .call, .oneway: throw ThriftProtocolError.invalidMessageType(header.type.rawValue)
                }
                offset = reader.offset
            }
        }
        return answers
    }
}

@Suite("Malformed input against the real server, with a well-behaved client alongside", .serialized)
struct MalformedInputTests {
    /// Runs `body` against a fresh server while a well-behaved client checks its answers.
    private func withTarget(_ body: @escaping @Sendable (HostileTarget) async -> Void) async throws {
        let target = try await HostileTarget.start()
        let stop = StopFlag()
        async let good = target.wellBehavedClient(until: stop)
        await body(target)
        stop.set()
        let (calls, failures) = await good
        #expect(failures.isEmpty, "the well-behaved client got wrong answers: \(failures.prefix(5))")
        #expect(calls > 0, "the well-behaved client made no call while the hostile input ran")
        Reliability.figure("well-behaved client: \(calls) calls alongside, \(failures.count) errors")
        await target.server.shutdown()
    }

    @Test func handWrittenCasesGetTheirExactAnswer() async throws {
        try await withTarget { target in
            let cases = HostileCorpus.handWritten
            let results = await Reliability.offPool {
                cases.map { hostile in
                    let answered = hostile.expected == .reply
                    return (hostile, Delivery.send(hostile.bytes, port: target.server.port, awaitAnswer: answered, halfClose: answered, framed: hostile.framed))
                }
            }
            for (hostile, delivery) in results {
                #expect(delivery.closed, "\(hostile.name): the server must close the connection")
                #expect(delivery.undecodable == nil, "\(hostile.name): \(delivery.undecodable ?? "")")
                switch hostile.expected {
                case .closedSilently:
                    #expect(delivery.answers.isEmpty, "\(hostile.name): expected no answer, got \(delivery.answers)")
                case .reply:
                    #expect(delivery.answers == [.reply(ThriftMessageHeader(name: "GetStatus", type: .reply, sequenceID: 7))], "\(hostile.name)")
                case .exception(let kind):
                    guard delivery.answers.count == 1, case .exception(let header, let got) = delivery.answers[0] else {
                        Issue.record("\(hostile.name): expected one \(kind) exception, got \(delivery.answers)")
                        continue
                    }
                    #expect(got == kind, "\(hostile.name)")
                    #expect(header.sequenceID == 7, "\(hostile.name): the exception answers the call")
                }
            }
            Reliability.figure("hand-written hostile cases: \(cases.count) inputs tried")
        }
    }

    /// Mutated valid messages and garbage. The project's scanner says which inputs are refused
    /// outright: those must be closed by the server without any help, after a PROTOCOL_ERROR
    /// when the envelope was readable. The rest are half-closed by the client: the server must
    /// answer each complete message with a well-formed reply or exception, then close.
    private func runCorpus(mutations: Int, garbage: Int, seed: UInt64) async throws {
        try await withTarget { target in
            let corpus = HostileCorpus.mutated(count: mutations, seed: seed) + HostileCorpus.garbage(count: garbage, seed: seed + 1)
            let outcome = await Reliability.offPool { Self.deliverAll(corpus, port: target.server.port) }
            #expect(outcome.failures.isEmpty, "\(outcome.failures.count) inputs mishandled, e.g. \(outcome.failures.prefix(5))")
            Reliability.figure(
                "mutated corpus (seed \(seed)): \(corpus.count) inputs tried; \(outcome.exceptions) answered with TApplicationException, "
                    + "\(outcome.replies) valid replies, \(outcome.silentCloses) closed without answer, \(outcome.failures.count) mishandled")
        }
    }

    struct CorpusOutcome: Sendable {
        var exceptions = 0, replies = 0, silentCloses = 0
        var failures: [String] = []

        mutating func record(_ delivery: Delivery) {
            if delivery.answers.isEmpty { silentCloses += 1 }
            for answer in delivery.answers {
                if case .reply = answer { replies += 1 } else { exceptions += 1 }
            }
        }
    }

    private static func deliverAll(_ corpus: [[UInt8]], port: Int) -> CorpusOutcome {
        let total = Mutex(CorpusOutcome())
        let workers = 4
        Reliability.onThreads(workers) { worker in
            var outcome = CorpusOutcome()
            for index in stride(from: worker, to: corpus.count, by: workers) {
                check(corpus[index], index: index, port: port, into: &outcome)
            }
            total.withLock { total in
                total.exceptions += outcome.exceptions
                total.replies += outcome.replies
                total.silentCloses += outcome.silentCloses
                total.failures += outcome.failures
            }
        }
        return total.withLock { $0 }
    }

    private static func check(_ bytes: [UInt8], index: Int, port: Int, into outcome: inout CorpusOutcome) {
        let label = "input #\(index) (\(bytes.count) bytes)"
        let delivery: Delivery
        // A stream whose first bytes look like a frame length is read as framed by the server:
        // it must end the connection, whatever it answers.
        if bytes.first != 0x80 && (bytes.count < 6 || (bytes[4] == 0x80 && bytes[5] == 0x01)) {
            delivery = Delivery.send(bytes, port: port, halfClose: true, framed: false)
            guard delivery.closed else { outcome.failures.append("\(label), framed: connection left open"); return }
        } else {
            var scanner = ThriftMessageScanner()
            let firstMessageLength: Int?
            do {
                firstMessageLength = try bytes.withUnsafeBytes { try scanner.scan($0) }
            } catch {
                // Refused: the server closes by itself, after a PROTOCOL_ERROR if the envelope was readable.
                let refused = Delivery.send(bytes, port: port, halfClose: false, framed: false)
                let expected: [Delivery.Answer] = scanner.currentHeader.map {
                    [.exception(ThriftMessageHeader(name: $0.name, type: .exception, sequenceID: $0.sequenceID), .protocolError)]
                } ?? []
                guard refused.closed, refused.undecodable == nil, refused.answers == expected else {
                    outcome.failures.append("\(label), refused: expected \(expected) and a close, got \(refused.answers), closed \(refused.closed)")
                    return
                }
                outcome.record(refused)
                return
            }
            if firstMessageLength != nil {
                // Complete: answered (unless ONEWAY), then the stream's end closes the connection.
                delivery = Delivery.send(bytes, port: port, awaitAnswer: true, halfClose: true, framed: false)
                let oneway = (try? ThriftBinaryReader.withReader(bytes) { try $0.readMessageHeader().type }) == .oneway
                guard delivery.closed, delivery.undecodable == nil, !delivery.answers.isEmpty || oneway else {
                    outcome.failures.append("\(label), complete: got \(delivery.answers), \(delivery.undecodable ?? ""), closed \(delivery.closed)")
                    return
                }
            } else {
                // Incomplete: nothing is owed; the stream's end closes the connection.
                delivery = Delivery.send(bytes, port: port, halfClose: true, framed: false)
                guard delivery.closed, delivery.answers.isEmpty, delivery.undecodable == nil else {
                    outcome.failures.append("\(label), incomplete: got \(delivery.answers), closed \(delivery.closed)")
                    return
                }
            }
        }
        outcome.record(delivery)
    }

    @Test func seededMutationsOfValidMessages() async throws {
        try await runCorpus(mutations: 400, garbage: 50, seed: 20_261_129)
    }

    @Test(.enabled(if: Reliability.full, Comment(rawValue: Reliability.fullOnly)))
    func thousandsOfSeededMutations() async throws {
        try await runCorpus(mutations: 8000, garbage: 1000, seed: 6_003)
    }

    @Test func stalledAndHalfOpenClientsAreDroppedWhileOthersAreServed() async throws {
        try await withTarget { target in
            let port = target.server.port
            let partial = Array(HostileCorpus.seeds[0].prefix(40))
            // 16 clients send part of a message and stall, 8 send nothing, 8 half-close at once.
            let results = await withTaskGroup(of: (String, Delivery).self) { group in
                for index in 0..<32 {
                    group.addTask {
                        await Reliability.offPool {
                            switch index % 4 {
                            case 0, 1: ("partial message, then silence", Delivery.send(partial, port: port, halfClose: false, framed: false))
                            case 2: ("connect, send nothing", Delivery.send([], port: port, halfClose: false, framed: false))
                            default: ("connect, half-close at once", Delivery.send([], port: port, halfClose: true, framed: false))
                            }
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            for (name, delivery) in results {
                #expect(delivery.closed, "\(name): the idle timeout must close the connection")
                #expect(delivery.answers.isEmpty && delivery.undecodable == nil, "\(name): nothing is owed, got \(delivery.answers)")
            }
            #expect(await Reliability.eventually(within: 10) { target.server.connectionCount <= 1 }, "only the well-behaved client stays connected")
            Reliability.figure("stalled/half-open clients: \(results.count) connections tried")
        }
    }
}
