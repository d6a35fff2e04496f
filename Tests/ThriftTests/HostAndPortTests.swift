import Testing
import Thrift

@Suite("host:port parsing")
struct HostAndPortTests {
    @Test(arguments: [
        ("127.0.0.1:9090", "127.0.0.1", 9090), ("localhost:0", "localhost", 0), (" [::1]:9091 ", "::1", 9091),
    ])
    func validAddresses(text: String, host: String, port: Int) throws {
        let parsed = try HostAndPort(parsing: text)
        #expect(parsed == HostAndPort(host: host, port: port))
    }

    @Test(arguments: ["", "9090", "host", ":9090", "host:", "host:70000", "host:-1", "::1:9090", "[::1]9090", "host:90x"])
    func invalidAddressesSayWhatIsExpected(text: String) {
        #expect {
            try HostAndPort(parsing: text)
        } throws: { error in
            "\(error)".contains("expected host:port")
        }
    }

    @Test func ipv6IsBracketedWhenPrinted() {
        #expect(HostAndPort(host: "::1", port: 9090).description == "[::1]:9090")
        #expect(HostAndPort(host: "scheduler", port: 9090).description == "scheduler:9090")
    }
}
