import Testing
import YAML

/// Path edits of manifests kept as written (the canary controller's `-primary` copies, the kind backend's namespace
/// and label placement, webhook rewrites): an edit changes the one value and keeps every other entry in its place.
struct NodeEditingTests {
    static func parse(_ text: String) throws -> Node {
        try #require(try YAMLParser.parse(text, file: "test.yaml").first?.node)
    }

    static let deployment = """
        kind: Deployment
        metadata:
          name: podinfo
          labels:
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: podinfo:6.0.0
                - name: sidecar
                  image: envoy:1
        """

    @Test("replacing changes the value at a path through mappings and sequence indices, and nothing else")
    func replacing() throws {
        let node = try Self.parse(Self.deployment)
        let edited = node.replacing(["spec", "template", "spec", "containers", "1", "image"]) { _ in
            .scalar(Scalar(value: "envoy:2"))
        }
        #expect(edited.find(["spec", "template", "spec", "containers", "1", "image"])?.scalarValue == "envoy:2")
        #expect(edited.find(["spec", "template", "spec", "containers", "0", "image"])?.scalarValue == "podinfo:6.0.0")
        #expect(edited.pairs?.map { $0.key.scalarValue } == ["kind", "metadata", "spec"])
    }

    @Test("replacing a path that is not there, or an index out of range, leaves the node as it was")
    func replacingMissing() throws {
        let node = try Self.parse(Self.deployment)
        for path in [["spec", "replicas"], ["spec", "template", "spec", "containers", "2", "image"], ["kind", "x"]] {
            #expect(node.replacing(path) { _ in .scalar(Scalar(value: "x")) } == node, "\(path)")
        }
    }

    @Test("setting replaces an existing value in place and appends a missing key")
    func setting() throws {
        let node = try Self.parse(Self.deployment)
        let renamed = node.setting(["metadata", "name"], to: .scalar(Scalar(value: "podinfo-primary")))
        #expect(renamed.find(["metadata", "name"])?.scalarValue == "podinfo-primary")
        #expect(renamed["metadata"]?.pairs?.map { $0.key.scalarValue } == ["name", "labels"])
        let placed = node.setting(["metadata", "namespace"], to: .scalar(Scalar(value: "test")))
        #expect(placed["metadata"]?.pairs?.map { $0.key.scalarValue } == ["name", "labels", "namespace"])
        #expect(placed.find(["metadata", "namespace"])?.scalarValue == "test")
    }

    @Test("setting through a null or missing step makes it a mapping, never a second key")
    func settingThroughNull() throws {
        let node = try Self.parse(Self.deployment)
        let labelled = node.setting(["metadata", "labels", "team"], to: .scalar(Scalar(value: "a")))
        #expect(labelled.find(["metadata", "labels", "team"])?.scalarValue == "a")
        #expect(labelled["metadata"]?.pairs?.filter { $0.key.scalarValue == "labels" }.count == 1)
        let annotated = node.setting(["metadata", "annotations", "a/b"], to: .scalar(Scalar(value: "c")))
        #expect(annotated.find(["metadata", "annotations", "a/b"])?.scalarValue == "c")
        let fresh = Node.mapping([], mark: Mark(line: 1, column: 1))
            .setting(["metadata", "namespace"], to: .scalar(Scalar(value: "x")))
        #expect(fresh.yaml == "metadata:\n  namespace: x\n")
    }
}
