extension Node {
    /// The tree as block-style YAML (ending in a newline). Values round-trip exactly; any string that a YAML 1.1
    /// reader such as kubectl or a YAML 1.2 reader could take for something else (`yes`, `1.10`, `0644`, `null`,
    /// `""`) is double-quoted, and multi-line strings become literal blocks. Tags and comments are not kept.
    public var yaml: String {
        var writer = YAMLWriter()
        writer.writeDocument(self)
        return writer.output
    }

    /// The tree as indented JSON with typed scalars (YAML 1.2 core schema): valid YAML too, so kubectl reads it.
    public var json: String {
        var writer = JSONWriter(pretty: true)
        writer.write(self, indent: 0)
        return writer.output
    }

    /// Several documents as one stream, separated by `---`.
    public static func yamlStream(_ documents: [Node]) -> String {
        documents.map { "---\n" + $0.yaml }.joined()
    }
}
