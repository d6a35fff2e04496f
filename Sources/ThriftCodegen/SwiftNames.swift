/// How IDL names become Swift identifiers and literals.
enum SwiftNames {
    /// Words that must be wrapped in backticks to be used as identifiers.
    static let keywords: Set<String> = [
        "Any", "as", "associatedtype", "await", "break", "case", "catch", "class", "continue", "default",
        "defer", "deinit", "do", "else", "enum", "extension", "fallthrough", "false", "fileprivate", "for",
        "func", "guard", "if", "import", "in", "init", "inout", "internal", "is", "let", "nil", "operator",
        "precedencegroup", "private", "protocol", "public", "repeat", "rethrows", "return", "static",
        "struct", "subscript", "super", "switch", "throw", "throws", "true", "try", "typealias", "var",
        "where", "while",
    ]

    /// Names that even backticks cannot turn into ordinary identifiers (`X.self`, `X.Type`).
    static let unusable: Set<String> = ["self", "Self", "Type", "Protocol", "_"]

    /// `name`, in backticks when it is a keyword.
    static func escaped(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }

    /// `name` as an argument label in a call, where only `inout`, `var` and `let` need backticks.
    static func argumentLabel(_ name: String) -> String {
        ["inout", "var", "let"].contains(name) ? "`\(name)`" : name
    }

    /// An enum value name as a Swift case: `NOT_STARTED` → `notStarted`, `HTTPError` → `httpError`.
    static func enumCaseName(_ idlName: String) -> String {
        let words = idlName.split(separator: "_").map(String.init)
        let isAllCaps = !idlName.contains(where: \.isLowercase)
        var result = ""
        for (index, word) in words.enumerated() {
            let normalized = isAllCaps ? word.lowercased() : word
            result += index == 0 ? lowercasingLeadingCapitals(normalized) : uppercasingFirstLetter(normalized)
        }
        if result.isEmpty || result.first?.isNumber == true { result = "_" + result }
        return result
    }

    /// A method name as a Swift function name: the first letter lowercased (`RunJob` → `runJob`).
    static func methodName(_ idlName: String) -> String {
        idlName.prefix(1).lowercased() + idlName.dropFirst()
    }

    /// The first letter uppercased, to prefix type names (`runJob` → `RunJobArguments`).
    static func uppercasingFirstLetter(_ name: String) -> String {
        name.prefix(1).uppercased() + name.dropFirst()
    }

    /// Lowercases a leading run of capitals, keeping the last one if it starts a word: `HTTPError` → `httpError`.
    private static func lowercasingLeadingCapitals(_ word: String) -> String {
        let characters = Array(word)
        let capitals = characters.prefix(while: \.isUppercase).count
        let lowered = capitals > 1 && capitals < characters.count ? capitals - 1 : max(capitals, 1)
        return String(characters.prefix(lowered)).lowercased() + String(characters.dropFirst(lowered))
    }

    /// `base`, with underscores appended until it is not in `taken`.
    static func fresh(_ base: String, avoiding taken: Set<String>) -> String {
        var name = base
        while taken.contains(name) { name += "_" }
        return name
    }

    /// A Swift string literal for `text`.
    static func stringLiteral(_ text: String) -> String {
        var literal = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": literal += "\\\""
            case "\\": literal += "\\\\"
            case "\n": literal += "\\n"
            case "\r": literal += "\\r"
            case "\t": literal += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                literal += "\\u{\(String(scalar.value, radix: 16))}"
            default: literal.unicodeScalars.append(scalar)
            }
        }
        return literal + "\""
    }
}
