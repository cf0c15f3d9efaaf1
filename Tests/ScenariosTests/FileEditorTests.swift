import Foundation
import Scenarios
import Testing
import YAML

/// Commit edits keep the file as written except for the change.
struct FileEditorTests {
    static let deployment = """
        # podinfo, as released
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: podinfo
        spec:
          replicas: 2
          template:
            spec:
              containers:
                - name: podinfo
                  image: ghcr.io/stefanprodan/podinfo:6.0.0 # bumped by CI
                  env:
                    - name: PODINFO_UI_COLOR
                      value: "#34577c"
        """

    private func edit(_ edit: FileChange.Edit, _ text: String = deployment) throws -> String? {
        try FileEditor.apply(FileChange(file: "deployment.yaml", edit: edit), to: text)
    }

    @Test func anImageTagChangesInPlace() throws {
        let result = try #require(try edit(.image(ImageEdit(container: "podinfo", tag: "6.0.1"))))
        #expect(result == Self.deployment.replacingOccurrences(of: "podinfo:6.0.0", with: "podinfo:6.0.1"))
    }

    @Test func anExistingEnvValueIsReplaced() throws {
        let result = try #require(try edit(.env(EnvEdit(name: "PODINFO_UI_COLOR", value: "#ff0000"))))
        #expect(result == Self.deployment.replacingOccurrences(of: "\"#34577c\"", with: "\"#ff0000\""))
    }

    @Test func aNewEnvVariableIsAddedToTheList() throws {
        let result = try #require(try edit(.env(EnvEdit(name: "PODINFO_RANDOM_ERROR", value: "true"))))
        #expect(
            result.contains(
                """
                          env:
                            - name: PODINFO_RANDOM_ERROR
                              value: "true"
                            - name: PODINFO_UI_COLOR
                """
            )
        )
        let documents = try YAMLParser.parse(result, file: "d.yaml")
        let env = try #require(
            documents.first?.node.find(["spec", "template", "spec", "containers", "0", "env"])?.items
        )
        #expect(env.count == 2)
    }

    @Test("env values with control characters, quotes and backslashes are written so they read back unchanged")
    func envValuesWithControlCharactersReadBack() throws {
        for value in ["line\r\nbreak", "bell\u{7}esc\u{1B}", "q\"b\\s", "tab\tnul\u{0}", "del\u{7F}bom\u{FEFF}"] {
            for name in ["PODINFO_UI_COLOR", "PODINFO_NEW"] {
                let result = try #require(try edit(.env(EnvEdit(name: name, value: value))))
                let document = try #require(try YAMLParser.parse(result, file: "d.yaml").first?.node)
                let env = document.find(["spec", "template", "spec", "containers", "0", "env"])?.items ?? []
                let entry = env.first { $0["name"]?.scalarValue == name }
                #expect(entry?["value"]?.scalarValue == value, "\(name)=\(value.debugDescription)")
            }
        }
    }

    @Test func anEnvBlockIsAddedWhenThereIsNone() throws {
        let text = Self.deployment.components(separatedBy: "\n").prefix(12).joined(separator: "\n")
        let result = try #require(try edit(.env(EnvEdit(name: "A", value: "1")), text))
        let node = try #require(try YAMLParser.parse(result, file: "d.yaml").first?.node)
        let container = try #require(node.find(["spec", "template", "spec", "containers", "0"]))
        #expect(container["env"]?[0]?["name"]?.scalarValue == "A")
        #expect(container["env"]?[0]?["value"]?.resolved == .string("1"))
        #expect(container["image"]?.scalarValue == "ghcr.io/stefanprodan/podinfo:6.0.0")
    }

    @Test func setReplacesAScalarAndAddsAMissingKey() throws {
        let replicas = try #require(try edit(.set(SetEdit(path: "spec.replicas", value: .scalar(Scalar(value: "3"))))))
        #expect(replicas == Self.deployment.replacingOccurrences(of: "replicas: 2", with: "replicas: 3"))
        let added = try #require(
            try edit(.set(SetEdit(path: "metadata.namespace", value: .scalar(Scalar(value: "test", style: .plain)))))
        )
        let node = try #require(try YAMLParser.parse(added, file: "d.yaml").first?.node)
        #expect(node.find(["metadata", "namespace"])?.scalarValue == "test")
        #expect(node.find(["metadata", "name"])?.scalarValue == "podinfo")
    }

    @Test func wholeFilesAndRemovals() throws {
        #expect(try edit(.content("x: 1\n"), "") == "x: 1\n")
        #expect(try FileEditor.apply(FileChange(file: "new.yaml", edit: .content("a: b")), to: nil) == "a: b")
        #expect(try edit(.remove) == nil)
    }

    @Test func editingAMissingContainerSaysWhichExist() {
        #expect {
            try edit(.image(ImageEdit(container: "web", tag: "1")))
        } throws: { error in
            "\(error)" == "deployment.yaml: no container named 'web' (containers: podinfo)"
        }
    }

    @Test(
        arguments: [
            ("{\"hostname\":\"podinfo-7d9\",\"version\":\"6.0.1\",\"revision\":\"\"}", "6.0.1"),
            ("{\n  \"hostname\": \"x\",\n  \"version\": \"6.0.0\"\n}", "6.0.0"),
            ("{\"status\":500}", nil),
        ] as [(String, String?)]
    )
    func podinfoVersionsAreReadFromBodies(body: String, version: String?) {
        #expect(LoadTrafficDriver.podinfoVersion(Array(body.utf8)) == version)
    }
}
