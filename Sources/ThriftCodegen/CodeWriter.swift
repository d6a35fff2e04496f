/// Accumulates generated Swift source line by line, four spaces per indentation level.
struct CodeWriter {
    private var lines: [String] = []
    private var level = 0

    /// The source written so far, ending with a newline.
    var text: String { lines.joined(separator: "\n") + "\n" }

    /// Appends one line at the current indentation; an empty line stays empty.
    mutating func line(_ text: String = "") {
        lines.append(text.isEmpty ? "" : String(repeating: "    ", count: level) + text)
    }

    /// Appends `/// ` lines; an empty entry becomes a bare `///` paragraph break.
    mutating func doc(_ docLines: [String]) {
        for docLine in docLines {
            line(docLine.isEmpty ? "///" : "/// \(docLine)")
        }
    }

    /// Appends `opener {`, the indented body, then `}`.
    mutating func block(_ opener: String, _ body: (inout CodeWriter) -> Void) {
        line("\(opener) {")
        indented(body)
        line("}")
    }

    /// Appends `call { parameters in`, the indented body, then `}`: a trailing closure.
    mutating func closure(_ call: String, parameters: String, _ body: (inout CodeWriter) -> Void) {
        line("\(call) { \(parameters) in")
        indented(body)
        line("}")
    }

    /// Appends `if condition {`, the first body, `} else {`, the second body, then `}`.
    mutating func ifElse(_ condition: String, then thenBody: (inout CodeWriter) -> Void, else elseBody: (inout CodeWriter) -> Void) {
        line("if \(condition) {")
        indented(thenBody)
        line("} else {")
        indented(elseBody)
        line("}")
    }

    /// Appends the body one level deeper, as under a `case` label.
    mutating func indented(_ body: (inout CodeWriter) -> Void) {
        level += 1
        body(&self)
        level -= 1
    }
}
