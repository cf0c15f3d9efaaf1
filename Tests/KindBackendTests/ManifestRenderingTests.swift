import Foundation
import KindBackend
import ObjectModel
import TestSupport
import Testing
import YAML

@Suite("Every manifest the kind backend applies is in kind-config/, renders offline and validates")
struct ManifestRenderingTests {
    static let directories: [String] = (try? repositoryConfig().manifestDirectories()) ?? []

    @Test("manifests/ has the directories the plans use, and the plans use nothing outside kind-config/")
    func plansUseRepositoryManifests() throws {
        let config = try repositoryConfig()
        let planner = StackPlanner(config: config, target: .kind(name: "rollout-e2e"), workDirectory: "/w")
        let used = Set(
            (planner.upPlan() + planner.downPlan(keep: true)).flatMap(\.manifests)
                .filter { $0.hasPrefix(config.directory + "/manifests/") }
        )
        #expect(used == Set(Self.directories), "applied: \(used.sorted()) present: \(Self.directories)")
        for path in (planner.upPlan() + planner.downPlan(keep: false)).flatMap(\.manifests) {
            #expect(path.hasPrefix(config.directory + "/"), "\(path)")
            #expect(FileManager.default.fileExists(atPath: path), "\(path) is missing")
        }
        #expect(Self.directories.count == 6)
    }

    @Test("renders with kubectl kustomize and passes validation", arguments: directories)
    func renders(directory: String) throws {
        let kubectl = try requireBinary("kubectl", debianPackage: kubectlInstallHint)
        let result = try runCommand(kubectl, ["kustomize", directory], timeout: 60)
        #expect(result.status == 0, "kubectl kustomize \(directory): \(result.stderr)")
        let loaded = ManifestLoader.load(result.stdout, file: directory)
        #expect(!loaded.hasErrors, "\(loaded.diagnostics.map(\.description))")
        #expect(!loaded.objects.isEmpty)
        for object in loaded.objects {
            #expect(!object.name.isEmpty)
            // Namespaced kinds carry their namespace, so `kubectl apply` never lands in the context's default.
            if !["Namespace"].contains(object.kind) {
                #expect(object.namespace != nil, "\(object.kind)/\(object.name) in \(directory) has no namespace")
            }
        }
    }

    @Test("the GitOps source's podinfo decodes as typed objects Flagger accepts")
    func podinfoIsTyped() throws {
        let kubectl = try requireBinary("kubectl", debianPackage: kubectlInstallHint)
        let config = try repositoryConfig()
        let result = try runCommand(kubectl, ["kustomize", config.manifests("podinfo")], timeout: 60)
        let loaded = ManifestLoader.load(result.stdout, file: "podinfo")
        let kinds = loaded.objects.map(\.kind).sorted()
        #expect(kinds == ["Canary", "Deployment", "Ingress"])
        #expect(loaded.objects.allSatisfy { $0.object != nil && $0.namespace == "apps" })
        let canary = try #require(loaded.objects.first { $0.kind == "Canary" }?.object as? Canary)
        #expect(canary.spec.provider == "nginx")
        #expect(canary.spec.ingressRef?.name == "podinfo")
        let deployment = try #require(loaded.objects.first { $0.kind == "Deployment" }?.object as? Deployment)
        // Flux must not own replicas, or it fights Flagger's scale-to-zero (kind-stack.md §4.5).
        #expect(deployment.spec.replicas == nil)
    }
}
