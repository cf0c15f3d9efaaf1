/// The `Decoder` over one node; every container and error knows the node, so errors carry its mark.
struct NodeDecoder: Decoder {
    let node: Node
    let context: DecodingContext
    let codingPath: [any CodingKey]

    var userInfo: [CodingUserInfoKey: Any] { context.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch node {
        case .mapping(let pairs, _):
            let usage = context.usage(of: node, at: codingPath)
            return KeyedDecodingContainer(KeyedNodeContainer<Key>(decoder: self, pairs: pairs, usage: usage))
        case .scalar where node.isNull:
            // `key:` with nothing after it reads as an empty mapping, so only required keys are reported.
            return KeyedDecodingContainer(KeyedNodeContainer<Key>(decoder: self, pairs: [], usage: nil))
        default:
            throw mismatch("a mapping")
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch node {
        case .sequence(let items, _):
            return UnkeyedNodeContainer(decoder: self, items: items)
        case .scalar where node.isNull:
            return UnkeyedNodeContainer(decoder: self, items: [])
        default:
            throw mismatch("a sequence")
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueNodeContainer(decoder: self)
    }

    /// A decoder for a child node one coding key further down.
    func child(_ node: Node, key: any CodingKey) -> NodeDecoder {
        NodeDecoder(node: node, context: context, codingPath: codingPath + [key])
    }

    /// Decodes this decoder's node as `T`: scalars by the target type under YAML 1.2 core rules, `Node` as the
    /// raw subtree, anything else through `T.init(from:)` with foreign errors converted to diagnostics here.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if type == Node.self || type is any YAMLTolerantDecodable.Type {
            context.tolerateUnknownKeys(below: codingPath)
        }
        if let value = try decodeScalar(type) { return value }
        let checkpoint = context.checkpoint
        do {
            return try T(from: self)
        } catch {
            context.rollBack(to: checkpoint)
            throw converted(error, decoding: type)
        }
    }

    /// A foreign error from `T.init(from:)` as a diagnostic at the right node; diagnostics pass through.
    private func converted<T>(_ error: any Error, decoding type: T.Type) -> any Error {
        switch error {
        case is Diagnostic, is Diagnostics:
            return error
        case let error as DecodingError:
            // A raw-value enum given a value it does not know: list the ones it does.
            if case .dataCorrupted = error, node.scalarValue != nil, let allowed = Self.allowedValues(type) {
                return mismatch("one of \(allowed.joined(separator: ", "))")
            }
            return diagnostic(for: error)
        default:
            return context.diagnostic(String(describing: error), at: node, path: codingPath)
        }
    }

    func mismatch(_ expected: String, hint: String? = nil) -> Diagnostic {
        var message = "expected \(expected), found \(Self.describe(node))"
        if let hint { message += " (\(hint))" }
        return context.diagnostic(message, at: node, path: codingPath)
    }

    /// Places a `DecodingError` thrown by a custom `init(from:)` at the node its coding path names.
    private func diagnostic(for error: DecodingError) -> Diagnostic {
        let errorContext: DecodingError.Context
        var message: String
        switch error {
        case .keyNotFound(let key, let context):
            errorContext = context
            message = "missing required key '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            errorContext = context
            message = context.debugDescription
        @unknown default:
            return context.diagnostic(String(describing: error), at: node, path: codingPath)
        }
        if let underlying = errorContext.underlyingError { message += ": \(underlying)" }
        let relative =
            errorContext.codingPath.starts(with: codingPath, by: { $0.stringValue == $1.stringValue })
            ? Array(errorContext.codingPath.dropFirst(codingPath.count)) : []
        let target = CodingPath.node(at: relative, from: node)
        return context.diagnostic(message, at: target, path: codingPath + relative)
    }

    /// The raw values of a `CaseIterable` enum (`prometheus, datadog`), for "expected one of" messages.
    private static func allowedValues<T>(_ type: T.Type) -> [String]? {
        guard let caseType = type as? any CaseIterable.Type else { return nil }
        func names<C: CaseIterable>(_ type: C.Type) -> [String] {
            type.allCases.map { value in
                guard let raw = value as? any RawRepresentable else { return "\(value)" }
                return "\(raw.rawValue)"
            }
        }
        let allowed = names(caseType)
        return allowed.isEmpty ? nil : allowed
    }

    /// How a node looks in an error message: `"ten"`, `an empty value`, `a mapping`.
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .scalar(let scalar):
            if scalar.value.isEmpty && scalar.style == .plain { return "an empty value" }
            var text = scalar.value
            if text.count > 60 { text = String(text.prefix(57)) + "..." }
            var quoted = "\""
            for character in text.unicodeScalars {
                switch character {
                case "\"": quoted += "\\\""
                case "\\": quoted += "\\\\"
                case "\n": quoted += "\\n"
                case "\t": quoted += "\\t"
                default: quoted.unicodeScalars.append(character)
                }
            }
            return quoted + "\""
        }
    }
}
