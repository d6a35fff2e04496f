/// Checks what the grammar cannot: names are unique and resolve to the right kind of definition,
/// field ids and names are unique, defaults fit their fields, `extends` chains end, structs do
/// not contain themselves. Reports the first problem in source order.
public enum SemanticChecker {
    /// Checks `document` and returns it in a form the emitter accepts.
    public static func check(_ document: IDLDocument) throws(IDLError) -> CheckedDocument {
        try checkUniqueDefinitionNames(document)
        let checked = CheckedDocument(document: document)
        for definition in document.definitions {
            switch definition {
            case .enumeration(let enumeration):
                try checkEnum(enumeration)
            case .structure(let structure):
                try checkFields(structure.fields, in: "\(structure.kind == .struct ? "struct" : "exception") '\(structure.name)'", checked)
            case .service(let service):
                try checkService(service, checked)
            }
        }
        try checkNoRecursiveStructs(checked)
        return checked
    }

    private static func checkUniqueDefinitionNames(_ document: IDLDocument) throws(IDLError) {
        var seen: [String: SourceLocation] = [:]
        for definition in document.definitions {
            if let first = seen[definition.name] {
                throw IDLError("'\(definition.name)' is already defined at \(first)", at: definition.location)
            }
            seen[definition.name] = definition.location
        }
    }

    private static func checkEnum(_ enumeration: EnumDefinition) throws(IDLError) {
        var names: Set<String> = []
        var numbers: [Int32: String] = [:]
        for value in enumeration.values {
            guard names.insert(value.name).inserted else {
                throw IDLError("duplicate value name '\(value.name)' in enum '\(enumeration.name)'", at: value.location)
            }
            if let other = numbers[value.value] {
                throw IDLError("value \(value.value) of '\(value.name)' is already used by '\(other)' in enum '\(enumeration.name)'", at: value.location)
            }
            numbers[value.value] = value.name
        }
    }

    /// Checks a field list: unique ids and names, known types, defaults that fit.
    private static func checkFields(_ fields: [Field], in owner: String, _ checked: CheckedDocument) throws(IDLError) {
        var ids: [Int16: String] = [:]
        var names: Set<String> = []
        for field in fields {
            if let other = ids[field.id] {
                throw IDLError("duplicate field id \(field.id) in \(owner): '\(field.name)' and '\(other)'", at: field.location)
            }
            ids[field.id] = field.name
            guard names.insert(field.name).inserted else {
                throw IDLError("duplicate field name '\(field.name)' in \(owner)", at: field.location)
            }
            try checkType(field.type, usedAt: field.location, checked)
            if let defaultValue = field.defaultValue {
                try checkDefault(defaultValue, of: field, checked)
            }
        }
    }

    /// Named types must be enums, structs or exceptions; map keys must not be containers.
    /// `location` is where the field or method using the type is declared.
    private static func checkType(_ type: TypeReference, usedAt location: SourceLocation, _ checked: CheckedDocument) throws(IDLError) {
        switch type {
        case .bool, .byte, .i16, .i32, .i64, .double, .string, .binary:
            return
        case .list(let element), .set(let element):
            try checkType(element, usedAt: location, checked)
        case .map(let key, let value):
            try checkType(key, usedAt: location, checked)
            try checkType(value, usedAt: location, checked)
            switch key {
            case .list, .set, .map:
                throw IDLError("map keys cannot be containers (\(type.idlSpelling))", at: location)
            default:
                break
            }
        case .named(let name, let nameLocation):
            if checked.service(named: name) != nil {
                throw IDLError("'\(name)' is a service, not a type", at: nameLocation)
            }
            guard checked.enumeration(named: name) != nil || checked.structure(named: name) != nil else {
                throw IDLError("unknown type '\(name)'", at: nameLocation)
            }
        }
    }

    private static func checkDefault(_ defaultValue: DefaultValue, of field: Field, _ checked: CheckedDocument) throws(IDLError) {
        let mismatch = IDLError(
            "default value \(spelling(of: defaultValue.value)) does not match the type \(field.type.idlSpelling) of field '\(field.name)'",
            at: defaultValue.location)
        switch (field.type, defaultValue.value) {
        case (.bool, .bool), (.string, .string), (.binary, .string), (.double, .integer), (.double, .double):
            return
        case (.byte, .integer(let number)):
            guard Int8(exactly: number) != nil else { throw outOfRange(number, field, defaultValue) }
        case (.i16, .integer(let number)):
            guard Int16(exactly: number) != nil else { throw outOfRange(number, field, defaultValue) }
        case (.i32, .integer(let number)):
            guard Int32(exactly: number) != nil else { throw outOfRange(number, field, defaultValue) }
        case (.i64, .integer):
            return
        case (.named(let typeName, _), .identifier(let constant)):
            guard let enumeration = checked.enumeration(named: typeName) else {
                throw IDLError("default values are supported for base types and enums only, not for '\(typeName)'", at: defaultValue.location)
            }
            let parts = constant.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == typeName else {
                throw IDLError("default value '\(constant)' of field '\(field.name)' must be written \(typeName).<VALUE>", at: defaultValue.location)
            }
            guard enumeration.values.contains(where: { $0.name == parts[1] }) else {
                throw IDLError("enum '\(typeName)' has no value '\(parts[1])'", at: defaultValue.location)
            }
        case (.named(let typeName, _), _) where checked.enumeration(named: typeName) == nil:
            throw IDLError("default values are supported for base types and enums only, not for '\(typeName)'", at: defaultValue.location)
        case (.list, _), (.set, _), (.map, _):
            throw IDLError("default values are supported for base types and enums only, not for \(field.type.idlSpelling)", at: defaultValue.location)
        default:
            throw mismatch
        }
    }

    private static func outOfRange(_ number: Int64, _ field: Field, _ defaultValue: DefaultValue) -> IDLError {
        IDLError("default value \(number) does not fit in \(field.type.idlSpelling) field '\(field.name)'", at: defaultValue.location)
    }

    private static func spelling(of value: ConstantValue) -> String {
        switch value {
        case .bool(let flag): return String(flag)
        case .integer(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text): return "\"\(text)\""
        case .identifier(let name): return name
        }
    }

    private static func checkService(_ service: ServiceDefinition, _ checked: CheckedDocument) throws(IDLError) {
        if let parent = service.parent {
            guard checked.service(named: parent.name) != nil else {
                throw IDLError("unknown service '\(parent.name)'", at: parent.location)
            }
            var path = [service.name]
            var next = checked.service(named: parent.name)
            while let ancestor = next {
                path.append(ancestor.name)
                guard path.dropLast().contains(ancestor.name) == false else {
                    throw IDLError("services extend each other in a cycle: \(path.joined(separator: " -> "))", at: parent.location)
                }
                next = ancestor.parent.flatMap { checked.service(named: $0.name) }
            }
        }
        var methodNames: [String: String] = [:]
        for ancestor in checked.inheritanceChain(of: service) where ancestor.name != service.name {
            for method in ancestor.methods { methodNames[method.name] = ancestor.name }
        }
        for method in service.methods {
            if let owner = methodNames[method.name] {
                let place = owner == service.name ? "" : " (inherited from '\(owner)')"
                throw IDLError("duplicate method '\(method.name)' in service '\(service.name)'\(place)", at: method.location)
            }
            methodNames[method.name] = service.name
            try checkMethod(method, of: service, checked)
        }
    }

    private static func checkMethod(_ method: Method, of service: ServiceDefinition, _ checked: CheckedDocument) throws(IDLError) {
        if let returnType = method.returnType { try checkType(returnType, usedAt: method.location, checked) }
        try checkFields(method.arguments, in: "the arguments of '\(service.name).\(method.name)'", checked)
        try checkFields(method.exceptions, in: "the throws clause of '\(service.name).\(method.name)'", checked)
        var declaredTypes: [String: String] = [:]
        for exception in method.exceptions {
            guard case .named(let typeName, let location) = exception.type,
                  checked.structure(named: typeName)?.kind == .exception
            else {
                throw IDLError("'\(exception.type.idlSpelling)' in the throws clause of '\(method.name)' is not an exception", at: exception.location)
            }
            if let other = declaredTypes[typeName] {
                throw IDLError("exception '\(typeName)' is already declared by '\(other)' in the throws clause of '\(method.name)'", at: location)
            }
            declaredTypes[typeName] = exception.name
            if exception.name == "success" {
                throw IDLError("'success' is reserved for the return value and cannot name an exception", at: exception.location)
            }
        }
    }

    /// A struct that holds itself by value (not through a container) has no finite size in Swift.
    private static func checkNoRecursiveStructs(_ checked: CheckedDocument) throws(IDLError) {
        for case .structure(let root) in checked.document.definitions {
            var stack: [(structure: StructDefinition, path: [String])] = [(root, [root.name])]
            var visited: Set<String> = []
            while let (structure, path) = stack.popLast() {
                guard visited.insert(structure.name).inserted else { continue }
                for field in structure.fields {
                    guard case .named(let name, _) = field.type, let inner = checked.structure(named: name) else { continue }
                    if inner.name == root.name {
                        let cycle = (path + [root.name]).joined(separator: " -> ")
                        throw IDLError("'\(root.name)' contains itself (\(cycle)); hold it in a list instead", at: root.location)
                    }
                    stack.append((inner, path + [inner.name]))
                }
            }
        }
    }
}
