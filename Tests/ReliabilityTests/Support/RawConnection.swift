import Foundation
import Thrift

/// A blocking loopback TCP connection for sending raw, possibly hostile bytes. Every method
/// blocks: call them from a Dispatch thread (`Reliability.offPool`).
final class RawConnection: @unchecked Sendable {
    private let fd: Int32
    /// Bytes received but not returned yet.
    private var pending: [UInt8] = []

    /// Connects to `127.0.0.1:port`; reads give up after `receiveTimeoutMs` of silence.
    init?(port: Int, receiveTimeoutMs: Int) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: receiveTimeoutMs / 1000, tv_usec: (receiveTimeoutMs % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
    }

    deinit { close(fd) }

    /// Sends everything; false if the peer already closed.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Foundation.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }

    /// Half-closes: the peer sees the end of the stream but can still answer.
    func finishSending() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Reads until the peer closes (`closed`) or the receive timeout passes with no data.
    func readUntilClosed() -> (bytes: [UInt8], closed: Bool) {
        while true {
            switch receive() {
            case .data: continue
            case .closed: return (take(pending.count), true)
            case .timedOut: return (take(pending.count), false)
            }
        }
    }

    /// Reads one complete unframed message; nil if the connection ends or times out first.
    func readMessage() -> [UInt8]? {
        var scanner = ThriftMessageScanner()
        while true {
            let length: Int?
            do {
                length = try pending.withUnsafeBytes { try scanner.scan($0) }
            } catch {
                return nil
            }
            if let length { return take(length) }
            guard case .data = receive() else { return nil }
        }
    }

    private enum Received { case data, closed, timedOut }

    private func receive() -> Received {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            pending += buffer[0..<count]
            return .data
        }
        // 0: orderly close; ECONNRESET: closed with unread input, also a close.
        return count == 0 || errno == ECONNRESET ? .closed : .timedOut
    }

    private func take(_ count: Int) -> [UInt8] {
        defer { pending.removeFirst(count) }
        return Array(pending.prefix(count))
    }
}
