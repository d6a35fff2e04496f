import Testing
import ThriftCodegen

/// Malformed or inconsistent IDL is rejected with `file:line:column: message`.
@Suite struct DiagnosticsTests {
    /// The diagnostic for `source`, or `nil` if it generates.
    private func diagnostic(_ source: String) -> String? {
        do {
            _ = try ThriftSwiftGenerator.generate(source: source, fileName: "scoot.thrift", moduleImports: ["Thrift"])
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        ("struct RunStatus {\n  1: required string runId\n  foo\n}", "scoot.thrift:3:3: expected '}' but found 'foo'"),
        ("struct S {\n  1 i32 a\n}", "scoot.thrift:2:5: expected ':' but found 'i32'"),
        ("struct S {", "scoot.thrift:1:11: expected '}' but found end of file"),
        ("struct S { 1: list<i32 a }", "scoot.thrift:1:24: expected '>' but found 'a'"),
        ("struct S { 1: map<string> a }", "scoot.thrift:1:25: expected ',' but found '>'"),
        ("struct S { 1: i32 }", "scoot.thrift:1:19: expected a field name but found '}'"),
        ("struct S { 1: i32 a = }", "scoot.thrift:1:23: expected a constant value but found '}'"),
        ("struct { }", "scoot.thrift:1:8: expected a struct name but found '{'"),
        ("typedef i32 Count", "scoot.thrift:1:1: expected 'enum', 'struct', 'exception' or 'service' but found 'typedef'"),
        ("include \"shared.thrift\"", "scoot.thrift:1:1: expected 'enum', 'struct', 'exception' or 'service' but found 'include'"),
        ("enum E { A = }", "scoot.thrift:1:14: expected an integer but found '}'"),
        ("enum E { 1 }", "scoot.thrift:1:10: expected '}' but found '1'"),
        ("service S { void Run(1: i32 a }", "scoot.thrift:1:31: expected ')' but found '}'"),
        ("service S {\n  oneway void Fire()\n}", "scoot.thrift:2:3: oneway methods are not supported"),
        ("service S extends { }", "scoot.thrift:1:19: expected the name of the extended service but found '{'"),
        ("struct S { 1: i32 a.b }", "scoot.thrift:1:19: 'a.b' is not a valid name here"),
    ])
    func syntaxErrors(source: String, expected: String) {
        #expect(diagnostic(source) == expected)
    }

    @Test(arguments: [
        ("struct S { 1: string a = \"open\n}", "scoot.thrift:1:26: unterminated string"),
        ("struct S { 1: string a = \"bad \\q\" }", "scoot.thrift:1:32: unsupported escape sequence in string"),
        ("/* never closed\nstruct S {}", "scoot.thrift:1:1: unterminated comment"),
        ("struct S { 1: i32 a @ }", "scoot.thrift:1:21: unexpected character '@'"),
        ("struct S { 1: i32 a = 12abc }", "scoot.thrift:1:23: invalid number '12abc'"),
        ("struct S { 1: i64 a = 99999999999999999999 }", "scoot.thrift:1:23: integer '99999999999999999999' does not fit in 64 bits"),
    ])
    func lexicalErrors(source: String, expected: String) {
        #expect(diagnostic(source) == expected)
    }

    @Test(arguments: [
        ("struct S { 0: i32 a }", "scoot.thrift:1:12: field id 0 is outside 1...32767"),
        ("struct S { 40000: i32 a }", "scoot.thrift:1:12: field id 40000 is outside 1...32767"),
        ("enum E { A = 2147483648 }", "scoot.thrift:1:14: enum value 2147483648 does not fit in i32"),
        ("enum E { A = 2147483647, B }", "scoot.thrift:1:26: implicit enum value 2147483648 does not fit in i32"),
    ])
    func numbersOutOfRange(source: String, expected: String) {
        #expect(diagnostic(source) == expected)
    }

    @Test(arguments: [
        ("struct S {\n  1: i32 a\n  1: i32 b\n}", "scoot.thrift:3:10: duplicate field id 1 in struct 'S': 'b' and 'a'"),
        ("exception X {\n  1: i32 a\n  2: string a\n}", "scoot.thrift:3:13: duplicate field name 'a' in exception 'X'"),
        ("struct S {\n  1: Missing m\n}", "scoot.thrift:2:6: unknown type 'Missing'"),
        ("struct S { 1: list<map<string, Nope>> m }", "scoot.thrift:1:32: unknown type 'Nope'"),
        ("service Svc {}\nstruct S { 1: Svc s }", "scoot.thrift:2:15: 'Svc' is a service, not a type"),
        ("struct S {}\nenum S { A }", "scoot.thrift:2:6: 'S' is already defined at scoot.thrift:1:8"),
        ("enum E { A = 1, A = 2 }", "scoot.thrift:1:17: duplicate value name 'A' in enum 'E'"),
        ("enum E { A = 1, B = 1 }", "scoot.thrift:1:17: value 1 of 'B' is already used by 'A' in enum 'E'"),
        ("struct S { 1: map<list<i32>, i32> m }", "scoot.thrift:1:35: map keys cannot be containers (map<list<i32>, i32>)"),
        ("struct S { 1: i32 a = \"x\" }", "scoot.thrift:1:23: default value \"x\" does not match the type i32 of field 'a'"),
        ("struct S { 1: i32 a = 1.5 }", "scoot.thrift:1:23: default value 1.5 does not match the type i32 of field 'a'"),
        ("struct S { 1: bool a = 1 }", "scoot.thrift:1:24: default value 1 does not match the type bool of field 'a'"),
        ("struct S { 1: byte a = 200 }", "scoot.thrift:1:24: default value 200 does not fit in byte field 'a'"),
        ("struct S { 1: list<i32> a = 1 }", "scoot.thrift:1:29: default values are supported for base types and enums only, not for list<i32>"),
        ("struct T {}\nstruct S { 1: T t = 1 }", "scoot.thrift:2:21: default values are supported for base types and enums only, not for 'T'"),
        ("enum E { A }\nstruct S { 1: E e = E.B }", "scoot.thrift:2:21: enum 'E' has no value 'B'"),
        ("enum E { A }\nenum F { A }\nstruct S { 1: E e = F.A }", "scoot.thrift:3:21: default value 'F.A' of field 'e' must be written E.<VALUE>"),
        ("service S extends Missing {}", "scoot.thrift:1:19: unknown service 'Missing'"),
        ("service A extends B {}\nservice B extends A {}", "scoot.thrift:1:19: services extend each other in a cycle: A -> B -> A"),
        ("service P { void Run() }\nservice C extends P { void Run() }", "scoot.thrift:2:28: duplicate method 'Run' in service 'C' (inherited from 'P')"),
        ("service S { void Run()\n void Run() }", "scoot.thrift:2:7: duplicate method 'Run' in service 'S'"),
        ("struct NotAnError {}\nservice S { void Run() throws (1: NotAnError e) }", "scoot.thrift:2:46: 'NotAnError' in the throws clause of 'Run' is not an exception"),
        ("exception X {}\nservice S { void Run() throws (1: X a, 2: X b) }", "scoot.thrift:2:43: exception 'X' is already declared by 'a' in the throws clause of 'Run'"),
        ("exception X {}\nservice S { i32 Run() throws (1: X success) }", "scoot.thrift:2:36: 'success' is reserved for the return value and cannot name an exception"),
        ("exception X {}\nservice S { void Run() throws (1: X a, 1: X b) }", "scoot.thrift:2:45: duplicate field id 1 in the throws clause of 'S.Run': 'b' and 'a'"),
        ("service S { void Run(1: i32 a, 2: i32 a) }", "scoot.thrift:1:39: duplicate field name 'a' in the arguments of 'S.Run'"),
        ("struct Node {\n  1: optional Node next\n}", "scoot.thrift:1:8: 'Node' contains itself (Node -> Node); hold it in a list instead"),
        ("struct A { 1: B b }\nstruct B { 1: A a }", "scoot.thrift:1:8: 'A' contains itself (A -> B -> A); hold it in a list instead"),
    ])
    func semanticErrors(source: String, expected: String) {
        #expect(diagnostic(source) == expected)
    }

    @Test func recursionThroughAContainerIsAllowed() {
        #expect(diagnostic("struct Tree { 1: list<Tree> children }") == nil)
    }

    @Test(arguments: [
        ("struct String {}", "scoot.thrift:1:8: 'String' cannot name a type in the generated Swift: it would shadow a type the generated code uses"),
        ("struct Self {}", "scoot.thrift:1:8: 'Self' cannot name a type in the generated Swift: it would shadow a type the generated code uses"),
        ("struct SClient {}\nservice S {}", "scoot.thrift:2:9: service 'S' generates 'SClient', which clashes with the name defined at scoot.thrift:1:8"),
        ("enum E { FOO_BAR, FooBar }", "scoot.thrift:1:19: enum values 'FOO_BAR' and 'FooBar' both become the Swift case 'fooBar'"),
        ("enum E { RAW_VALUE }", "scoot.thrift:1:10: enum value 'RAW_VALUE' would become the Swift case 'rawValue', which clashes with a generated member"),
        ("enum E { UNRECOGNIZED }", "scoot.thrift:1:10: enum value 'UNRECOGNIZED' would become the Swift case 'unrecognized', which clashes with a generated member"),
        ("exception X { 1: string description }", "scoot.thrift:1:25: field name 'description' clashes with a member of the generated Swift type"),
        ("struct S { 1: i32 self }", "scoot.thrift:1:19: field name 'self' clashes with a member of the generated Swift type"),
        ("struct T {}\nstruct S { 1: T T }", "scoot.thrift:2:17: field name 'T' is also a type name, which the generated Swift cannot tell apart"),
        ("service S { void Get()\n void get() }", "scoot.thrift:2:7: methods 'Get' and 'get' both become the Swift function 'get'"),
    ])
    func namesTheGeneratedSwiftCannotUse(source: String, expected: String) {
        #expect(diagnostic(source) == expected)
    }
}
