import Foundation

/// A throwaway certificate authority, a server certificate and client certificates, made with
/// the `openssl` command line in a temporary directory, for TLS tests. Made once per test
/// process, on a thread of its own (openssl is a blocking child process).
public struct TestCertificates: Sendable {
    /// The directory holding every PEM file.
    public var directory: URL
    /// The authority that signed `server*` and `alice*`.
    public var authority: String { path("ca.pem") }
    /// The server's certificate: CN=scoot-serve, for 127.0.0.1 and localhost.
    public var serverCertificate: String { path("server.pem") }
    /// The server's private key.
    public var serverKey: String { path("server.key") }
    /// A client certificate with CN=alice, signed by `authority`.
    public var aliceCertificate: String { path("alice.pem") }
    /// Alice's private key.
    public var aliceKey: String { path("alice.key") }
    /// Another authority, which signed nothing the server trusts.
    public var otherAuthority: String { path("other-ca.pem") }
    /// A client certificate with CN=mallory, signed by `otherAuthority`.
    public var malloryCertificate: String { path("mallory.pem") }
    /// Mallory's private key.
    public var malloryKey: String { path("mallory.key") }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The certificates of this test process, made on first use.
    public static func shared() async throws -> TestCertificates {
        try await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: made) }
        }.get()
    }

    private static let made: Result<TestCertificates, PythonInterop.InteropError> = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-tls-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            return .failure(PythonInterop.InteropError("cannot create \(directory.path): \(error)"))
        }
        let certificates = TestCertificates(directory: directory)
        let d = directory.path
        let steps: [Step] = [
            .run(authorityCommand(name: "Test CA", key: "\(d)/ca.key", certificate: "\(d)/ca.pem")),
            .run(authorityCommand(name: "Other CA", key: "\(d)/other-ca.key", certificate: "\(d)/other-ca.pem")),
        ] + leafSteps(
            commonName: "scoot-serve", name: "server", directory: d, authority: "ca",
            extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
        ) + leafSteps(commonName: "alice", name: "alice", directory: d, authority: "ca", extensions: "extendedKeyUsage=clientAuth\n")
            + leafSteps(commonName: "mallory", name: "mallory", directory: d, authority: "other-ca", extensions: "extendedKeyUsage=clientAuth\n")
        for step in steps {
            switch step {
            case .write(let path, let text):
                do {
                    try text.write(toFile: path, atomically: true, encoding: .utf8)
                } catch {
                    return .failure(PythonInterop.InteropError("cannot write \(path): \(error)"))
                }
            case .run(let command):
                let result = PythonInterop.runBlocking(command)
                guard result.status == 0 else {
                    return .failure(PythonInterop.InteropError(
                        "\(command.joined(separator: " ")) failed (\(result.status)); is openssl installed? (make test-deps)\n\(result.output)"))
                }
            }
        }
        return .success(certificates)
    }()

    private enum Step {
        case run([String])
        case write(path: String, text: String)
    }

    private static func authorityCommand(name: String, key: String, certificate: String) -> [String] {
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", certificate,
            "-days", "2", "-subj", "/CN=\(name)", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ]
    }

    /// A key and signing request, the extensions file, and the certificate signed by `authority`.
    private static func leafSteps(commonName: String, name: String, directory d: String, authority: String, extensions: String) -> [Step] {
        [
            .run([
                "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "\(d)/\(name).key",
                "-out", "\(d)/\(name).csr", "-subj", "/CN=\(commonName)",
            ]),
            .write(path: "\(d)/\(name).ext", text: "basicConstraints=CA:FALSE\n" + extensions),
            .run([
                "openssl", "x509", "-req", "-in", "\(d)/\(name).csr", "-CA", "\(d)/\(authority).pem", "-CAkey", "\(d)/\(authority).key",
                "-CAcreateserial", "-out", "\(d)/\(name).pem", "-days", "2", "-extfile", "\(d)/\(name).ext",
            ]),
        ]
    }
}
