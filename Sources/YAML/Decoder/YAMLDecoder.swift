/// Decodes `Decodable` types from YAML, typing scalars by the target type under YAML 1.2 core rules.
///
/// - `Int` (and other integers) accept only plain core-schema integers: `12`, `0x1F`, `0o17`; not `1e3`, not `"12"`.
/// - `Double` accepts plain integers and floats. `Bool` accepts `true`/`false` (any case variant the core schema
///   allows); `yes`/`on` are rejected with a hint. `String` accepts any scalar exactly as written (`6.0`, `NO`).
/// - A plain `null`/`~`/empty value decodes as `nil`; an absent key of an `Optional` property too.
///
/// Every error is a ``Diagnostics`` whose items read `file:line:col: error: spec.replicas: expected an integer,
/// found "three"`. When `rejectUnknownKeys` is on, a successful decode still fails if the document has keys no
/// type read, listing all of them with a "did you mean" suggestion when one is close.
public struct YAMLDecoder: Sendable {
    /// The file name used in diagnostics.
    public var file: String
    public var rejectUnknownKeys: Bool
    /// Passed to `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init(file: String, rejectUnknownKeys: Bool = true) {
        self.file = file
        self.rejectUnknownKeys = rejectUnknownKeys
    }

    /// Decodes a value from a parsed node (marks in errors come from the node).
    ///
    /// - Throws: ``Diagnostics``.
    public func decode<T: Decodable>(_ type: T.Type, from node: Node) throws -> T {
        let context = DecodingContext(file: file, rejectUnknownKeys: rejectUnknownKeys, userInfo: userInfo)
        let decoder = NodeDecoder(node: node, context: context, codingPath: [])
        let value: T
        do {
            value = try decoder.decodeValue(type)
        } catch let error as Diagnostic {
            throw Diagnostics([error])
        }
        let unknown = context.unknownKeyDiagnostics()
        guard unknown.isEmpty else { throw Diagnostics(unknown) }
        return value
    }

    /// Parses `text`, which must hold exactly one document, and decodes it.
    ///
    /// - Throws: ``Diagnostics`` for syntax errors, a stream with no or several documents, and decoding errors.
    public func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let documents: [YAMLDocument]
        do {
            documents = try YAMLParser.parse(text, file: file)
        } catch let error as Diagnostic {
            throw Diagnostics([error])
        }
        guard documents.count == 1 else {
            let mark = documents.count > 1 ? documents[1].mark : Mark(line: 1, column: 1)
            let found = documents.isEmpty ? "none" : "\(documents.count)"
            throw Diagnostics([
                Diagnostic(file: file, mark: mark, message: "expected one YAML document, found \(found)")
            ])
        }
        return try decode(type, from: documents[0].node)
    }
}
