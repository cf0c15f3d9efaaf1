import Foundation
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
        let rewritten = try rewriter.rewrite(documents)
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
            source.pushCommand(revision: "abc", branch: "staging").arguments[2]
                == "oci://localhost:5001/rollout-e2e/promote:staging"
        )
    }

    /// The OCI distribution spec's tag grammar.
    static func isTag(_ text: String) -> Bool { text.wholeMatch(of: #/[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}/#) != nil }

    @Test(
        "a branch name that is already a tag is its own artifact tag",
        arguments: ["main", "staging", "release-1.0", "v1_2", String(repeating: "a", count: 128)]
    )
    func tagOfTagLikeBranch(branch: String) {
        #expect(GitOpsSource.artifactTag(branch: branch) == branch)
    }

    @Test(
        "any other branch name becomes a valid tag of at most 128 characters",
        arguments: [
            "release/x", "feature/ünïcode", "-leading-dash", ".hidden", "with space", "a:b@c", "",
            String(repeating: "a", count: 300), String(repeating: "/", count: 300),
        ]
    )
    func tagOfOtherBranch(branch: String) {
        let tag = GitOpsSource.artifactTag(branch: branch)
        #expect(Self.isTag(tag), "\(tag)")
        #expect(tag.count <= 128)
        #expect(tag != branch)
        #expect(GitOpsSource.artifactTag(branch: branch) == tag, "not stable")
    }

    @Test("branches that sanitize alike still get different tags")
    func tagsDoNotCollide() {
        #expect(GitOpsSource.artifactTag(branch: "release/x") != GitOpsSource.artifactTag(branch: "release-x"))
        #expect(GitOpsSource.artifactTag(branch: "release/x") != GitOpsSource.artifactTag(branch: "release:x"))
        let long = String(repeating: "a", count: 200)
        #expect(GitOpsSource.artifactTag(branch: long + "1") != GitOpsSource.artifactTag(branch: long + "2"))
    }

    @Test("the push of a branch goes to its artifact tag with the real branch name in Flux's revision")
    func pushOfSlashedBranch() throws {
        let source = GitOpsSource(workTree: "/w", target: .kind(name: "rollout-e2e"), repository: "rollout-e2e/promote")
        let tag = GitOpsSource.artifactTag(branch: "release/1.0")
        let push = source.pushCommand(revision: "abc", branch: "release/1.0")
        #expect(push.arguments[2] == "oci://localhost:5001/rollout-e2e/promote:" + tag)
        #expect(push.arguments.last == "--revision=release/1.0@sha1:abc")

        let text = Self.scenarioFlux.replacingOccurrences(of: "branch: staging", with: "branch: release/1.0")
        let documents = try YAMLParser.parse(text, file: "flux.yaml").map(\.node)
        let rewriter = FluxSourceRewriter(source: source)
        #expect(rewriter.branches(in: documents) == ["podinfo": "release/1.0"])
        let oci = try #require(try rewriter.rewrite(documents).first)
        #expect(oci.find(["spec", "ref", "tag"])?.scalarValue == tag)
    }

    @Test(
        "a GitRepository that follows anything but a branch is refused, pointing at spec.ref.branch",
        arguments: ["tag: v6.0.1", "semver: '>=6.0.0'", "commit: 0123abcd", "name: refs/tags/v6.0.1"]
    )
    func refusesOtherRefs(ref: String) throws {
        let text = Self.scenarioFlux.replacingOccurrences(of: "branch: staging", with: ref)
        let documents = try YAMLParser.parse(text, file: "flux.yaml").map(\.node)
        let rewriter = FluxSourceRewriter(source: GitOpsSource(workTree: "/w", target: .kind(name: "rollout-e2e")))
        let error = #expect(throws: KindBackendError.self) { try rewriter.rewrite(documents) }
        let field = "spec.ref." + String(ref.prefix { $0 != ":" })
        #expect(error?.code == .invalidConfig)
        #expect(error?.message.contains("GitRepository flux-system/podinfo") == true)
        #expect(error?.message.contains(field) == true)
        #expect(error?.message.contains("use spec.ref.branch") == true)
    }
}
