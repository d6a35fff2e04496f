import Foundation
import Synchronization

/// A fault-injecting TCP proxy on loopback, between a client and a server: passes bytes through,
/// black-holes them (accepts, reads, never answers), delays every chunk, or cuts every
/// connection. Plain blocking sockets, two threads per connection.
final class FaultProxy: Sendable {
    enum Mode: Sendable, Hashable {
        case passThrough
        /// Accept and read, never forward, never answer.
        case blackHole
        /// Forward every chunk, each direction, after this many milliseconds.
        case delay(milliseconds: Int)
    }

    /// One proxied connection: its two sockets, closed when both pumps have finished.
    private final class Link: Sendable {
        let client: Int32
        let upstream: Int32
        private let pumpsLeft: Atomic<Int>

        init(client: Int32, upstream: Int32, pumps: Int) {
            self.client = client
            self.upstream = upstream
            pumpsLeft = Atomic(pumps)
        }

        func cut() {
            shutdown(client, Int32(SHUT_RDWR))
            if upstream >= 0 { shutdown(upstream, Int32(SHUT_RDWR)) }
        }

        func pumpFinished() {
            cut()
            guard pumpsLeft.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 else { return }
            close(client)
            if upstream >= 0 { close(upstream) }
        }
    }

    private struct State {
        var mode: Mode = .passThrough
        var links: [ObjectIdentifier: Link] = [:]
        var stopped = false
    }

    /// The port clients connect to.
    let port: Int
    private let targetPort: Int
    private let listener: Int32
    private let state = Mutex(State())
    private let acceptorDone = DispatchSemaphore(value: 0)

    /// Listens on a free loopback port and forwards to `127.0.0.1:targetPort`.
    init(targetPort: Int) throws {
        self.targetPort = targetPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw ServeBinary.StartError(description: "proxy cannot listen: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Changes the fault for every chunk from now on, on open connections too.
    func set(_ mode: Mode) {
        state.withLock { $0.mode = mode }
    }

    /// Closes every open connection, both sides (as a network cut or a middlebox reset would).
    func cutAll() {
        for link in state.withLock({ Array($0.links.values) }) { link.cut() }
    }

    /// Stops listening and cuts every connection.
    func stop() {
        state.withLock { $0.stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        acceptorDone.wait()
        close(listener)
        cutAll()
    }

    private var mode: Mode { state.withLock { $0.mode } }

    private func acceptLoop() {
        defer { acceptorDone.signal() }
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if state.withLock({ $0.stopped }) { return }
                continue
            }
            if mode == .blackHole {
                register(Link(client: client, upstream: -1, pumps: 1)) { link in
                    Thread.detachNewThread { [self] in pump(from: link.client, to: nil, link: link) }
                }
                continue
            }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: targetPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(upstream)
                close(client)
                continue
            }
            register(Link(client: client, upstream: upstream, pumps: 2)) { link in
                Thread.detachNewThread { [self] in pump(from: link.client, to: link.upstream, link: link) }
                Thread.detachNewThread { [self] in pump(from: link.upstream, to: link.client, link: link) }
            }
        }
    }

    private func register(_ link: Link, start: (Link) -> Void) {
        state.withLock { $0.links[ObjectIdentifier(link)] = link }
        start(link)
    }

    /// Copies `source` to `destination` chunk by chunk, applying the mode at each chunk.
    private func pump(from source: Int32, to destination: Int32?, link: Link) {
        defer {
            _ = state.withLock { $0.links.removeValue(forKey: ObjectIdentifier(link)) }
            link.pumpFinished()
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return }
            switch mode {
            case .blackHole: continue
            case .delay(let milliseconds): usleep(UInt32(milliseconds * 1000))
            case .passThrough: break
            }
            guard let destination else { continue }
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes { send(destination, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL)) }
                guard written > 0 else { return }
                sent += written
            }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
