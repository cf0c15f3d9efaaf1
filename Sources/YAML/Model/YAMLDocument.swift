/// One document of a YAML stream (the text between `---` separators).
///
/// An empty document (`---` followed by nothing) holds a plain empty scalar, for which `node.isNull` is true.
public struct YAMLDocument: Sendable {
    public var node: Node
    /// Where the document starts (its `---`, or its first content when the marker is implicit).
    public var mark: Mark

    public init(node: Node, mark: Mark) {
        self.node = node
        self.mark = mark
    }
}
