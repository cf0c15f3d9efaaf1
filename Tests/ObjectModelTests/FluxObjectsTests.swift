import Foundation
import ObjectModel
import Testing
import YAML

struct FluxObjectsTests {
    private let source = """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata:
          name: apps
          namespace: flux-system
        spec:
          interval: 1m
          url: https://github.com/example/apps
          ref:
            branch: staging
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: apps
          namespace: flux-system
        spec:
          interval: 10m0s
          path: ./apps/test
          prune: true
          targetNamespace: test
          sourceRef:
            kind: GitRepository
            name: apps
        """

    @Test func gitRepositoryAndKustomizationLoad() throws {
        let loaded = ManifestLoader.load(source, file: "flux.yaml")
        #expect(loaded.diagnostics.isEmpty)
        let repository = try #require(loaded.objects[0].object as? GitRepository)
        #expect(repository.spec.ref?.branch == "staging")
        #expect(repository.spec.interval.seconds == 60)
        let kustomization = try #require(loaded.objects[1].object as? Kustomization)
        #expect(kustomization.spec.interval.seconds == 600)
        #expect(kustomization.spec.targetNamespace == "test")
        #expect(kustomization.spec.sourceRef.kind == "GitRepository")
    }

    @Test func kustomizeConfigFileIsNotMistakenForFluxKustomization() {
        let text = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n"
        let loaded = ManifestLoader.load(text, file: "kustomization.yaml")
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.objects.first?.object == nil)
    }

    @Test func badSourceKindAndAbsolutePathAreReported() {
        let text = source.replacingOccurrences(
            of: "kind: GitRepository\n    name: apps",
            with: "kind: HelmRepo\n    name: apps"
        )
        .replacingOccurrences(of: "path: ./apps/test", with: "path: /apps/test")
        let loaded = ManifestLoader.load(text, file: "flux.yaml")
        #expect(
            loaded.diagnostics.map(\.description) == [
                "flux.yaml:23:11: error: sourceRef.kind must be one of GitRepository, OCIRepository, Bucket, ExternalArtifact, found HelmRepo",
                "flux.yaml:19:9: error: path must be relative to the source root, like ./apps",
            ]
        )
    }

    @Test func missingIntervalPointsAtTheSpec() {
        let text = source.replacingOccurrences(of: "  interval: 1m\n", with: "")
        let loaded = ManifestLoader.load(text, file: "flux.yaml")
        #expect(loaded.diagnostics.first?.mark == Mark(line: 7, column: 3))
        #expect(loaded.diagnostics.first?.message.contains("interval") == true)
    }

    @Test(arguments: [
        ("30s", 30.0), ("1m", 60), ("1m30s", 90), ("500ms", 0.5), ("1.5h", 5400), ("10m0s", 600), ("0", 0),
    ])
    func goDurations(text: String, seconds: Double) throws {
        #expect(try ManifestDuration(parsing: text).seconds == seconds)
    }

    @Test(arguments: ["", "10", "1x", "m", "1m-"])
    func invalidGoDurations(text: String) {
        #expect(throws: ManifestDuration.ParseError.self) { try ManifestDuration(parsing: text) }
    }
}
