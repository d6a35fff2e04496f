/// Emits a service's handler protocol, message structs, processor and client. A service that
/// `extends` another reuses the parent's message structs and serves and calls its methods too.
struct ServiceEmitter {
    let service: ServiceDefinition
    let checked: CheckedDocument
    let types: SwiftTypeMapper

    private var name: String { service.name }

    /// Every method the processor serves and the client calls, root ancestor's first, each with
    /// the service that declares it.
    private var allMethods: [(owner: ServiceDefinition, method: Method)] {
        checked.inheritanceChain(of: service).flatMap { owner in owner.methods.map { (owner, $0) } }
    }

    func emit(into code: inout CodeWriter) {
        emitHandler(into: &code)
        code.line()
        emitMessages(into: &code)
        code.line()
        emitProcessor(into: &code)
        code.line()
        emitClient(into: &code)
    }

    // MARK: Handler

    private func emitHandler(into code: inout CodeWriter) {
        let parent = service.parent.map { "\($0.name)Handler" } ?? "Sendable"
        let note = "Implement it to serve `\(name)` through `\(name)Processor`."
        code.doc(service.doc.isEmpty ? ["The server side of the Thrift service `\(name)`. \(note)"] : service.doc + ["", note])
        code.block("public protocol \(name)Handler: \(parent)") { code in
            for (index, method) in service.methods.enumerated() {
                if index > 0 { code.line() }
                code.doc(method.doc.isEmpty ? ["Handles `\(method.name)`."] : method.doc)
                code.line("func \(signature(of: method))")
            }
        }
    }

    /// `runJob(job: JobDefinition) async throws -> JobId`.
    private func signature(of method: Method) -> String {
        let parameters = argumentFields(of: method).map { field in
            "\(SwiftNames.escaped(field.name)): \(types.swiftType(field.type))\(field.isOptional ? "?" : "")"
        }
        let returnClause = method.returnType.map { " -> \(types.swiftType($0))" } ?? ""
        return "\(SwiftNames.escaped(SwiftNames.methodName(method.name)))(\(parameters.joined(separator: ", "))) async throws\(returnClause)"
    }

    private func argumentFields(of method: Method) -> [FieldModel] {
        StructModelBuilder(types: types).argumentsModel(for: method).fields
    }

    // MARK: Messages

    private func emitMessages(into code: inout CodeWriter) {
        let builder = StructModelBuilder(types: types)
        code.doc(["The argument and result structs of `\(name)`'s methods, as they travel on the wire."])
        let emitters = service.methods.flatMap { method in
            [builder.argumentsModel(for: method), builder.resultModel(for: method)].map { StructEmitter(model: $0, types: types) }
        }
        code.block("public enum \(name)Messages") { code in
            for (index, emitter) in emitters.enumerated() {
                if index > 0 { code.line() }
                emitter.emitDeclaration(into: &code)
            }
        }
        // Extensions cannot be nested: the structs' members follow the enum.
        for emitter in emitters {
            code.line()
            emitter.emitExtension(of: "\(name)Messages.\(SwiftNames.escaped(emitter.model.name))", into: &code)
        }
    }

    private func messagesType(_ owner: ServiceDefinition, _ typeName: String) -> String {
        "\(owner.name)Messages.\(typeName)"
    }

    // MARK: Processor

    private func emitProcessor(into code: inout CodeWriter) {
        code.doc(["Serves `\(name)`: decodes each call, runs the matching `\(name)Handler` method and encodes its reply."])
        code.block("public struct \(name)Processor<Handler: \(name)Handler>: ThriftProcessor") { code in
            code.doc(["The implementation that answers calls."])
            code.line("public let handler: Handler")
            code.doc(["The limits applied to incoming messages."])
            code.line("public let limits: ThriftLimits")
            code.line()
            code.doc(["Creates a processor that passes calls to `handler`."])
            code.block("public init(handler: Handler, limits: ThriftLimits = .default)") { code in
                code.line("self.handler = handler")
                code.line("self.limits = limits")
            }
            code.line()
            code.block("public func process(_ message: [UInt8]) async -> ThriftProcessorResult") { code in
                code.line("let incoming: ThriftServerCall.Incoming")
                code.line("switch ThriftServerCall.parse(message, limits: limits) {")
                code.line("case .success(let parsed): incoming = parsed")
                code.line("case .failure(let failed): return failed.result")
                code.line("}")
                code.line("switch incoming.header.name {")
                for (owner, method) in allMethods {
                    code.line("case \(SwiftNames.stringLiteral(method.name)):")
                    code.indented { emitDispatch(of: method, in: owner, into: &$0) }
                }
                code.line("default:")
                code.indented { $0.line("return ThriftServerCall.unknownMethod(incoming)") }
                code.line("}")
            }
        }
    }

    /// Decodes the arguments, calls the handler and wraps its outcome in the result struct; an
    /// undeclared error escapes, and `ThriftServerCall.handle` answers it with INTERNAL_ERROR.
    private func emitDispatch(of method: Method, in owner: ServiceDefinition, into code: inout CodeWriter) {
        let arguments = argumentFields(of: method)
        let resultType = messagesType(owner, StructModelBuilder.resultTypeName(of: method))
        let argumentsType = messagesType(owner, StructModelBuilder.argumentsTypeName(of: method))
        let labels = arguments.map { "\(SwiftNames.argumentLabel($0.name)): args.\(SwiftNames.escaped($0.name))" }
        let call = "try await handler.\(SwiftNames.escaped(SwiftNames.methodName(method.name)))(\(labels.joined(separator: ", ")))"
        let parameter = arguments.isEmpty ? "_" : "args"
        let invoke: (inout CodeWriter) -> Void = { code in
            if method.returnType == nil {
                code.line(call)
                code.line("return \(resultType)()")
            } else {
                code.line("return \(resultType)(success: \(call))")
            }
        }
        code.line("return await ThriftServerCall.handle(incoming, arguments: \(argumentsType).self) { \(parameter) in")
        code.indented { code in
            guard !method.exceptions.isEmpty else {
                invoke(&code)
                return
            }
            code.line("do {")
            code.indented(invoke)
            for exception in method.exceptions {
                code.line("} catch let error as \(types.swiftType(exception.type)) {")
                code.indented { $0.line("return .init(\(SwiftNames.argumentLabel(exception.name)): error)") }
            }
            code.line("}")
        }
        code.line("}")
    }

    // MARK: Client

    private func emitClient(into code: inout CodeWriter) {
        code.doc(["Calls `\(name)` through a `ThriftCaller`: a network connection or, in tests, a loopback to a processor."])
        code.block("public struct \(name)Client: Sendable") { code in
            code.doc(["What sends the calls and returns the decoded replies."])
            code.line("public let caller: any ThriftCaller")
            code.line()
            code.doc(["Creates a client that sends calls through `caller`."])
            code.block("public init(caller: any ThriftCaller)") { code in
                code.line("self.caller = caller")
            }
            for (owner, method) in allMethods {
                code.line()
                emitClientMethod(method, in: owner, into: &code)
            }
        }
    }

    /// Sends the call, throws a declared exception the reply carries, else returns its value.
    private func emitClientMethod(_ method: Method, in owner: ServiceDefinition, into code: inout CodeWriter) {
        let arguments = argumentFields(of: method)
        let argumentNames = Set(arguments.map(\.name))
        let caller = argumentNames.contains("caller") ? "self.caller" : "caller"
        let result = SwiftNames.fresh("result", avoiding: argumentNames)
        let argumentsValue = messagesType(owner, StructModelBuilder.argumentsTypeName(of: method))
            + "(\(arguments.map { "\(SwiftNames.argumentLabel($0.name)): \(SwiftNames.escaped($0.name))" }.joined(separator: ", ")))"
        let resultType = messagesType(owner, StructModelBuilder.resultTypeName(of: method))
        var doc = method.doc.isEmpty ? ["Calls `\(method.name)`."] : method.doc
        if !method.exceptions.isEmpty {
            let declared = method.exceptions.map { "`\(types.swiftType($0.type))`" }.joined(separator: " or ")
            doc += ["", "- Throws: the declared \(declared); else `TApplicationException` or `ThriftTransportError`."]
        }
        code.doc(doc)
        code.block("public func \(signature(of: method))") { code in
            let needsResult = method.returnType != nil || !method.exceptions.isEmpty
            code.line("\(needsResult ? "let \(result)" : "_") = try await \(caller).call(")
            code.indented { code in
                code.line("method: \(SwiftNames.stringLiteral(method.name)), arguments: \(argumentsValue),")
                code.line("resultType: \(resultType).self)")
            }
            for exception in method.exceptions {
                code.line("if let error = \(result).\(SwiftNames.escaped(exception.name)) { throw error }")
            }
            if method.returnType != nil {
                code.line("if let success = \(result).success { return success }")
                code.line("throw TApplicationException(.missingResult, message: \(SwiftNames.stringLiteral("\(method.name) failed: unknown result")))")
            }
        }
    }
}
