/// Reads YAML streams into ``Node`` trees with the libyaml event parser.
///
/// Aliases are expanded (with a budget of one million nodes per document, so an alias bomb fails fast),
/// `<<` merge keys are applied, and a repeated key is an error at the repeated key.
public enum YAMLParser {
    /// The most nodes one document may expand to, aliases included.
    public static let nodeBudget = 1_000_000
    /// The deepest nesting of sequences and mappings accepted.
    public static let maxDepth = 512

    /// Parses every document of a stream. A stream with no content has no documents; `---` alone is one
    /// document holding an empty (null) scalar.
    ///
    /// - Throws: ``Diagnostic`` naming `file`: syntax errors at libyaml's problem mark, duplicate keys at the
    ///   duplicate, unknown aliases and exhausted budgets at the alias.
    public static func parse(_ text: String, file: String) throws -> [YAMLDocument] {
        let composer = Composer(file: file)
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer in
            try composer.compose(buffer)
        }
    }
}
