/// The OSC 52 escape sequence that asks the terminal (xterm, kitty, iTerm2, tmux with
/// `set-clipboard on`, and through ssh) to put text on the system clipboard.
public enum Clipboard {
    /// The most bytes sent: terminals cap the sequence (xterm at about 100 kB of base64).
    public static let maximumBytes = 65_536

    /// `ESC ] 52 ; c ; <base64> BEL` for `text` (cut to `maximumBytes` of UTF-8).
    public static func osc52(_ text: String) -> String {
        "\u{1B}]52;c;" + base64(Array(text.utf8.prefix(maximumBytes))) + "\u{07}"
    }

    /// RFC 4648 base64 with padding.
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<Swift.min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                output.append(position <= chunk.count ? alphabet[Int(value >> (18 - 6 * UInt32(position)) & 0x3F)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
