import KindBackend
import ObjectModel
import Testing
import YAML

@Suite("A scenario's GitRepository becomes the OCIRepository the kind backend serves")
struct FluxSourceRewriterTests {
    static let scenarioFlux = """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata:
          name: podinfo
          namespace: flux-system
        spec:
          url: https://git.example.com/rollout-e2e/podinfo.git
          ref:
            branch: staging
          interval: 1m
          timeout: 60s
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: podinfo
          namespace: flux-system
        spec:
          sourceRef:
            kind: GitRepository
            name: podinfo
          path: ./apps/test
          interval: 1m
          prune: true
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: test
        """

    @Test("the rewritten objects validate and point at the session's artifact for the branch")
    func rewrite() throws {
        let documents = try YAMLParser.parse(Self.scenarioFlux, file: "flux.yaml").map(\.node)
        let source = GitOpsSource(workTree: "/w", target: .kind(name: "rollout-e2e"), repository: "rollout-e2e/promote")
        let rewriter = FluxSourceRewriter(source: source)
        #expect(rewriter.branches(in: documents) == ["podinfo": "staging"])
        let rewritten = rewriter.rewrite(documents)
        #expect(rewritten[2] == documents[2])

        // What `kubectl apply` gets: the rewritten documents as YAML, read back and validated.
        let loaded = ManifestLoader.load(Node.yamlStream(rewritten), file: "rewritten")
        #expect(!loaded.hasErrors, "\(loaded.diagnostics.map(\.message))")
        let oci = try #require(loaded.objects.first?.object as? OCIRepository)
        #expect(oci.metadata.name == "podinfo")
        #expect(oci.metadata.namespace == "flux-system")
        #expect(oci.spec.url == "oci://registry.gitops.svc.cluster.local:5000/rollout-e2e/promote")
        #expect(oci.spec.ref?.tag == "staging")
        #expect(oci.spec.insecure == true)
        #expect(oci.spec.interval.seconds == 60)
        let kustomization = try #require(loaded.objects[1].object as? Kustomization)
        #expect(kustomization.spec.sourceRef.kind == "OCIRepository")
        #expect(kustomization.spec.sourceRef.name == "podinfo")
        #expect(kustomization.spec.path == "./apps/test")
        #expect(
            source.pushCommand(revision: "abc", tag: "staging").arguments[2]
                == "oci://localhost:5001/rollout-e2e/promote:staging"
        )
    }
}
