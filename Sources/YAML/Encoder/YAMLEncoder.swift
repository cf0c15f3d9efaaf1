/// Encodes `Encodable` values as YAML (or as a ``Node`` to render as JSON with ``Node/json``).
///
/// Strings that any YAML reader could take for another type (`"yes"`, `"1.10"`, `"0644"`, `"null"`, `""`) are
/// quoted, so kubectl and YAML 1.2 readers see the same values. Absent optionals are left out.
public struct YAMLEncoder: Sendable {
    /// Passed to `Encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init() {}

    /// The value as a block-style YAML document (ending in a newline).
    public func encode<T: Encodable>(_ value: T) throws -> String {
        try encodeNode(value).yaml
    }

    /// The value as a node tree (all marks are 1:1).
    public func encodeNode<T: Encodable>(_ value: T) throws -> Node {
        let box = EncodingBox()
        try NodeEncoder(box: box, codingPath: [], userInfo: userInfo).encodeValue(value)
        return box.build()
    }
}
