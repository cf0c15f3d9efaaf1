import Foundation
import TestSupport
import Testing
import YAML

@Suite("The shipped GitOps overlays render, and each one's in-cluster load test targets its own Ingress host")
struct GitOpsOverlayTests {
    static let apps = repositoryRoot + "/scenarios/gitops/apps"

    /// Every overlay under apps/ (a directory with a kustomization, the base excepted).
    static let overlays: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: apps)) ?? [])
        .filter { $0 != "base" && FileManager.default.fileExists(atPath: apps + "/\($0)/kustomization.yaml") }
        .sorted()

    /// `kubectl kustomize apps/<overlay>` as documents; fails (with the install hint) when kubectl is missing.
    private func render(_ overlay: String) throws -> [Node] {
        let kubectl = try requireBinary("kubectl", debianPackage: kubectlInstallHint)
        let result = try runCommand(kubectl, ["kustomize", Self.apps + "/" + overlay], timeout: 60)
        try #require(result.status == 0, "kubectl kustomize apps/\(overlay): \(result.stderr)")
        return try YAMLParser.parse(result.stdout, file: overlay).map(\.node).filter { !$0.isNull }
    }

    /// The Host a `hey` command line sends (`-host h`, or `-H "Host: h"`); nil when it sets none or is not `hey`.
    static func heyHost(_ command: String) -> String? {
        let words = command.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
        guard words.first == "hey" else { return nil }
        for (flag, value) in zip(words, words.dropFirst()) {
            if flag == "-host" { return value }
            if flag == "-H", value.lowercased().hasPrefix("host:") {
                return value.dropFirst("host:".count).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    @Test("the overlays include production (apps), whose load test sends prod.example.com")
    func productionLoadTestHost() throws {
        #expect(Self.overlays.contains("apps") && Self.overlays.count >= 7, "\(Self.overlays)")
        let canary = try #require(try render("apps").first { $0["kind"]?.scalarValue == "Canary" })
        let commands = (canary.find(["spec", "analysis", "webhooks"])?.items ?? [])
            .compactMap { $0.find(["metadata", "cmd"])?.scalarValue }
        #expect(commands.map(Self.heyHost) == ["prod.example.com"])
        #expect(
            commands == ["hey -z 1m -q 10 -c 2 -host prod.example.com http://ingress-nginx-controller.ingress-nginx/"]
        )
    }

    @Test("every rollout hook's hey command sends the overlay's Ingress host", arguments: overlays)
    func loadTestsUseTheIngressHost(overlay: String) throws {
        let documents = try render(overlay)
        let hosts = Set(
            documents.filter { $0["kind"]?.scalarValue == "Ingress" }
                .flatMap { $0.find(["spec", "rules"])?.items ?? [] }
                .compactMap { $0["host"]?.scalarValue }
        )
        let hooks = documents.filter { $0["kind"]?.scalarValue == "Canary" }
            .flatMap { $0.find(["spec", "analysis", "webhooks"])?.items ?? [] }
            .filter { ($0["type"]?.scalarValue ?? "rollout") == "rollout" }
        let commands = hooks.compactMap { $0.find(["metadata", "cmd"])?.scalarValue }.filter { $0.hasPrefix("hey ") }
        // An overlay without an Ingress or without a hey load test has nothing to agree on.
        guard hosts.count > 0, !commands.isEmpty else { return }
        try #require(hosts.count == 1, "apps/\(overlay) has several Ingress hosts: \(hosts.sorted())")
        for command in commands {
            #expect(Self.heyHost(command) == hosts.first, "apps/\(overlay): \(command) vs Ingress \(hosts.sorted())")
        }
    }
}
