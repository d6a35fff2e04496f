/// A `host:port` endpoint as users type it (`127.0.0.1:9090`, `localhost:9090`, `[::1]:9090`).
public struct HostAndPort: Sendable, Hashable, CustomStringConvertible {
    /// Host name or address, without brackets.
    public var host: String
    /// TCP port, 0...65535.
    public var port: Int

    /// Creates an endpoint.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Why a `host:port` text was refused.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What was wrong and what a valid value looks like.
        public var description: String
    }

    /// Parses `host:port`; IPv6 hosts go in brackets.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingWhitespace()
        let example = "expected host:port, e.g. 127.0.0.1:9090 or [::1]:9090"
        let hostPart: Substring
        let portPart: Substring
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]"), trimmed[trimmed.index(after: close)...].hasPrefix(":") else {
                throw ParseError(description: "'\(text)' is not a valid address: \(example)")
            }
            hostPart = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            portPart = trimmed[trimmed.index(close, offsetBy: 2)...]
        } else {
            guard let colon = trimmed.lastIndex(of: ":"), !trimmed[..<colon].contains(":") else {
                throw ParseError(description: "'\(text)' is not a valid address: \(example)")
            }
            hostPart = trimmed[..<colon]
            portPart = trimmed[trimmed.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw ParseError(description: "'\(text)' has no host: \(example)") }
        guard let port = Int(portPart), (0...65535).contains(port) else {
            throw ParseError(description: "'\(text)' has no valid port (0-65535): \(example)")
        }
        self.init(host: String(hostPart), port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
