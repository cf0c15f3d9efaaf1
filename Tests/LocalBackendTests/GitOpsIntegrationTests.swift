import Foundation
import LocalBackend
import ObjectModel
import TestSupport
import Testing

/// The GitOps controller follows a real git repository: applies, prunes, renders kustomizations, records revisions.
@Suite struct GitOpsIntegrationTests {
    private func configMap(_ name: String, _ value: String) -> String {
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \(name)
        data:
          value: "\(value)"

        """
    }

    private func withGitOps(
        seed: [String: String],
        path: String,
        targetNamespace: String? = nil,
        branch: String = "main",
        _ body: (Fixture, HarnessRepository, GitOpsController) async throws -> Void
    ) async throws {
        try await Fixture.run { fixture in
            let git = try fixture.binary("git", "git")
            let kubectl = try fixture.binary("kubectl", "kubectl")
            let repository = try await HarnessRepository.create(
                root: fixture.workDirectory.git,
                gitPath: git,
                scratchDirectory: fixture.workDirectory.scratch,
                seed: seed
            )
            let controller = try GitOpsController(
                store: fixture.store,
                gitPath: git,
                kubectlPath: kubectl,
                workDirectory: fixture.workDirectory,
                timeScale: 1
            )
            var flux = DefaultApp.fluxObjects(repositoryURL: repository.url, branch: branch, path: path)
            if let targetNamespace { flux += "  targetNamespace: \(targetNamespace)\n" }
            for object in ManifestLoader.load(flux, file: "flux.yaml").objects { await fixture.store.apply(object) }
            try await controller.reconcileNow()
            try await body(fixture, repository, controller)
        }
    }

    private func value(_ fixture: Fixture, _ namespace: String, _ name: String) async -> String? {
        await fixture.store.get(ConfigMap.self, namespace: namespace, name: name)?.data?["value"]
    }

    private func kustomizationStatus(_ fixture: Fixture) async -> KustomizationStatus? {
        await fixture.store.status(
            KustomizationStatus.self,
            of: ObjectKey(kind: "Kustomization", namespace: "flux-system", name: "app")
        )
    }

    @Test func appliesPlainYAMLAndPrunesWhatLeftGit() async throws {
        let seed = ["apps/a.yaml": configMap("a", "1"), "apps/nested/b.yml": configMap("b", "1"), "README.md": "x"]
        try await withGitOps(seed: seed, path: "./apps", targetNamespace: "test") { fixture, repository, controller in
            #expect(await value(fixture, "test", "a") == "1")
            #expect(await value(fixture, "test", "b") == "1")
            let sha = try await repository.commit(
                files: ["apps/a.yaml": configMap("a", "2"), "apps/nested/b.yml": nil],
                message: "change a, remove b"
            )
            try await controller.reconcileNow()
            #expect(await value(fixture, "test", "a") == "2")
            #expect(await value(fixture, "test", "b") == nil)
            let status = await kustomizationStatus(fixture)
            #expect(status?.lastAppliedRevision == "main@sha1:\(sha)")
            #expect(status?.isReady == true)
        }
    }

    @Test func rendersWithKubectlKustomizeWhenThereIsAKustomizationFile() async throws {
        let seed = [
            "base/kustomization.yaml": "resources: [cm.yaml]\nnamePrefix: kz-\n",
            "base/cm.yaml": configMap("c", "k"),
        ]
        try await withGitOps(seed: seed, path: "./base") { fixture, _, _ in
            #expect(await value(fixture, "default", "kz-c") == "k")
        }
    }

    @Test func followsTheBranchOfTheGitRepository() async throws {
        let seed = ["apps/a.yaml": configMap("a", "main")]
        try await withGitOps(seed: seed, path: "./apps", branch: "staging") { fixture, repository, controller in
            #expect(await value(fixture, "default", "a") == "main")
            try await repository.commit(files: ["apps/a.yaml": configMap("a", "on-main")], message: "main only")
            try await repository.commit(
                files: ["apps/a.yaml": configMap("a", "on-staging")],
                branch: "staging",
                message: "staging"
            )
            try await controller.reconcileNow()
            #expect(await value(fixture, "default", "a") == "on-staging")
        }
    }

    @Test func aBrokenManifestMakesTheKustomizationNotReady() async throws {
        let seed = ["apps/a.yaml": configMap("a", "1")]
        try await withGitOps(seed: seed, path: "./apps") { fixture, repository, controller in
            try await repository.commit(files: ["apps/bad.yaml": "kind: [unclosed\n"], message: "break")
            await #expect(throws: LocalBackendError.self) { try await controller.reconcileNow() }
            let status = await kustomizationStatus(fixture)
            #expect(status?.isReady == false)
            #expect(await value(fixture, "default", "a") == "1")
        }
    }
}
