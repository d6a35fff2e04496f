/// Fitting text into a number of columns.
public enum TextTruncation {
    /// The ellipsis appended to shortened text.
    public static let ellipsis: Character = "…"

    /// `text` cut to at most `maxWidth` columns, never splitting a wide grapheme; when anything
    /// was cut, the last column shows "…".
    public static func truncate(_ text: String, toWidth maxWidth: Int) -> String {
        guard maxWidth > 0 else { return "" }
        if DisplayWidth.width(of: text) <= maxWidth { return text }
        return prefix(of: text, width: maxWidth - 1) + String(ellipsis)
    }

    /// The longest prefix of `text` that fits in `maxWidth` columns (no ellipsis).
    public static func prefix(of text: String, width maxWidth: Int) -> String {
        // Printable ASCII, the common case (ids, names, numbers): one column per byte, no
        // grapheme breaking.
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
            return String(decoding: bytes.prefix(Swift.max(0, maxWidth)), as: UTF8.self)
        }
        if let ascii = ascii ?? nil { return ascii }
        var result = ""
        var used = 0
        for character in text {
            let width = DisplayWidth.width(of: character)
            if used + width > maxWidth { break }
            result.append(character)
            used += width
        }
        return result
    }
}
