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

/// What one scan call said: complete with a length, more bytes needed (`nil`), or an error.
private typealias ScanOutcome = Result<Int?, ThriftProtocolError>

private func scan(_ scanner: inout ThriftMessageScanner, _ bytes: [UInt8], prefix: Int) -> ScanOutcome {
    bytes.withUnsafeBytes { raw in
        do {
            return .success(try scanner.scan(UnsafeRawBufferPointer(rebasing: raw[0..<prefix])))
        } catch let error as ThriftProtocolError {
            return .failure(error)
        } catch {
            preconditionFailure("scanner threw a non-protocol error: \(error)")
        }
    }
}

/// Whenever the scanner says a message is complete, the reader must find a valid header and
/// struct of exactly that length; fed the same bytes in two pieces, the scanner must agree with itself.
private func checkScannerAgreesWithReader(_ bytes: [UInt8], limits: ThriftLimits) {
    var whole = ThriftMessageScanner(limits: limits)
    let single = scan(&whole, bytes, prefix: bytes.count)
    var pieces = ThriftMessageScanner(limits: limits)
    let first = scan(&pieces, bytes, prefix: bytes.count / 2)
    switch first {
    case .success(.some(let length)):
        // A message complete in the first half is the same message in the whole.
        precondition(single == .success(length), "scanner found a message in a prefix that the whole input disagrees with")
    case .success(.none):
        let second = scan(&pieces, bytes, prefix: bytes.count)
        precondition(second == single, "resumed scan \(second) disagrees with a single scan \(single)")
    case .failure:
        // An error in the first half must be found in the whole input too.
        guard case .failure = single else { preconditionFailure("error in a prefix but not in the whole input") }
    }
    guard case .success(.some(let length)) = single else { return }
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
