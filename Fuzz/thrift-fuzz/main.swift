// libFuzzer target for the Thrift decoding path: the unframed message scanner, the message
// header reader, skipping, and decoding of every CloudScoot struct. Built by scripts/fuzz.sh
// with `--sanitize=fuzzer -DFUZZING`; a plain build compiles only the stub below.
#if FUZZING
import ScootAPI
import Thrift

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzThriftDecoding(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = ThriftLimits(maxMessageSize: 1 << 20, maxStringLength: 1 << 16, maxContainerElements: 1 << 12, maxDepth: 64)
    checkScannerAgreesWithReader(bytes, limits: limits)
    checkStructRoundTrip(bytes, as: JobDefinition.self, limits: limits)
    checkStructRoundTrip(bytes, as: JobStatus.self, limits: limits)
    checkStructRoundTrip(bytes, as: RunStatus.self, limits: limits)
    checkStructRoundTrip(bytes, as: TApplicationException.self, limits: limits)
    checkStructRoundTrip(bytes, as: CloudScootMessages.RunJobArguments.self, limits: limits)
    checkStructRoundTrip(bytes, as: CloudScootMessages.SetClassLoadPercentsArguments.self, limits: limits)
    return 0
}

/// Whenever the scanner says a message is complete, the reader must find a valid header and
/// struct of exactly that length; fed the same bytes in two pieces, the scanner must agree with itself.
private func checkScannerAgreesWithReader(_ bytes: [UInt8], limits: ThriftLimits) {
    var whole = ThriftMessageScanner(limits: limits)
    let scanned = try? bytes.withUnsafeBytes { try whole.scan($0) }
    var pieces = ThriftMessageScanner(limits: limits)
    let half = bytes.count / 2
    let firstPiece = try? bytes.withUnsafeBytes { try pieces.scan(UnsafeRawBufferPointer(rebasing: $0[0..<half])) }
    if case .some(.some(let length)) = firstPiece {
        precondition(scanned == .some(.some(length)), "scanner found a shorter message in a prefix")
        return
    }
    let secondPiece = try? bytes.withUnsafeBytes { try pieces.scan($0) }
    if firstPiece != nil {
        precondition(secondPiece.map { $0 } == scanned.map { $0 }, "resumed scan disagrees with a single scan")
    }
    guard case .some(.some(let length)) = scanned else { return }
    let consumed = try? ThriftBinaryReader.withReader(Array(bytes[0..<length]), limits: limits) { reader -> Int in
        _ = try reader.readMessageHeader()
        try reader.skip(.struct)
        return reader.offset
    }
    precondition(consumed == length, "scanner length \(length) but reader consumed \(String(describing: consumed))")
}

/// A struct that decodes must re-encode to bytes that decode to the same value.
private func checkStructRoundTrip<T: ThriftStruct & Equatable>(_ bytes: [UInt8], as type: T.Type, limits: ThriftLimits) {
    guard let value = try? T(thriftBytes: bytes, limits: limits) else { return }
    let again = try? T(thriftBytes: value.thriftBytes(), limits: ThriftLimits(maxMessageSize: Int.max, maxStringLength: Int.max, maxContainerElements: Int.max, maxDepth: 64))
    precondition(again == value, "\(T.self) did not survive a round trip")
}
#else
/// Without `-DFUZZING` the target is an empty program, so that `swift build` links it.
@main enum FuzzStub { static func main() {} }
#endif
