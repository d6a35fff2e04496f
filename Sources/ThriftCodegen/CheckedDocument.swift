/// A document that passed `SemanticChecker`: every type and service name resolves, ids and names
/// are unique, defaults match their fields. The emitter only ever sees checked documents.
public struct CheckedDocument: Sendable {
    /// The document as parsed.
    public let document: IDLDocument
    private let enumsByName: [String: EnumDefinition]
    private let structsByName: [String: StructDefinition]
    private let servicesByName: [String: ServiceDefinition]

    init(document: IDLDocument) {
        self.document = document
        var enums: [String: EnumDefinition] = [:]
        var structs: [String: StructDefinition] = [:]
        var services: [String: ServiceDefinition] = [:]
        for definition in document.definitions {
            switch definition {
            case .enumeration(let enumeration): enums[enumeration.name] = enumeration
            case .structure(let structure): structs[structure.name] = structure
            case .service(let service): services[service.name] = service
            }
        }
        enumsByName = enums
        structsByName = structs
        servicesByName = services
    }

    /// The enum called `name`, if that is what the name refers to.
    public func enumeration(named name: String) -> EnumDefinition? { enumsByName[name] }

    /// The struct or exception called `name`, if that is what the name refers to.
    public func structure(named name: String) -> StructDefinition? { structsByName[name] }

    /// The service called `name`, if that is what the name refers to.
    public func service(named name: String) -> ServiceDefinition? { servicesByName[name] }

    /// `service` preceded by the services it extends, the root ancestor first.
    public func inheritanceChain(of service: ServiceDefinition) -> [ServiceDefinition] {
        var chain = [service]
        while let parent = chain[0].parent.flatMap({ servicesByName[$0.name] }) {
            chain.insert(parent, at: 0)
        }
        return chain
    }
}
