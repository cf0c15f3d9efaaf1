import YAML

/// One object read from a manifest file: always its identity and source node; `object` when the kind is known.
public struct LoadedObject: Sendable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var namespace: String?
    /// The document as written (marks intact), also what is applied for kinds without a Swift type.
    public var node: Node
    /// The typed object, for kinds in `ObjectRegistry`.
    public var object: (any KubernetesObject)?
    public var file: String
}

/// What reading a manifest file produced: the objects that decoded and every problem found.
public struct LoadedManifests: Sendable {
    public var objects: [LoadedObject] = []
    public var diagnostics: [Diagnostic] = []

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Reads multi-document manifest files into typed objects, with `file:line:col` diagnostics for schema and
/// validation problems. Unknown kinds are preserved, not rejected.
public enum ManifestLoader {
    public static func load(_ text: String, file: String) -> LoadedManifests {
        var result = LoadedManifests()
        let documents: [YAMLDocument]
        do {
            documents = try YAMLParser.parse(text, file: file)
        } catch {
            result.diagnostics += diagnostics(from: error, file: file)
            return result
        }
        for document in documents where !document.node.isNull {
            load(document.node, file: file, into: &result)
        }
        return result
    }

    /// Reads one document already parsed (for example from a scenario's inline manifests).
    public static func load(_ node: Node, file: String, into result: inout LoadedManifests) {
        guard case .mapping = node else {
            result.diagnostics.append(
                Diagnostic(
                    file: file,
                    mark: node.mark,
                    message: "a manifest must be a mapping with apiVersion and kind"
                )
            )
            return
        }
        let context = ValidationContext(file: file, node: node)
        guard let apiVersion = node["apiVersion"]?.scalarValue, !apiVersion.isEmpty else {
            result.diagnostics.append(context.error(["apiVersion"], "missing apiVersion"))
            return
        }
        guard let kind = node["kind"]?.scalarValue, !kind.isEmpty else {
            result.diagnostics.append(context.error(["kind"], "missing kind"))
            return
        }
        let name = node.find(["metadata", "name"])?.scalarValue ?? ""
        var loaded = LoadedObject(
            apiVersion: apiVersion,
            kind: kind,
            name: name,
            namespace: node.find(["metadata", "namespace"])?.scalarValue,
            node: node,
            object: nil,
            file: file
        )
        if let type = ObjectRegistry.type(forKind: kind), group(of: apiVersion) == group(of: type.apiVersion) {
            guard type.acceptedAPIVersions.contains(apiVersion) else {
                let accepted = type.acceptedAPIVersions.joined(separator: ", ")
                result.diagnostics.append(
                    context.error(
                        ["apiVersion"],
                        "\(kind) with apiVersion \(apiVersion) is not supported; use \(accepted)"
                    )
                )
                return
            }
            do {
                let object = try decode(type, from: node, file: file)
                loaded.object = object
                if let validatable = object as? any Validatable {
                    result.diagnostics += validatable.validate(context)
                }
            } catch {
                result.diagnostics += diagnostics(from: error, file: file)
                // Unknown keys alone do not hide the semantic checks: decode again without rejecting them so
                // `validate` still reports its problems (e.g. a typo and `stepWeight: 0` in one Canary).
                if let lenient = try? decode(type, from: node, file: file, rejectUnknownKeys: false),
                    let validatable = lenient as? any Validatable
                {
                    result.diagnostics += validatable.validate(context)
                }
            }
        }
        result.objects.append(loaded)
    }

    private static func decode<T: KubernetesObject>(
        _ type: T.Type,
        from node: Node,
        file: String,
        rejectUnknownKeys: Bool = true
    ) throws -> T {
        try YAMLDecoder(file: file, rejectUnknownKeys: rejectUnknownKeys).decode(T.self, from: node)
    }

    /// The API group of an apiVersion (`apps/v1` → `apps`, `v1` → the core group "").
    private static func group(of apiVersion: String) -> String {
        guard let slash = apiVersion.lastIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }

    static func diagnostics(from error: any Error, file: String) -> [Diagnostic] {
        switch error {
        case let many as Diagnostics: many.items
        case let one as Diagnostic: [one]
        default: [Diagnostic(file: file, mark: Mark(line: 1, column: 1), message: "\(error)")]
        }
    }
}
