import NIOCore
import Testing
import Thrift

@Suite("ThriftBinaryWriter into a ByteBuffer")
struct WriterIntoByteBufferTests {
    @Test(arguments: [0, 5, 64, 10_000])
    func theBytesAreThoseOfAnArrayWhateverTheSizeGiven(size: Int) {
        let sample = Sample(id: 7, name: "into the buffer", values: Array(0..<100))
        let expected = sample.thriftBytes()
        var buffer = ByteBuffer(bytes: [1, 2, 3])
        ThriftBinaryWriter.encode(size: size, into: &buffer) { sample.write(to: &$0) }
        #expect(Array(buffer.readableBytesView) == [1, 2, 3] + expected, "appended after what the buffer held")
    }
}
