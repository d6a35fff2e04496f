/// A parsed IDL file: its definitions in source order (`namespace` lines are dropped).
public struct IDLDocument: Hashable, Sendable {
    /// The file name diagnostics and the generated header refer to.
    public var fileName: String
    /// Enums, structs, exceptions and services, in the order they appear.
    public var definitions: [Definition]

    /// Creates a document.
    public init(fileName: String, definitions: [Definition]) {
        self.fileName = fileName
        self.definitions = definitions
    }
}

/// One top-level definition.
public enum Definition: Hashable, Sendable {
    case enumeration(EnumDefinition)
    /// A `struct` or an `exception`.
    case structure(StructDefinition)
    case service(ServiceDefinition)

    /// The defined name.
    public var name: String {
        switch self {
        case .enumeration(let definition): return definition.name
        case .structure(let definition): return definition.name
        case .service(let definition): return definition.name
        }
    }

    /// Where the name is written.
    public var location: SourceLocation {
        switch self {
        case .enumeration(let definition): return definition.location
        case .structure(let definition): return definition.location
        case .service(let definition): return definition.location
        }
    }
}

/// `enum Name { A = 1, B }`: values without `=` continue from the previous value (the first is 0).
public struct EnumDefinition: Hashable, Sendable {
    public var name: String
    public var values: [EnumValue]
    /// The comment written above the definition, one entry per line; empty when there is none.
    public var doc: [String]
    public var location: SourceLocation

    /// Creates an enum definition.
    public init(name: String, values: [EnumValue], doc: [String], location: SourceLocation) {
        self.name = name
        self.values = values
        self.doc = doc
        self.location = location
    }
}

/// One named value of an enum, with its explicit or implied number.
public struct EnumValue: Hashable, Sendable {
    public var name: String
    public var value: Int32
    /// The comment above or after the value.
    public var doc: [String]
    public var location: SourceLocation

    /// Creates an enum value.
    public init(name: String, value: Int32, doc: [String], location: SourceLocation) {
        self.name = name
        self.value = value
        self.doc = doc
        self.location = location
    }
}

/// A `struct` or an `exception`: both are field lists on the wire.
public struct StructDefinition: Hashable, Sendable {
    /// Which keyword introduced the definition.
    public enum Kind: Hashable, Sendable {
        case `struct`
        case exception
    }

    public var kind: Kind
    public var name: String
    public var fields: [Field]
    /// The comment above the definition.
    public var doc: [String]
    public var location: SourceLocation

    /// Creates a struct or exception definition.
    public init(kind: Kind, name: String, fields: [Field], doc: [String], location: SourceLocation) {
        self.kind = kind
        self.name = name
        self.fields = fields
        self.doc = doc
        self.location = location
    }
}

/// Whether a field must, may or by default is sent.
public enum Requiredness: Hashable, Sendable {
    /// `required`: always written; a decoder rejects a struct without it.
    case required
    /// `optional`: written only when set.
    case optional
    /// Neither keyword ("default requiredness").
    case `default`
}

/// A numbered field of a struct, exception, argument list or `throws` list.
public struct Field: Hashable, Sendable {
    public var id: Int16
    public var name: String
    public var requiredness: Requiredness
    public var type: TypeReference
    /// The `= value` after the name, if any.
    public var defaultValue: DefaultValue?
    /// The comment above or after the field.
    public var doc: [String]
    public var location: SourceLocation

    /// Creates a field.
    public init(
        id: Int16, name: String, requiredness: Requiredness, type: TypeReference,
        defaultValue: DefaultValue?, doc: [String], location: SourceLocation
    ) {
        self.id = id
        self.name = name
        self.requiredness = requiredness
        self.type = type
        self.defaultValue = defaultValue
        self.doc = doc
        self.location = location
    }
}

/// A field's type as written in the IDL.
public indirect enum TypeReference: Hashable, Sendable {
    case bool
    /// `byte` or its alias `i8`.
    case byte
    case i16
    case i32
    case i64
    case double
    case string
    case binary
    case list(TypeReference)
    case set(TypeReference)
    case map(key: TypeReference, value: TypeReference)
    /// An enum, struct or exception, resolved by the semantic check.
    case named(String, SourceLocation)

    /// A list, set or map.
    public var isContainer: Bool {
        switch self {
        case .list, .set, .map: return true
        default: return false
        }
    }

    /// The type as the IDL spells it, for diagnostics.
    public var idlSpelling: String {
        switch self {
        case .bool: return "bool"
        case .byte: return "byte"
        case .i16: return "i16"
        case .i32: return "i32"
        case .i64: return "i64"
        case .double: return "double"
        case .string: return "string"
        case .binary: return "binary"
        case .list(let element): return "list<\(element.idlSpelling)>"
        case .set(let element): return "set<\(element.idlSpelling)>"
        case .map(let key, let value): return "map<\(key.idlSpelling), \(value.idlSpelling)>"
        case .named(let name, _): return name
        }
    }
}

/// A literal after `=`: `3`, `-1`, `1.5`, `"x"`, `true`, or `EnumName.VALUE` (an identifier).
public enum ConstantValue: Hashable, Sendable {
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case identifier(String)
}

/// A field's default value and where it is written.
public struct DefaultValue: Hashable, Sendable {
    public var value: ConstantValue
    public var location: SourceLocation

    /// Creates a default value.
    public init(value: ConstantValue, location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// `service Name extends Parent { … }`.
public struct ServiceDefinition: Hashable, Sendable {
    public var name: String
    /// The service named after `extends`, if any.
    public var parent: ServiceReference?
    public var methods: [Method]
    /// The comment above the definition.
    public var doc: [String]
    public var location: SourceLocation

    /// Creates a service definition.
    public init(name: String, parent: ServiceReference?, methods: [Method], doc: [String], location: SourceLocation) {
        self.name = name
        self.parent = parent
        self.methods = methods
        self.doc = doc
        self.location = location
    }
}

/// A service name used after `extends`, and where it is written.
public struct ServiceReference: Hashable, Sendable {
    public var name: String
    public var location: SourceLocation

    /// Creates a reference.
    public init(name: String, location: SourceLocation) {
        self.name = name
        self.location = location
    }
}

/// `RetType Name(1: type arg, …) throws (1: Exc name, …)`.
public struct Method: Hashable, Sendable {
    public var name: String
    /// The return type; `nil` for `void`.
    public var returnType: TypeReference?
    public var arguments: [Field]
    /// The declared exceptions, as fields of the result struct.
    public var exceptions: [Field]
    /// The comment above the method.
    public var doc: [String]
    public var location: SourceLocation

    /// Creates a method.
    public init(
        name: String, returnType: TypeReference?, arguments: [Field], exceptions: [Field],
        doc: [String], location: SourceLocation
    ) {
        self.name = name
        self.returnType = returnType
        self.arguments = arguments
        self.exceptions = exceptions
        self.doc = doc
        self.location = location
    }
}
