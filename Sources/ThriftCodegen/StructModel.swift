/// How a field is stored in Swift and when it is encoded.
enum FieldStorage {
    /// Non-optional, always encoded; decoding fails without it. `initDefault` is the init's
    /// default argument, if the IDL gives one.
    case required(initDefault: String?)
    /// Optional, encoded only when set, `nil` when absent. `initDefault` is the init's default
    /// argument (the IDL default, else `nil`).
    case optional(initDefault: String?)
    /// Non-optional, always encoded; takes `value` when absent from the input.
    case defaulted(value: String)
}

/// One stored property of a generated struct.
struct FieldModel {
    var id: Int16
    /// The name in the IDL, which is also the Swift property name (escaped where emitted).
    var name: String
    var type: TypeReference
    var storage: FieldStorage
    var doc: [String]

    var isOptional: Bool {
        if case .optional = storage { return true }
        return false
    }
}

/// A struct to emit: an IDL struct or exception, or a method's argument or result struct.
struct StructModel {
    /// The Swift type name (unescaped).
    var name: String
    /// Whether the type is thrown (adds `Error` and a `description`).
    var isException: Bool
    var doc: [String]
    var fields: [FieldModel]
}

/// Builds `StructModel`s, applying the requiredness rules of the generated API.
struct StructModelBuilder {
    let types: SwiftTypeMapper

    /// An IDL struct or exception. Default-requiredness enum and struct fields become optional.
    func model(for structure: StructDefinition) -> StructModel {
        let what = structure.kind == .struct ? "struct" : "exception"
        return StructModel(
            name: structure.name,
            isException: structure.kind == .exception,
            doc: structure.doc.isEmpty ? ["The Thrift \(what) `\(structure.name)`."] : structure.doc,
            fields: structure.fields.map { field(for: $0, argument: false) })
    }

    /// The argument struct of `method`. Default-requiredness enum and struct arguments are required.
    func argumentsModel(for method: Method) -> StructModel {
        StructModel(
            name: Self.argumentsTypeName(of: method),
            isException: false,
            doc: ["The arguments of `\(method.name)`, as sent in its CALL message."],
            fields: method.arguments.map { field(for: $0, argument: true) })
    }

    /// The result struct of `method`: `success` (id 0, absent for `void`) and one optional field
    /// per declared exception; exactly one is set in a reply.
    func resultModel(for method: Method) -> StructModel {
        var fields: [FieldModel] = []
        if let returnType = method.returnType {
            fields.append(FieldModel(
                id: 0, name: "success", type: returnType, storage: .optional(initDefault: nil),
                doc: ["The return value, when the call succeeded."]))
        }
        for exception in method.exceptions {
            fields.append(FieldModel(
                id: exception.id, name: exception.name, type: exception.type, storage: .optional(initDefault: nil),
                doc: exception.doc.isEmpty ? ["Set when the handler threw `\(exception.type.idlSpelling)`."] : exception.doc))
        }
        return StructModel(
            name: Self.resultTypeName(of: method),
            isException: false,
            doc: ["The reply to `\(method.name)`: \(Self.resultContents(of: method))."],
            fields: fields)
    }

    private static func resultContents(of method: Method) -> String {
        switch (method.returnType != nil, !method.exceptions.isEmpty) {
        case (true, true): return "its return value or one of its declared exceptions"
        case (true, false): return "its return value"
        case (false, true): return "empty on success, else one of its declared exceptions"
        case (false, false): return "always empty"
        }
    }

    static func argumentsTypeName(of method: Method) -> String {
        SwiftNames.uppercasingFirstLetter(method.name) + "Arguments"
    }

    static func resultTypeName(of method: Method) -> String {
        SwiftNames.uppercasingFirstLetter(method.name) + "Result"
    }

    private func field(for field: Field, argument: Bool) -> FieldModel {
        let idlDefault = field.defaultValue.map { types.constant($0.value, for: field.type) }
        let storage: FieldStorage
        switch field.requiredness {
        case .required:
            storage = .required(initDefault: idlDefault)
        case .optional:
            storage = .optional(initDefault: idlDefault)
        case .default:
            if let idlDefault {
                storage = .defaulted(value: idlDefault)
            } else if types.isEnum(field.type) || types.isStruct(field.type) {
                storage = argument ? .required(initDefault: nil) : .optional(initDefault: nil)
            } else {
                storage = .defaulted(value: types.zeroValue(field.type))
            }
        }
        let what = argument ? "argument" : "field"
        return FieldModel(
            id: field.id, name: field.name, type: field.type, storage: storage,
            doc: field.doc.isEmpty ? ["The `\(field.name)` \(what) (id \(field.id))."] : field.doc)
    }
}
