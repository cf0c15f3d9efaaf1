import Foundation
import ObjectModel
import Scenarios
import TestSupport
import Testing
import YAML

/// The scenarios shipped in scenarios/ and the Git content they use.
struct ScenarioFilesTests {
    /// The package root, from this file's path (Tests/ScenariosTests/…).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static let names = [
        "promote", "rollback-500", "rollback-latency", "step-weights", "gated-promotion", "ab-header",
        "manual-rollback", "new-revision-restart", "staging-then-main", "slack-alerts", "confirm-rollout",
        "pre-rollout-fails", "rollout-hook-fails", "canary-never-ready", "replica-killed", "prometheus-outage",
        "prometheus-down", "loadtester-outage", "loadtester-down", "config-promotion", "blue-green", "broken-commit",
        "redis-cache", "post-rollout-and-events", "hpa-scaling", "redis-outage",
    ]

    @Test(arguments: names)
    func theScenarioValidates(name: String) throws {
        let path = Self.root + "/scenarios/\(name).yaml"
        let (scenario, diagnostics) = ScenarioLoader.load(path: path)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description).joined(separator: "\n"))")
        let loaded = try #require(scenario)
        #expect(loaded.name == name)
        let description = try #require(loaded.scenario.metadata.description)
        #expect(!description.isEmpty && !description.contains("\n"))
        #expect(loaded.content.canaries == ["podinfo"])
    }

    @Test func theScenarioDirectoryHoldsExactlyTheShippedScenarios() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/scenarios")
            .filter { $0.hasSuffix(".yaml") }
        #expect(Set(files) == Set(Self.names.map { $0 + ".yaml" }))
    }

    @Test func validateAcceptsTheWholeDirectory() throws {
        let result = try runCommand(
            BuiltProducts.executable("rollout-e2e"),
            ["validate", "scenarios"],
            workingDirectory: Self.root
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.stdout.contains(": 0 error(s), 0 warning(s)"))
    }

    /// Every directory with a kustomization.yaml renders, and what it renders validates.
    @Test func everyKustomizationRendersToValidManifests() throws {
        let kubectl = "/usr/bin/kubectl"
        guard FileManager.default.isExecutableFile(atPath: kubectl) else {
            Issue.record("kubectl not found at \(kubectl); install it (apt-get install -y kubectl) to check rendering")
            return
        }
        let gitops = Self.root + "/scenarios/gitops"
        let enumerator = FileManager.default.enumerator(atPath: gitops)
        var directories: [String] = []
        while let entry = enumerator?.nextObject() as? String {
            if (entry as NSString).lastPathComponent == "kustomization.yaml" {
                directories.append((entry as NSString).deletingLastPathComponent)
            }
        }
        #expect(directories.count == 16)
        for directory in directories.sorted() {
            let result = try runCommand(kubectl, ["kustomize", gitops + "/" + directory])
            #expect(result.status == 0, "kubectl kustomize \(directory): \(result.stderr)")
            let loaded = ManifestLoader.load(result.stdout, file: directory)
            #expect(!loaded.hasErrors, "\(directory): \(loaded.diagnostics.map(\.description))")
            #expect(
                loaded.objects.contains { $0.kind == "Canary" && $0.name == "podinfo" },
                "\(directory) has no Canary"
            )
        }
    }

    @Test func overlaysChangeWhatTheirScenariosNeed() throws {
        let kubectl = "/usr/bin/kubectl"
        guard FileManager.default.isExecutableFile(atPath: kubectl) else {
            Issue.record("kubectl not found at \(kubectl)")
            return
        }
        func canary(_ overlay: String) throws -> Canary {
            let result = try runCommand(kubectl, ["kustomize", Self.root + "/scenarios/gitops/apps/" + overlay])
            let loaded = ManifestLoader.load(result.stdout, file: overlay)
            return try #require(loaded.objects.lazy.compactMap { $0.object as? Canary }.first)
        }
        #expect(try canary("test-step-weights").spec.analysis?.stepWeights == [1, 2, 10, 80])
        #expect(try canary("test-step-weights").spec.analysis?.stepWeight == nil)
        #expect(try canary("test-ab").spec.analysis?.match?.first?.headers?["x-user"]?.exact == "insider")
        #expect(try canary("test-gated").spec.analysis?.webhooks?.last?.hookType == .confirmPromotion)
        #expect(try canary("test-manual-rollback").spec.analysis?.webhooks?.last?.hookType == .rollback)
        #expect(try canary("test-alerts").spec.analysis?.alerts?.first?.providerRef.name == "on-call")
        #expect(try canary("apps").metadata.namespace == "apps")
        #expect(try canary("apps").spec.analysis?.stepWeight == 20)
        #expect(try canary("test").spec.analysis?.stepWeight == 10)
        let cacheMisses = try #require(try canary("test-redis-outage").spec.analysis?.metrics?.last)
        #expect(cacheMisses.name == "cache-misses" && cacheMisses.templateRef?.name == "cache-misses")
        #expect(cacheMisses.thresholdRange?.max == 5)
    }
}
