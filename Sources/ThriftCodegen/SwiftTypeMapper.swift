/// How IDL types appear in generated Swift: type names, wire types, the reader and writer calls
/// for non-container values, zero values and default constants.
struct SwiftTypeMapper {
    let checked: CheckedDocument

    /// Whether `type` names an enum (an i32 on the wire).
    func isEnum(_ type: TypeReference) -> Bool {
        guard case .named(let name, _) = type else { return false }
        return checked.enumeration(named: name) != nil
    }

    /// Whether `type` names a struct or an exception.
    func isStruct(_ type: TypeReference) -> Bool {
        guard case .named(let name, _) = type else { return false }
        return checked.structure(named: name) != nil
    }

    /// The Swift type: `Int32`, `[String]`, `ThriftSet<Int64>`, `ThriftMap<String, RunStatus>`, …
    /// Sets and maps whose elements or keys have an order (`isOrdered`) are the sorted
    /// `ThriftSet` and `ThriftMap`, so that equal values encode to the same bytes; others (struct
    /// or container keys) are Swift's `Set` and `Dictionary`, written in iteration order.
    func swiftType(_ type: TypeReference) -> String {
        switch type {
        case .bool: return "Bool"
        case .byte: return "Int8"
        case .i16: return "Int16"
        case .i32: return "Int32"
        case .i64: return "Int64"
        case .double: return "Double"
        case .string: return "String"
        case .binary: return "[UInt8]"
        case .list(let element): return "[\(swiftType(element))]"
        case .set(let element):
            return isOrdered(element) ? "ThriftSet<\(swiftType(element))>" : "Set<\(swiftType(element))>"
        case .map(let key, let value):
            return isOrdered(key) ? "ThriftMap<\(swiftType(key)), \(swiftType(value))>" : "[\(swiftType(key)): \(swiftType(value))]"
        case .named(let name, _): return SwiftNames.escaped(name)
        }
    }

    /// The `ThriftType` case written before the value, e.g. `.i32` (enums are i32, binary is string).
    func wireType(_ type: TypeReference) -> String {
        switch type {
        case .bool: return ".bool"
        case .byte: return ".byte"
        case .i16: return ".i16"
        case .i32: return ".i32"
        case .i64: return ".i64"
        case .double: return ".double"
        case .string, .binary: return ".string"
        case .list: return ".list"
        case .set: return ".set"
        case .map: return ".map"
        case .named: return isEnum(type) ? ".i32" : ".struct"
        }
    }

    /// An expression reading a non-container value from `reader`.
    func readExpression(_ type: TypeReference) -> String {
        switch type {
        case .bool: return "try reader.readBool()"
        case .byte: return "try reader.readByte()"
        case .i16: return "try reader.readI16()"
        case .i32: return "try reader.readI32()"
        case .i64: return "try reader.readI64()"
        case .double: return "try reader.readDouble()"
        case .string: return "try reader.readString()"
        case .binary: return "try reader.readBinary()"
        case .named where isEnum(type): return "\(swiftType(type))(rawValue: try reader.readI32())"
        case .named: return "try reader.readStruct(\(swiftType(type)).self)"
        case .list, .set, .map: preconditionFailure("containers are read by statements, not an expression")
        }
    }

    /// A statement writing the non-container `value` to `writer`.
    func writeStatement(_ type: TypeReference, value: String) -> String {
        switch type {
        case .bool: return "writer.writeBool(\(value))"
        case .byte: return "writer.writeByte(\(value))"
        case .i16: return "writer.writeI16(\(value))"
        case .i32: return "writer.writeI32(\(value))"
        case .i64: return "writer.writeI64(\(value))"
        case .double: return "writer.writeDouble(\(value))"
        case .string: return "writer.writeString(\(value))"
        case .binary: return "writer.writeBinary(\(value))"
        case .named where isEnum(type): return "writer.writeI32(\(value).rawValue)"
        case .named: return "writer.writeStruct(\(value))"
        case .list, .set, .map: preconditionFailure("containers are written by statements, not one call")
        }
    }

    /// The value a default-requiredness base or container field has when absent.
    func zeroValue(_ type: TypeReference) -> String {
        switch type {
        case .bool: return "false"
        case .byte, .i16, .i32, .i64, .double: return "0"
        case .string: return "\"\""
        case .binary, .list, .set: return "[]"
        case .map: return "[:]"
        case .named: preconditionFailure("enum and struct fields have no zero value")
        }
    }

    /// The Swift expression for a checked default value of a field of type `type`.
    func constant(_ value: ConstantValue, for type: TypeReference) -> String {
        switch value {
        case .bool(let flag): return String(flag)
        case .integer(let number): return type == .double ? String(Double(number)) : String(number)
        case .double(let number): return String(number)
        case .string(let text): return type == .binary ? "Array(\(SwiftNames.stringLiteral(text)).utf8)" : SwiftNames.stringLiteral(text)
        case .identifier(let qualified):
            let valueName = String(qualified.split(separator: ".").last ?? "")
            return "\(swiftType(type)).\(SwiftNames.escaped(SwiftNames.enumCaseName(valueName)))"
        }
    }

    /// Whether values of `type` are a `ThriftOrderedKey` in Swift (base types, binary and enums),
    /// so that sets and maps of them are kept sorted.
    func isOrdered(_ type: TypeReference) -> Bool {
        switch type {
        case .bool, .byte, .i16, .i32, .i64, .double, .string, .binary: return true
        case .named: return isEnum(type)
        case .list, .set, .map: return false
        }
    }

    /// The bytes every value of `type` takes on the wire, or `nil` when it varies.
    func fixedSize(_ type: TypeReference) -> Int? {
        switch type {
        case .bool, .byte: return 1
        case .i16: return 2
        case .i32: return 4
        case .i64, .double: return 8
        case .named where isEnum(type): return 4
        case .string, .binary, .named, .list, .set, .map: return nil
        }
    }
}
