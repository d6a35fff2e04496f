import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 GET, for the scheduler's `/admin/metrics.json` and for task output on a
/// Scoot worker's HTTP port: one request per connection, one deadline for connecting and
/// reading, and a cap on the body size.
public enum BoundedHTTPClient {
    /// Why a GET failed, in words for the UI.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// The body of `GET path` on `host:port`, with `headers` added (a `Range`, say). Fails when
    /// there is no complete `200 OK` (or `206 Partial Content`) answer within `timeout`
    /// (connecting included) or when the body exceeds `maxBodyBytes`.
    public static func get(
        host: String, port: Int, path: String, headers: [(String, String)] = [], timeout: TimeAmount = .seconds(2), maxBodyBytes: Int = 8 << 20,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(Failure) -> [UInt8] {
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: [UInt8].self)
        let deadline = eventLoop.scheduleTask(in: timeout) {
            promise.fail(Failure("no answer within \(timeout.nanoseconds / 1_000_000) ms"))
        }
        let connected = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        ResponseCollector(host: host, path: path, headers: headers, maxBodyBytes: maxBodyBytes, promise: promise))
                }
            }
            .connect(host: host, port: port)
        connected.whenFailure { promise.fail($0) }
        defer {
            deadline.cancel()
            connected.whenSuccess { $0.close(promise: nil) }
        }
        do {
            return try await promise.futureResult.get()
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(describe(error))
        }
    }

    /// Connection errors in a few words ("Connection refused") rather than NIO's full dump.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return describe(first.error) }
            if let dns = error.dnsAError ?? error.dnsAAAAError { return "cannot resolve \(error.host): \(dns)" }
            return "cannot connect to \(error.host):\(error.port)"
        case let error as IOError: return String(cString: strerror(error.errnoCode))
        case ChannelError.connectTimeout(let timeout): return "connect timed out after \(timeout.nanoseconds / 1_000_000) ms"
        default: return "\(error)"
        }
    }
}

/// Sends the request once connected and gathers the answer into `promise`.
private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let host: String
    private let path: String
    private let extraHeaders: [(String, String)]
    private let maxBodyBytes: Int
    private let promise: EventLoopPromise<[UInt8]>
    private var body: [UInt8] = []
    private var finished = false

    init(host: String, path: String, headers: [(String, String)], maxBodyBytes: Int, promise: EventLoopPromise<[UInt8]>) {
        self.host = host
        self.path = path
        extraHeaders = headers
        self.maxBodyBytes = maxBodyBytes
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        headers.add(name: "Connection", value: "close")
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        context.write(wrapOutboundOut(.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard head.status == .ok || head.status == .partialContent else { return finish(context, .failure(BoundedHTTPClient.Failure("HTTP \(head.status.code) \(head.status.reasonPhrase)"))) }
            if let length = head.headers.first(name: "Content-Length").flatMap(Int.init), length > maxBodyBytes {
                finish(context, .failure(tooLarge))
            }
        case .body(var buffer):
            guard body.count + buffer.readableBytes <= maxBodyBytes else { return finish(context, .failure(tooLarge)) }
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            finish(context, .success(body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !finished { promise.fail(BoundedHTTPClient.Failure("the connection closed before the answer was complete")) }
        finished = true
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(context, .failure(error))
    }

    private var tooLarge: BoundedHTTPClient.Failure { BoundedHTTPClient.Failure("the answer is larger than \(maxBodyBytes) bytes") }

    private func finish(_ context: ChannelHandlerContext, _ result: Result<[UInt8], any Error>) {
        guard !finished else { return }
        finished = true
        promise.completeWith(result)
        context.close(promise: nil)
    }
}
