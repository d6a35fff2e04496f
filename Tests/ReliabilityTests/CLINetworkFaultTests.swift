import TestSupport
import Foundation
import ScootAPI
import Testing
import Thrift

/// The scootcl-compatible CLI against an unreachable, a black-holing and a slow scheduler.
@Suite("CLI under network faults")
struct CLINetworkFaultTests {
    struct Run {
        var status: Int32
        var output: String
        var seconds: Double
    }

    private static func cli(_ arguments: [String]) async -> Run {
        await Reliability.offPool {
            let process = Process()
            process.executableURL = ServeBinary.binary
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            let started = ContinuousClock.now
            do { try process.run() } catch { return Run(status: -1, output: "cannot start: \(error)", seconds: 0) }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self), seconds: (ContinuousClock.now - started) / .seconds(1))
        }
    }

    /// A loopback port nobody listens on (bound, then released).
    private static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw ServeBinary.StartError(description: "cannot bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func aClosedPortExitsThreeWithoutWaitingForTheTimeout() async throws {
        let run = await Self.cli(["get-scheduler-status", "--addr", "127.0.0.1:\(try Self.closedPort())", "--timeout", "60"])
        #expect(run.status == 3, "\(run.output)")
        #expect(run.seconds < 30, "a refused connection must not wait for the 60 s timeout (took \(run.seconds) s)")
        Reliability.figure(String(format: "CLI, closed port: exit %d in %.2f s", run.status, run.seconds))
    }

    @Test func aBlackHoleExitsThreeAtTheTimeoutAndASlowServerStillAnswers() async throws {
        let server = try await ThriftServer.start(configuration: .init(port: 0), processor: CloudScootProcessor(handler: InMemoryCloudScoot()))
        let proxy = try FaultProxy(targetPort: server.port)
        let address = "127.0.0.1:\(proxy.port)"

        proxy.set(.blackHole)
        let blackHole = await Self.cli(["get-scheduler-status", "--addr", address, "--timeout", "1"])
        #expect(blackHole.status == 3, "\(blackHole.output)")
        #expect(blackHole.seconds < 30, "--timeout 1 must end the wait (took \(blackHole.seconds) s)")

        proxy.set(.delay(milliseconds: 300))
        let slow = await Self.cli(["get-scheduler-status", "--addr", address, "--timeout", "10", "--json"])
        #expect(slow.status == 0, "\(slow.output)")
        #expect(slow.output.contains(#""maxTasks":-1"#), "the in-memory scheduler's unlimited throttle: \(slow.output)")
        Reliability.figure(
            String(format: "CLI, black hole with --timeout 1: exit %d in %.2f s; 300 ms-per-chunk proxy: exit %d in %.2f s", blackHole.status, blackHole.seconds, slow.status, slow.seconds))
        proxy.stop()
        await server.shutdown()
    }
}
