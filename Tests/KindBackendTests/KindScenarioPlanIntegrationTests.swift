import Foundation
import Scenarios
import TestSupport
import Testing
import YAML

@testable import KindBackend

/// `rollout-e2e run --backend kind --dry-run`: the plan of every scenario in `scenarios/`, compared with golden
/// files, and every command checked against the pinned kubectl's and Flux's rules.
@Suite("The kind backend's scenario plans (run --dry-run)")
struct KindScenarioPlanIntegrationTests {
    static let golden = repositoryRoot + "/Tests/KindBackendTests/Golden/kind-plans"

    static func scenarios() throws -> [LoadedScenario] {
        let directory = repositoryRoot + "/scenarios"
        return try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            .filter { $0.hasSuffix(".yaml") }
            .map { file -> LoadedScenario in
                let (loaded, diagnostics) = ScenarioLoader.load(path: directory + "/" + file)
                return try #require(loaded, "\(file): \(diagnostics)")
            }
    }

    static func plans(target: ClusterTarget = .kind(name: "rollout-e2e"), check: Bool = true) async throws
        -> [KindScenarioPlan.Rendered]
    {
        _ = try requireBinary("git", debianPackage: "git")
        if check { _ = try requireBinary("kubectl", debianPackage: "kubernetes-client") }
        let plan = KindScenarioPlan(
            config: try KindConfig(directory: repositoryRoot + "/kind-config"),
            target: target,
            workDirectory: "<work-dir>/kind",
            alertHost: target.kindContext == nil ? nil : "<kind-network-gateway>"
        )
        return try await plan.render(try scenarios(), check: check)
    }

    @Test("every scenario's plan matches its golden file (UPDATE_GOLDEN=1 rewrites them)")
    func golden() async throws {
        let rendered = try await Self.plans()
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"
        try FileManager.default.createDirectory(atPath: Self.golden, withIntermediateDirectories: true)
        for (scenario, plan) in zip(try Self.scenarios(), rendered) {
            let text = plan.text.replacingOccurrences(of: repositoryRoot, with: "<repo>")
            let path = Self.golden + "/\(scenario.name).txt"
            if update { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
            let expected = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text == expected, "\(scenario.name): the plan changed; review it and run with UPDATE_GOLDEN=1")
        }
    }

    @Test("after up, every scenario one after another: nothing the pinned kubectl or Flux refuses, undoes or prunes")
    func upstreamChecks() async throws {
        let rendered = try await Self.plans()
        #expect(rendered.count >= 10)
        for plan in rendered {
            #expect(plan.findings.isEmpty, "\(plan.findings.map(\.description).joined(separator: "\n"))")
        }
    }

    @Test("no kubectl command's --namespace differs from the namespace of an object it is given")
    func namespaces() async throws {
        for plan in try await Self.plans(check: false) {
            for command in plan.commands {
                guard let call = KubectlInvocation(command), let namespace = call.namespace, let input = call.input
                else { continue }
                for document in try YAMLParser.parse(input, file: "stdin").map(\.node) {
                    let own = document.find(["metadata", "namespace"])?.scalarValue
                    #expect(
                        own == nil || own == namespace,
                        "\(command): object in \(own ?? "") given --namespace \(namespace)"
                    )
                }
            }
        }
    }

    @Test("every branch a scenario uses is pushed as its own artifact, with the branch in the revision")
    func pushesEveryBranch() async throws {
        for (scenario, plan) in zip(try Self.scenarios(), try await Self.plans(check: false)) {
            let pushes = plan.commands.filter { $0.words.starts(with: ["flux", "push", "artifact"]) }
            for branch in scenario.scenario.spec.git?.effectiveBranches ?? [] {
                #expect(
                    pushes.contains { $0.arguments.contains("--revision=\(branch)@sha1:<commit>") },
                    "\(scenario.name): no push of \(branch)"
                )
            }
        }
    }

    @Test("with --kubeconfig the plan aims at that kubeconfig and rewrites no alert or webhook address")
    func kubeconfigPlan() async throws {
        let rendered = try await Self.plans(target: .kubeconfig(path: "/k/config"), check: false)
        for plan in rendered {
            for command in plan.commands where command.executable == "kubectl" {
                #expect(command.arguments.starts(with: ["--kubeconfig", "/k/config"]), "\(command)")
            }
            #expect(!plan.text.contains("<kind-network-gateway>"))
        }
    }
}
