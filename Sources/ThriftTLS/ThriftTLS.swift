import NIOCore
import NIOPosix
import NIOSSL
import Thrift

/// The three PEM files of a TLS endpoint with client certificates: its own certificate (chain),
/// its private key, and the certificate authority that signs the peers it accepts.
public struct ThriftTLSFiles: Sendable, Hashable {
    /// This side's certificate, or a chain with the leaf first (PEM).
    public var certificate: String
    /// The private key of `certificate` (PEM).
    public var privateKey: String
    /// The certificate authority (or authorities) that the peer's certificate must chain to (PEM).
    public var certificateAuthority: String

    /// Names the three files.
    public init(certificate: String, privateKey: String, certificateAuthority: String) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.certificateAuthority = certificateAuthority
    }

    /// The files from three optional command-line values: all three given, or none (`nil`).
    /// `flags` names the options in the error, e.g. `("--tls-cert", "--tls-key", "--tls-ca")`.
    public static func fromOptions(
        certificate: String?, privateKey: String?, certificateAuthority: String?,
        flags: (certificate: String, privateKey: String, certificateAuthority: String) = ("--tls-cert", "--tls-key", "--tls-ca")
    ) throws(ThriftTLSError) -> ThriftTLSFiles? {
        switch (certificate, privateKey, certificateAuthority) {
        case (nil, nil, nil):
            return nil
        case let (certificate?, privateKey?, certificateAuthority?):
            return ThriftTLSFiles(certificate: certificate, privateKey: privateKey, certificateAuthority: certificateAuthority)
        default:
            let missing = [
                certificate == nil ? flags.certificate : nil, privateKey == nil ? flags.privateKey : nil,
                certificateAuthority == nil ? flags.certificateAuthority : nil,
            ].compactMap { $0 }
            throw ThriftTLSError(
                description: "\(flags.certificate), \(flags.privateKey) and \(flags.certificateAuthority) go together; missing \(missing.joined(separator: " and "))")
        }
    }
}

/// A TLS file that could not be read or used, or an incomplete set of TLS options.
public struct ThriftTLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, naming the file.
    public var description: String

    /// An error described by `description`.
    public init(description: String) {
        self.description = description
    }
}

/// TLS connection layers for `ThriftServer` and `ThriftClient`: TLS 1.2 or later, both sides
/// present a certificate and each verifies the other's against the certificate authority it
/// was given. Host names are not checked (`noHostnameVerification`): the authority is private
/// to the cluster, so a certificate it signed is what identifies a peer.
public enum ThriftTLS {
    /// A server layer: a client without a certificate signed by `files.certificateAuthority` is
    /// refused during the handshake; an accepted client's identity is its certificate's subject
    /// common name (`ThriftCallContext.peerIdentity`). The files are read off the cooperative pool.
    public static func serverLayer(_ files: ThriftTLSFiles) async throws(ThriftTLSError) -> ThriftConnectionLayer {
        let context = try await makeContext(files) { certificates, key, authority in
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
            configuration.minimumTLSVersion = .tlsv12
            configuration.trustRoots = .certificates(authority)
            configuration.certificateVerification = .noHostnameVerification
            return configuration
        }
        return ThriftConnectionLayer(
            addHandlers: { channel in try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) },
            peerIdentity: { channel in
                (try? channel.pipeline.syncOperations.nioSSL_peerCertificate()).flatMap { $0.flatMap(commonName(of:)) }
            })
    }

    /// A client layer: presents `files.certificate` and accepts only a server whose certificate
    /// `files.certificateAuthority` signed. `serverHost` is sent as the server name (SNI) unless
    /// it is an IP address. The files are read off the cooperative pool.
    public static func clientLayer(_ files: ThriftTLSFiles, serverHost: String) async throws(ThriftTLSError) -> ThriftConnectionLayer {
        let context = try await makeContext(files) { certificates, key, authority in
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateChain = certificates.map { .certificate($0) }
            configuration.privateKey = .privateKey(key)
            configuration.minimumTLSVersion = .tlsv12
            configuration.trustRoots = .certificates(authority)
            configuration.certificateVerification = .noHostnameVerification
            return configuration
        }
        let serverName = (try? SocketAddress(ipAddress: serverHost, port: 0)) == nil ? serverHost : nil
        return ThriftConnectionLayer(addHandlers: { channel in
            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
        })
    }

    /// The last (most significant) common name in `certificate`'s subject, if any.
    public static func commonName(of certificate: NIOSSLCertificate) -> String? {
        certificate.subjectName.last { $0.type == .commonName }?.value
    }

    private static func makeContext(
        _ files: ThriftTLSFiles,
        _ configure: @escaping @Sendable ([NIOSSLCertificate], NIOSSLPrivateKey, [NIOSSLCertificate]) -> TLSConfiguration
    ) async throws(ThriftTLSError) -> NIOSSLContext {
        do {
            return try await NIOThreadPool.singleton.runIfActive {
                let certificates = try load("certificate", files.certificate) { try NIOSSLCertificate.fromPEMFile($0) }
                let key = try load("private key", files.privateKey) { try NIOSSLPrivateKey(file: $0, format: .pem) }
                let authority = try load("certificate authority", files.certificateAuthority) { try NIOSSLCertificate.fromPEMFile($0) }
                guard !certificates.isEmpty else { throw ThriftTLSError(description: "certificate file \(files.certificate) holds no certificate") }
                guard !authority.isEmpty else {
                    throw ThriftTLSError(description: "certificate authority file \(files.certificateAuthority) holds no certificate")
                }
                do {
                    return try NIOSSLContext(configuration: configure(certificates, key, authority))
                } catch {
                    throw ThriftTLSError(description: "cannot use \(files.certificate) with the key \(files.privateKey): \(error)")
                }
            }
        } catch let error as ThriftTLSError {
            throw error
        } catch {
            throw ThriftTLSError(description: "cannot read the TLS files: \(error)")
        }
    }

    private static func load<Value>(_ what: String, _ path: String, _ body: (String) throws -> Value) throws(ThriftTLSError) -> Value {
        do {
            return try body(path)
        } catch {
            throw ThriftTLSError(description: "cannot read the \(what) file \(path) (PEM): \(error)")
        }
    }
}
