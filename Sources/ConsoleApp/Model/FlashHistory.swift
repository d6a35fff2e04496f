import Foundation

/// The flash line's last messages, newest last, at most `capacity`: a message shown for a few
/// seconds (and cut to the width) can be read again in full with `L`.
public struct FlashHistory: Sendable, Hashable {
    /// The most messages kept.
    public static let capacity = 50

    public struct Message: Sendable, Hashable {
        public var time: Date
        public var text: String
        public var isError: Bool
    }

    public private(set) var messages: [Message] = []

    public init() {}

    mutating func record(_ text: String, isError: Bool, at time: Date) {
        messages.append(Message(time: time, text: text, isError: isError))
        if messages.count > Self.capacity { messages.removeFirst(messages.count - Self.capacity) }
    }
}
