import Foundation
import TestSupport
import Testing
import YAML

@testable import KindBackend

/// The rules of the pinned kubectl and Flux (``KubectlNamespaceRule``, ``FluxFieldOwnershipRule``), checked on the
/// commands the kind backend emitted before they were fixed — each must be reported for its upstream reason — and
/// on what it emits now.
@Suite("Upstream rules: what the pinned kubectl refuses and what Flux undoes or prunes")
struct UpstreamRulesTests {
    static let context = ["--context", "kind-rollout-e2e"]

    static let fluxObjects = """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: OCIRepository
        metadata:
          name: podinfo
          namespace: flux-system
          labels:
            rollout-e2e/session: promote
        spec:
          url: oci://registry.gitops.svc.cluster.local:5000/rollout-e2e/promote
          ref:
            tag: main
          insecure: true
          interval: 1m
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: podinfo
          namespace: flux-system
          labels:
            rollout-e2e/session: promote
        spec:
          sourceRef:
            kind: OCIRepository
            name: podinfo
          path: ./apps/test
          interval: 1m
          prune: true
        """

    static func kubectl(_ arguments: [String], input: String? = nil) -> Command {
        Command("kubectl", context + arguments, input: input)
    }

    static func documents(_ text: String) throws -> [Node] {
        try YAMLParser.parse(text, file: "test.yaml").map(\.node)
    }

    // MARK: kubectl's namespace enforcement

    @Test("--namespace test with flux-system objects is refused with kubectl's own message (the old apply step)")
    func refusesForeignNamespace() throws {
        let command = Self.kubectl(["--namespace", "test", "apply", "--filename=-"], input: Self.fluxObjects)
        let call = try #require(KubectlInvocation(command))
        let finding = try #require(
            KubectlNamespaceRule.check(call, objects: try Self.documents(Self.fluxObjects), command: "\(command)")
        )
        #expect(finding.effect == .refused)
        #expect(
            finding.message
                == "error: the namespace from the provided object \"flux-system\" does not match the namespace "
                + "\"test\". You must pass '--namespace=flux-system' to perform this operation."
        )
    }

    @Test("without --namespace, or with objects in that namespace, or cluster-scoped ones, kubectl accepts")
    func acceptsMatchingNamespaces() throws {
        let objects = try Self.documents(Self.fluxObjects)
        let plain = try #require(KubectlInvocation(Self.kubectl(["apply", "--filename=-"])))
        #expect(KubectlNamespaceRule.check(plain, objects: objects, command: "") == nil)
        let same = try #require(KubectlInvocation(Self.kubectl(["-n", "flux-system", "apply", "-f", "-"])))
        #expect(KubectlNamespaceRule.check(same, objects: objects, command: "") == nil)
        let namespace = try Self.documents("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: test\n  namespace: x\n")
        let scoped = try #require(KubectlInvocation(Self.kubectl(["--namespace=test", "apply", "--filename=-"])))
        #expect(KubectlNamespaceRule.check(scoped, objects: namespace, command: "") == nil)
        // `get`/`wait` of a named resource take the flag as their scope; the rule is about objects read from files.
        let wait = try #require(KubectlInvocation(Self.kubectl(["--namespace", "test", "wait", "canary/podinfo"])))
        #expect(KubectlNamespaceRule.check(wait, objects: objects, command: "") == nil)
    }

    @Test("kubectl's command line is read as kubectl reads it: global flags anywhere, grouped verbs, defaults")
    func parsesInvocations() throws {
        let restart = try #require(
            KubectlInvocation(Self.kubectl(["--namespace", "apps", "rollout", "restart", "deployment/podinfo"]))
        )
        #expect(restart.verb == "rollout restart")
        #expect(restart.namespace == "apps")
        #expect(restart.arguments == ["deployment/podinfo"])
        #expect(restart.fieldManager == "kubectl-rollout")
        let apply = try #require(KubectlInvocation(Self.kubectl(["apply", "-k", "dir"])))
        #expect(apply.flag("kustomize") == "dir")
        #expect(apply.fieldManager == "kubectl-client-side-apply")
        let annotate = try #require(
            KubectlInvocation(Self.kubectl(["annotate", FieldManagers.keptByFluxFlag, "kustomization/x", "a=b"]))
        )
        #expect(annotate.fieldManager == "flux-client-side-apply")
        #expect(
            try #require(KubectlInvocation(Self.kubectl(["scale", "deployment/x", "--replicas=0"]))).fieldManager
                == "kubectl"
        )
    }

    // MARK: Flux's field ownership and prune

    /// A model that has seen `up`'s namespaces (applied under `manager`, nil for kubectl's default), the
    /// loadtester's Helm release, and a session that pushed `scenarios/gitops` and applied its Flux objects.
    static func session(namespacesManager manager: String?) throws -> UpstreamClusterModel {
        _ = try requireBinary("kubectl", debianPackage: kubectlInstallHint)
        let model = try UpstreamClusterModel()
        let config = try repositoryConfig()
        try model.run(
            kubectl(
                ["apply"] + (manager.map { ["--field-manager=\($0)"] } ?? []) + [
                    "--kustomize", config.manifests("namespaces"),
                ]
            )
        )
        try model.run(
            Command(
                "helm",
                [
                    "upgrade", "--install", "flagger-loadtester", "loadtester", "--namespace", "test",
                    "--create-namespace",
                ]
            )
        )
        #expect(model.contains(kind: "Namespace", name: "test"))
        try model.run(
            Command(
                "flux",
                [
                    "push", "artifact", "oci://localhost:5001/rollout-e2e/promote:main",
                    "--path=\(repositoryRoot)/scenarios/gitops", "--source=file:///x", "--revision=main@sha1:1",
                ]
            )
        )
        try model.run(kubectl(["apply", "--filename=-"], input: fluxObjects))
        return model
    }

    @Test("up's prune annotation applied by kubectl's default manager is lost to Flux, so the close prunes test")
    func defaultManagerLosesPruneDisabled() throws {
        let model = try Self.session(namespacesManager: nil)
        // Flux applied apps/test, whose Namespace test has no annotations: the takeover removed up's.
        #expect(model.annotations(kind: "Namespace", name: "test")[FluxFieldOwnershipRule.pruneAnnotation] == nil)
        let findings = try model.run(
            Self.kubectl([
                "delete", "kustomizations.kustomize.toolkit.fluxcd.io,ocirepositories.source.toolkit.fluxcd.io",
                "--all-namespaces", "--selector=rollout-e2e/session=promote",
            ])
        )
        let deleted = try #require(findings.first { $0.effect == .deleted }, "\(findings)")
        #expect(deleted.message.contains("Namespace test"))
        #expect(deleted.message.contains("flagger-loadtester"))
        #expect(!model.contains(kind: "Namespace", name: "test"))
        #expect(model.releases(in: "test").isEmpty)
    }

    @Test("under flux-client-side-apply the annotation survives Flux's apply and the namespace its prune")
    func keptManagerSurvives() throws {
        let model = try Self.session(namespacesManager: FieldManagers.keptByFlux)
        #expect(
            model.annotations(kind: "Namespace", name: "test")[FluxFieldOwnershipRule.pruneAnnotation] == "disabled"
        )
        let findings = try model.run(
            Self.kubectl([
                "delete", "kustomizations.kustomize.toolkit.fluxcd.io", "--all-namespaces",
                "--selector=rollout-e2e/session=promote",
            ])
        )
        #expect(findings.isEmpty, "\(findings)")
        #expect(model.contains(kind: "Namespace", name: "test"))
        #expect(model.releases(in: "test") == ["flagger-loadtester"])
        // Flux pruned what it deployed: podinfo is gone.
        #expect(!model.contains(kind: "Deployment", name: "podinfo", namespace: "test"))
    }

    @Test(
        "a fault made with kubectl's default manager on a Flux-managed Deployment is undone; under flux-client-side-apply it stays",
        arguments: [
            (["rollout", "restart", "deployment/podinfo"], true),
            (["rollout", "restart", FieldManagers.keptByFluxFlag, "deployment/podinfo"], false),
            (["scale", "deployment/podinfo", "--replicas=0"], true),
            (
                [
                    "patch", "deployment/podinfo", "--subresource=scale", "--type=merge",
                    "--patch={\"spec\":{\"replicas\":0}}", FieldManagers.keptByFluxFlag,
                ], false
            ),
            (["set", "env", "deployment/podinfo", "PODINFO_RANDOM_ERROR=true"], true),
            (["set", "env", FieldManagers.keptByFluxFlag, "deployment/podinfo", "PODINFO_RANDOM_ERROR=true"], false),
        ]
    )
    func faults(arguments: [String], undone: Bool) throws {
        let model = try Self.session(namespacesManager: FieldManagers.keptByFlux)
        let findings = try model.run(Self.kubectl(["--namespace", "test"] + arguments))
        #expect(findings.contains { $0.effect == .undone } == undone, "\(findings)")
    }

    @Test("the emitted fault commands are the ones Flux keeps")
    func emittedFaultsAreKept() throws {
        for fault in [
            Fault.restart(deployment: "podinfo", namespace: "test"),
            .scale(deployment: "podinfo", namespace: "test", replicas: 0),
            .setEnvironment(deployment: "podinfo", namespace: "test", variables: ["PODINFO_RANDOM_ERROR": "true"]),
        ] {
            let model = try Self.session(namespacesManager: FieldManagers.keptByFlux)
            let findings = try model.run(Self.kubectl(fault.kubectlArguments))
            #expect(findings.isEmpty, "\(fault): \(findings)")
        }
    }

    @Test("kind names in resource lists map to kinds the way kubectl's RESTMapper does for these")
    func kindNames() {
        #expect(UpstreamClusterModel.kindName("kustomizations.kustomize.toolkit.fluxcd.io") == "kustomization")
        #expect(UpstreamClusterModel.kindName("ingresses") == "ingress")
        #expect(UpstreamClusterModel.kindName("canaries.flagger.app") == "canary")
        #expect(UpstreamClusterModel.kindName("deployment") == "deployment")
        #expect(UpstreamClusterModel.kindName("Ingress") == "ingress")
    }
}

@Suite("The registry's NodePort cannot be taken by an earlier Service")
struct NodePortBandTests {
    @Test("KEP-3668's static band of the default range is 30000-30085")
    func staticBand() {
        #expect(NodePortBands.staticBand() == 30000...30085)
        #expect(NodePortBands.staticBand(of: 30000...30099) == 30000...30015)
        #expect(NodePortBands.staticBand(of: 1...10000) == 1...128)
    }

    @Test("the registry Service's nodePort is in the static band and is the port cluster.yaml publishes")
    func registryPort() throws {
        let service = try #require(
            try YAMLParser.parse(
                String(
                    contentsOfFile: repositoryRoot + "/kind-config/manifests/registry/service.yaml",
                    encoding: .utf8
                ),
                file: "service.yaml"
            ).first?.node
        )
        let nodePort = try #require(
            service.find(["spec", "ports"])?.items?.first?["nodePort"]?.scalarValue.flatMap { Int($0) }
        )
        #expect(NodePortBands.staticBand().contains(nodePort))
        let cluster = try YAMLParser.parse(
            String(contentsOfFile: repositoryRoot + "/kind-config/cluster.yaml", encoding: .utf8),
            file: "cluster.yaml"
        ).first?.node
        let mappings = cluster?["nodes"]?.items?.first?["extraPortMappings"]?.items ?? []
        #expect(
            mappings.contains {
                $0["containerPort"]?.scalarValue == "\(nodePort)" && $0["hostPort"]?.scalarValue == "5001"
            }
        )
    }
}
