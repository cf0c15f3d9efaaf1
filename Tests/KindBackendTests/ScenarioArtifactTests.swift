import Foundation
import KindBackend
import TestSupport
import Testing
import YAML

@Suite("The artifact a scenario session pushes: its work tree, outside alert addresses pointed at the receiver")
struct ScenarioArtifactTests {
    static let receiver = "http://172.18.0.1:40123"

    static let alertProvider = """
        # Pages the on-call channel on every canary event.
        apiVersion: flagger.app/v1beta1
        kind: AlertProvider
        metadata:
          name: on-call
          namespace: test
        spec:
          type: slack
          channel: rollouts
          username: flagger
          address: https://hooks.slack.com/services/T000/B000/XXXX
        """

    static let configMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          namespace: test
        data:
          enabled: "on"
          version: "1.10"
          address: https://hooks.slack.com/services/T000/B000/XXXX
        """

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: podinfo
        spec:
          template:
            spec:
              containers:
                - name: podinfod
                  image: ghcr.io/stefanprodan/podinfo:6.0.0
        """

    private func documents(_ text: String) throws -> [Node] {
        try YAMLParser.parse(text, file: "test.yaml").map(\.node)
    }

    // MARK: redirect

    @Test("an outside address posts to the receiver, path kept")
    func redirectsSlack() {
        #expect(
            ScenarioArtifact.redirect("https://hooks.slack.com/services/T/B/X", to: Self.receiver)
                == Self.receiver + "/services/T/B/X"
        )
    }

    @Test("an outside address with a port and a query keeps path and query, not the port")
    func redirectsWithPortAndQuery() {
        #expect(
            ScenarioArtifact.redirect("https://discord.com:443/api/webhooks/1/abc?wait=true", to: Self.receiver)
                == Self.receiver + "/api/webhooks/1/abc?wait=true"
        )
        #expect(ScenarioArtifact.redirect("https://chat.example.com", to: Self.receiver) == Self.receiver)
        // User info is not the host.
        #expect(
            ScenarioArtifact.redirect("https://user:secret@hooks.slack.com/x", to: Self.receiver)
                == Self.receiver + "/x"
        )
        // A Service in a known namespace, and an IP address, are reached as they are.
        #expect(
            ScenarioArtifact.redirect("http://alert-receiver.test/", to: Self.receiver, namespaces: ["test"]) == nil
        )
        #expect(ScenarioArtifact.redirect("http://10.96.0.12:8080/hook", to: Self.receiver) == nil)
        #expect(
            ScenarioArtifact.redirect("https://example.com/hook", to: Self.receiver, namespaces: ["test"])
                == Self.receiver + "/hook"
        )
    }

    @Test(
        "an address inside the cluster stays as it is",
        arguments: [
            "http://alert-receiver", "http://x.test.svc.cluster.local/a", "http://x.test.svc:80/",
            "http://10-244-0-5.test.pod.cluster.local:8080/slack", "not a URL",
        ]
    )
    func keepsInClusterAddresses(address: String) {
        #expect(ScenarioArtifact.redirect(address, to: Self.receiver) == nil)
    }

    // MARK: rewrite

    @Test("an AlertProvider's outside address is rewritten; its other fields and the other documents are kept")
    func rewritesAlertProvider() throws {
        let text = Self.alertProvider + "\n---\n" + Self.configMap + "\n"
        let artifact = ScenarioArtifact(alertReceiver: Self.receiver)
        let rewritten = try #require(try artifact.rewrite(text, file: "alerts.yaml"))
        let before = try documents(text)
        let after = try documents(rewritten)
        try #require(after.count == 2)
        let provider = after[0]
        #expect(provider.find(["spec", "address"])?.scalarValue == Self.receiver + "/services/T000/B000/XXXX")
        #expect(provider["kind"]?.scalarValue == "AlertProvider")
        #expect(provider.find(["metadata", "name"])?.scalarValue == "on-call")
        #expect(provider.find(["metadata", "namespace"])?.scalarValue == "test")
        #expect(provider.find(["spec", "type"])?.scalarValue == "slack")
        #expect(provider.find(["spec", "channel"])?.scalarValue == "rollouts")
        #expect(provider.find(["spec", "username"])?.scalarValue == "flagger")
        // Only AlertProviders change, even where another kind has an `address` that looks the same.
        #expect(after[1].hasSameContent(as: before[1]))
        #expect(after[1].find(["data", "enabled"])?.resolved == .string("on"))
        #expect(after[1].find(["data", "version"])?.resolved == .string("1.10"))
    }

    @Test("every AlertProvider of a file is rewritten, in-cluster ones left alone")
    func rewritesSeveralProviders() throws {
        let inCluster = Self.alertProvider
            .replacingOccurrences(of: "on-call", with: "local")
            .replacingOccurrences(
                of: "https://hooks.slack.com/services/T000/B000/XXXX",
                with: "http://receiver.test.svc/x"
            )
        let teams = Self.alertProvider
            .replacingOccurrences(of: "on-call", with: "teams")
            .replacingOccurrences(of: "hooks.slack.com/services", with: "example.webhook.office.com/webhookb2")
        let text = [Self.alertProvider, inCluster, teams].joined(separator: "\n---\n")
        let rewritten = try #require(try ScenarioArtifact(alertReceiver: Self.receiver).rewrite(text, file: "a.yaml"))
        let addresses = try documents(rewritten).map { $0.find(["spec", "address"])?.scalarValue }
        #expect(
            addresses == [
                Self.receiver + "/services/T000/B000/XXXX", "http://receiver.test.svc/x",
                Self.receiver + "/webhookb2/T000/B000/XXXX",
            ]
        )
    }

    @Test("a file that needs no change is left alone (nil)")
    func nothingToRewrite() throws {
        let artifact = ScenarioArtifact(alertReceiver: Self.receiver)
        #expect(try artifact.rewrite(Self.deployment, file: "deployment.yaml") == nil)
        #expect(try artifact.rewrite(Self.configMap, file: "config.yaml") == nil)
        let inCluster = Self.alertProvider.replacingOccurrences(
            of: "https://hooks.slack.com/services/T000/B000/XXXX",
            with: "http://alert-receiver.test.svc.cluster.local/slack"
        )
        #expect(try artifact.rewrite(inCluster, file: "alerts.yaml") == nil)
    }

    @Test("without a receiver nothing is rewritten")
    func noReceiver() throws {
        #expect(try ScenarioArtifact(alertReceiver: nil).rewrite(Self.alertProvider, file: "alerts.yaml") == nil)
    }

    @Test("a trailing '---' does not become a document kustomize refuses")
    func emptyDocumentsStayEmpty() throws {
        let text = "---\n" + Self.alertProvider + "\n---\n"
        let rewritten = try #require(try ScenarioArtifact(alertReceiver: Self.receiver).rewrite(text, file: "a.yaml"))
        let after = try documents(rewritten)
        #expect(after.allSatisfy { $0.isNull || $0.pairs != nil })
        #expect(after.first?.find(["spec", "address"])?.scalarValue == Self.receiver + "/services/T000/B000/XXXX")
    }

    @Test("a broken file that names an AlertProvider is an error naming the file")
    func brokenFile() throws {
        let broken = "kind: AlertProvider\nspec:\n  address: [unclosed\n"
        let error = #expect(throws: KindBackendError.self) {
            try ScenarioArtifact(alertReceiver: Self.receiver).rewrite(broken, file: "apps/alerts.yaml")
        }
        #expect(error?.message.contains("apps/alerts.yaml") == true)
    }

    // MARK: stage

    private func workTree() throws -> String {
        try temporaryDirectory(
            prefix: "artifact-tree",
            files: [
                ".git/HEAD": "ref: refs/heads/main\n",
                ".git/config": "[core]\n",
                "apps/base/podinfo/deployment.yaml": Self.deployment,
                "apps/test-alerts/alert-provider.yaml": Self.alertProvider,
                "apps/test-alerts/settings.yml": Self.configMap,
                "flux/test.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: test\n",
                "README.md": "kind: AlertProvider is mentioned here, but this is not YAML: [\n",
            ]
        )
    }

    private func files(under directory: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { files.append(path) }
        }
        return files.sorted()
    }

    private func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test("the staged copy has every file but .git, with AlertProviders rewritten; the work tree is untouched")
    func stages() throws {
        let tree = try workTree()
        let stage = try temporaryDirectory("stage") + "/artifact"
        try ScenarioArtifact(alertReceiver: Self.receiver).stage(workTree: tree, into: stage)

        #expect(
            files(under: stage) == [
                "README.md", "apps/base/podinfo/deployment.yaml", "apps/test-alerts/alert-provider.yaml",
                "apps/test-alerts/settings.yml", "flux/test.yaml",
            ]
        )
        #expect(!FileManager.default.fileExists(atPath: stage + "/.git"))
        for unchanged in ["README.md", "apps/base/podinfo/deployment.yaml", "apps/test-alerts/settings.yml"] {
            #expect(try read(stage + "/" + unchanged) == read(tree + "/" + unchanged), "\(unchanged)")
        }
        let provider = try #require(try documents(read(stage + "/apps/test-alerts/alert-provider.yaml")).first)
        #expect(provider.find(["spec", "address"])?.scalarValue == Self.receiver + "/services/T000/B000/XXXX")
        #expect(provider.find(["spec", "channel"])?.scalarValue == "rollouts")

        // The work tree (what Git commits) keeps the scenario's own text and its .git.
        #expect(try read(tree + "/apps/test-alerts/alert-provider.yaml") == Self.alertProvider)
        #expect(try read(tree + "/.git/HEAD") == "ref: refs/heads/main\n")
    }

    @Test("staging again replaces the old copy: a file deleted from the work tree disappears")
    func restages() throws {
        let tree = try workTree()
        let stage = try temporaryDirectory("restage") + "/artifact"
        let artifact = ScenarioArtifact(alertReceiver: Self.receiver)
        try artifact.stage(workTree: tree, into: stage)
        try FileManager.default.removeItem(atPath: tree + "/flux/test.yaml")
        try Data(Self.deployment.replacingOccurrences(of: "6.0.0", with: "6.0.1").utf8)
            .write(to: URL(fileURLWithPath: tree + "/apps/base/podinfo/deployment.yaml"))
        try artifact.stage(workTree: tree, into: stage)

        #expect(!FileManager.default.fileExists(atPath: stage + "/flux/test.yaml"))
        #expect(try read(stage + "/apps/base/podinfo/deployment.yaml").contains("podinfo:6.0.1"))
        #expect(files(under: stage).count == 4)
        // Staging a rewritten copy again does not rewrite it twice.
        let provider = try #require(try documents(read(stage + "/apps/test-alerts/alert-provider.yaml")).first)
        #expect(provider.find(["spec", "address"])?.scalarValue == Self.receiver + "/services/T000/B000/XXXX")
    }

    @Test("without a receiver the staged copy is the work tree as it is")
    func stagesWithoutReceiver() throws {
        let tree = try workTree()
        let stage = try temporaryDirectory("plain") + "/artifact"
        try ScenarioArtifact(alertReceiver: nil).stage(workTree: tree, into: stage)
        #expect(try read(stage + "/apps/test-alerts/alert-provider.yaml") == Self.alertProvider)
    }

    @Test("a work tree that does not exist is an error naming it")
    func missingWorkTree() throws {
        let stage = try temporaryDirectory("missing") + "/artifact"
        let error = #expect(throws: KindBackendError.self) {
            try ScenarioArtifact(alertReceiver: nil).stage(workTree: "/nonexistent/gitops", into: stage)
        }
        #expect(error?.message.contains("/nonexistent/gitops") == true)
    }

    // MARK: webhooks through the recorder

    static let recorder = "http://172.18.0.1:40500"

    static let canary = """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
          namespace: test
        spec:
          analysis:
            interval: 1m
            webhooks:
              - name: promotion-gate
                type: confirm-promotion
                url: http://flagger-loadtester.test/gate/check
              - name: load-test
                url: http://flagger-loadtester.test/
                timeout: 5s
                metadata:
                  cmd: "hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/"
              - name: smoke
                type: pre-rollout
                url: http://smoke.example.com/run
        """

    @Test("a Canary's loadtester webhooks go through the recorder, named and typed in the path; others stay")
    func canaryWebhooksAreRecorded() throws {
        let artifact = ScenarioArtifact(alertReceiver: nil, webhookRecorder: Self.recorder)
        let rewritten = try #require(try artifact.rewrite(Self.canary, file: "canary.yaml"))
        let hooks = try #require(try documents(rewritten).first?.find(["spec", "analysis", "webhooks"])?.items)
        #expect(
            hooks.map { $0["url"]?.scalarValue } == [
                Self.recorder + "/hook/confirm-promotion/promotion-gate/gate/check",
                Self.recorder + "/hook/rollout/load-test/",
                "http://smoke.example.com/run",
            ]
        )
        // Everything else about the hooks is kept.
        #expect(hooks[1]["timeout"]?.scalarValue == "5s")
        #expect(hooks[1].find(["metadata", "cmd"])?.scalarValue?.hasPrefix("hey -z 1m") == true)
        #expect(hooks[0]["type"]?.scalarValue == "confirm-promotion")
    }

    @Test("without a recorder, or for a loadtester in another namespace, Canaries are left alone")
    func canaryWebhooksWithoutRecorder() throws {
        #expect(try ScenarioArtifact(alertReceiver: Self.receiver).rewrite(Self.canary, file: "canary.yaml") == nil)
        let elsewhere = ScenarioArtifact(alertReceiver: nil, webhookRecorder: Self.recorder)
        #expect(
            elsewhere.recordedURL(
                "http://flagger-loadtester.other/gate/check",
                name: "g",
                type: "confirm-rollout",
                recorder: Self.recorder
            ) == nil
        )
        #expect(
            elsewhere.recordedURL(
                "http://flagger-loadtester:80/rollback/check",
                name: "manual rollback",
                type: "rollback",
                recorder: Self.recorder
            ) == Self.recorder + "/hook/rollback/manual%20rollback/rollback/check"
        )
    }

    // MARK: webhooks kustomize patches define

    /// `kubectl kustomize <directory>` as documents; fails (with the install hint) when kubectl is missing.
    private func render(_ directory: String) throws -> [Node] {
        let kubectl = try requireBinary("kubectl", debianPackage: kubectlInstallHint)
        let result = try runCommand(kubectl, ["kustomize", directory], timeout: 60)
        try #require(result.status == 0, "kubectl kustomize \(directory): \(result.stderr)")
        return try YAMLParser.parse(result.stdout, file: directory).map(\.node).filter { !$0.isNull }
    }

    /// The rendered Canary's webhooks.
    private func renderedHooks(_ directory: String) throws -> [Node] {
        let canary = try #require(try render(directory).first { $0["kind"]?.scalarValue == "Canary" })
        return try #require(canary.find(["spec", "analysis", "webhooks"])?.items)
    }

    /// The tree with the `url` of every item of a `webhooks` list blanked, to compare everything else.
    private func withoutHookURLs(_ node: Node, inWebhooks: Bool = false) -> Node {
        switch node {
        case .scalar:
            return node
        case .sequence(let items, let mark):
            return .sequence(items.map { withoutHookURLs($0, inWebhooks: inWebhooks) }, mark: mark)
        case .mapping(let pairs, let mark):
            let blanked = pairs.map { pair in
                if inWebhooks && pair.key.scalarValue == "url" {
                    return Pair(key: pair.key, value: .scalar(Scalar(value: "")))
                }
                let isWebhooks = pair.key.scalarValue == "webhooks" && pair.value.items != nil
                if isWebhooks, case .sequence(let hooks, let hooksMark) = pair.value {
                    return Pair(
                        key: pair.key,
                        value: .sequence(hooks.map { withoutHookURLs($0, inWebhooks: true) }, mark: hooksMark)
                    )
                }
                return Pair(key: pair.key, value: withoutHookURLs(pair.value))
            }
            return .mapping(blanked, mark: mark)
        }
    }

    static let gitops = repositoryRoot + "/scenarios/gitops"

    /// The overlays of the shipped GitOps content (every directory under apps/ with a kustomization but the base).
    static let overlays: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: gitops + "/apps")) ?? [])
        .filter { $0 != "base" && FileManager.default.fileExists(atPath: gitops + "/apps/\($0)/kustomization.yaml") }
        .sorted()

    /// The real GitOps tree staged with the recorder (and the alert receiver, as a session stages it).
    private func stagedGitOps() throws -> String {
        let stage = try temporaryDirectory("gitops") + "/artifact"
        try ScenarioArtifact(
            alertReceiver: Self.receiver,
            namespaces: ["test", "apps"],
            webhookRecorder: Self.recorder
        )
        .stage(workTree: Self.gitops, into: stage)
        return stage
    }

    @Test("the overlays' patched-in hooks go through the recorder: test-gated's gate, test-manual-rollback's rollback")
    func overlayPatchHooksAreRecorded() throws {
        #expect(Self.overlays.contains("test-gated") && Self.overlays.contains("test-manual-rollback"))
        let stage = try stagedGitOps()
        let gated = try renderedHooks(stage + "/apps/test-gated")
        #expect(
            gated.map { $0["url"]?.scalarValue } == [
                Self.recorder + "/hook/rollout/load-test/",
                Self.recorder + "/hook/confirm-promotion/promotion-gate/gate/check",
            ]
        )
        let rollback = try renderedHooks(stage + "/apps/test-manual-rollback")
        #expect(
            rollback.map { $0["url"]?.scalarValue } == [
                Self.recorder + "/hook/rollout/load-test/",
                Self.recorder + "/hook/rollback/manual-rollback/rollback/check",
            ]
        )
        // The overlay's patch is still a block string, as kustomize reads it; its other ops and fields are kept.
        let kustomization = try #require(
            try documents(read(stage + "/apps/test-gated/kustomization.yaml")).first
        )
        let entry = try #require(kustomization["patches"]?[0])
        #expect(entry.find(["target", "kind"])?.scalarValue == "Canary")
        #expect(entry.find(["target", "name"])?.scalarValue == "podinfo")
        #expect(try read(stage + "/apps/test-gated/kustomization.yaml").contains("    patch: |\n      - op: add\n"))
        #expect(kustomization["namespace"]?.scalarValue == "test")
        #expect(kustomization["resources"]?.items?.map(\.scalarValue) == ["namespace.yaml", "../base/podinfo"])
    }

    @Test(
        "every staged overlay renders, its loadtester hooks at /hook/<type>/<name>/<path>, nothing else changed",
        arguments: overlays
    )
    func stagedOverlayRenders(overlay: String) throws {
        let stage = try stagedGitOps()
        let original = try render(Self.gitops + "/apps/" + overlay)
        let staged = try render(stage + "/apps/" + overlay)
        let canary = { (documents: [Node]) in documents.first { $0["kind"]?.scalarValue == "Canary" } }
        let before = try #require(canary(original)?.find(["spec", "analysis", "webhooks"])?.items)
        let after = try #require(canary(staged)?.find(["spec", "analysis", "webhooks"])?.items)
        try #require(before.count == after.count)
        for (hook, recorded) in zip(before, after) {
            let url = try #require(hook["url"]?.scalarValue)
            guard url.hasPrefix("http://flagger-loadtester.test/") else {
                #expect(recorded["url"]?.scalarValue == url, "\(overlay): \(url) is not the loadtester's")
                continue
            }
            let type = hook["type"]?.scalarValue ?? "rollout"
            let name = try #require(hook["name"]?.scalarValue)
            let path = url.dropFirst("http://flagger-loadtester.test".count)
            #expect(recorded["url"]?.scalarValue == Self.recorder + "/hook/\(type)/\(name)\(path)", "\(overlay)")
        }
        // Everything else renders exactly as before: other URLs (the MetricTemplate's Prometheus, the load test's
        // target) included; only an AlertProvider's outside address goes to the receiver.
        try #require(original.count == staged.count)
        for (lhs, rhs) in zip(original.map { withoutHookURLs($0) }, staged.map { withoutHookURLs($0) }) {
            let kind = lhs["kind"]?.scalarValue ?? "?"
            guard kind != "AlertProvider" else {
                #expect(rhs.find(["spec", "address"])?.scalarValue == Self.receiver + "/services/T000/B000/XXXX")
                continue
            }
            let same = lhs.hasSameContent(as: rhs)
            #expect(same, "\(overlay): \(kind) \(lhs.find(["metadata", "name"])?.scalarValue ?? "") differs")
        }
    }

    /// A base with a Canary whose only hook is the load test, for overlays written by the tests below.
    static let base: [String: String] = [
        "base/kustomization.yaml": "resources:\n  - canary.yaml\n",
        "base/canary.yaml": """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
        spec:
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: podinfo
          service:
            port: 80
          analysis:
            interval: 1m
            webhooks:
              - name: load-test
                url: http://flagger-loadtester.test/
                metadata:
                  cmd: "hey -z 1m -q 10 -c 2 http://podinfo-canary.test/"

        """,
    ]

    @Test("an inline strategic-merge patch's hooks are recorded, in patches and in patchesStrategicMerge")
    func strategicMergePatches() throws {
        let canaryPatch = """
            apiVersion: flagger.app/v1beta1
            kind: Canary
            metadata:
              name: podinfo
            spec:
              analysis:
                webhooks:
                  - name: acceptance-test
                    type: pre-rollout
                    url: http://flagger-loadtester.test/
                    metadata:
                      type: bash
                      cmd: "curl -s http://podinfo-canary.test/token | grep token"
                  - name: smoke
                    type: post-rollout
                    url: http://smoke.example.com/run

            """
        let indented = { (text: String) in
            text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "      " + $0 }
                .joined(separator: "\n")
        }
        let tree = try temporaryDirectory(
            prefix: "smp-tree",
            files: Self.base.merging([
                "patches/kustomization.yaml": """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - ../base
                patches:
                  - patch: |
                \(indented(canaryPatch))
                """,
                // No kind: kustomize knows it by its name.
                "legacy/kustomization.yml": """
                resources:
                  - ../base
                patchesStrategicMerge:
                  - |
                \(indented(canaryPatch))
                """,
            ]) { $1 }
        )
        let stage = try temporaryDirectory("smp") + "/artifact"
        try ScenarioArtifact(alertReceiver: nil, webhookRecorder: Self.recorder).stage(workTree: tree, into: stage)
        for overlay in ["patches", "legacy"] {
            // The original renders too, with the loadtester called directly: the rewrite is what changes it.
            let direct = try renderedHooks(tree + "/" + overlay)
            #expect(direct.first?["url"]?.scalarValue == "http://flagger-loadtester.test/", "\(overlay)")
            let hooks = try renderedHooks(stage + "/" + overlay)
            #expect(
                hooks.map { $0["url"]?.scalarValue } == [
                    Self.recorder + "/hook/pre-rollout/acceptance-test/", "http://smoke.example.com/run",
                ],
                "\(overlay)"
            )
            #expect(hooks.first?.find(["metadata", "cmd"])?.scalarValue?.hasPrefix("curl -s http://podinfo") == true)
        }
    }

    @Test("patchesJson6902 by path: YAML and JSON op files are recorded, a url-only op named by the patch's test op")
    func json6902PatchFiles() throws {
        let tree = try temporaryDirectory(
            prefix: "json6902-tree",
            files: Self.base.merging([
                "overlay/kustomization.yaml": """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - ../base
                patchesJson6902:
                  - target: {group: flagger.app, version: v1beta1, kind: Canary, name: podinfo}
                    path: hooks-patch.yaml
                  - target: {group: flagger.app, version: v1beta1, kind: Canary, name: podinfo}
                    path: rollback-patch.json
                """,
                "overlay/hooks-patch.yaml": """
                - op: test
                  path: /spec/analysis/webhooks/0/name
                  value: load-test
                - op: replace
                  path: /spec/analysis/webhooks/0/url
                  value: http://flagger-loadtester.test/run
                - op: add
                  path: /spec/analysis/webhooks/-
                  value:
                    name: promotion-gate
                    type: confirm-promotion
                    url: http://flagger-loadtester.test/gate/check
                - op: add
                  path: /spec/analysis/webhooks/-
                  value: {name: notify, type: event, url: "https://chat.example.com/hook"}

                """,
                "overlay/rollback-patch.json": """
                [
                  {"op": "add", "path": "/spec/analysis/webhooks/-",
                   "value": {"name": "manual rollback", "type": "rollback",
                             "url": "http://flagger-loadtester.test/rollback/check"}}
                ]

                """,
            ]) { $1 }
        )
        let stage = try temporaryDirectory("json6902") + "/artifact"
        try ScenarioArtifact(alertReceiver: nil, webhookRecorder: Self.recorder).stage(workTree: tree, into: stage)
        #expect(
            try renderedHooks(stage + "/overlay").map { $0["url"]?.scalarValue } == [
                Self.recorder + "/hook/rollout/load-test/run",
                Self.recorder + "/hook/confirm-promotion/promotion-gate/gate/check",
                "https://chat.example.com/hook",
                Self.recorder + "/hook/rollback/manual%20rollback/rollback/check",
            ]
        )
        // The kustomization itself names its patches by path: nothing in it changes.
        #expect(try read(stage + "/overlay/kustomization.yaml") == read(tree + "/overlay/kustomization.yaml"))
        // The JSON patch is still JSON.
        let json = try read(stage + "/overlay/rollback-patch.json")
        #expect(json.hasPrefix("["))
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [Any])
    }

    @Test("a url-only op the patch does not name is recorded as a nameless rollout hook")
    func unnamedURLOperation() throws {
        let patch = """
            - op: replace
              path: /spec/analysis/webhooks/1/url
              value: http://flagger-loadtester.test/gate/approve
            - op: replace
              path: /spec/analysis/webhooks/0/type
              value: pre-rollout
            - op: replace
              path: /spec/analysis/webhooks/0/url
              value: http://flagger-loadtester.test/
            """
        let artifact = ScenarioArtifact(alertReceiver: nil, webhookRecorder: Self.recorder)
        let rewritten = try #require(try artifact.rewrite(patch, file: "apps/x/patch.yaml"))
        #expect(
            try documents(rewritten).first?.items?.map { $0["value"]?.scalarValue } == [
                Self.recorder + "/hook/rollout//gate/approve", "pre-rollout", Self.recorder + "/hook/pre-rollout//",
            ]
        )
    }

    @Test("kustomize content without loadtester hooks, Flux Kustomizations, and any of it without a recorder stay")
    func patchesLeftAlone() throws {
        let artifact = ScenarioArtifact(alertReceiver: Self.receiver, webhookRecorder: Self.recorder)
        for overlay in ["test", "test-ab", "test-step-weights", "test-alerts"] {
            let text = try read(Self.gitops + "/apps/\(overlay)/kustomization.yaml")
            #expect(try artifact.rewrite(text, file: "apps/\(overlay)/kustomization.yaml") == nil, "\(overlay)")
        }
        let gated = try read(Self.gitops + "/apps/test-gated/kustomization.yaml")
        #expect(try artifact.rewrite(gated, file: "apps/test-gated/kustomization.yaml") != nil)
        #expect(
            try ScenarioArtifact(alertReceiver: Self.receiver).rewrite(
                gated,
                file: "apps/test-gated/kustomization.yaml"
            )
                == nil
        )
        // A Flux Kustomization has no kustomize patches, even where it has a field of that name.
        let flux = gated.replacingOccurrences(
            of: "apiVersion: kustomize.config.k8s.io/v1beta1",
            with: "apiVersion: kustomize.toolkit.fluxcd.io/v1"
        )
        #expect(try artifact.rewrite(flux, file: "flux/test-gated.yaml") == nil)
        // An op list of another kind's webhooks (a MutatingWebhookConfiguration's clientConfig) is not a hook's url.
        let admission = """
            - op: replace
              path: /webhooks/0/clientConfig/url
              value: http://flagger-loadtester.test/mutate
            """
        #expect(try artifact.rewrite(admission, file: "admission-patch.yaml") == nil)
    }
}
