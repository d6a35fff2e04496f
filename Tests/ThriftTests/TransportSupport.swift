import Foundation
import Dispatch
import Glibc
import Synchronization
import Thrift

/// `{0: Sample success}`: the result struct of the test service's methods.
struct SampleResult: ThriftStruct, Hashable {
    var success: Sample?

    init(success: Sample?) { self.success = success }

    init(from reader: inout ThriftBinaryReader) throws {
        var success: Sample?
        while let field = try reader.readFieldHeader() {
            if field.id == 0, field.type == .struct { success = try reader.readStruct(Sample.self) } else { try reader.skip(field.type) }
        }
        self.init(success: success)
    }

    func write(to writer: inout ThriftBinaryWriter) {
        if let success {
            writer.writeFieldHeader(.struct, id: 0)
            success.write(to: &writer)
        }
        writer.writeFieldStop()
    }
}

struct TestHandlerError: Error, CustomStringConvertible {
    var description: String { "the handler failed on purpose" }
}

/// A test service: `Echo` returns its argument, `Slow` sleeps `id` milliseconds first, `Fail`
/// throws an undeclared error.
struct EchoProcessor: ThriftProcessor {
    /// Counts `Slow` calls that have started, so tests can wait for a request to be in flight.
    final class Probe: Sendable {
        let slowCallsStarted = Atomic<Int>(0)
    }

    var probe = Probe()

    func process(_ message: [UInt8]) async -> ThriftProcessorResult {
        let incoming: ThriftServerCall.Incoming
        switch ThriftServerCall.parse(message, limits: .default) {
        case .success(let parsed): incoming = parsed
        case .failure(let failed): return failed.result
        }
        switch incoming.header.name {
        case "Echo":
            return await ThriftServerCall.handle(incoming, arguments: Sample.self) { SampleResult(success: $0) }
        case "Slow":
            return await ThriftServerCall.handle(incoming, arguments: Sample.self) { sample in
                probe.slowCallsStarted.add(1, ordering: .sequentiallyConsistent)
                try await Task.sleep(for: .milliseconds(Int(sample.id)))
                return SampleResult(success: sample)
            }
        case "Fail":
            return await ThriftServerCall.handle(incoming, arguments: Sample.self) { _ -> SampleResult in throw TestHandlerError() }
        default:
            return ThriftServerCall.unknownMethod(incoming)
        }
    }
}

/// A blocking TCP socket for sending raw (possibly malformed) bytes to a server. Its reads run on
/// a Dispatch thread, never on the (two-thread) cooperative pool that the server's tasks need.
final class RawSocket: @unchecked Sendable {
    private let fd: Int32

    init(port: Int, receiveTimeoutMs: Int = 20_000) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: receiveTimeoutMs / 1000, tv_usec: (receiveTimeoutMs % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw TestHandlerError() }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until the peer closes the connection or the receive timeout passes; `closed` tells which.
    func readUntilClosed() async -> (bytes: [UInt8], closed: Bool) {
        await offPool { self.blockingReadUntilClosed() }
    }

    /// Reads exactly `count` bytes, or fewer if the connection ends or times out.
    func read(count: Int) async -> [UInt8] {
        await offPool { self.blockingRead(count: count) }
    }

    private func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }

    private func blockingReadUntilClosed() -> (bytes: [UInt8], closed: Bool) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { received += buffer[0..<count]; continue }
            return (received, count == 0)
        }
    }

    private func blockingRead(count: Int) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: count)
        while received.count < count {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, count - received.count, 0) }
            if got <= 0 { break }
            received += buffer[0..<got]
        }
        return received
    }
}

/// Decodes one reply message: its header and, for EXCEPTION, the exception.
func decodeReplyHeader(_ bytes: [UInt8]) throws -> (ThriftMessageHeader, TApplicationException?) {
    try ThriftBinaryReader.withReader(bytes) { reader in
        let header = try reader.readMessageHeader()
        return (header, header.type == .exception ? try reader.readStruct(TApplicationException.self) : nil)
    }
}
