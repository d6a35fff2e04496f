import CZlib

/// The recorder's use of zlib: whole-buffer compression of a chunk's payload (the zlib format,
/// RFC 1950, as `compress2` writes it) and CRC-32 (the zlib/PNG polynomial).
enum Zlib {
    /// `raw` compressed at `level` (1 fastest … 9 smallest).
    static func compress(_ raw: [UInt8], level: Int32) -> [UInt8] {
        var capacity = compressBound(uLong(raw.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let result = output.withUnsafeMutableBufferPointer { destination in
            raw.withUnsafeBufferPointer { source in
                compress2(destination.baseAddress, &capacity, source.baseAddress, uLong(source.count), level)
            }
        }
        // compressBound is enough by zlib's contract, and level is checked by the configuration.
        precondition(result == Z_OK, "compress2 failed (\(result))")
        output.removeSubrange(Int(capacity)...)
        return output
    }

    /// The `rawLength` bytes that `compressed` holds; throws when it does not hold exactly that many.
    static func decompress(_ compressed: ArraySlice<UInt8>, rawLength: Int) throws -> [UInt8] {
        var length = uLong(rawLength)
        var output = [UInt8](repeating: 0, count: rawLength)
        let result = output.withUnsafeMutableBufferPointer { destination in
            compressed.withUnsafeBufferPointer { source in
                uncompress(destination.baseAddress, &length, source.baseAddress, uLong(source.count))
            }
        }
        guard result == Z_OK, Int(length) == rawLength else {
            throw RecordingFormatError("the payload does not inflate to its \(rawLength) bytes (zlib \(result))")
        }
        return output
    }

    /// The CRC-32 of `bytes`.
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    }
}
