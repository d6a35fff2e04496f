/// Splits IDL source into tokens, attaching each comment to the token that follows it.
struct Lexer {
    private let characters: [Character]
    private let fileName: String
    private var index = 0
    private var line = 1
    private var column = 1
    /// The line of the most recent token, to tell trailing comments from leading ones.
    private var lastTokenLine = 0

    init(source: String, fileName: String) {
        self.characters = Array(source)
        self.fileName = fileName
    }

    /// Reads the whole source; the last token is always `.endOfFile`.
    mutating func tokenize() throws(IDLError) -> [Token] {
        var tokens: [Token] = []
        while true {
            let comments = try skipWhitespaceAndComments()
            let location = currentLocation
            let kind = try nextKind()
            tokens.append(Token(kind: kind, location: location, leadingComments: comments))
            if kind == .endOfFile { return tokens }
            lastTokenLine = line
        }
    }

    // MARK: Characters

    private var currentLocation: SourceLocation {
        SourceLocation(file: fileName, line: line, column: column)
    }

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private mutating func advance() {
        if characters[index].isNewline {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    // MARK: Trivia

    private mutating func skipWhitespaceAndComments() throws(IDLError) -> [Comment] {
        var comments: [Comment] = []
        while let character = peek() {
            if character.isWhitespace {
                advance()
            } else if character == "#" || (character == "/" && peek(1) == "/") {
                comments.append(readLineComment())
            } else if character == "/" && peek(1) == "*" {
                comments.append(try readBlockComment())
            } else {
                break
            }
        }
        return comments
    }

    /// Reads a `#` or `//` comment; repeated markers (`///`, `##`) are dropped with the first.
    private mutating func readLineComment() -> Comment {
        let startLine = line
        let marker = characters[index]
        while peek() == marker { advance() }
        var text = ""
        while let character = peek(), !character.isNewline {
            text.append(character)
            advance()
        }
        return Comment(lines: [Self.trimmed(text)], startLine: startLine, endLine: startLine, followsCode: startLine == lastTokenLine)
    }

    private mutating func readBlockComment() throws(IDLError) -> Comment {
        let start = currentLocation
        advance()
        advance()
        var text = ""
        while !(peek() == "*" && peek(1) == "/") {
            guard let character = peek() else { throw IDLError("unterminated comment", at: start) }
            text.append(character)
            advance()
        }
        advance()
        advance()
        return Comment(lines: Self.blockCommentLines(text), startLine: start.line, endLine: line, followsCode: start.line == lastTokenLine)
    }

    /// The lines of a `/* */` or `/** */` comment without the decorative `*` at their start.
    private static func blockCommentLines(_ body: String) -> [String] {
        var lines = body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { rawLine in
            var text = Substring(trimmed(String(rawLine)))
            while text.first == "*" { text = text.dropFirst() }
            return trimmed(String(text))
        }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    private static func trimmed(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    // MARK: Tokens

    private mutating func nextKind() throws(IDLError) -> TokenKind {
        guard let character = peek() else { return .endOfFile }
        if Self.isIdentifierStart(character) { return .identifier(readWhile(Self.isIdentifierPart)) }
        if character.isASCII && character.isNumber { return try readNumber() }
        if (character == "-" || character == "+"), let next = peek(1), next.isASCII && next.isNumber { return try readNumber() }
        if character == "\"" || character == "'" { return .string(try readString()) }
        if "{}()<>,;:=*".contains(character) {
            advance()
            return .symbol(character)
        }
        throw IDLError("unexpected character '\(character)'", at: currentLocation)
    }

    private static func isIdentifierStart(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character == "_")
    }

    private static func isIdentifierPart(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == ".")
    }

    private mutating func readWhile(_ predicate: (Character) -> Bool) -> String {
        var text = ""
        while let character = peek(), predicate(character) {
            text.append(character)
            advance()
        }
        return text
    }

    /// Reads `-12`, `0x1F`, `1.5`, `2e-3`; a letter glued to the number is an error.
    private mutating func readNumber() throws(IDLError) -> TokenKind {
        let start = currentLocation
        var text = ""
        if let sign = peek(), sign == "-" || sign == "+" {
            text.append(sign)
            advance()
        }
        if peek() == "0", let x = peek(1), x == "x" || x == "X" {
            advance()
            advance()
            let digits = readWhile { $0.isHexDigit }
            let magnitude = readWhile(Self.isIdentifierPart)
            guard magnitude.isEmpty, let value = Int64(text + digits, radix: 16) else {
                throw IDLError("invalid integer '\(text)0x\(digits)\(magnitude)'", at: start)
            }
            return .integer(value)
        }
        text += readWhile { $0.isASCII && $0.isNumber }
        var isDouble = false
        if peek() == ".", let next = peek(1), next.isASCII && next.isNumber {
            isDouble = true
            advance()
            text += "." + readWhile { $0.isASCII && $0.isNumber }
        }
        if let e = peek(), e == "e" || e == "E" {
            isDouble = true
            text.append(e)
            advance()
            if let sign = peek(), sign == "-" || sign == "+" {
                text.append(sign)
                advance()
            }
            text += readWhile { $0.isASCII && $0.isNumber }
        }
        let glued = readWhile(Self.isIdentifierPart)
        guard glued.isEmpty else { throw IDLError("invalid number '\(text)\(glued)'", at: start) }
        if isDouble {
            guard let value = Double(text), value.isFinite else { throw IDLError("invalid number '\(text)'", at: start) }
            return .double(value)
        }
        guard let value = Int64(text) else { throw IDLError("integer '\(text)' does not fit in 64 bits", at: start) }
        return .integer(value)
    }

    /// Reads a `"…"` or `'…'` literal with the escapes `\\ \" \' \n \r \t`.
    private mutating func readString() throws(IDLError) -> String {
        let start = currentLocation
        let quote = characters[index]
        advance()
        var text = ""
        while true {
            guard let character = peek(), !character.isNewline else { throw IDLError("unterminated string", at: start) }
            advance()
            if character == quote { return text }
            guard character == "\\" else {
                text.append(character)
                continue
            }
            let escapeLocation = currentLocation
            switch peek() {
            case "\\": text.append("\\")
            case "\"": text.append("\"")
            case "'": text.append("'")
            case "n": text.append("\n")
            case "r": text.append("\r")
            case "t": text.append("\t")
            default: throw IDLError("unsupported escape sequence in string", at: escapeLocation)
            }
            advance()
        }
    }
}
