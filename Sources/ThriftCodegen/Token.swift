/// A comment from the IDL source with its markers (`#`, `//`, `/* */`, leading `*`) removed.
struct Comment: Hashable, Sendable {
    /// The comment's text, one entry per source line.
    var lines: [String]
    /// The line the comment starts on.
    var startLine: Int
    /// The line the comment ends on.
    var endLine: Int
    /// Whether code precedes the comment on its first line (a trailing comment).
    var followsCode: Bool
}

/// One lexical element of an IDL file.
enum TokenKind: Hashable, Sendable {
    /// A name, possibly dotted (`EnumName.VALUE`); keywords are identifiers too.
    case identifier(String)
    case integer(Int64)
    case double(Double)
    /// A string literal, escapes already resolved.
    case string(String)
    /// Punctuation: `{ } ( ) < > , ; : = *`.
    case symbol(Character)
    case endOfFile
}

/// A token, where it starts, and the comments between it and the previous token.
struct Token: Sendable {
    var kind: TokenKind
    var location: SourceLocation
    var leadingComments: [Comment]

    /// The token as quoted in diagnostics: `'foo'`, `'}'`, `"text"`, `end of file`.
    var quoted: String {
        switch kind {
        case .identifier(let name): return "'\(name)'"
        case .integer(let value): return "'\(value)'"
        case .double(let value): return "'\(value)'"
        case .string(let text): return "string \"\(text)\""
        case .symbol(let symbol): return "'\(symbol)'"
        case .endOfFile: return "end of file"
        }
    }

    /// The documentation written directly above the token: the last run of comments that
    /// stand on their own lines with no blank line between them and the token.
    var docLines: [String] {
        var expectedEndLine = location.line
        var group: [Comment] = []
        for comment in leadingComments.reversed() {
            guard !comment.followsCode,
                  comment.endLine == expectedEndLine || comment.endLine == expectedEndLine - 1
            else { break }
            group.insert(comment, at: 0)
            expectedEndLine = comment.startLine
        }
        return group.flatMap(\.lines)
    }

    /// The text of a comment that trails code ending on `line`, if it starts this token's comments.
    func trailingDocLines(afterCodeOnLine line: Int) -> [String] {
        guard let first = leadingComments.first, first.followsCode, first.startLine == line else { return [] }
        return first.lines
    }
}
