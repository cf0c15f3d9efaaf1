import YAML

/// Turns a scenario's Flux objects into ones the kind backend can serve: a `GitRepository` becomes an
/// `OCIRepository` of the same name that follows the artifact the harness pushes for its branch, and a
/// `Kustomization` that read the `GitRepository` reads the `OCIRepository` instead.
///
/// Scenario files are written for git (the local backend serves a real repository); on the cluster the harness
/// serves Flux OCI artifacts instead (README "GitOps source", kind-stack.md §4.4), so the runner passes every
/// manifest it applies through here. Other documents are returned unchanged.
public struct FluxSourceRewriter: Sendable {
    /// The source the artifacts are pushed to.
    public var source: GitOpsSource

    public init(source: GitOpsSource) {
        self.source = source
    }

    /// The branch each rewritten `GitRepository` followed, by its name (to push that branch's artifact).
    public func branches(in documents: [Node]) -> [String: String] {
        var branches: [String: String] = [:]
        for document in documents where document["kind"]?.scalarValue == "GitRepository" {
            guard let name = document.find(["metadata", "name"])?.scalarValue else { continue }
            branches[name] = document.find(["spec", "ref", "branch"])?.scalarValue ?? "master"
        }
        return branches
    }

    /// Every document, rewritten where needed.
    ///
    /// Throws `invalidConfig` for a `GitRepository` whose `spec.ref` names anything but a branch (``refusedRefs``).
    public func rewrite(_ documents: [Node]) throws -> [Node] {
        try documents.map { document in
            switch document["kind"]?.scalarValue {
            case "GitRepository": try ociRepository(from: document)
            case "Kustomization" where document.find(["spec", "sourceRef", "kind"])?.scalarValue == "GitRepository":
                document.replacing(["spec", "sourceRef", "kind"]) { _ in .scalar(Scalar(value: "OCIRepository")) }
            default: document
            }
        }
    }

    /// The `spec.ref` fields of a GitRepository the kind backend cannot serve, in Flux's order of precedence
    /// (commit, name, semver, tag, then branch): the harness pushes one artifact per branch of the scenario's
    /// repository and moves it with each commit, so a ref pinned to a commit, a tag or a semver range has no
    /// artifact that would behave like it.
    public static let refusedRefs = ["commit", "name", "semver", "tag"]

    /// `GitRepository` → `OCIRepository`: same metadata, interval and timeout; the branch's artifact tag
    /// (``GitOpsSource/artifactTag(branch:)``) becomes `spec.ref.tag` (a ref without a branch follows `master`,
    /// as Flux's GitRepository does, kind-stack.md §4.2).
    func ociRepository(from document: Node) throws -> Node {
        let mark = document.mark
        let refused = Self.refusedRefs.filter { document.find(["spec", "ref", $0]) != nil }
        if !refused.isEmpty {
            let name = document.find(["metadata", "name"])?.scalarValue ?? "(unnamed)"
            let namespace = document.find(["metadata", "namespace"])?.scalarValue.map { $0 + "/" } ?? ""
            let fields = refused.map { "spec.ref." + $0 }.joined(separator: ", ")
            throw KindBackendError(
                .invalidConfig,
                "GitRepository \(namespace)\(name) sets \(fields): the kind backend follows "
                    + "branches only (it pushes one artifact per branch of the scenario's repository); "
                    + "use spec.ref.branch"
            )
        }
        let branch = document.find(["spec", "ref", "branch"])?.scalarValue ?? "master"
        var spec: [Pair] = [
            pair("url", scalar(source.inClusterURL)),
            pair("ref", .mapping([pair("tag", scalar(GitOpsSource.artifactTag(branch: branch)))], mark: mark)),
            pair("insecure", .scalar(Scalar(value: "true"))),
            pair("interval", document.find(["spec", "interval"]) ?? scalar("1m")),
        ]
        if let timeout = document.find(["spec", "timeout"]) { spec.append(pair("timeout", timeout)) }
        if let suspend = document.find(["spec", "suspend"]) { spec.append(pair("suspend", suspend)) }
        return .mapping(
            [
                pair("apiVersion", scalar("source.toolkit.fluxcd.io/v1")),
                pair("kind", scalar("OCIRepository")),
                pair("metadata", document["metadata"] ?? .mapping([], mark: mark)),
                pair("spec", .mapping(spec, mark: mark)),
            ],
            mark: mark
        )
    }

    private func pair(_ key: String, _ value: Node) -> Pair { Pair(key: scalar(key), value: value) }

    private func scalar(_ value: String) -> Node { .scalar(Scalar(value: value)) }
}
