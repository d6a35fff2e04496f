import NIOCore

extension ThriftBinaryWriter {
    /// Writes what `body` writes at the end of `buffer`, straight into the buffer's memory when
    /// `size` is at least what `body` writes (a smaller `size` costs a copy): how a server's reply
    /// goes into the buffer its connection sends.
    public static func encode(size: Int, into buffer: inout ByteBuffer, _ body: (inout ThriftBinaryWriter) -> Void) {
        var outgrown: [UInt8]?
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Swift.max(size, 16)) { memory in
            var writer = ThriftBinaryWriter(lending: memory.baseAddress!, capacity: memory.count)
            body(&writer)
            guard !writer.ownsBuffer else {
                outgrown = writer.bytes
                return 0
            }
            return writer.length
        }
        if let outgrown { buffer.writeBytes(outgrown) }
    }
}
