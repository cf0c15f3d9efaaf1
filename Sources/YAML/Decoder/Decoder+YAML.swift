extension Decoder {
    /// The YAML node being decoded when `self` comes from ``YAMLDecoder`` (marks intact), else `nil`.
    ///
    /// A custom `init(from:)` uses it to report validation errors at the right line (see ``yamlError(_:at:)``).
    public var yamlNode: Node? { (self as? NodeDecoder)?.node }

    /// An error for a value that decoded but is not valid, placed at `node` (default: the node being decoded)
    /// with this decoder's key path: `file:line:col: error: spec.analysis.interval: must be positive`.
    ///
    /// For other decoders it is a `DecodingError.dataCorrupted` with the same message.
    public func yamlError(_ message: String, at node: Node? = nil) -> any Error {
        guard let decoder = self as? NodeDecoder else {
            return DecodingError.dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: message))
        }
        return decoder.context.diagnostic(message, at: node ?? decoder.node, path: codingPath)
    }
}
