import Testing
@testable import ThriftCodegen

/// The parser accepts every construct of the supported IDL subset and records what it means.
@Suite struct ParserTests {
    private func parse(_ source: String) throws -> IDLDocument {
        try Parser.parse(source, fileName: "test.thrift")
    }

    private struct NotAStruct: Error {}

    /// The first definition of `source`, which must be a struct or exception.
    private func structure(_ source: String) throws -> StructDefinition {
        guard case .structure(let structure)? = try parse(source).definitions.first else { throw NotAStruct() }
        return structure
    }

    @Test func namespacesAreIgnored() throws {
        let document = try parse("namespace go scoot\nnamespace * com.example.scoot\nnamespace py.twisted x")
        #expect(document.definitions.isEmpty)
    }

    @Test func enumValuesAreExplicitOrContinueFromThePreviousOne() throws {
        let document = try parse("enum E { A, B = 5; C\n D = -1 E F = 0x10 }")
        guard case .enumeration(let enumeration)? = document.definitions.first else {
            Issue.record("expected an enum")
            return
        }
        #expect(enumeration.name == "E")
        #expect(enumeration.values.map(\.name) == ["A", "B", "C", "D", "E", "F"])
        #expect(enumeration.values.map(\.value) == [0, 5, 6, -1, 0, 16])
    }

    @Test func fieldsHaveIdsRequirednessTypesAndNames() throws {
        let structure = try structure("""
            struct S {
              1: required i32 a,
              2: optional string b;
              3: list<map<string, set<i64>>> c
              4: i8 d 5: byte e 6: binary f 7: double g 8: bool h 9: i16 i
              10: Other j
            }
            struct Other {}
            """)
        #expect(structure.kind == .struct)
        #expect(structure.fields.map(\.id) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(structure.fields.map(\.name) == ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"])
        #expect(structure.fields.map(\.requiredness) == [.required, .optional] + Array(repeating: .default, count: 8))
        #expect(structure.fields[2].type == .list(.map(key: .string, value: .set(.i64))))
        #expect(structure.fields[3].type == .byte)
        #expect(structure.fields[4].type == .byte)
        #expect(structure.fields[5].type == .binary)
        #expect(structure.fields[9].type.idlSpelling == "Other")
    }

    @Test func nestedClosingAnglesNeedNoSpace() throws {
        let structure = try structure("struct S { 1: list<list<i32>> matrix }")
        #expect(structure.fields[0].type == .list(.list(.i32)))
    }

    @Test func defaultValuesOfEveryKind() throws {
        let structure = try structure("""
            struct S {
              1: i32 a = 3
              2: i64 b = -1
              3: double c = 1.5
              4: string d = "x\\t\\"y\\""
              5: bool e = true
              6: bool f = false
              7: E g = E.VALUE
              8: string h = 'single'
              9: double i = 2e3
            }
            """)
        #expect(structure.fields.map { $0.defaultValue?.value } == [
            .integer(3), .integer(-1), .double(1.5), .string("x\t\"y\""), .bool(true), .bool(false),
            .identifier("E.VALUE"), .string("single"), .double(2000),
        ])
        #expect(structure.fields[0].defaultValue?.location == SourceLocation(file: "test.thrift", line: 2, column: 14))
    }

    @Test func exceptionsAreStructsOfAnotherKind() throws {
        let structure = try structure("exception Oops { 1: optional string message }")
        #expect(structure.kind == .exception)
        #expect(structure.name == "Oops")
    }

    @Test func servicesWithMethodsThrowsClausesAndExtends() throws {
        let document = try parse("""
            service Parent { void Ping() }
            service Child extends Parent {
              JobId RunJob(1: JobDefinition job, 2: i32 priority) throws (1: InvalidRequest ir, 2: CanNotScheduleNow cnsn),
              void Stop (1: string id);
              map<string, i32> Loads()
            }
            """)
        guard case .service(let parent) = document.definitions[0], case .service(let child) = document.definitions[1] else {
            Issue.record("expected two services")
            return
        }
        #expect(parent.parent == nil)
        #expect(parent.methods.map(\.name) == ["Ping"])
        #expect(parent.methods[0].returnType == nil)
        #expect(child.parent?.name == "Parent")
        #expect(child.parent?.location == SourceLocation(file: "test.thrift", line: 2, column: 23))
        #expect(child.methods.map(\.name) == ["RunJob", "Stop", "Loads"])
        let runJob = child.methods[0]
        #expect(runJob.returnType?.idlSpelling == "JobId")
        #expect(runJob.arguments.map(\.name) == ["job", "priority"])
        #expect(runJob.arguments.map(\.id) == [1, 2])
        #expect(runJob.exceptions.map(\.name) == ["ir", "cnsn"])
        #expect(runJob.exceptions.map(\.type.idlSpelling) == ["InvalidRequest", "CanNotScheduleNow"])
        #expect(child.methods[1].returnType == nil)
        #expect(child.methods[2].returnType == .map(key: .string, value: .i32))
        #expect(child.methods[2].arguments.isEmpty)
    }

    @Test func commentsOfEveryStyleAreSkipped() throws {
        let document = try parse("""
            # hash
            // slashes
            /* block
               over lines */
            struct /* inline */ S { // trailing
              1: i32 a # after a field
            }
            """)
        #expect(document.definitions.map(\.name) == ["S"])
    }

    @Test func commentsDirectlyAboveBecomeDocumentation() throws {
        let document = try parse("""
            # File header, separated by a blank line: not documentation.

            /**
             * The struct.
             *
             * Second paragraph.
             */
            struct S {
              /// The first field.
              1: i32 a
              2: i32 b  # The second field, trailing.
              // The third field,
              // over two lines.
              3: i32 c
              4: i32 d
            }
            enum E {
              A = 1  // The A value.
              # The B value.
              B = 2
            }
            """)
        guard case .structure(let structure) = document.definitions[0], case .enumeration(let enumeration) = document.definitions[1] else {
            Issue.record("expected a struct and an enum")
            return
        }
        #expect(structure.doc == ["The struct.", "", "Second paragraph."])
        #expect(structure.fields.map(\.doc) == [["The first field."], ["The second field, trailing."], ["The third field,", "over two lines."], []])
        #expect(enumeration.doc.isEmpty)
        #expect(enumeration.values.map(\.doc) == [["The A value."], ["The B value."]])
    }

    @Test func locationsCountLinesAndColumnsFromOne() throws {
        let structure = try structure("\n\n  struct Located {\n\t1: i32 field\n}")
        #expect(structure.location == SourceLocation(file: "test.thrift", line: 3, column: 10))
        #expect(structure.fields[0].location == SourceLocation(file: "test.thrift", line: 4, column: 9))
    }
}
