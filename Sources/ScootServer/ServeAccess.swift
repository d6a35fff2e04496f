import Thrift

/// Who can reach `serve` and who may take its workers out of rotation: loopback addresses by
/// default, a warning for any other, and the optional admin list (Scoot's `Admins`).
public enum ServeAccess {
    /// The Thrift address `serve` binds unless told otherwise: loopback only.
    public static let defaultThriftAddress = "127.0.0.1:9090"
    /// The metrics address `serve` binds unless told otherwise: loopback only.
    public static let defaultHTTPAddress = "127.0.0.1:9091"

    /// An `--admins` value that is not a list of names.
    public struct InvalidAdmins: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// Whether `host` is reachable from this machine only.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The warning `serve` logs for each address that is not loopback: the API has no
    /// authentication, so anyone who can reach it can run commands.
    public static func publicAddressWarnings(_ addresses: [HostAndPort]) -> [String] {
        addresses.filter { !isLoopback($0.host) }.map {
            "binding \($0), which is not a loopback address: anyone who can reach it can run commands here"
        }
    }

    /// `alice,bob` → the requestors allowed to offline and reinstate workers. Every name must be
    /// non-empty and without spaces.
    public static func parseAdmins(_ text: String) throws(InvalidAdmins) -> Set<String> {
        var admins: Set<String> = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !name.isEmpty else { throw InvalidAdmins(description: "--admins: empty name in '\(text)'; give names separated by commas, e.g. alice,bob") }
            guard !name.contains(where: \.isWhitespace) else { throw InvalidAdmins(description: "--admins: '\(name)' contains a space; names cannot") }
            admins.insert(String(name))
        }
        return admins
    }
}
