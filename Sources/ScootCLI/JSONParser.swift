/// Why a JSON text could not be read, with the line and column (both from 1) of the problem.
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line of the offending character.
    public var line: Int
    /// 1-based column (in characters) of the offending character.
    public var column: Int
    /// What was expected or found there.
    public var problem: String

    public var description: String { "line \(line), column \(column): \(problem)" }
}

/// A strict JSON (RFC 8259) reader that keeps object member order and reports errors by line and
/// column; a duplicated object key is an error, as it is almost always a mistake in a job file.
/// Ours rather than Foundation's `JSONSerialization`, which gives neither line nor column, loses
/// member order and silently keeps one of two duplicated keys.
public struct JSONParser {
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private static let maximumDepth = 64

    /// Parses a whole document; anything after the top-level value other than whitespace is an error.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(scalars: Array(text.unicodeScalars))
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == parser.scalars.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    private func error(_ problem: String, at index: Int? = nil) -> JSONSyntaxError {
        let end = min(index ?? position, scalars.count)
        var line = 1
        var column = 1
        for scalar in scalars[..<end] {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return JSONSyntaxError(line: line, column: column, problem: problem)
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func skipWhitespace() {
        while let scalar = current, scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" { position += 1 }
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw error("nested more than \(Self.maximumDepth) levels deep") }
        guard let scalar = current else { throw error("unexpected end of input, expected a value") }
        switch scalar {
        case "{": return try parseObject(depth: depth)
        case "[": return try parseArray(depth: depth)
        case "\"": return .string(try parseString())
        case "t": return try parseLiteral("true", .bool(true))
        case "f": return try parseLiteral("false", .bool(false))
        case "n": return try parseLiteral("null", .null)
        case "-", "0"..."9": return try parseNumber()
        default: throw error("unexpected character '\(scalar.escaped(asASCII: true))', expected a value")
        }
    }

    private mutating func parseLiteral(_ word: String, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        for expected in word.unicodeScalars {
            guard current == expected else { throw error("invalid literal, expected '\(word)'") }
            position += 1
        }
        return value
    }

    private mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        var seen: Set<String> = []
        skipWhitespace()
        if current == "}" {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard current == "\"" else { throw error("expected a string key in double quotes") }
            let keyPosition = position
            let key = try parseString()
            guard seen.insert(key).inserted else { throw error("duplicate key \"\(key)\"", at: keyPosition) }
            skipWhitespace()
            guard current == ":" else { throw error("expected ':' after the key \"\(key)\"") }
            position += 1
            skipWhitespace()
            members.append((key: key, value: try parseValue(depth: depth + 1)))
            skipWhitespace()
            switch current {
            case ",": position += 1
            case "}":
                position += 1
                return .object(members)
            default: throw error("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == "]" {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch current {
            case ",": position += 1
            case "]":
                position += 1
                return .array(elements)
            default: throw error("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = position
        position += 1
        var text = String.UnicodeScalarView()
        while true {
            guard let scalar = current else { throw error("unterminated string", at: start) }
            position += 1
            switch scalar {
            case "\"": return String(text)
            case "\\": text.append(try parseEscape())
            case _ where scalar.value < 0x20: throw error("control character in a string; escape it", at: position - 1)
            default: text.append(scalar)
            }
        }
    }

    private mutating func parseEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
        guard let scalar = current else { throw error("unterminated escape") }
        position += 1
        switch scalar {
        case "\"", "\\", "/": return scalar
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "u":
            let high = try parseHexQuad()
            if (0xD800..<0xDC00).contains(high), current == "\\", position + 1 < scalars.count, scalars[position + 1] == "u" {
                position += 2
                let low = try parseHexQuad()
                if (0xDC00..<0xE000).contains(low), let combined = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) {
                    return combined
                }
                throw error("invalid UTF-16 surrogate pair")
            }
            guard let result = Unicode.Scalar(high) else { throw error("invalid \\u escape (lone surrogate)") }
            return result
        default: throw error("invalid escape '\\\(scalar)'", at: position - 1)
        }
    }

    private mutating func parseHexQuad() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let scalar = current, scalar.isASCII, let digit = UInt32(String(scalar), radix: 16) else {
                throw error("expected 4 hex digits after \\u")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = position
        if current == "-" { position += 1 }
        guard let first = current, ("0"..."9").contains(first) else { throw error("expected a digit") }
        if first == "0" {
            position += 1
        } else {
            skipDigits()
        }
        if current == "." {
            position += 1
            guard let digit = current, ("0"..."9").contains(digit) else { throw error("expected a digit after '.'") }
            skipDigits()
        }
        if current == "e" || current == "E" {
            position += 1
            if current == "+" || current == "-" { position += 1 }
            guard let digit = current, ("0"..."9").contains(digit) else { throw error("expected a digit in the exponent") }
            skipDigits()
        }
        var literal = String.UnicodeScalarView()
        literal.append(contentsOf: scalars[start..<position])
        return .number(String(literal))
    }

    private mutating func skipDigits() {
        while let scalar = current, ("0"..."9").contains(scalar) { position += 1 }
    }
}
