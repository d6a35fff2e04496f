/// Byte counts as `serve`'s flags take and its logs show them: binary units throughout
/// (`K` = KiB = 1024 bytes).
public enum ByteCount {
    private static let units: [(suffixes: [String], scale: UInt64)] = [
        (["k", "kib", "kb"], 1 << 10), (["m", "mib", "mb"], 1 << 20), (["g", "gib", "gb"], 1 << 30), (["t", "tib", "tb"], 1 << 40),
    ]

    /// `1048576`, `512K`, `64M`, `64MiB`, `2G`, `1.5G` (case-insensitive); nil for anything
    /// else, negative numbers and counts past `Int64.max`.
    public static func parse(_ text: String) -> UInt64? {
        let lowered = text.lowercased()
        let digits = lowered.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let suffix = lowered.dropFirst(digits.count)
        guard !digits.isEmpty else { return nil }
        var scale: UInt64 = 1
        if !suffix.isEmpty {
            guard let unit = units.first(where: { $0.suffixes.contains(String(suffix)) }) else { return nil }
            scale = unit.scale
        }
        if let whole = UInt64(digits) {
            let (count, overflow) = whole.multipliedReportingOverflow(by: scale)
            return overflow || count > UInt64(Int64.max) ? nil : count
        }
        guard let fraction = Double(digits), fraction.isFinite else { return nil }
        let count = (fraction * Double(scale)).rounded()
        return count < Double(Int64.max) ? UInt64(count) : nil
    }

    /// `512 bytes`, `64 KiB`, `1.5 GiB`: the largest unit that leaves at least 1, with one
    /// decimal unless it rounds to a whole number.
    public static func text(_ count: UInt64) -> String {
        guard let unit = units.last(where: { count >= $0.scale }) else { return "\(count) bytes" }
        let name = unit.suffixes[1].prefix(1).uppercased() + "iB"
        if count % unit.scale == 0 { return "\(count / unit.scale) \(name)" }
        let tenths = Int((Double(count) / Double(unit.scale) * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10) \(name)" : "\(tenths / 10).\(tenths % 10) \(name)"
    }
}
