import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import SchedulerCore
import Synchronization
import Thrift

/// The scheduler's HTTP port, as Scoot's: `GET /admin/metrics.json` (add `?pretty=true` for
/// indented output), `/` answers 501 with a short help text, anything else 404.
///
/// Bounded so that it cannot take the Thrift port down with it: at most `Limits.maximumConnections`
/// connections (one more is accepted and closed at once, logged at most once a minute); a
/// connection that sends nothing for `idleTimeout` after opening or after its last answer is
/// closed, and so is one whose request is not in and answered within `requestTimeout` of its first
/// byte (a client sending a header a byte at a time).
public final class MetricsHTTPServer: Sendable {
    /// The bounds on the HTTP port.
    public struct Limits: Sendable {
        /// The most connections open at once.
        public var maximumConnections: Int
        /// How long a connection may send nothing between requests.
        public var idleTimeout: TimeAmount
        /// How long a request may take to arrive, from its first byte to its answer.
        public var requestTimeout: TimeAmount

        /// Defaults: 32 connections, 30 s idle, 10 s per request.
        public init(maximumConnections: Int = 32, idleTimeout: TimeAmount = .seconds(30), requestTimeout: TimeAmount = .seconds(10)) {
            self.maximumConnections = maximumConnections
            self.idleTimeout = idleTimeout
            self.requestTimeout = requestTimeout
        }
    }

    private let channel: any Channel
    /// The address actually bound, e.g. `127.0.0.1:9091`.
    public let address: String
    /// The port actually bound.
    public let port: Int

    private init(channel: any Channel) {
        self.channel = channel
        port = channel.localAddress?.port ?? 0
        address = "\(channel.localAddress?.ipAddress ?? "?"):\(port)"
    }

    /// Binds `host:port` and serves the stats `report` returns at each request.
    public static func start(
        host: String, port: Int, limits: Limits = Limits(), logger: Logger, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        report: @escaping @Sendable () async -> [String: Double]
    ) async throws -> MetricsHTTPServer {
        let open = Atomic<Int>(0)
        let refusals = OncePerInterval()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                guard open.add(1, ordering: .relaxed).newValue <= limits.maximumConnections else {
                    open.subtract(1, ordering: .relaxed)
                    refusals.run { suppressed in
                        logger.warning(
                            "metrics port connection limit reached: closing new connections",
                            metadata: ["limit": "\(limits.maximumConnections)", "closed since the last warning": "\(suppressed + 1)"])
                    }
                    return child.close()
                }
                child.closeFuture.whenComplete { _ in open.subtract(1, ordering: .relaxed) }
                return child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(RequestDeadlines(idle: limits.idleTimeout, request: limits.requestTimeout))
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    try child.pipeline.syncOperations.addHandler(MetricsRequestHandler(report: report))
                }
            }
            .bind(host: host, port: port)
            .get()
        let server = MetricsHTTPServer(channel: channel)
        logger.info("metrics endpoint listening", metadata: ["address": "\(server.address)"])
        return server
    }

    /// Stops accepting and closes the listening socket.
    public func shutdown() async {
        try? await channel.close()
    }
}

/// Closes a connection that sends nothing for `idle` (after opening or after an answer), or whose
/// request takes longer than `request` from its first byte to its answer. It sits in front of the
/// HTTP codec: bytes in start a request, a flush out ends it.
private final class RequestDeadlines: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer

    private let idle: TimeAmount
    private let request: TimeAmount
    private var receiving = false
    private var deadline: Scheduled<Void>?

    init(idle: TimeAmount, request: TimeAmount) {
        self.idle = idle
        self.request = request
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(idle, context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(idle, context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !receiving {
            receiving = true
            arm(request, context: context)
        }
        context.fireChannelRead(data)
    }

    func flush(context: ChannelHandlerContext) {
        if receiving {
            receiving = false
            arm(idle, context: context)
        }
        context.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    private func arm(_ timeout: TimeAmount, context: ChannelHandlerContext) {
        deadline?.cancel()
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) { bound.value.close(promise: nil) }
    }
}

/// Answers one HTTP request at a time on a connection.
private final class MetricsRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let report: @Sendable () async -> [String: Double]
    private var request: HTTPRequestHead?

    init(report: @escaping @Sendable () async -> [String: Double]) {
        self.report = report
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
        case .body:
            break
        case .end:
            guard let head = request else { return }
            request = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let (path, query) = Self.split(head.uri)
        guard head.method == .GET || head.method == .HEAD else {
            write(.methodNotAllowed, "only GET is supported\n", keepAlive: head.isKeepAlive, context: context)
            return
        }
        switch path {
        case "/admin/metrics.json":
            let pretty = query.contains("pretty=true")
            let report = self.report
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            Task {
                let body = MetricsReport.json(await report(), pretty: pretty)
                bound.eventLoop.execute {
                    let (handler, context) = bound.value
                    handler.write(.ok, body, contentType: "application/json", keepAlive: head.isKeepAlive, context: context)
                }
            }
        case "/":
            write(.notImplemented, "scoot-console serve: GET /admin/metrics.json (?pretty=true) for the scheduler's stats\n", keepAlive: head.isKeepAlive, context: context)
        default:
            write(.notFound, "not found: \(path); try /admin/metrics.json\n", keepAlive: head.isKeepAlive, context: context)
        }
    }

    private func write(_ status: HTTPResponseStatus, _ body: String, contentType: String = "text/plain; charset=utf-8", keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            done.whenComplete { _ in bound.value.close(promise: nil) }
        }
    }

    private static func split(_ uri: String) -> (path: String, query: String) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, "") }
        return (String(uri[..<mark]), String(uri[uri.index(after: mark)...]))
    }
}
